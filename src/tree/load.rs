//! Loading the tree through the transport: a region's own account, a level when a node opens,
//! and kind and status for the rows on screen. Each load reports on its own node only, so a
//! slow or failing region never blocks the others.
//!
//! These loads fill the `TreeStore`, which outlives every page, not a view's value: they are
//! spawned tasks writing into the store, not `Loaded` resources. Each belongs to the tree on
//! screen (or, when none is, to the view that asked): leaving the accounts drops them and
//! aborts their calls, and a level whose load was dropped goes back to "not loaded", so the
//! tree loads it again when it shows next.

use super::model::{Children, NodeId, Status, Tree};
use crate::browser::sleep;
use crate::transport::Transport;
use leptos::prelude::*;
use partner_api::accounts::children::{ChildSummary, ListChildren, ListSubtree};
use partner_api::accounts::contacts::{GetContact, PRIMARY_CONTACT};
use partner_api::accounts::tokens::{ListTokens, TokenList};
use partner_api::accounts::users::{AccountSettings, GetAccount};
use partner_api::{AccountId, ApiError, RegionId};

/// The tree, shared as context so it survives moving between pages.
#[derive(Clone, Copy)]
pub struct TreeStore {
    pub tree: RwSignal<Tree>,
    /// Nodes whose details were asked for. Kept outside the tree so that asking does not
    /// make ten thousand rows flatten again.
    requested: StoredValue<std::collections::HashSet<NodeId>>,
    /// The tree view on screen, which the loads belong to (`None` while none shows).
    view: StoredValue<Option<Owner>>,
}

impl TreeStore {
    pub fn new() -> Self {
        TreeStore {
            tree: RwSignal::new(Tree::default()),
            requested: StoredValue::new(Default::default()),
            view: StoredValue::new(None),
        }
    }

    /// The tree view being built now is the one on screen: the loads belong to it until it
    /// goes.
    pub fn shown_here(self) {
        let here = Owner::current();
        self.view.set_value(here.clone());
        on_cleanup(move || {
            let ours = self.view.try_with_value(|v| *v == here);
            if ours == Some(true) {
                self.view.set_value(None);
            }
        });
    }

    /// Runs a load under the tree view on screen (else the view asking now).
    fn spawn(self, load: impl std::future::Future<Output = ()> + 'static) {
        let view = self.view.try_get_value().flatten();
        crate::task::spawn_in(view.as_ref(), load);
    }

    /// A node whose level is being loaded: when the load is dropped before it is done, the
    /// level goes back to not loaded (closed), so that opening it loads it again.
    fn filling(self, node: NodeId) -> Filling {
        Filling {
            store: self,
            node: Some(node),
        }
    }
}

/// See [`TreeStore::filling`].
struct Filling {
    store: TreeStore,
    node: Option<NodeId>,
}

impl Filling {
    fn done(mut self) {
        self.node = None;
    }
}

impl Drop for Filling {
    fn drop(&mut self) {
        if let Some(node) = self.node {
            self.store.tree.try_update(|t| {
                if let Some(n) = t.nodes.get_mut(node) {
                    if matches!(n.children, Children::Loading) {
                        n.children = Children::Unknown;
                        n.expanded = false;
                    }
                }
            });
        }
    }
}

