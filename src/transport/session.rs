//! The per-region session: who the partner is signed in as, in each region.
//!
//! Credentials live in memory and in this tab's `sessionStorage` only (so a reload keeps the
//! partner signed in, closing the tab forgets them); signing out drops them from both. The
//! transport owns the session: it signs calls with it and ends a region's session on a 401.

use crate::browser::{storage, Store};
use leptos::prelude::*;
use partner_api::config::PortalConfig;
use partner_api::{AccountId, RegionId, Role};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The sessionStorage key holding the signed-in regions.
pub const SESSION_KEY: &str = "partner-portal.session";

/// What the portal holds for one signed-in region.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub login: String,
    pub password: String,
    /// The account that owns the credentials (from `GET /users/`).
    pub account: Option<AccountId>,
    /// The signed-in user's role, which decides what the portal offers.
    #[serde(default)]
    pub role: Option<Role>,
    /// Whether the region's Enterprise API took these credentials at sign-in (`GET /ping`):
    /// `None` when the region offers no Enterprise API here, or the check had no answer.
    #[serde(default)]
    pub enterprise: Option<bool>,
}

impl Credentials {
    /// Whether `other` signs calls the same way (the same login and password).
    pub fn same_secret(&self, other: &Credentials) -> bool {
        self.login == other.login && self.password == other.password
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password, not even in a debug log.
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .field("account", &self.account)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}

/// The signed-in regions. `Copy`, reactive: views that read it update on sign-in and out.
#[derive(Clone, Copy)]
pub struct Session {
    regions: RwSignal<BTreeMap<RegionId, Credentials>>,
    /// A region whose credentials stopped working mid-session (a 401), until the layout
    /// has sent the partner to its sign-in.
    expired: RwSignal<Option<RegionId>>,
}

impl Session {
    /// Restores what this tab had (after a reload), dropping regions the configuration no
    /// longer offers.
    pub fn restore(config: &PortalConfig) -> Self {
        let mut regions: BTreeMap<RegionId, Credentials> = storage(Store::Session)
            .and_then(|s| s.get_item(SESSION_KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        regions.retain(|id, _| config.region(id).is_some());
        Session {
            regions: RwSignal::new(regions),
            expired: RwSignal::new(None),
        }
    }

    /// An empty session that is not persisted (for tests).
    pub fn empty() -> Self {
        Session {
            regions: RwSignal::new(BTreeMap::new()),
            expired: RwSignal::new(None),
        }
    }

    pub fn credentials(&self, region: &RegionId) -> Option<Credentials> {
        self.regions.with_untracked(|r| r.get(region).cloned())
    }

    /// Signed-in regions with login and own account; tracked.
    pub fn signed_in(&self) -> Vec<(RegionId, String, Option<AccountId>)> {
        self.regions.with(|r| {
            r.iter()
                .map(|(id, c)| (id.clone(), c.login.clone(), c.account.clone()))
                .collect()
        })
    }

    /// Signed-in regions with login and own account, untracked.
    pub fn signed_in_untracked(&self) -> Vec<(RegionId, String, Option<AccountId>)> {
        self.regions.with_untracked(|r| {
            r.iter()
                .map(|(id, c)| (id.clone(), c.login.clone(), c.account.clone()))
                .collect()
        })
    }

    /// The signed-in user's role in `region`; tracked.
    pub fn role(&self, region: &RegionId) -> Option<Role> {
        self.regions
            .with(|r| r.get(region).and_then(|c| c.role.clone()))
    }

    /// Whether the partner is signed in to `region`; tracked.
    pub fn is_signed_in(&self, region: &RegionId) -> bool {
        self.regions.with(|r| r.contains_key(region))
    }

    pub fn sign_in(&self, region: RegionId, credentials: Credentials) {
        self.regions.update(|r| {
            r.insert(region, credentials);
        });
        self.persist();
    }

    pub fn sign_out(&self, region: &RegionId) {
        self.regions.update(|r| {
            r.remove(region);
        });
        self.persist();
    }

    /// The region refused `refused`: when they are the credentials held now, forget them and
    /// say so. A 401 to credentials no longer held (an answer to a call sent before a password
    /// change or a new sign-in) ends nothing.
    pub fn expire_if_held(&self, region: &RegionId, refused: &Credentials) {
        if self
            .credentials(region)
            .is_some_and(|held| held.same_secret(refused))
        {
            self.sign_out(region);
            self.expired.set(Some(region.clone()));
        }
    }

    /// Takes the region whose session ended, if any; tracked.
    pub fn take_expired(&self) -> Option<RegionId> {
        let r = self.expired.get()?;
        self.expired.set(None);
        Some(r)
    }

    pub fn sign_out_all(&self) {
        self.regions.set(BTreeMap::new());
        self.persist();
    }

    fn persist(&self) {
        let Some(storage) = storage(Store::Session) else {
            return;
        };
        let regions = self.regions.get_untracked();
        if regions.is_empty() {
            let _ = storage.remove_item(SESSION_KEY);
        } else if let Ok(text) = serde_json::to_string(&regions) {
            let _ = storage.set_item(SESSION_KEY, &text);
        }
    }
}
