//! `/shares`: the brand's shares, by the user who owns them, a page of users at a time
//! (`limit`/`offset` page the users, as the region does), each share enabled or disabled
//! in place.

use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::error_notice::ErrorNotice;
use crate::components::form::{Form, FormError};
use crate::components::format::unix_date_time;
use crate::resource::Loaded;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::shares::{ListShares, SetShareEnabled, Share, ShareOwner};
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

/// A share's creation time as a date in the partner's locale.
fn created(share: &Share) -> String {
    share.creation_time.map(unix_date_time).unwrap_or_default()
}

#[component]
fn SharesTable(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let size = RwSignal::new(25u32);
    let offset = RwSignal::new(0u32);
    let page = {
        let (transport, region) = (transport.clone(), region.clone());
        Loaded::new(move || {
            let (transport, region) = (transport.clone(), region.clone());
            let (limit, offset) = (size.get(), offset.get());
            async move {
                let call = ListShares {
                    limit: Some(limit),
                    offset: Some(offset),
                };
                transport.call(&region, &call).await
            }
        })
    };
    let form = Form::new(&[]);
    let switch = Callback::new(move |(user, room_key, enabled): (String, String, bool)| {
        let (transport, region) = (transport.clone(), region.clone());
        let call = SetShareEnabled {
            user,
            room_key,
            enabled,
        };
        form.act(
            move || async move { transport.call(&region, &call).await },
            move |answer| {
                answer?;
                page.refetch();
                Ok(())
            },
        );
    });
    let body = move || match page.get() {
        None => view! { <p role="status">"Loading shares…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| page.refetch() /> }.into_any(),
        Some(Ok(owners)) => {
            let (from, n) = (offset.get_untracked(), owners.len() as u32);
            let full = n == size.get_untracked();
            let count: usize = owners.iter().map(|o| o.shares.len()).sum();
            let caption = if n == 0 {
                "No users with shares on this page.".to_owned()
            } else {
                format!("Users {} to {}: {count} shares", from + 1, from + n)
            };
            let rows = owners
                .iter()
                .flat_map(|o| o.shares.iter().map(move |s| share_row(o, s, form, switch)))
                .collect_view();
            view! {
                <table class="users shares">
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Owner"</th><th scope="col">"Created"</th>
                        <th scope="col">"Password"</th><th scope="col">"Status"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
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
            <label for="page-size">"Users per page"</label>
            <select id="page-size" on:change=move |ev| { size.set(event_target_value(&ev).parse().unwrap_or(25)); offset.set(0); }>
                {[10u32, 25, 50, 100].into_iter().map(|n| view! { <option value=n.to_string() selected=n == 25>{n}</option> }).collect_view()}
            </select>
        </div>
        <FormError form />
        {body}
    }
}

/// One share with its owner, and the button that switches it.
fn share_row(
    owner: &ShareOwner,
    share: &Share,
    form: Form,
    switch: Callback<(String, String, bool)>,
) -> impl IntoView {
    let who = if owner.name.is_empty() {
        owner.key().to_owned()
    } else {
        format!("{} ({})", owner.name, owner.key())
    };
    let (user, room, enabled) = (
        owner.key().to_owned(),
        share.room_key.clone(),
        share.enabled,
    );
    let action = if enabled { "Disable" } else { "Enable" };
    let label = format!("{action} {}", share.name);
    view! {
        <tr>
            <th scope="row">{share.name.clone()} " " <code class="room-key">{share.room_key.clone()}</code></th>
            <td>{who}</td>
            <td>{created(share)}</td>
            <td>{if share.password_required { "Required" } else { "None" }}</td>
            <td>{if enabled { "Enabled" } else { "Disabled" }}</td>
            <td>
                <button type="button" aria-label=label aria-disabled=move || form.pending.get().to_string()
                    on:click=move |_| switch.run((user.clone(), room.clone(), !enabled))>
                    {action}
                </button>
            </td>
        </tr>
    }
}
