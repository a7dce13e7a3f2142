//! The account tree on screen: the WAI-ARIA tree view pattern over a virtualised list.
//!
//! Focus stays on the `tree` element and `aria-activedescendant` names the active row, so
//! focus (the highlighted row) is separate from selection (the account whose page is open),
//! and rows that scroll out of the window can be dropped from the DOM. Every row carries
//! `aria-level`, `aria-setsize` and `aria-posinset`, because neither its siblings nor its
//! ancestors need to be rendered.

mod find;
mod keys;
mod row;

use super::load::{expand, load_details, load_region, use_tree, TreeStore};
use super::model::{Children, NodeId, NodeKind, Row, Tree};
use crate::state::{use_config, use_session, use_transport};
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use partner_api::RegionId;

/// Every row has this height in pixels (the stylesheet agrees: `.tree .row`).
pub const ROW_HEIGHT: f64 = ROW_HEIGHT_PX as f64;
/// The same, as whole pixels for styles (no float formatting in the bundle).
const ROW_HEIGHT_PX: usize = 30;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 6;
/// The page of a node's account (regions have none).
fn href(tree: &Tree, node: NodeId) -> Option<String> {
    match &tree.nodes[node].kind {
        NodeKind::Account(r, id) => Some(crate::links::account(r, id)),
        NodeKind::Region(_) => None,
    }
}

/// Keeps the tree's regions in step with the session: a root per signed-in region, each
/// loading on its own.
fn sync_regions(store: TreeStore) {
    let session = use_session();
    let config = use_config();
    let transport = use_transport();
    Effect::new(move |_| {
        let signed = session.signed_in();
        let present: Vec<RegionId> = store.tree.with_untracked(|t| {
            t.roots
                .iter()
                .map(|&r| t.nodes[r].region().clone())
                .collect()
        });
        for r in &present {
            if !signed.iter().any(|(s, _, _)| s == r) {
                store.tree.update(|t| t.remove_region(r));
            }
        }
        for (region, login, account) in signed {
            if present.contains(&region) {
                // A level whose load went with the tree view before: loaded again now.
                resume_region(store, &transport, &region);
                continue;
            }
            let Some(account) = account else { continue };
            let name = config
                .region(&region)
                .map_or_else(|| region.to_string(), |c| c.name.clone());
            load_region(
                store,
                transport.clone(),
                region,
                format!("{name} — {login}"),
                account,
            );
        }
    });
}

/// A region whose first levels were dropped unloaded (the tree went while they loaded):
/// loads them again.
fn resume_region(store: TreeStore, transport: &crate::transport::Transport, region: &RegionId) {
    let (root, own) = store.tree.with_untracked(|t| {
        let root = t
            .roots
            .iter()
            .copied()
            .find(|&r| t.nodes[r].region() == region);
        let own = root.and_then(|r| match &t.nodes[r].children {
            Children::Loaded(kids) => kids.first().copied(),
            _ => None,
        });
        (
            root.filter(|&r| matches!(t.nodes[r].children, Children::Unknown)),
            own.filter(|&o| matches!(t.nodes[o].children, Children::Unknown)),
        )
    });
    if let Some(root) = root {
        expand(store, transport.clone(), root);
    } else if let Some(own) = own {
        expand(store, transport.clone(), own);
    }
}

/// How many loaded accounts a filter searched, and how many matched.
type Searched = (usize, usize);

/// What the tree view keeps while it shows: the filter, focus, scrolling and what is on
/// screen. `Copy`: the parts below share it.
#[derive(Clone, Copy)]
struct TreeView {
    store: TreeStore,
    filter: RwSignal<String>,
    find_status: RwSignal<String>,
    /// The focused row's index in `rows`.
    focus: RwSignal<usize>,
    scroll_top: RwSignal<f64>,
    viewport: RwSignal<f64>,
    /// Type-ahead: the prefix so far and when its last letter came.
    typed: StoredValue<(String, f64)>,
    tree_ref: NodeRef<html::Div>,
    /// What is on screen: the expanded tree, or the filter's matches with their ancestors
    /// (and how many were searched and matched).
    rows: Memo<(Vec<Row>, Option<Searched>)>,
    /// The selected account: the one whose page is open.
    selected: Memo<Option<NodeId>>,
    /// The rows rendered: the visible ones and a few around them.
    window: Memo<Vec<(usize, Row)>>,
}

