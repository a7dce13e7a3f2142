//! `/shares/`: the brand's shares, grouped by the user who owns them, a page of users at a
//! time; and enabling or disabling one user's share.
//!
//! The shape is the vendor's: `GET /shares/` answers a list of users, each with its own
//! `shares` list, and `limit`/`offset` page the users (SpiderOak's management console,
//! netkes `blue_mgnt` `shares` view and `shares.html`; `accounts_api.py`
//! `list_shares_for_brand`, `edit_share`).

use super::{decode_json, json_get, json_post, lenient_i64};
use crate::call::{expect_success, Call};
use crate::error::ApiError;
use crate::wire::request::{encode_component, Request, Response};
use serde::{Deserialize, Serialize};

/// `GET /shares/?limit=&offset=`: `limit` users from `offset`, with their shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListShares {
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl Call for ListShares {
    type Output = Vec<ShareOwner>;
    fn request(&self) -> Request {
        let mut r = json_get("/shares/");
        r.query = [("limit", self.limit), ("offset", self.offset)]
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
            .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<ShareOwner>, ApiError> {
        decode_json(r, "a JSON list of users with their shares")
    }
}

/// `POST /users/{user}/shares/{room_key}?action=enable|disable` with an empty object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetShareEnabled {
    /// The owner, by email or username (the console uses the email).
    pub user: String,
    pub room_key: String,
    pub enabled: bool,
}

impl Call for SetShareEnabled {
    type Output = ();
    fn request(&self) -> Request {
        let mut r = json_post(
            &format!(
                "/users/{}/shares/{}",
                encode_component(&self.user),
                encode_component(&self.room_key)
            ),
            "{}".into(),
        );
        let action = if self.enabled { "enable" } else { "disable" };
        r.query = vec![("action".into(), action.into())];
        // Setting the same state twice does no harm.
        r.idempotent = true;
        r
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// A user of the brand and the shares they own.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ShareOwner {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub shares: Vec<Share>,
}

impl ShareOwner {
    /// How the region addresses this user in `/users/{user}/...`: the email, else the
    /// username.
    pub fn key(&self) -> &str {
        if self.email.is_empty() {
            &self.username
        } else {
            &self.email
        }
    }
}

/// One share (a "ShareRoom") of a user.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Share {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub room_key: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Seconds since 1970, as the console reads it.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub creation_time: Option<i64>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub update_time: Option<i64>,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default)]
    pub password_required: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_come_grouped_by_their_owner() {
        let body = r#"[{"name": "Jo", "email": "jo@example.com", "username": "jo",
            "shares": [{"name": "Plans", "room_key": "r-1", "description": null,
                        "creation_time": 1700000000, "update_time": "1700000100",
                        "enabled": true, "password_required": false}]},
            {"name": "Ann", "username": "ann"}]"#;
        let r = Response {
            status: 200,
            headers: vec![],
            body: body.into(),
        };
        let owners = ListShares::default().decode(&r).unwrap();
        assert_eq!(owners.len(), 2);
        assert_eq!(owners[0].key(), "jo@example.com");
        assert_eq!(owners[0].shares[0].creation_time, Some(1_700_000_000));
        assert_eq!(owners[0].shares[0].update_time, Some(1_700_000_100));
        assert_eq!((owners[1].key(), owners[1].shares.len()), ("ann", 0));
    }

    #[test]
    fn a_share_is_switched_by_its_owner_and_room_key() {
        let call = SetShareEnabled {
            user: "jo@example.com".into(),
            room_key: "r/1".into(),
            enabled: false,
        };
        let r = call.request();
        assert_eq!(r.path, "/users/jo%40example.com/shares/r%2F1");
        assert_eq!(r.query, vec![("action".to_owned(), "disable".to_owned())]);
        assert_eq!(r.body.as_deref(), Some("{}"));
    }
}
