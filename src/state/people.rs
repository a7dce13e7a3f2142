//! What the enterprise people pages share: a region's plans and groups, loaded together
//! (every users, user, group and plan view names plans and groups by id), and how a plan or
//! a group is named.

use crate::resource::Loaded;
use crate::state::use_transport;
use partner_api::enterprise::groups::{Group, ListGroups};
use partner_api::enterprise::plans::{ListPlans, Plan};
use partner_api::{ApiError, RegionId};

/// A region's plans and groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    pub plans: Vec<Plan>,
    pub groups: Vec<Group>,
}

impl Catalog {
    pub fn plan(&self, id: Option<i64>) -> Option<&Plan> {
        self.plans.iter().find(|p| Some(p.plan_id) == id)
    }
    pub fn group(&self, id: Option<i64>) -> Option<&Group> {
        self.groups.iter().find(|g| Some(g.group_id) == id)
    }
    /// A plan's label, or its id when the region did not list it.
    pub fn plan_label(&self, id: Option<i64>) -> String {
        match (self.plan(id), id) {
            (Some(p), _) => p.label(),
            (None, Some(id)) => format!("Plan {id}"),
            (None, None) => "None".into(),
        }
    }
    pub fn group_name(&self, id: Option<i64>) -> String {
        match (self.group(id), id) {
            (Some(g), _) => g.name.clone(),
            (None, Some(id)) => format!("Group {id}"),
            (None, None) => "None".into(),
        }
    }
}

/// The region's plans and groups for the view that asks, loaded again on `refetch`.
pub fn use_catalog(region: RegionId) -> Loaded<Result<Catalog, ApiError>> {
    let transport = use_transport();
    Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move {
            let plans = transport.call(&region, &ListPlans).await?;
            let groups = transport.call(&region, &ListGroups::default()).await?;
            Ok(Catalog { plans, groups })
        }
    })
}
