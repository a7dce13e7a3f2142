//! What the Enterprise pages share: the links between them and the region picker (a
//! partner signed in to several regions chooses which region's Enterprise API to work on).

use crate::links;
use crate::resource::Loaded;
use crate::state::{use_config, use_session, use_transport};
use leptos::prelude::*;
use leptos_router::components::A;
use partner_api::config::Page;
use partner_api::enterprise::account::GetInfo;
use partner_api::{Family, RegionId};

/// Links between the Enterprise pages this deployment shows.
#[component]
pub fn EnterpriseNav() -> impl IntoView {
    let config = use_config();
    let links = [
        (Page::Users, links::USERS, "Users"),
        (Page::Groups, links::GROUPS, "Groups"),
        (Page::Plans, links::PLANS, "Plans"),
        (Page::Settings, links::SETTINGS, "Settings"),
        (Page::Shares, links::SHARES, "Shares"),
        (Page::Revisions, links::REVISIONS, "Client revisions"),
    ]
    .into_iter()
    .filter(|(page, _, _)| config.shows(*page))
    .map(|(_, href, text)| view! { <li><A href=href>{text}</A></li> })
    .collect_view();
    view! { <nav aria-label="Enterprise pages" class="subnav"><ul>{links}</ul></nav> }
}

/// The region picker shared by the Enterprise pages; `None` when no signed-in region offers
/// the Enterprise API.
#[component]
pub fn EnterpriseRegion(chosen: RwSignal<Option<RegionId>>) -> impl IntoView {
    let session = use_session();
    let transport = use_transport();
    let config = use_config();
    move || {
        let list: Vec<RegionId> = session
            .signed_in()
            .into_iter()
            .map(|(r, _, _)| r)
            .filter(|r| transport.offers(r, Family::Enterprise))
            .collect();
        if list.is_empty() {
            chosen.set(None);
            return view! {
                <p>"Sign in to a region that offers the Enterprise API. Regions without it in this portal's configuration have no enterprise pages."</p>
            }
            .into_any();
        }
        let current = chosen
            .get_untracked()
            .filter(|c| list.contains(c))
            .unwrap_or_else(|| list[0].clone());
        if chosen.get_untracked().as_ref() != Some(&current) {
            chosen.set(Some(current.clone()));
        }
        let options = list
            .iter()
            .map(|r| {
                let name = config
                    .region(r)
                    .map_or_else(|| r.to_string(), |c| c.name.clone());
                let selected = r == &current;
                view! { <option value=r.to_string() selected=selected>{name}</option> }
            })
            .collect_view();
        let config = config.clone();
        view! {
            <div class="field">
                <label for="enterprise-region">"Region"</label>
                <select id="enterprise-region" on:change=move |ev| chosen.set(RegionId::parse(&event_target_value(&ev)).ok())>{options}</select>
            </div>
            {move || chosen.get().map(|region| {
                let refused = session.credentials(&region).and_then(|c| c.enterprise) == Some(false);
                if refused {
                    let name = config.region(&region).map_or_else(|| region.to_string(), |c| c.name.clone());
                    view! {
                        <p class="notice" role="status">
                            "The Enterprise API of " {name} " did not accept this login when you signed in "
                            "(a customer's login, or one it does not know): the enterprise pages will not work for it here."
                        </p>
                    }
                    .into_any()
                } else {
                    view! { <PartnerInfoLine region /> }.into_any()
                }
            })}
        }
        .into_any()
    }
}

/// Who the region's Enterprise API knows the partner as (`GET /partner/info`).
#[component]
fn PartnerInfoLine(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let info = Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move { transport.call(&region, &GetInfo).await }
    });
    // Said when known; a region without the call leaves the page as it was.
    move || {
        info.get().and_then(Result::ok).map(|i| {
            let brand = (!i.brand_identifier.is_empty())
                .then(|| format!(" (brand {})", i.brand_identifier));
            view! { <p class="enterprise-info">"Enterprise account: " <strong>{i.company_name}</strong> {brand}</p> }
        })
    }
}