impl TreeView {
    fn new(store: TreeStore) -> Self {
        let location = use_location();
        let filter = RwSignal::new(String::new());
        let scroll_top = RwSignal::new(0.0f64);
        let viewport = RwSignal::new(480.0f64);
        let rows = Memo::new(move |_| {
            let f = filter.get();
            store.tree.with(|t| {
                if f.trim().is_empty() {
                    (t.flatten(), None)
                } else {
                    let (rows, searched, matched) = t.filter(&f);
                    (rows, Some((searched, matched)))
                }
            })
        });
        let selected = Memo::new(move |_| {
            let (r, id) = crate::links::account_of(&location.pathname.get())?;
            store.tree.with(|t| t.find(&r, &id))
        });
        let window = Memo::new(move |_| {
            let (top, height) = (scroll_top.get(), viewport.get());
            rows.with(|(rows, _)| {
                let first = ((top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
                let last =
                    (((top + height) / ROW_HEIGHT).ceil() as usize + OVERSCAN).min(rows.len());
                (first..last).map(|i| (i, rows[i])).collect::<Vec<_>>()
            })
        });
        TreeView {
            store,
            filter,
            find_status: RwSignal::new(String::new()),
            focus: RwSignal::new(0),
            scroll_top,
            viewport,
            typed: StoredValue::new((String::new(), 0.0)),
            tree_ref: NodeRef::new(),
            rows,
            selected,
            window,
        }
    }

    /// Focuses row `i` and scrolls it into view.
    fn focus_row(self, i: usize) {
        self.focus.set(i);
        row::scroll_into_view(self.tree_ref, self.scroll_top, i);
    }

    /// Opens a node's account page.
    fn open_page(self, navigate: &impl Fn(&str, leptos_router::NavigateOptions), node: NodeId) {
        if let Some(to) = self.store.tree.with_untracked(|t| href(t, node)) {
            navigate(&to, Default::default());
        }
    }

    /// Opens a closed node (loading its level if needed) or closes an open one.
    fn toggle(self, transport: &crate::transport::Transport, node: NodeId) {
        let store = self.store;
        let open = store.tree.with_untracked(|t| {
            let n = &t.nodes[node];
            n.expanded && matches!(n.children, Children::Loaded(_))
        });
        if open {
            store.tree.update(|t| t.nodes[node].expanded = false);
        } else {
            expand(store, transport.clone(), node);
        }
    }
}

/// Kind and status for the rows that stay on screen a moment, asked for once each.
fn load_visible_details(view: TreeView) {
    let transport = use_transport();
    let (store, window) = (view.store, view.window);
    Effect::new(move |_| {
        let before: Vec<NodeId> = window.with(|w| w.iter().map(|(_, r)| r.node).collect());
        let transport = transport.clone();
        // A timer, then the store's own load: no value for this view to hold, so no `Loaded`.
        // The timer goes when the window moves again (or the tree goes): rows scrolled past
        // are not asked for.
        crate::task::spawn_in_view(async move {
            crate::browser::sleep(super::load::DETAILS_DELAY_MS).await;
            let still: Vec<NodeId> = window
                .try_with_untracked(|w| {
                    w.iter()
                        .map(|(_, r)| r.node)
                        .filter(|n| before.contains(n))
                        .collect()
                })
                .unwrap_or_default();
            load_details(store, transport, still);
        });
    });
}

/// The account whose page opens becomes the focused row, scrolled into view, once its row
/// exists (a shared link may need its ancestors loaded first); and the focused row stays
/// inside the list when rows come and go.
fn follow_selection(view: TreeView) {
    let revealed = StoredValue::new(None::<NodeId>);
    Effect::new(move |_| {
        let Some(node) = view.selected.get() else {
            return;
        };
        if revealed.get_value() == Some(node) {
            return;
        }
        let at = view
            .rows
            .with(|(r, _)| r.iter().position(|row| row.node == node));
        if let Some(i) = at {
            revealed.set_value(Some(node));
            view.focus_row(i);
        }
    });
    Effect::new(move |_| {
        let n = view.rows.with(|(r, _)| r.len());
        if n > 0 && view.focus.get_untracked() >= n {
            view.focus.set(n - 1);
        }
    });
}

#[component]
pub fn AccountTree() -> impl IntoView {
    let store = use_tree();
    let transport = use_transport();
    let navigate = use_navigate();
    store.shown_here();
    sync_regions(store);
    let view = TreeView::new(store);
    load_visible_details(view);
    follow_selection(view);
    let TreeView {
        focus,
        scroll_top,
        viewport,
        tree_ref,
        rows,
        ..
    } = view;

    let on_keydown = keys::handler(view, transport.clone(), navigate.clone());
    let active_id = move || {
        let i = focus.get();
        rows.with(|(r, _)| r.get(i).map(|row| format!("tree-node-{}", row.node)))
    };
    let row_views = move || {
        let sel = view.selected.get();
        let focused = focus.get();
        view.window
            .get()
            .into_iter()
            .map(|(i, r)| {
                let (transport, navigate) = (transport.clone(), navigate.clone());
                store.tree.with(|t| {
                    row::render_row(
                        t,
                        i,
                        r,
                        row::Marks {
                            focused: focused == i,
                            selected: sel == Some(r.node),
                        },
                        focus,
                        move |n| view.toggle(&transport, n),
                        move |n| view.open_page(&navigate, n),
                    )
                })
            })
            .collect_view()
    };
    let total_height = move || format!("height: {}px", rows.with(|(r, _)| r.len()) * ROW_HEIGHT_PX);

    view! {
        <div class="account-tree">
            {find::find_form(view)}
            <div
                class="tree"
                role="tree"
                aria-label="Accounts"
                tabindex="0"
                node_ref=tree_ref
                aria-activedescendant=active_id
                on:keydown=on_keydown
                on:scroll=move |_| {
                    if let Some(el) = tree_ref.get_untracked() {
                        scroll_top.set(f64::from(el.scroll_top()));
                        viewport.set(f64::from(el.client_height()));
                    }
                }
                on:focus=move |_| {
                    if let Some(el) = tree_ref.get_untracked() {
                        viewport.set(f64::from(el.client_height()));
                    }
                }
            >
                <div class="tree-spacer" role="none" style=total_height>
                    {row_views}
                </div>
            </div>
        </div>
    }
}
