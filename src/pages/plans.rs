//! `/plans`: the region's plans, the storage each gives a user, how many users are on each,
//! and what the partner's pool has left.

use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::error_notice::ErrorNotice;
use crate::resource::Loaded;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::account::{GetQuota, Quota};
use partner_api::enterprise::plans::{quota_text, ListPlans, Plan};
use partner_api::enterprise::users::{CountUsers, UserQuery};
use partner_api::{ApiError, RegionId};

#[component]
pub fn PlansPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Plans"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <Plans region /> })}
    }
}

#[component]
fn Plans(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let loaded = Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move {
            let plans = transport.call(&region, &ListPlans).await?;
            let mut counted: Vec<(Plan, Option<u64>)> = Vec::new();
            for p in plans {
                let q = UserQuery {
                    plan_id: Some(p.plan_id),
                    ..UserQuery::default()
                };
                let n = transport.call(&region, &CountUsers(q)).await.ok();
                counted.push((p, n));
            }
            let pool = transport.call(&region, &GetQuota).await.ok();
            Ok::<_, ApiError>((counted, pool))
        }
    });
    move || {
        match loaded.get() {
        None => view! { <p role="status">"Loading plans…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| loaded.refetch() /> }.into_any(),
        Some(Ok((plans, pool))) => view! {
            {pool.map(pool_line)}
            <table class="users plans">
                <caption>{format!("{} plans", plans.len())}</caption>
                <thead><tr><th scope="col">"Plan"</th><th scope="col">"Storage per user"</th><th scope="col">"Users"</th></tr></thead>
                <tbody>{plans.into_iter().map(|(p, n)| view! {
                    <tr>
                        <th scope="row">{p.label()}</th>
                        <td>{quota_text(p.storage_bytes)}</td>
                        <td>{n.map_or_else(|| "?".to_owned(), |n| n.to_string())}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
    }
    }
}

fn pool_line(q: Quota) -> impl IntoView {
    view! { <p class="pool">{q.pool_text()}</p> }
}
