//! `/shares`: every share in the partner's brand, a page at a time (`limit`/`offset`), with
//! the next page offered while a page comes back full.

use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::error_notice::ErrorNotice;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::shares::ListShares;
use partner_api::RegionId;

#[component]
pub fn SharesPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Shares"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <SharesTable region /> })}
    }
}

#[component]
fn SharesTable(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let size = RwSignal::new(50u32);
    let offset = RwSignal::new(0u32);
    let page = crate::resource::Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        let (limit, offset) = (size.get(), offset.get());
        async move {
            transport
                .call(
                    &region,
                    &ListShares {
                        limit: Some(limit),
                        offset: Some(offset),
                    },
                )
                .await
        }
    });
    let body = move || match page.get() {
        None => view! { <p role="status">"Loading shares…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| page.refetch() /> }.into_any(),
        Some(Ok(list)) => {
            let (from, n) = (offset.get_untracked(), list.len() as u32);
            let full = n == size.get_untracked();
            let rows = list
                .into_iter()
                .map(|s| {
                    view! {
                        <tr>
                            <th scope="row">{s.name}</th>
                            <td>{s.owner}</td>
                            <td><code>{s.share_id}</code></td>
                            <td><code>{s.room_key}</code></td>
                            <td>{if s.enabled { "Enabled" } else { "Disabled" }}</td>
                        </tr>
                    }
                })
                .collect_view();
            let caption = if n == 0 {
                "No shares on this page.".to_owned()
            } else {
                format!("Shares {} to {}", from + 1, from + n)
            };
            view! {
                <table class="users shares">
                    <caption>{caption}</caption>
                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Owner"</th><th scope="col">"Share id"</th><th scope="col">"Room key"</th><th scope="col">"Status"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <div class="action-buttons pager">
                    <button type="button" disabled=from == 0 on:click=move |_| offset.update(|o| *o = o.saturating_sub(size.get_untracked()))>"Previous page"</button>
                    <button type="button" disabled=!full on:click=move |_| offset.update(|o| *o += size.get_untracked())>"Next page"</button>
                </div>
            }
            .into_any()
        }
    };
    view! {
        <div class="field">
            <label for="page-size">"Shares per page"</label>
            <select id="page-size" on:change=move |ev| { size.set(event_target_value(&ev).parse().unwrap_or(50)); offset.set(0); }>
                {[25u32, 50, 100, 250].into_iter().map(|n| view! { <option value=n.to_string() selected=n == 50>{n}</option> }).collect_view()}
            </select>
        </div>
        {body}
    }
}
