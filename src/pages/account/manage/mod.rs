//! What a partner can do to an account, each offered only to roles that may do it: create
//! below it, disable and re-enable, move under another account ([`move_panel`]) and
//! delete ([`delete_panel`]), each panel a part of this one.
//!
//! Every action shows that it is under way and cannot be sent twice while it is.

mod delete_panel;
mod move_panel;

use crate::components::form::{Form, FormError};
use crate::links;
use crate::state::account::Details;
use crate::state::{use_config, use_transport};
use crate::tree::load::{refresh_account, use_tree};
use delete_panel::DeletePanel;
use leptos::prelude::*;
use move_panel::MovePanel;
use partner_api::accounts::tokens::ListTokens;
use partner_api::accounts::users::{GetAccount, UpdateAccount, UserUpdate};
use partner_api::config::Page;
use partner_api::{AccountId, RegionId, Role};

/// The panel open under the Manage buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Panel {
    Move,
    Delete,
}

#[component]
pub(super) fn AccountActions(
    region: RegionId,
    id: AccountId,
    details: Details,
    /// The signed-in account itself: it cannot be disabled, moved or deleted from here.
    is_root: bool,
    /// The signed-in user's role.
    role: Option<Role>,
    /// Called after a change, to reload the page.
    changed: Callback<()>,
    /// Where the outcome of an action is said; it lives on the page, so a reload after the
    /// change does not wipe it.
    done: RwSignal<String>,
) -> impl IntoView {
    let may_create_here = role
        .as_ref()
        .is_some_and(|r| r.may_create_under(details.kind()));
    let new_here = may_create_here.then(|| create_here(&region, &id));
    let manages = role.as_ref().is_some_and(Role::manages);
    if !manages || is_root {
        let why = if is_root {
            "This is the account you are signed in to: it is managed from the account above it."
        } else {
            "Your role may only look at this account."
        };
        return view! { {new_here} <p class="actions-note">{why}</p> }.into_any();
    }
    let name = details.name(&id);
    let enabled = details.settings.enabled && details.settings.deletion.is_none();
    let parent = details.settings.parent.clone();
    let form = Form::new(&[]);
    let open = RwSignal::new(None::<Panel>);
    let toggle = toggle_enabled(form, region.clone(), id.clone(), enabled, changed, done);
    let toggle_label = if enabled {
        "Disable account"
    } else {
        "Enable account"
    };
    let panel = move || {
        match open.get() {
        Some(Panel::Move) => view! { <MovePanel region=region.clone() id=id.clone() current_parent=parent.clone() open changed done /> }.into_any(),
        Some(Panel::Delete) => view! { <DeletePanel region=region.clone() id=id.clone() name=name.clone() parent=parent.clone() open changed /> }.into_any(),
        None => ().into_any(),
    }
    };
    let opens = move |p: Panel| {
        (
            move || (open.get() == Some(p)).to_string(),
            move |_| open.update(|o| *o = if *o == Some(p) { None } else { Some(p) }),
        )
    };
    let (move_open, move_click) = opens(Panel::Move);
    let (delete_open, delete_click) = opens(Panel::Delete);
    view! {
        <section class="actions" aria-labelledby="actions-title">
            <h2 id="actions-title">"Manage"</h2>
            {new_here}
            <div class="action-buttons">
                <button type="button" on:click=move |_| toggle() aria-disabled=move || form.pending.get().to_string()>
                    {move || if form.pending.get() { "Saving…" } else { toggle_label }}
                </button>
                <button type="button" aria-expanded=move_open aria-controls="action-panel" on:click=move_click>
                    "Move…"
                </button>
                <button type="button" class="danger" aria-expanded=delete_open aria-controls="action-panel" on:click=delete_click>
                    "Delete…"
                </button>
            </div>
            <FormError form />
            <div id="action-panel">{panel}</div>
        </section>
    }
    .into_any()
}

/// Links to create accounts below this one, as far as this deployment offers them.
fn create_here(region: &RegionId, id: &AccountId) -> impl IntoView {
    let config = use_config();
    view! {
        <p>
            {config.shows(Page::NewAccount).then(|| view! {
                <a class="button-link" href=links::new_account(region, id)>"New account here"</a>
                " "
            })}
            {config.shows(Page::Import).then(|| view! {
                <a class="button-link" href=links::import(region, id)>"Import customers from CSV"</a>
            })}
        </p>
    }
}

/// Disables an enabled account or enables a disabled one, then refreshes it in the tree.
fn toggle_enabled(
    form: Form,
    region: RegionId,
    id: AccountId,
    enabled: bool,
    changed: Callback<()>,
    done: RwSignal<String>,
) -> impl Fn() + Clone {
    let transport = use_transport();
    let store = use_tree();
    move || {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        let (target, account) = (region.clone(), id.clone());
        form.act(
            // The account as it is now, read back once the change is in, for the tree.
            move || async move {
                let call = UpdateAccount {
                    id: account.clone(),
                    update: UserUpdate {
                        enabled: Some(!enabled),
                        ..UserUpdate::default()
                    },
                };
                transport.call(&target, &call).await?;
                let (sc, tc) = (GetAccount(account.clone()), ListTokens(account));
                let (s, t) =
                    futures::join!(transport.call(&target, &sc), transport.call(&target, &tc));
                Ok(s.ok().zip(t.ok()))
            },
            move |answer| {
                let now = answer?;
                done.set(if enabled {
                    "The account is disabled.".into()
                } else {
                    "The account is enabled again.".into()
                });
                if let Some((s, t)) = now {
                    refresh_account(store, &region, &id, &s, &t);
                }
                changed.run(());
                Ok(())
            },
        );
    }
}
