//! `/shares/`: the partner's shares, a page at a time.

use super::{decode_json, json_get};
use crate::call::Call;
use crate::error::ApiError;
use crate::wire::request::{Request, Response};
use serde::{Deserialize, Deserializer, Serialize};

/// `GET /shares/?limit=&offset=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListShares {
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl Call for ListShares {
    type Output = Vec<Share>;
    fn request(&self) -> Request {
        let mut r = json_get("/shares/");
        r.query = [("limit", self.limit), ("offset", self.offset)]
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
            .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<Share>, ApiError> {
        decode_json(r, "a JSON list of shares")
    }
}

fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// One share in `GET /shares/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    #[serde(deserialize_with = "id_text")]
    pub share_id: String,
    #[serde(default, deserialize_with = "id_text")]
    pub room_key: String,
    #[serde(default)]
    pub name: String,
    /// The owner's username.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub enabled: bool,
}
