//! `/plans`: the storage plans a partner may put users and groups on.
//!
//! The vendor documents `GET /plans` answering `[{plan_id, storage_bytes}]` (SpiderOak's
//! "Group / Plan Manipulation"); its console labels a plan by its size in GB.

use super::{decode_json, json_get, lenient_u64};
use crate::call::Call;
use crate::error::ApiError;
use crate::wire::request::{Request, Response};
use serde::{Deserialize, Serialize};

/// A quota at or above this many bytes is shown as unlimited, as the vendor's console does.
pub const UNLIMITED_BYTES: u64 = 1_000_000_001_000_000_000;

/// `GET /plans`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListPlans;

impl Call for ListPlans {
    type Output = Vec<Plan>;
    fn request(&self) -> Request {
        json_get("/plans")
    }
    fn decode(&self, r: &Response) -> Result<Vec<Plan>, ApiError> {
        decode_json(r, "a JSON list of plans")
    }
}

/// One plan.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Plan {
    pub plan_id: i64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub storage_bytes: u64,
    /// Not documented; shown when a region sends it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl Plan {
    /// How a partner knows the plan: its name, else its size ("100.0 GB", "Unlimited").
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) if !n.trim().is_empty() => n.clone(),
            _ => quota_text(self.storage_bytes),
        }
    }
}

/// A quota in words: its size, or "Unlimited".
pub fn quota_text(bytes: u64) -> String {
    if bytes >= UNLIMITED_BYTES {
        "Unlimited".into()
    } else {
        crate::units::bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_read_as_documented_and_say_their_size() {
        let r = Response {
            status: 200,
            headers: vec![],
            body: r#"[{"plan_id": 1, "storage_bytes": 100000000000},
                      {"plan_id": 2, "storage_bytes": "1000000001000000000", "name": null}]"#
                .into(),
        };
        let plans = ListPlans.decode(&r).unwrap();
        assert_eq!(plans[0].label(), "100.0 GB");
        assert_eq!(plans[1].label(), "Unlimited");
        assert_eq!(ListPlans.request().path, "/plans");
    }
}
