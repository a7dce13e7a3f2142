//! `/clientrevisions/`: how many devices run each client revision.

use super::{decode_json, json_get};
use crate::call::Call;
use crate::error::ApiError;
use crate::wire::request::{Request, Response};
use serde::{Deserialize, Serialize};

/// `GET /clientrevisions/`: devices per client revision. `None` leaves a filter at its default
/// (min 0, max and days unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListClientRevisions {
    pub min_revision: Option<i64>,
    pub max_revision: Option<i64>,
    pub max_days_since_login: Option<i64>,
}

impl Call for ListClientRevisions {
    type Output = Vec<ClientRevision>;
    fn request(&self) -> Request {
        let mut r = json_get("/clientrevisions/");
        r.query = [
            ("min_revision", self.min_revision),
            ("max_revision", self.max_revision),
            ("max_days_since_login", self.max_days_since_login),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
        .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<ClientRevision>, ApiError> {
        decode_json(r, "a JSON list of client revisions")
    }
}

/// One row of `GET /clientrevisions/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRevision {
    pub revision: i64,
    #[serde(default)]
    pub count: u64,
}
