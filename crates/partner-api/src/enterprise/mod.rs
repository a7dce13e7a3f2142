//! The Enterprise API (JSON), one module per area: [`billing`], [`account`] (the credential
//! check, the API password, quota, features and settings), [`users`] (the people who back
//! up, their devices and shares), [`groups`], [`plans`], [`shares`] (the brand's shares) and
//! [`revisions`] (client revisions). Each area holds its calls, its documents and its tests.
//!
//! Decoding is tolerant: unknown fields are ignored, missing ones take defaults.

pub mod account;
pub mod billing;
pub mod groups;
pub mod plans;
pub mod revisions;
pub mod shares;
pub mod users;

use crate::call::{decode_with, write};
use crate::error::ApiError;
use crate::wire::request::{Family, Method, Request, Response};
use crate::wire::DecodeError;
use serde::{Deserialize, Deserializer, Serialize};

const JSON: &str = "application/json";

fn json_get(path: &str) -> Request {
    Request::get(Family::Enterprise, path.into()).header("Accept", JSON)
}

fn json_post(path: &str, body: String) -> Request {
    let mut r = write(
        Family::Enterprise,
        Method::Post,
        path.into(),
        JSON,
        body,
        false,
    );
    r.headers.push(("Accept", JSON.to_owned()));
    r
}

fn json_delete(path: &str) -> Request {
    Request {
        method: Method::Delete,
        idempotent: false,
        ..json_get(path)
    }
}

/// A number the region may send as a number or as text; anything else is no number.
fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A count of bytes sent as a number or as text; anything else (null, negative) is 0.
fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64().unwrap_or(0),
        serde_json::Value::String(s) => s.trim().parse().unwrap_or(0),
        _ => 0,
    })
}

fn decode_json<T: serde::de::DeserializeOwned>(
    r: &Response,
    expected: &'static str,
) -> Result<T, ApiError> {
    decode_with(r, |body| {
        serde_json::from_str(body).map_err(|e| DecodeError {
            expected,
            detail: e.to_string(),
        })
    })
}

/// `{"reason": "...", "conflicts": [...]}`: a 400's body, naming the fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub conflicts: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::account::{Features, Quota};
    use super::shares::Share;

    #[test]
    fn tolerant_reads() {
        let q: Quota =
            serde_json::from_str(r#"{"bytes_available": null, "bytes_used": 5, "extra": 1}"#)
                .unwrap();
        assert_eq!(q.available(), None);
        assert_eq!(q.bytes_used, 5);
        let s: Share = serde_json::from_str(
            r#"{"room_key": "r", "name": "n", "creation_time": "17", "enabled": true, "x": []}"#,
        )
        .unwrap();
        assert_eq!((s.creation_time, s.enabled), (Some(17), true));
        let f: Features = serde_json::from_str(r#"{"ldap": true}"#).unwrap();
        assert!(f.ldap && !f.netkes);
    }
}
