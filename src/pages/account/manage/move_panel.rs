//! Moving an account: the new parent is picked among the partner accounts loaded in the
//! tree ([`crate::tree::model::Tree::move_targets`]), never in the account's own subtree,
//! never by pasting an id.

use super::Panel;
use crate::components::form::{refuse, Form, FormError};
use crate::components::submit::SubmitButton;
use crate::state::use_transport;
use crate::tree::load::{reload_children_of, reload_parent_of, use_tree};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::accounts::users::{UpdateAccount, UserUpdate};
use partner_api::{AccountId, RegionId};

/// At most this many places are offered; the filter narrows them.
const SHOWN: usize = 200;

#[component]
pub(super) fn MovePanel(
    region: RegionId,
    id: AccountId,
    /// Where the account is now (from the region, not the tree, which may not have it).
    current_parent: Option<AccountId>,
    open: RwSignal<Option<Panel>>,
    changed: Callback<()>,
    done: RwSignal<String>,
) -> impl IntoView {
    let store = use_tree();
    let transport = use_transport();
    let filter = RwSignal::new(String::new());
    let choice = RwSignal::new(None::<AccountId>);
    let form = Form::new(&[]);

    let candidates = {
        let (region, id) = (region.clone(), id.clone());
        Memo::new(move |_| {
            let needle = filter.get().trim().to_lowercase();
            store
                .tree
                .with(|t| t.move_targets(&region, &id, current_parent.as_ref(), &needle, SHOWN))
        })
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        let (to, account) = (region.clone(), id.clone());
        form.submit(
            || match choice.get_untracked() {
                Some(target) => Ok(target),
                None => refuse("Choose the account to move it under."),
            },
            move |target| {
                let call = UpdateAccount {
                    id: account,
                    update: UserUpdate {
                        parent: Some(target.clone()),
                        ..UserUpdate::default()
                    },
                };
                let transport = transport.clone();
                async move {
                    transport
                        .call(&to, &call)
                        .await
                        .map(|()| (transport, target))
                }
            },
            move |answer| {
                let (transport, target) = answer?;
                reload_parent_of(store, transport.clone(), &region, &id);
                reload_children_of(store, transport, &region, &target);
                open.set(None);
                done.set("The account has moved.".into());
                changed.run(());
                Ok(())
            },
        );
    };

    let options = move || {
        let list = candidates.get();
        if list.is_empty() {
            return view! { <p>"No account matches. Open more levels in the tree to offer more places."</p> }.into_any();
        }
        list.into_iter()
            .map(|(a, name, depth)| {
                let value = a.to_string();
                let checked = {
                    let a = a.clone();
                    move || choice.get().as_ref() == Some(&a)
                };
                view! {
                    <label class="choice" style=format!("padding-left: {}px", depth.saturating_sub(2) * 12)>
                        <input type="radio" name="move-target" value=value prop:checked=checked on:change=move |_| choice.set(Some(a.clone())) />
                        " " {name}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <form class="panel" on:submit=submit aria-labelledby="move-title">
            <h3 id="move-title">"Move under another account"</h3>
            <p>"Only partner accounts outside this account's own subtree are offered. The account keeps everything below it."</p>
            <label for="move-filter">"Filter places"</label>
            <input id="move-filter" type="search" autocomplete="off" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev)) />
            <fieldset class="choices">
                <legend>"New parent"</legend>
                {options}
            </fieldset>
            <FormError form />
            <div class="action-buttons">
                <SubmitButton pending=form.pending label="Move here" busy="Moving…" />
                <button type="button" on:click=move |_| open.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}
