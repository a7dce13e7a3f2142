//! Filtering the loaded tree, and finding an account by its GUID in every signed-in region
//! (among the loaded accounts first, then by asking each region).

use super::{href, TreeView};
use crate::links;
use crate::state::{use_session, use_transport};
use crate::transport::Transport;
use crate::tree::load::{load_subtrees, TreeStore};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use partner_api::accounts::children::unreadable_words;
use partner_api::accounts::users::GetAccount;
use partner_api::{AccountId, RegionId};

pub(super) fn find_form(view: TreeView) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let navigate = use_navigate();
    let TreeView {
        store,
        filter,
        find_status,
        focus,
        scroll_top,
        tree_ref,
        rows,
        ..
    } = view;
    let find = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = filter.get_untracked();
        let Ok(id) = AccountId::parse(&text) else {
            // Not a GUID: the filter shows what matched among the loaded accounts; ask the
            // regions for the rest.
            if !text.trim().is_empty() {
                search_everywhere(store, transport.clone(), find_status);
            }
            return;
        };
        let regions: Vec<RegionId> = session.signed_in().into_iter().map(|(r, _, _)| r).collect();
        if let Some(to) = store.tree.with_untracked(|t| {
            regions
                .iter()
                .find_map(|r| t.find(r, &id).and_then(|n| href(t, n)))
        }) {
            find_status.set(format!("Found {id} among the loaded accounts."));
            navigate(&to, Default::default());
            return;
        }
        find_status.set(format!(
            "Looking for {id} in {} signed-in regions…",
            regions.len()
        ));
        let transport = transport.clone();
        let navigate = navigate.clone();
        // One call per region, raced for the first that knows the GUID: an action, not a
        // value a view keeps, so no `Loaded`.
        spawn_local(async move {
            let asks = regions.iter().map(|r| {
                let transport = transport.clone();
                let id = id.clone();
                async move { (r.clone(), transport.call(r, &GetAccount(id)).await) }
            });
            let answers = futures::future::join_all(asks).await;
            match answers.iter().find(|(_, a)| a.is_ok()) {
                Some((r, _)) => {
                    find_status.try_set(format!("Found {id} in {r}."));
                    navigate(&links::account(r, &id), Default::default());
                }
                None => {
                    find_status.try_set(format!(
                        "No account with the GUID {id} in the {} region(s) you are signed in to, or it is outside what you may see.",
                        answers.len()
                    ));
                }
            }
        });
    };
    let summary = move || {
        let (shown, searched) =
            rows.with(|(r, s)| (r.iter().filter(|row| row.level > 1).count(), *s));
        let regions = session.signed_in().len();
        match searched {
            Some((n, matched)) => format!(
                "Searched the {n} accounts loaded so far in {regions} region(s), by name, email, company and GUID: {matched} match, shown with the accounts above them. Press Enter to search every account in the regions, or to look a GUID up."
            ),
            None => format!("{shown} accounts shown in {regions} region(s)."),
        }
    };
    view! {
        <form class="tree-find" role="search" on:submit=find>
            <label for="tree-filter">"Filter or find by GUID"</label>
            <input
                id="tree-filter"
                type="search"
                autocomplete="off"
                placeholder="Name, email, company or GUID"
                aria-describedby="tree-summary"
                prop:value=filter
                on:input=move |ev| {
                    filter.set(event_target_value(&ev));
                    find_status.set(String::new());
                    focus.set(0);
                    if let Some(el) = tree_ref.get_untracked() {
                        el.set_scroll_top(0);
                    }
                    scroll_top.set(0.0);
                }
            />
        </form>
        <p id="tree-summary" class="tree-summary" role="status">
            {summary} " " {move || find_status.get()}
        </p>
    }
}

/// Asks each region whose tree is not all loaded for every account below the signed-in one
/// (one call each), and says what each region counted, what it could not read, or why it
/// could not answer. The filter then searches what came.
fn search_everywhere(store: TreeStore, transport: Transport, status: RwSignal<String>) {
    status.set("Asking the regions for every account below yours…".into());
    // An action writing into the tree's store, not a value this view keeps: no `Loaded`.
    spawn_local(async move {
        let mut said = String::new();
        for (r, answer) in load_subtrees(store, transport).await {
            said += &match answer {
                Ok((n, bad)) => format!(
                    "{r}: all {n} accounts below yours searched. {}",
                    unreadable_words(bad, "in its list").unwrap_or_default()
                ),
                Err(e) => format!("{r}: the whole list could not be loaded: {e} "),
            };
        }
        if said.is_empty() {
            said = "Every account is loaded already: the filter searched them all.".into();
        }
        status.try_set(said);
    });
}