impl Default for TreeStore {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_tree() -> TreeStore {
    expect_context::<TreeStore>()
}

fn status_of(settings: &AccountSettings) -> Status {
    if settings.deletion.is_some() {
        Status::DeletionScheduled
    } else if settings.enabled {
        Status::Enabled
    } else {
        Status::Disabled
    }
}

fn apply_details(tree: &mut Tree, node: NodeId, settings: &AccountSettings, tokens: &TokenList) {
    let n = &mut tree.nodes[node];
    n.account_kind = Some(tokens.account_kind());
    n.status = Some(status_of(settings));
    n.details_requested = true;
}

/// Shows a region's root with the signed-in account below it, opened one level.
pub fn load_region(
    store: TreeStore,
    transport: Transport,
    region: RegionId,
    label: String,
    account: AccountId,
) {
    let root = store.tree.try_update(|t| {
        let r = t.region_root(&region, &label);
        t.nodes[r].children = Children::Loading;
        r
    });
    let Some(root) = root else { return };
    let filling = store.filling(root);
    store.spawn(async move {
        let contact_call = GetContact {
            account: account.clone(),
            kind: PRIMARY_CONTACT.into(),
        };
        let (settings_call, tokens_call) =
            (GetAccount(account.clone()), ListTokens(account.clone()));
        let (settings, tokens, contact) = futures::join!(
            transport.call(&region, &settings_call),
            transport.call(&region, &tokens_call),
            transport.call(&region, &contact_call),
        );
        let outcome = settings.and_then(|s| Ok((s, tokens?)));
        filling.done();
        match outcome {
            Err(e) => {
                store
                    .tree
                    .try_update(|t| t.nodes[root].children = Children::Failed(e));
            }
            Ok((settings, tokens)) => {
                let contact = contact.ok();
                let row = ChildSummary {
                    id: account.clone(),
                    created: settings.created.clone(),
                    parent_id: None,
                    email: contact.as_ref().and_then(|c| c.email.clone()),
                    full_name: contact.as_ref().and_then(|c| c.full_name.clone()),
                    company_name: contact.as_ref().and_then(|c| c.company_name.clone()),
                };
                let own = store.tree.try_update(|t| {
                    t.set_children(&region, root, &[row]);
                    let own = t.find(&region, &account).expect("just added");
                    apply_details(t, own, &settings, &tokens);
                    own
                });
                if let Some(own) = own {
                    load_children(store, transport.clone(), own);
                }
            }
        }
    });
}

/// Opens a node, loading its children first when they are not loaded (or failed before).
pub fn expand(store: TreeStore, transport: Transport, node: NodeId) {
    let needs_load = store.tree.try_update(|t| {
        let n = &mut t.nodes[node];
        match n.children {
            Children::Loaded(_) => {
                n.expanded = true;
                false
            }
            Children::Loading => false,
            Children::Unknown | Children::Failed(_) => true,
        }
    });
    if needs_load == Some(true) {
        let region_root = store
            .tree
            .with_untracked(|t| t.nodes[node].account().is_none());
        if region_root {
            // A region root that failed: load the whole region again.
            let (region, label, account) = store.tree.with_untracked(|t| {
                let n = &t.nodes[node];
                (n.region().clone(), n.name.clone(), None::<AccountId>)
            });
            let account = account.or_else(|| {
                transport
                    .session()
                    .credentials(&region)
                    .and_then(|c| c.account)
            });
            if let Some(account) = account {
                load_region(store, transport, region, label, account);
            }
        } else {
            load_children(store, transport, node);
        }
    }
}

/// Marks in the browser's User Timing, once the next frame is drawn, that a level is on screen:
/// `pp:level-painted` every time, `pp:first-level` the first time. The benchmark reads them.
fn mark_painted() {
    thread_local! {
        static FIRST: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("pp:level-painted");
            if FIRST.with(|f| f.replace(false)) {
                let _ = p.mark("pp:first-level");
                crate::chunks::first_screen_drawn();
            }
        }
    });
    let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&callback));
}

/// Loads one level below `node` and opens it; a failure shows on that row.
pub fn load_children(store: TreeStore, transport: Transport, node: NodeId) {
    let target = store.tree.try_update(|t| {
        let n = &mut t.nodes[node];
        n.children = Children::Loading;
        n.expanded = true;
        (n.region().clone(), n.account().cloned())
    });
    let Some((region, Some(account))) = target else {
        return;
    };
    let filling = store.filling(node);
    store.spawn(async move {
        let result: Result<_, ApiError> = transport.call(&region, &ListChildren(account)).await;
        let ok = result.is_ok();
        filling.done();
        store.tree.try_update(|t| match result {
            Ok(list) => t.set_level(&region, node, &list),
            Err(e) => t.nodes[node].children = Children::Failed(e),
        });
        if ok {
            mark_painted();
        }
    });
}

/// Loads every account below the signed-in account of each region whose tree is not all
/// loaded, one call per region (the v3 `all=1` listing), so that the filter searches them
/// all. Answers, per region asked, how many accounts the region counts below (its
/// `X-Total-Count`, else the rows) and how many rows it sent that could not be read.
pub async fn load_subtrees(
    store: TreeStore,
    transport: Transport,
) -> Vec<(RegionId, Result<(u64, usize), ApiError>)> {
    let mut tops = Vec::new();
    let mut said = Vec::new();
    store.tree.with_untracked(|t| {
        for &r in &t.roots {
            match &t.nodes[r].children {
                Children::Loaded(kids) if !t.all_loaded(r) => {
                    if let Some(id) = kids.first().and_then(|&own| t.nodes[own].account()) {
                        tops.push((t.nodes[r].region().clone(), kids[0], id.clone()));
                    }
                }
                Children::Loaded(_) => {}
                // A region whose own account did not load is not searched: say so.
                Children::Failed(_) | Children::Loading | Children::Unknown => said.push((
                    t.nodes[r].region().clone(),
                    Err(ApiError::NotAvailable(
                        "its accounts are not loaded yet: open the region in the tree, then press Enter again".into(),
                    )),
                )),
            }
        }
    });
    // One region after the other: a handful of calls, and one future type in the bundle.
    for (region, node, id) in tops {
        let answer = transport.call(&region, &ListSubtree(id)).await.map(|sub| {
            let list = sub.accounts;
            store.tree.update(|t| t.set_subtree(&region, node, &list));
            (
                sub.total.unwrap_or(list.children.len() as u64),
                list.unreadable,
            )
        });
        said.push((region, answer));
    }
    said
}

