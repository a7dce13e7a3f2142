//! Which dialect the sandbox speaks where the vendors' documents leave room. The default is
//! the documented dialect: what Keepit's pages document, and where they are silent the
//! sandbox's choice (each listed in `docs/partner-api.md`). Every field is a behaviour a real
//! region may show the other way; the e2e tests switch them to check that the portal works
//! either way. [`Dialect::inventions`] is what this sandbox did before issue 13 (behaviours no
//! vendor document states), for checking that the portal no longer depends on them.

use serde::{Deserialize, Serialize};

/// The sandbox's choices where a real region may differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialect {
    /// `GET /users/{id}` of the caller's own account names its `parent`, as the documented
    /// settings do for every account. Off: omitted, so nothing above the caller is named.
    pub own_parent: bool,
    /// `external_id` in `GET /users/{id}` (not among the documented settings).
    pub settings_external_id: bool,
    /// A create that reuses an `external_id` under the same parent is a 409 naming it. Off (no
    /// document says a region checks): a second account is made, as a region that does not
    /// check would.
    pub external_id_conflict: bool,
    /// The shortest password a person's login or the Enterprise API password may have. The
    /// core checks 8 before sending; a longer rule here is refused with a sentence that names
    /// no field, as a region with its own rule would.
    pub password_min: usize,
    /// Enterprise writes answer `{"status": "…"}` (and `{}` for a share). Off: an empty 200,
    /// which the vendor's own client reads (netkes `api_client.post_json`: no body, no JSON).
    pub status_bodies: bool,
    /// The status the Enterprise API answers a customer account's login: 403, or 401 as a
    /// region whose Enterprise API does not know the login would.
    pub customer_enterprise_status: u16,
}

impl Default for Dialect {
    /// The documented dialect.
    fn default() -> Self {
        Dialect {
            own_parent: true,
            settings_external_id: false,
            external_id_conflict: false,
            password_min: partner_api::validate::MIN_PASSWORD_LENGTH,
            status_bodies: false,
            customer_enterprise_status: 403,
        }
    }
}

impl Dialect {
    /// What the sandbox did before it spoke the documented dialect: the caller's own parent
    /// hidden, `external_id` in the settings and a 409 for a reused one, `{"status"}` bodies.
    pub fn inventions() -> Self {
        Dialect {
            own_parent: false,
            settings_external_id: true,
            external_id_conflict: true,
            status_bodies: true,
            ..Dialect::default()
        }
    }
}

impl std::str::FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "documented" => Ok(Dialect::default()),
            "inventions" => Ok(Dialect::inventions()),
            other => Err(format!(
                "unknown dialect “{other}”: documented or inventions"
            )),
        }
    }
}
