//! A user's devices and shares; each share enabled or disabled in place.

use crate::components::error_notice::ErrorNotice;
use crate::components::form::{Form, FormError};
use crate::resource::Loaded;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::shares::SetShareEnabled;
use partner_api::enterprise::users::{ListDevices, ListUserShares};
use partner_api::RegionId;

use crate::components::format::unix_date_or_never as when;

#[component]
pub(super) fn Devices(region: RegionId, user: String) -> impl IntoView {
    let transport = use_transport();
    let devices = Loaded::new(move || {
        let (transport, region, user) = (transport.clone(), region.clone(), user.clone());
        async move { transport.call(&region, &ListDevices(user)).await }
    });
    let body = move || {
        match devices.get() {
        None => view! { <p role="status">"Loading devices…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| devices.refetch() /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p>"No devices: the user has not installed the backup client."</p> }.into_any(),
        Some(Ok(list)) => view! {
            <table class="users">
                <thead><tr><th scope="col">"Name"</th><th scope="col">"Added"</th><th scope="col">"Last sign-in"</th></tr></thead>
                <tbody>{list.into_iter().map(|d| view! {
                    <tr><th scope="row">{d.name}</th><td>{when(d.creation_time)}</td><td>{when(d.last_login)}</td></tr>
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
    }
    };
    view! {
        <section aria-labelledby="user-devices">
            <h2 id="user-devices">"Devices"</h2>
            {body}
        </section>
    }
}

#[component]
pub(super) fn Shares(region: RegionId, user: String, writes: bool) -> impl IntoView {
    let transport = use_transport();
    let shares = {
        let (transport, region, user) = (transport.clone(), region.clone(), user.clone());
        Loaded::new(move || {
            let (transport, region, user) = (transport.clone(), region.clone(), user.clone());
            async move { transport.call(&region, &ListUserShares(user)).await }
        })
    };
    let form = Form::new(&[]);
    let switch = Callback::new(move |(room_key, enabled): (String, bool)| {
        let (transport, region) = (transport.clone(), region.clone());
        let call = SetShareEnabled {
            user: user.clone(),
            room_key,
            enabled,
        };
        form.act(
            move || async move { transport.call(&region, &call).await },
            move |answer| {
                answer?;
                shares.refetch();
                Ok(())
            },
        );
    });
    let body = move || {
        match shares.get() {
        None => view! { <p role="status">"Loading shares…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| shares.refetch() /> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! { <p>"No shares."</p> }.into_any(),
        Some(Ok(list)) => view! {
            <table class="users">
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Created"</th><th scope="col">"Status"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>{list.into_iter().map(|s| {
                    let (room, enabled) = (s.room_key.clone(), s.enabled);
                    let action = if enabled { "Disable" } else { "Enable" };
                    let label = format!("{action} {}", s.name);
                    let button = writes.then(|| view! {
                        <button type="button" aria-label=label aria-disabled=move || form.pending.get().to_string()
                            on:click=move |_| switch.run((room.clone(), !enabled))>{action}</button>
                    });
                    view! {
                        <tr>
                            <th scope="row">{s.name.clone()}</th>
                            <td>{when(s.creation_time)}</td>
                            <td>{if enabled { "Enabled" } else { "Disabled" }}</td>
                            <td>{button}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
    }
    };
    view! {
        <section aria-labelledby="user-shares">
            <h2 id="user-shares">"Shares"</h2>
            <FormError form />
            {body}
        </section>
    }
}