/// How long rows must stay on screen before their details are asked for: scrolling past
/// thousands of rows asks for none of them, and the first rows are drawn before any asking.
pub const DETAILS_DELAY_MS: i32 = 150;

/// Asks for the kind and status of rows on screen that do not have them yet.
pub fn load_details(store: TreeStore, transport: Transport, nodes: Vec<NodeId>) {
    let wanted: Vec<(NodeId, RegionId, AccountId)> = store.tree.with_untracked(|t| {
        store
            .requested
            .try_update_value(|asked| {
                nodes
                    .into_iter()
                    .filter_map(|n| {
                        let node = &t.nodes[n];
                        if node.details_requested || !asked.insert(n) {
                            return None;
                        }
                        Some((n, node.region().clone(), node.account()?.clone()))
                    })
                    .collect()
            })
            .unwrap_or_default()
    });
    for (node, region, account) in wanted {
        let transport = transport.clone();
        store.spawn(async move {
            // Dropped before its answer (the tree went): asked for again when it shows next.
            let asked = Asked { store, node };
            let (settings_call, tokens_call) = (GetAccount(account.clone()), ListTokens(account));
            let (settings, tokens) = futures::join!(
                transport.call(&region, &settings_call),
                transport.call(&region, &tokens_call),
            );
            std::mem::forget(asked);
            if let (Ok(s), Ok(t)) = (settings, tokens) {
                store
                    .tree
                    .try_update(|tree| apply_details(tree, node, &s, &t));
            }
        });
    }
}

/// A row's details asked for: forgotten when the asking is dropped unanswered.
struct Asked {
    store: TreeStore,
    node: NodeId,
}

impl Drop for Asked {
    fn drop(&mut self) {
        let node = self.node;
        self.store
            .requested
            .try_update_value(|asked| asked.remove(&node));
    }
}

/// Opens the tree down to an account reached by a link: every account on `path` (from the
/// signed-in account down to the account's parent) gets its level loaded and opened, so the
/// account shows, selected, in its place.
pub fn reveal(store: TreeStore, transport: Transport, region: RegionId, path: Vec<AccountId>) {
    store.spawn(open_path(store, transport, region, path));
}

async fn open_path(store: TreeStore, transport: Transport, region: RegionId, path: Vec<AccountId>) {
    for (depth, id) in path.iter().enumerate() {
        // The region's own account appears once the region has loaded; give it a moment.
        let mut node = store.tree.with_untracked(|t| t.find(&region, id));
        let mut waited = 0;
        while node.is_none() && depth == 0 && waited < 10_000 {
            sleep(100).await;
            waited += 100;
            node = store.tree.with_untracked(|t| t.find(&region, id));
        }
        let Some(node) = node else { return };
        let loaded = store
            .tree
            .with_untracked(|t| matches!(t.nodes[node].children, Children::Loaded(_)));
        if !loaded {
            // Wait for a load under way, or start one.
            let loading = store
                .tree
                .with_untracked(|t| matches!(t.nodes[node].children, Children::Loading));
            if !loading {
                let filling = store.filling(node);
                store
                    .tree
                    .try_update(|t| t.nodes[node].children = Children::Loading);
                let result = transport.call(&region, &ListChildren(id.clone())).await;
                filling.done();
                store.tree.try_update(|t| match result {
                    Ok(list) => t.set_level(&region, node, &list),
                    Err(e) => t.nodes[node].children = Children::Failed(e),
                });
            }
            let mut waited = 0;
            while waited < 20_000
                && store
                    .tree
                    .with_untracked(|t| matches!(t.nodes[node].children, Children::Loading))
            {
                sleep(50).await;
                waited += 50;
            }
        }
        store.tree.try_update(|t| t.nodes[node].expanded = true);
    }
}

/// Refreshes what the tree shows of one account after a change on its page.
pub fn refresh_account(
    store: TreeStore,
    region: &RegionId,
    id: &AccountId,
    settings: &AccountSettings,
    tokens: &TokenList,
) {
    store.tree.update(|t| {
        if let Some(n) = t.find(region, id) {
            apply_details(t, n, settings, tokens);
        }
    });
}

/// Reloads the level an account sits in (after a move or a delete).
pub fn reload_parent_of(store: TreeStore, transport: Transport, region: &RegionId, id: &AccountId) {
    let parent = store
        .tree
        .with_untracked(|t| t.find(region, id).and_then(|n| t.nodes[n].parent));
    if let Some(p) = parent {
        load_children(store, transport, p);
    }
}

/// Reloads the children of an account, if the tree has it.
pub fn reload_children_of(
    store: TreeStore,
    transport: Transport,
    region: &RegionId,
    id: &AccountId,
) {
    if let Some(n) = store.tree.with_untracked(|t| t.find(region, id)) {
        load_children(store, transport, n);
    }
}
