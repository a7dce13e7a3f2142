//! Which enterprise features the region has switched on for the partner.

use crate::components::error_notice::ErrorNotice;
use crate::resource::Loaded;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::account::{Features, GetFeatures};
use partner_api::RegionId;

#[component]
pub(super) fn FeaturesSection(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let features = Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move { transport.call(&region, &GetFeatures).await }
    });
    let body = move || match features.get() {
        None => view! { <p role="status">"Loading the features…"</p> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorNotice error=e retry=move |_| features.refetch() /> }.into_any()
        }
        Some(Ok(f)) => features_view(f).into_any(),
    };
    view! { <section aria-labelledby="features-title"><h2 id="features-title">"Features"</h2>{body}</section> }
}

fn features_view(f: Features) -> impl IntoView {
    let rows = [
        ("Key escrow server (NetKES)", f.netkes, "Your users' encryption keys are escrowed on your own server, so you can recover data for them."),
        ("LDAP", f.ldap, "Users come from your directory and sign in with their directory passwords."),
        ("Group permissions", f.group_permissions, "Access can be granted to groups of users at once."),
        ("Sign-up restrictions", f.signup_restrictions, "Sign-ups from chosen networks are sent to an administrator instead."),
        ("Email as user name", f.email_as_username, "Users are identified by their email address rather than a user name."),
    ];
    view! {
        <ul class="features">
            {rows.into_iter().map(|(name, on, what)| view! {
                <li>
                    <span class=if on { "mark partner" } else { "mark customer" }>{if on { "On" } else { "Off" }}</span>
                    " " <strong>{name}</strong> ": " {what}
                </li>
            }).collect_view()}
        </ul>
    }
}
