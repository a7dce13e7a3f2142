//! `/settings`: the Enterprise API of a region for the signed-in partner: quota, features,
//! enterprise settings and the API password, each a section of its own. Shares and client
//! revisions have their own pages (`/shares`, `/revisions`).

mod enterprise_settings;
mod features;
mod password;
mod quota;

use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use leptos::prelude::*;
use partner_api::RegionId;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Settings"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! {
            <quota::QuotaSection region=region.clone() />
            <features::FeaturesSection region=region.clone() />
            <enterprise_settings::SettingsForm region=region.clone() />
            <password::PasswordForm region=region.clone() />
        })}
    }
}
