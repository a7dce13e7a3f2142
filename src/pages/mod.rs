//! One module per route.

pub mod access;
pub mod account;
pub mod account_actions;
pub mod accounts;
pub mod billing;
pub mod import;
pub mod new_account;
pub mod not_found;
pub mod revisions;
pub mod settings;
pub mod shares;
pub mod sign_in;

/// The `region` and an account id (under `key`) from a page's query, when both are valid.
pub fn region_and_account(
    query: &leptos_router::params::ParamsMap,
    key: &str,
) -> Option<(partner_api::RegionId, partner_api::AccountId)> {
    let region = partner_api::RegionId::parse(&query.get("region")?).ok()?;
    let account = partner_api::AccountId::parse(&query.get(key)?).ok()?;
    Some((region, account))
}

/// A `next=` target is followed only when it is a path inside the portal, never another site.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}
