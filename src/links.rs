//! The portal's own links, built in one place, and the rule for following a location that
//! comes from outside (a `next=` parameter, a frame's host): only a path of this portal.
//!
//! Pages never format a route by hand; they ask here, so a route changes in one place.

use leptos_router::params::ParamsMap;
use partner_api::wire::request::encode_component;
use partner_api::{AccountId, RegionId};

/// `/accounts`: the signed-in regions and the tree.
pub const ACCOUNTS: &str = "/accounts";
/// `/sign-in` with nothing to return to.
pub const SIGN_IN: &str = "/sign-in";
/// A new account, its place to be chosen.
pub const NEW_ACCOUNT: &str = "/accounts/new";
pub const BILLING: &str = "/billing";
pub const SETTINGS: &str = "/settings";
pub const SHARES: &str = "/shares";
pub const REVISIONS: &str = "/revisions";
/// The brand's users, groups and plans (Enterprise API).
pub const USERS: &str = "/users";
pub const NEW_USER: &str = "/users/new";
pub const GROUPS: &str = "/groups";
pub const PLANS: &str = "/plans";

/// `/users/{region}/{user}`: one enterprise user's page, the user by email or username.
pub fn user(region: &RegionId, user: &str) -> String {
    format!("{USERS}/{region}/{}", encode_component(user))
}

/// A new enterprise user in `region`.
pub fn new_user(region: &RegionId) -> String {
    format!("{NEW_USER}?region={region}")
}

/// `/accounts/{region}/{id}`: one account's page.
pub fn account(region: &RegionId, id: &AccountId) -> String {
    format!("/accounts/{region}/{id}")
}

/// The account an account page's path names (the other way of [`account`]).
pub fn account_of(path: &str) -> Option<(RegionId, AccountId)> {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("accounts"), Some(r), Some(id), None | Some("")) => {
            Some((RegionId::parse(r).ok()?, AccountId::parse(id).ok()?))
        }
        _ => None,
    }
}

/// A new account under `parent`.
pub fn new_account(region: &RegionId, parent: &AccountId) -> String {
    format!("/accounts/new?region={region}&parent={parent}")
}

/// The path of [`access`] links.
pub const ACCESS: &str = "/accounts/access";
/// The path of [`import`] links.
pub const IMPORT: &str = "/accounts/import";

/// A new user or API account on `account`.
pub fn access(region: &RegionId, account: &AccountId) -> String {
    format!("{ACCESS}?region={region}&account={account}")
}

/// The role of the user or key `name` on `account`, to change.
pub fn access_role(region: &RegionId, account: &AccountId, name: &str) -> String {
    format!(
        "{}&token={}",
        access(region, account),
        encode_component(name)
    )
}

/// Customer accounts from a CSV file, under `parent`.
pub fn import(region: &RegionId, parent: &AccountId) -> String {
    format!("{IMPORT}?region={region}&parent={parent}")
}

/// The sign-in page for `region` (or the first region), coming back to `next`: the whole
/// location, path and query.
pub fn sign_in(region: Option<&RegionId>, next: &str) -> String {
    sign_in_link(region, next, false)
}

/// The sign-in page after `region` stopped taking the credentials: it says so, then comes
/// back to `next`.
pub fn sign_in_again(region: &RegionId, next: &str) -> String {
    sign_in_link(Some(region), next, true)
}

fn sign_in_link(region: Option<&RegionId>, next: &str, expired: bool) -> String {
    let mut href = String::from("/sign-in?");
    if let Some(r) = region {
        href.push_str(&format!("region={r}&"));
    }
    if expired {
        href.push_str("expired=1&");
    }
    href.push_str("next=");
    href.push_str(&encode_component(next));
    href
}

/// A location from outside is followed only when it is a path of this portal, never another
/// site (the core's one rule, [`partner_api::embed::is_portal_path`]).
pub fn safe_next(next: Option<String>) -> Option<String> {
    next.filter(|n| partner_api::embed::is_portal_path(n))
}

/// `path?query`, or the path alone when there is no query.
pub fn with_query(path: String, search: &str) -> String {
    let query = search.trim_start_matches('?');
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// The `region` and an account id (under `key`) from a page's query, when both are valid:
/// the other way of [`new_account`], [`access`] and [`import`].
pub fn region_and_account(query: &ParamsMap, key: &str) -> Option<(RegionId, AccountId)> {
    let region = RegionId::parse(&query.get("region")?).ok()?;
    let account = AccountId::parse(&query.get(key)?).ok()?;
    Some((region, account))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_keeps_the_whole_location() {
        let r = RegionId::parse("eu").unwrap();
        assert_eq!(
            sign_in(Some(&r), "/accounts/eu/x?tab=users&b=1"),
            "/sign-in?region=eu&next=%2Faccounts%2Feu%2Fx%3Ftab%3Dusers%26b%3D1"
        );
        assert_eq!(
            sign_in_again(&r, "/settings"),
            "/sign-in?region=eu&expired=1&next=%2Fsettings"
        );
        assert_eq!(sign_in(None, "/"), "/sign-in?next=%2F");
    }

    #[test]
    fn an_account_page_names_its_account() {
        let (r, id) = (
            RegionId::parse("eu").unwrap(),
            AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap(),
        );
        assert_eq!(account_of(&account(&r, &id)), Some((r, id)));
        assert_eq!(account_of("/accounts/new"), None);
        assert_eq!(account_of("/settings"), None);
    }

    #[test]
    fn only_paths_of_this_portal_are_followed() {
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\\evil.example",
            "/%09/evil.example",
            "/%0A/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/%2509/evil.example",
            "https://evil.example/",
            "evil.example",
        ] {
            assert_eq!(safe_next(Some(bad.into())), None, "{bad:?}");
        }
        assert_eq!(
            safe_next(Some("/accounts/eu/x?tab=1".into())).as_deref(),
            Some("/accounts/eu/x?tab=1")
        );
    }
}
