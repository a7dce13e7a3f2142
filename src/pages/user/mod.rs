//! `/users/{region}/{user}`: one enterprise user: storage used against quota, group, plan,
//! bonus, status, last sign-in; the form that edits them (a move to another group is a
//! change of group); the activation email again; delete, the username typed to confirm;
//! and the user's devices and shares ([`items`]).

mod items;

use crate::components::error_notice::ErrorNotice;
use crate::components::field::{Switch, TextField};
use crate::components::form::{Form, FormDone, FormError, Refused};
use crate::components::format::{human_bytes, unix_date_or_never};
use crate::components::submit::SubmitButton;
use crate::components::user_fields::{UserFields, USER_FIELDS};
use crate::links;
use crate::resource::Loaded;
use crate::state::people::{use_catalog, Catalog};
use crate::state::{use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use partner_api::enterprise::plans::quota_text;
use partner_api::enterprise::users::{
    DeleteUser, EditUser, GetUser, SendActivationEmail, User, UserDraft,
};
use partner_api::{ApiError, RegionId};

#[component]
pub fn UserPage() -> impl IntoView {
    let params = use_params_map();
    let route = Memo::new(move |_| {
        params.with(|p| {
            let region = RegionId::parse(&p.get("region")?).ok()?;
            Some((region, p.get("user")?))
        })
    });
    move || {
        match route.get() {
        Some((region, user)) => view! { <UserView region user /> }.into_any(),
        None => view! { <h1>"No such user"</h1><p>"This address names no user." " "<A href=links::USERS>"Go to the users"</A></p> }.into_any(),
    }
    }
}

#[component]
fn UserView(region: RegionId, user: String) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let catalog = use_catalog(region.clone());
    let cat = Signal::derive(move || catalog.get().and_then(Result::ok).unwrap_or_default());
    let writes = session
        .credentials(&region)
        .and_then(|c| c.role)
        .is_some_and(|r| !r.is_read_only());
    let loaded = {
        let (transport, region, user) = (transport.clone(), region.clone(), user.clone());
        Loaded::new(move || {
            let (transport, region, user) = (transport.clone(), region.clone(), user.clone());
            async move { transport.call(&region, &GetUser(user)).await }
        })
    };
    // What the last save did: outside the view that reloads, so it stays said.
    let saved = RwSignal::new(String::new());
    let view = move || match loaded.get() {
        None => view! { <h1>"User"</h1><p role="status">"Loading the user…"</p> }.into_any(),
        Some(Err(e)) => view! {
            <h1>"User"</h1>
            <ErrorNotice error=e retry=move |_| loaded.refetch() />
            <p><A href=links::USERS>"Back to the users"</A></p>
        }
        .into_any(),
        Some(Ok(u)) => {
            let region = region.clone();
            let key = u.key().to_owned();
            let title = if u.name.is_empty() {
                key.clone()
            } else {
                u.name.clone()
            };
            let edit = writes.then(
                || view! { <EditForm region=region.clone() user=u.clone() cat loaded saved /> },
            );
            let actions =
                writes.then(|| view! { <Actions region=region.clone() user=u.clone() /> });
            view! {
                <nav aria-label="Breadcrumbs" class="breadcrumbs"><A href=links::USERS>"Users"</A> " › " {title.clone()}</nav>
                <h1>{title}</h1>
                <Summary user=u.clone() cat />
                {edit}
                <items::Devices region=region.clone() user=key.clone() />
                <items::Shares region=region.clone() user=key writes />
                {actions}
            }
            .into_any()
        }
    };
    view! { {view} }
}

/// Storage used against quota as a bar, and the rest as a list.
#[component]
fn Summary(user: User, cat: Signal<Catalog>) -> impl IntoView {
    let u = user;
    let (group, plan) = (u.group_id, u.plan_id);
    let used = format!(
        "{} stored of {}",
        human_bytes(u.bytes_stored),
        quota_text(u.storage_bytes)
    );
    let bar = u.used_permille().map(|p| {
        let over = u.bytes_stored > u.storage_bytes;
        view! {
            <meter min="0" max="1000" high="900" optimum="0" value=p.to_string() aria-label="Storage used against quota"></meter>
            {over.then(|| view! { <p class="notice">"This user stores more than its quota."</p> })}
        }
    });
    let when = unix_date_or_never;
    view! {
        <section aria-labelledby="user-storage">
            <h2 id="user-storage">"Storage"</h2>
            <div class="quota-bar">{bar}<span>{used}</span></div>
        </section>
        <dl class="summary">
            <dt>"Email"</dt><dd>{u.email.clone()}</dd>
            <dt>"Username"</dt><dd>{u.username.clone()}</dd>
            <dt>"Group"</dt><dd>{move || cat.with(|c| c.group_name(group))}</dd>
            <dt>"Plan"</dt><dd>{move || cat.with(|c| c.plan_label(plan))}</dd>
            <dt>"Bonus storage"</dt><dd>{human_bytes(u.bonus_bytes)}</dd>
            <dt>"Status"</dt><dd>{if u.enabled { "Enabled" } else { "Disabled" }}</dd>
            <dt>"Added"</dt><dd>{when(u.creation_time)}</dd>
            <dt>"Last sign-in"</dt><dd>{when(u.last_login)}</dd>
        </dl>
    }
}

