//! Deleting an account: says what goes with it (everything below it, counted) and asks for
//! its name before anything is sent.

use super::Panel;
use crate::components::form::{refuse, Form, FormError};
use crate::components::submit::SubmitButton;
use crate::links;
use crate::resource::Loaded;
use crate::state::account::count_below;
use crate::state::use_transport;
use crate::tree::load::{reload_parent_of, use_tree};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use partner_api::accounts::users::{DeleteAccount, GetAccount};
use partner_api::{AccountId, ApiError, RegionId};

/// What goes with the account, in words, from the count below it.
fn consequence(below: Option<Result<(usize, bool), ApiError>>) -> String {
    match below {
        None => "Counting the accounts below it…".to_owned(),
        Some(Err(e)) => format!(
            "The accounts below it could not be counted ({e}); all of them are deleted with it."
        ),
        Some(Ok((0, _))) => "It has no accounts below it.".to_owned(),
        Some(Ok((n, true))) => format!(
            "More than {n} accounts below it are deleted with it, with their users and data."
        ),
        Some(Ok((n, false))) => format!(
            "The {n} account{} below it {} deleted with it, with their users and data.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        ),
    }
}

#[component]
pub(super) fn DeletePanel(
    region: RegionId,
    id: AccountId,
    name: String,
    parent: Option<AccountId>,
    open: RwSignal<Option<Panel>>,
    changed: Callback<()>,
) -> impl IntoView {
    let store = use_tree();
    let transport = use_transport();
    let navigate = use_navigate();
    let typed = RwSignal::new(String::new());
    let form = Form::new(&[]);
    let below = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        Loaded::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { count_below(&transport, &region, &id).await }
        })
    };
    let matches = {
        let name = name.clone();
        move || typed.get().trim() == name.trim()
    };
    let submit = {
        let matches = matches.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let (transport, region, id, parent, navigate) = (
                transport.clone(),
                region.clone(),
                id.clone(),
                parent.clone(),
                navigate.clone(),
            );
            let (from, account) = (region.clone(), id.clone());
            form.submit(
                || {
                    if matches() {
                        Ok(())
                    } else {
                        refuse("Type the account's name exactly as shown to confirm.")
                    }
                },
                move |()| async move {
                    transport
                        .call(&from, &DeleteAccount(account.clone()))
                        .await?;
                    // A region may only schedule the deletion: then the account is still there.
                    let still_there = transport.call(&from, &GetAccount(account)).await.is_ok();
                    Ok((transport, still_there))
                },
                move |answer| {
                    let (transport, still_there) = answer?;
                    open.set(None);
                    reload_parent_of(store, transport, &region, &id);
                    match (still_there, parent) {
                        (true, _) => changed.run(()),
                        (false, Some(p)) => {
                            navigate(&links::account(&region, &p), Default::default())
                        }
                        (false, None) => navigate(links::ACCOUNTS, Default::default()),
                    }
                    Ok(())
                },
            );
        }
    };
    view! {
        <form class="panel danger-zone" on:submit=submit aria-labelledby="delete-title">
            <h3 id="delete-title">"Delete " {name.clone()}</h3>
            <p><strong>{move || consequence(below.get())}</strong> " The region may keep it for a retention period before it is gone for good."</p>
            <label for="delete-confirm">"Type the account's name to confirm: " <strong>{name.clone()}</strong></label>
            <input id="delete-confirm" type="text" autocomplete="off" prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            <FormError form />
            <div class="action-buttons">
                <SubmitButton pending=form.pending label="Delete for good" busy="Deleting…" class="danger" blocked=Signal::derive(move || !matches()) />
                <button type="button" on:click=move |_| open.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
