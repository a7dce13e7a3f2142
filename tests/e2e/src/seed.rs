//! What the tests expect, from where the sandbox gets it: the demo logins, their password and
//! the demo regions from the core's `partner_api::demo` (the list the sandbox seeds from), the
//! regions' names from `partner_api::ids`, and names and ids from the world the harness's own
//! sandbox was seeded with. A change in the seed changes the expectations with it.

use crate::Harness;
use partner_api::demo::{DEMO_LOGINS, DEMO_PASSWORD, DEMO_REGIONS};
use partner_api::AccountId;

/// The region the tests work in: the first with the demo tree.
pub const REGION: &str = DEMO_REGIONS[0];
/// A second region with the demo tree (other GUIDs, other names).
pub const OTHER_REGION: &str = DEMO_REGIONS[1];
/// A third region with the demo tree.
pub const THIRD_REGION: &str = DEMO_REGIONS[2];

/// The distributor: the top of the demo tree.
pub const DISTRIBUTOR: &str = DEMO_LOGINS[0].login;
/// The partner under the distributor (the MSP and some customers are below it).
pub const PARTNER: &str = DEMO_LOGINS[1].login;
/// The MSP partner under the partner, with three customers.
pub const MSP: &str = DEMO_LOGINS[2].login;
/// The read-only login on the partner's account.
pub const READONLY: &str = DEMO_LOGINS[3].login;
/// Every demo login's password.
pub const PASSWORD: &str = DEMO_PASSWORD;

/// A region's name as the portal shows it (`Denmark (Copenhagen)` for `dk-co`).
pub fn region_name(region: &str) -> &'static str {
    partner_api::ids::PUBLIC_REGIONS
        .iter()
        .find(|(id, _, _)| *id == region)
        .map(|(_, name, _)| *name)
        .unwrap_or_else(|| panic!("no public region {region}"))
}

impl Harness {
    /// The account `login` signs in to in `region`.
    pub async fn id_of(&self, region: &str, login: &str) -> AccountId {
        let w = self.state.read().await;
        w.region(region)
            .and_then(|r| r.account_of(login))
            .unwrap_or_else(|| panic!("no {login} in {region}"))
            .id
            .clone()
    }

    /// The company name of account `id` in `region`, as seeded (or as changed since).
    pub async fn company(&self, region: &str, id: &AccountId) -> String {
        let w = self.state.read().await;
        w.region(region)
            .and_then(|r| r.accounts.get(id))
            .and_then(|a| a.company())
            .unwrap_or_else(|| panic!("no company for {id} in {region}"))
            .to_owned()
    }

    /// The company name of the account `login` signs in to in `region`.
    pub async fn company_of(&self, region: &str, login: &str) -> String {
        let id = self.id_of(region, login).await;
        self.company(region, &id).await
    }

    /// The direct children of account `id` in `region`, in the seed's order.
    pub async fn children_of(&self, region: &str, id: &AccountId) -> Vec<AccountId> {
        let w = self.state.read().await;
        w.region(region)
            .and_then(|r| r.accounts.get(id))
            .unwrap_or_else(|| panic!("no {id} in {region}"))
            .children
            .clone()
    }

    /// The enterprise users of the partner `login` signs in as in `region`, in the seed's
    /// order (or as changed since).
    pub async fn users_of(
        &self,
        region: &str,
        login: &str,
    ) -> Vec<partner_api::enterprise::users::User> {
        let id = self.id_of(region, login).await;
        let w = self.state.read().await;
        w.regions[region].enterprise[&id]
            .people
            .users
            .iter()
            .map(|p| p.user.clone())
            .collect()
    }

    /// The enterprise data of the partner `login` signs in as, as it is now.
    pub async fn enterprise_of(
        &self,
        region: &str,
        login: &str,
    ) -> partner_sandbox::world::Enterprise {
        let id = self.id_of(region, login).await;
        self.state.read().await.regions[region].enterprise[&id].clone()
    }
}

/// The path of an enterprise user's page, as the portal's links build it.
pub fn user_path(region: &str, user: &str) -> String {
    format!(
        "/users/{region}/{}",
        partner_api::wire::request::encode_component(user)
    )
}
