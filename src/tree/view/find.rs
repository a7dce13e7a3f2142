//! Filtering the loaded tree, and finding an account by its GUID in every signed-in region
//! (among the loaded accounts first, then by asking each region).

use super::{href, TreeView};
use crate::links;
use crate::state::{use_session, use_transport};
use crate::task::spawn_in_view as spawn_local;
use crate::transport::Transport;
use crate::tree::load::{load_subtrees, TreeStore};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
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
    let go_to = Callback::new(move |to: String| navigate(&to, Default::default()));
    let find = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = filter.get_untracked();
        let Ok(id) = AccountId::parse(&text) else {
            // Not a GUID: the filter shows what matched among the loaded accounts; ask the
            // regions for the rest.
            if !text.trim().is_empty() {
                ask_regions(Find {
                    store,
                    transport: transport.clone(),
                    status: find_status,
                    what: What::Everything,
                    regions: Vec::new(),
                    go: go_to,
                });
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
            go_to.run(to);
            return;
        }
        ask_regions(Find {
            store,
            transport: transport.clone(),
            status: find_status,
            what: What::Guid(id),
            regions,
            go: go_to,
        });
    };
    let summary = move || {
        let (shown, searched) =
            rows.with(|(r, s)| (r.iter().filter(|row| row.level > 1).count(), *s));
        let regions = session.signed_in().len();
        match searched {
            // Every account of every region is here (a whole-subtree search, or a small
            // tree opened all the way): nothing is left to ask the regions for.
            Some((n, matched))
                if store
                    .tree
                    .with(|t| t.roots.iter().all(|&r| t.all_loaded(r))) =>
            {
                format!(
                    "Searched all {n} accounts in {regions} region(s), by name, email, company and GUID: {matched} match, shown with the accounts above them."
                )
            }
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
                    // Enter will want the search's chunk: fetch it while the partner types.
                    crate::chunks::preload(|| Box::pin(preload_find_everywhere()));
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

/// What Enter asks the regions for.
#[derive(Clone)]
enum What {
    /// The account with this GUID, in whichever signed-in region knows it.
    Guid(AccountId),
    /// Every account below the signed-in ones, where the tree is not all loaded.
    Everything,
}

/// A search the loaded tree could not answer, for the regions.
#[derive(Clone)]
struct Find {
    store: TreeStore,
    transport: Transport,
    status: RwSignal<String>,
    what: What,
    regions: Vec<RegionId>,
    go: Callback<String>,
}

type RunFind = fn(Find);

// Asking the regions is code only Enter needs: a chunk of its own in a release build,
// fetched while the partner types in the filter.
crate::chunks::chunk!(
    find_everywhere,
    preload_find_everywhere,
    tree_find,
    RunFind,
    run_find
);

fn ask_regions(find: Find) {
    spawn_local(async move {
        match find_everywhere().await {
            Ok(run) => run(find),
            Err(_) => {
                find.status.try_set(
                    "The search could not be loaded: the connection failed, or the portal was updated since this tab opened. Press Enter to try again.".into(),
                );
            }
        }
    });
}

fn run_find(find: Find) {
    match find.what.clone() {
        What::Guid(id) => find_guid(find, id),
        What::Everything => search_everywhere(find.store, find.transport, find.status),
    }
}

/// Asks every signed-in region for the GUID, one call each, and opens the first that knows it.
fn find_guid(find: Find, id: AccountId) {
    let Find {
        transport,
        status,
        regions,
        go,
        ..
    } = find;
    status.set(format!(
        "Looking for {id} in {} signed-in regions…",
        regions.len()
    ));
    // One call per region, raced for the first that knows the GUID: an action, not a value
    // a view keeps, so no `Loaded`.
    spawn_local(async move {
        let asks = regions.iter().map(|r| {
            let transport = transport.clone();
            let id = id.clone();
            async move { (r.clone(), transport.call(r, &GetAccount(id)).await) }
        });
        let answers = futures::future::join_all(asks).await;
        match answers.iter().find(|(_, a)| a.is_ok()) {
            Some((r, _)) => {
                status.try_set(format!("Found {id} in {r}."));
                go.try_run(links::account(r, &id));
            }
            None => {
                status.try_set(format!(
                    "No account with the GUID {id} in the {} region(s) you are signed in to, or it is outside what you may see.",
                    answers.len()
                ));
            }
        }
    });
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
