//! One module per route.

pub mod access;
pub mod account;
pub mod account_actions;
pub mod accounts;
pub mod import;
pub mod later;
pub mod new_account;
pub mod not_found;
pub mod sign_in;

/// A `next=` target is followed only when it is a path inside the portal, never another site.
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\'))
}