/// Edits name, email, group, plan, bonus and status; only what changed is sent.
#[component]
fn EditForm(
    region: RegionId,
    user: User,
    cat: Signal<Catalog>,
    loaded: Loaded<Result<User, ApiError>>,
    saved: RwSignal<String>,
) -> impl IntoView {
    let transport = use_transport();
    let navigate = use_navigate();
    let draft = RwSignal::new(UserDraft::of(&user));
    let enabled = Signal::derive(move || draft.with(|d| d.enabled));
    let form = Form::new(USER_FIELDS);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(String::new());
        let (transport, region, user, navigate) = (
            transport.clone(),
            region.clone(),
            user.clone(),
            navigate.clone(),
        );
        let to = region.clone();
        let key = user.key().to_owned();
        form.submit(
            || {
                draft
                    .with_untracked(|d| d.edit_of(&user))
                    .map_err(Refused::Fields)
            },
            move |edit| async move {
                let moved = edit.email.clone();
                if !edit.is_empty() {
                    let call = EditUser { user: key, edit };
                    transport.call(&to, &call).await?;
                }
                Ok(moved)
            },
            move |answer| {
                match answer? {
                    // The user is addressed by its email: a new one is a new address.
                    Some(email) => navigate(&links::user(&region, &email), Default::default()),
                    None => {
                        saved.set("Saved.".into());
                        loaded.refetch();
                    }
                }
                Ok(())
            },
        );
    };
    let on = crate::components::field::Bind::new(
        move || enabled.get(),
        move |v| draft.update(|d| d.enabled = v),
    );
    view! {
        <section aria-labelledby="user-edit">
            <h2 id="user-edit">"Details"</h2>
            <form class="edit-user" on:submit=submit novalidate>
                <UserFields prefix="user" draft form cat />
                <Switch id="user-enabled" label="Enabled: the user can sign in and back up" on />
                <FormError form />
                <div class="action-buttons">
                    <SubmitButton pending=form.pending label="Save" busy="Saving…" />
                </div>
                // Kept by the page, so it is still said once the user is read again.
                <p id="user-saved" role="status" class="action-done">{move || saved.get()}</p>
            </form>
        </section>
    }
}

/// The activation email again, and deleting the user with its username typed.
#[component]
fn Actions(region: RegionId, user: User) -> impl IntoView {
    let transport = use_transport();
    let navigate = use_navigate();
    let mail = Form::new(&[]);
    let send = {
        let (transport, region, key) = (transport.clone(), region.clone(), user.key().to_owned());
        move |_| {
            let (transport, region, key) = (transport.clone(), region.clone(), key.clone());
            mail.act(
                move || async move { transport.call(&region, &SendActivationEmail(key)).await },
                move |answer| {
                    answer?;
                    mail.done.set("The activation email was sent.".into());
                    Ok(())
                },
            );
        }
    };
    let typed = RwSignal::new(String::new());
    let username = user.username.clone();
    let blocked = {
        let username = username.clone();
        Signal::derive(move || typed.with(|t| t.trim() != username))
    };
    let delete = Form::new(&[]);
    let confirm_label = format!("Type {} to delete this user and its backups", user.username);
    let user_key = user.key().to_owned();
    let remove = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region, navigate) = (transport.clone(), region.clone(), navigate.clone());
        let (key, username) = (user_key.clone(), username.clone());
        delete.submit(
            move || {
                if typed.get_untracked().trim() == username {
                    Ok(())
                } else {
                    crate::components::form::refuse("Type the username to confirm.")
                }
            },
            move |()| async move { transport.call(&region, &DeleteUser(key)).await },
            move |answer| {
                answer?;
                navigate(links::USERS, Default::default());
                Ok(())
            },
        );
    };
    view! {
        <section aria-labelledby="user-actions">
            <h2 id="user-actions">"Actions"</h2>
            <p>
                <button type="button" on:click=send aria-disabled=move || mail.pending.get().to_string()>
                    {move || if mail.pending.get() { "Sending…" } else { "Send the activation email again" }}
                </button>
            </p>
            <FormError form=mail />
            <FormDone form=mail />
            <form class="danger" on:submit=remove novalidate>
                <TextField id="delete-user-confirm" label=confirm_label
                    value=typed problem=delete.problem("confirm") />
                <FormError form=delete />
                <SubmitButton pending=delete.pending label="Delete user" busy="Deleting…" class="danger" blocked />
            </form>
        </section>
    }
}
