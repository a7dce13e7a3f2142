//! Form drafts, kept in this browser's localStorage until sent or discarded so that a reload
//! loses nothing. Callers never put passwords or card data in a draft.
//!
//! A draft belongs to the partner who typed it: its key names the region and the login
//! ([`key`]), only that login finds it again, and signing out removes every draft of the
//! logins signed out ([`forget`]): a new account's personal data or a whole import file does
//! not stay behind in a shared browser.

use crate::browser::{storage, Store};
use crate::transport::Session;
use partner_api::wire::request::encode_component;
use partner_api::RegionId;
use serde::{de::DeserializeOwned, Serialize};

const PREFIX: &str = "partner-portal.draft.";

/// What comes before every draft key of `login` in `region` (the login encoded, so no login
/// can reach into another's drafts).
fn owner_prefix(region: &RegionId, login: &str) -> String {
    format!("{region}|{}|", encode_component(login))
}

/// The key of the draft `what` (`new-account.{parent}`, say) of whoever is signed in to
/// `region` now.
pub fn key(session: &Session, region: &RegionId, what: &str) -> String {
    let login = session
        .credentials(region)
        .map(|c| c.login)
        .unwrap_or_default();
    format!("{}{what}", owner_prefix(region, &login))
}

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage(Store::Local)?
        .get_item(&format!("{PREFIX}{key}"))
        .ok()
        .flatten()?;
    serde_json::from_str(&text).ok()
}

pub fn save<T: Serialize>(key: &str, value: &T) {
    if let (Some(s), Ok(text)) = (storage(Store::Local), serde_json::to_string(value)) {
        let _ = s.set_item(&format!("{PREFIX}{key}"), &text);
    }
}

pub fn discard(key: &str) {
    if let Some(s) = storage(Store::Local) {
        let _ = s.remove_item(&format!("{PREFIX}{key}"));
    }
}

/// Removes every draft of `login` in `region` from this browser, and drafts kept before
/// drafts had owners (which anyone could have typed).
pub fn forget(region: &RegionId, login: &str) {
    let Some(s) = storage(Store::Local) else {
        return;
    };
    let mine = format!("{PREFIX}{}", owner_prefix(region, login));
    let keys: Vec<String> = (0..s.length().unwrap_or(0))
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| {
            k.strip_prefix(PREFIX)
                .is_some_and(|rest| k.starts_with(&mine) || !rest.contains('|'))
        })
        .collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
