//! `/users/new?region=`: adds an enterprise user on a group and a plan, with bonus storage.
//! The region makes a temporary password, shown once and kept nowhere. The form's draft
//! (never a password: there is none) survives a reload; a create is sent once: after any
//! doubt the email is looked up before anything is said (`enterprise::users::outcome`).

use crate::components::copy_button::CopyButton;
use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::form::{Form, FormError};
use crate::components::submit::SubmitButton;
use crate::components::user_fields::{UserFields, USER_FIELDS};
use crate::links;
use crate::resource::Loaded;
use crate::state::people::use_catalog;
use crate::state::{drafts, use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::enterprise::account::GetQuota;
use partner_api::enterprise::users::{self, CreateUser, Created, GetUser, UserDraft};
use partner_api::RegionId;

#[component]
pub fn NewUserPage() -> impl IntoView {
    let query = use_query_map();
    let asked = query.with_untracked(|q| q.get("region").and_then(|r| RegionId::parse(&r).ok()));
    let chosen = RwSignal::new(asked);
    view! {
        <h1>"Add a user"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <NewUserForm region /> })}
    }
}

#[component]
fn NewUserForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let catalog = use_catalog(region.clone());
    let cat = Signal::derive(move || catalog.get().and_then(Result::ok).unwrap_or_default());
    // The draft is the signed-in login's, and goes at sign-out (`state::drafts`).
    let key = drafts::key(&use_session(), &region, "new-user");
    let draft = RwSignal::new(drafts::load::<UserDraft>(&key).unwrap_or_default());
    // Kept as typed, so a reload loses nothing.
    Effect::new({
        let key = key.clone();
        move |_| draft.with(|d| drafts::save(&key, d))
    });
    // A new draft starts on the first group, once the groups are known.
    Effect::new(move |_| {
        let first = cat.with(|c| c.groups.first().map(|g| g.group_id.to_string()));
        if let Some(first) = first {
            if draft.with_untracked(|d| d.group_id.is_empty()) {
                draft.update(|d| d.group_id = first);
            }
        }
    });
    let pool = {
        let (transport, region) = (transport.clone(), region.clone());
        Loaded::new(move || {
            let (transport, region) = (transport.clone(), region.clone());
            async move { transport.call(&region, &GetQuota).await }
        })
    };
    let form = Form::new(USER_FIELDS);
    let made = RwSignal::new(None::<Created>);
    let submit = {
        let (region, key) = (region.clone(), key.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let (transport, region, key) = (transport.clone(), region.clone(), key.clone());
            form.submit(
                move || {
                    draft
                        .with_untracked(UserDraft::new_user)
                        .map_err(crate::components::form::Refused::Fields)
                },
                move |new| async move {
                    let email = new.email.clone();
                    let answer = transport.call(&region, &CreateUser(new)).await;
                    let found = if users::must_look(&answer) {
                        Some(transport.call(&region, &GetUser(email)).await)
                    } else {
                        None
                    };
                    users::outcome(answer, found)
                },
                move |answer| {
                    let created = answer?;
                    drafts::discard(&key);
                    draft.set(UserDraft::default());
                    made.set(Some(created));
                    pool.refetch();
                    Ok(())
                },
            );
        }
    };
    let pool_line = move || {
        pool.get()
            .and_then(Result::ok)
            .map(|q| view! { <p class="pool" role="status">{q.pool_text()}</p> })
    };
    let shown = {
        let region = region.clone();
        move || made.get().map(|c| created_view(&region, c, made))
    };
    view! {
        {pool_line}
        <Show when=move || made.with(Option::is_none) fallback=shown>
            <form class="new-user" on:submit=submit.clone() novalidate>
                <UserFields prefix="new-user" draft form cat adding=true />
                <p class="hint">"The region makes a temporary password for the user, shown here once; the user can also be sent an activation email."</p>
                <FormError form />
                <div class="action-buttons">
                    <SubmitButton pending=form.pending label="Add user" busy="Adding…" />
                    <A href=links::USERS>"Cancel"</A>
                </div>
            </form>
        </Show>
    }
}

/// The new user, with its temporary password shown once.
fn created_view(region: &RegionId, c: Created, made: RwSignal<Option<Created>>) -> impl IntoView {
    let href = links::user(region, &c.username);
    let password = c.temp_password.map(|p| {
        let text = p.expose().to_owned();
        view! {
            <p>"Temporary password (shown once; the portal keeps it nowhere): "
                <code class="secret">{text.clone()}</code> " " <CopyButton text label="temporary password" />
            </p>
        }
    });
    let lost = password.is_none().then(|| view! {
        <p>"The region did not say a temporary password. Send the user the activation email from their page."</p>
    });
    view! {
        <div role="status" class="created">
            <p>"Added " <strong>{c.username.clone()}</strong> "."</p>
            {password}
            {lost}
        </div>
        <p class="action-buttons">
            <A href=href>"Open the user"</A>
            <button type="button" on:click=move |_| made.set(None)>"Add another user"</button>
        </p>
    }
}
