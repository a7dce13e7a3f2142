//! Form drafts, kept in this browser's localStorage until sent or discarded so that a reload
//! loses nothing. Callers never put passwords or card data in a draft.

use crate::browser::{storage, Store};
use serde::{de::DeserializeOwned, Serialize};

const PREFIX: &str = "partner-portal.draft.";

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
