//! The account tree on screen: the WAI-ARIA tree view pattern over a virtualised list.
//!
//! Focus stays on the `tree` element and `aria-activedescendant` names the active row, so
//! focus (the highlighted row) is separate from selection (the account whose page is open),
//! and rows that scroll out of the window can be dropped from the DOM. Every row carries
//! `aria-level`, `aria-setsize` and `aria-posinset`, because neither its siblings nor its
//! ancestors need to be rendered.

use super::load::{expand, load_details, load_region, use_tree, TreeStore};
use super::model::{key_move, type_ahead, Children, Move, NodeId, NodeKind, Row, Status, Tree};
use crate::state::{use_config, use_session, use_transport};
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_location, use_navigate};
use partner_api::calls::GetAccount;
use partner_api::{AccountId, AccountKind, RegionId};

/// Every row has this height in pixels (the stylesheet agrees: `.tree .row`).
pub const ROW_HEIGHT: f64 = ROW_HEIGHT_PX as f64;
/// The same, as whole pixels for styles (no float formatting in the bundle).
const ROW_HEIGHT_PX: usize = 30;
/// Rows rendered above and below the visible ones.
const OVERSCAN: usize = 6;
/// Type-ahead letters typed within this many milliseconds form one prefix.
const TYPE_AHEAD_MS: f64 = 700.0;

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

#[component]
pub fn AccountTree() -> impl IntoView {
    let store = use_tree();
    let transport = use_transport();
    let session = use_session();
    let navigate = use_navigate();
    let location = use_location();
    sync_regions(store);

    let filter = RwSignal::new(String::new());
    let find_status = RwSignal::new(String::new());
    let focus = RwSignal::new(0usize);
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(480.0f64);
    let typed = StoredValue::new((String::new(), 0.0f64));
    let tree_ref = NodeRef::<html::Div>::new();

    // What is on screen: the expanded tree, or the filter's matches with their ancestors.
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
    // The selected account: the one whose page is open.
    let selected = Memo::new(move |_| {
        let path = location.pathname.get();
        let mut parts = path.trim_start_matches('/').split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("accounts"), Some(r), Some(id)) => {
                let (r, id) = (RegionId::parse(r).ok()?, AccountId::parse(id).ok()?);
                store.tree.with(|t| t.find(&r, &id))
            }
            _ => None,
        }
    });
    let window = Memo::new(move |_| {
        let (top, height) = (scroll_top.get(), viewport.get());
        rows.with(|(rows, _)| {
            let first = ((top / ROW_HEIGHT) as usize).saturating_sub(OVERSCAN);
            let last = (((top + height) / ROW_HEIGHT).ceil() as usize + OVERSCAN).min(rows.len());
            (first..last).map(|i| (i, rows[i])).collect::<Vec<_>>()
        })
    });

    // Kind and status for the rows that stay on screen a moment, asked for once each.
    {
        let transport = transport.clone();
        Effect::new(move |_| {
            let before: Vec<NodeId> = window.with(|w| w.iter().map(|(_, r)| r.node).collect());
            let transport = transport.clone();
            spawn_local(async move {
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

    let scroll_to = move |i: usize| {
        scroll_into_view(tree_ref, scroll_top, i);
    };
    // The account whose page opens becomes the focused row, scrolled into view, once its row
    // exists (a shared link may need its ancestors loaded first).
    let revealed = StoredValue::new(None::<NodeId>);
    Effect::new(move |_| {
        let Some(node) = selected.get() else { return };
        if revealed.get_value() == Some(node) {
            return;
        }
        let at = rows.with(|(r, _)| r.iter().position(|row| row.node == node));
        if let Some(i) = at {
            revealed.set_value(Some(node));
            focus.set(i);
            scroll_into_view(tree_ref, scroll_top, i);
        }
    });
    let open_page = {
        let navigate = navigate.clone();
        move |node: NodeId| {
            if let Some(to) = store.tree.with_untracked(|t| href(t, node)) {
                navigate(&to, Default::default());
            }
        }
    };

    let toggle = {
        let transport = transport.clone();
        move |node: NodeId| {
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
    };

    let on_keydown = {
        let transport = transport.clone();
        let open_page = open_page.clone();
        move |ev: KeyboardEvent| {
            let key = ev.key();
            if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let at = focus.get_untracked();
            let mv = store
                .tree
                .with_untracked(|t| rows.with_untracked(|(rows, _)| key_move(t, rows, at, &key)));
            let handled = match mv {
                Move::Focus(i) => {
                    focus.set(i);
                    scroll_to(i);
                    true
                }
                Move::Expand(n) => {
                    expand(store, transport.clone(), n);
                    true
                }
                Move::Collapse(n) => {
                    store.tree.update(|t| t.nodes[n].expanded = false);
                    true
                }
                Move::ExpandSiblings(n) => {
                    let siblings = store.tree.with_untracked(|t| match t.nodes[n].parent {
                        Some(p) => match &t.nodes[p].children {
                            Children::Loaded(k) => k.clone(),
                            _ => vec![n],
                        },
                        None => t.roots.clone(),
                    });
                    for s in siblings {
                        if store.tree.with_untracked(|t| t.nodes[s].expandable()) {
                            expand(store, transport.clone(), s);
                        }
                    }
                    true
                }
                Move::Activate(n) => {
                    open_page(n);
                    true
                }
                Move::None => {
                    let printable = key.chars().count() == 1 && key != " " && key != "*";
                    if printable {
                        let now = js_sys::Date::now();
                        let prefix = typed.with_value(|(p, t)| {
                            if now - t > TYPE_AHEAD_MS {
                                key.clone()
                            } else {
                                format!("{p}{key}")
                            }
                        });
                        typed.set_value((prefix.clone(), now));
                        let hit = store.tree.with_untracked(|t| {
                            rows.with_untracked(|(rows, _)| type_ahead(t, rows, at, &prefix))
                        });
                        if let Some(i) = hit {
                            focus.set(i);
                            scroll_to(i);
                        }
                    }
                    printable
                }
            };
            if handled {
                ev.prevent_default();
            }
        }
    };

    // Keep the focused row inside the list when rows come and go.
    Effect::new(move |_| {
        let n = rows.with(|(r, _)| r.len());
        if n > 0 && focus.get_untracked() >= n {
            focus.set(n - 1);
        }
    });

    let active_id = move || {
        let i = focus.get();
        rows.with(|(r, _)| r.get(i).map(|row| format!("tree-node-{}", row.node)))
    };

    let row_views = {
        let toggle = toggle.clone();
        let open_page = open_page.clone();
        move || {
            let sel = selected.get();
            let focused = focus.get();
            window
                .get()
                .into_iter()
                .map(|(i, row)| {
                    store.tree.with(|t| {
                        render_row(
                            t,
                            i,
                            row,
                            focused == i,
                            sel == Some(row.node),
                            focus,
                            toggle.clone(),
                            open_page.clone(),
                        )
                    })
                })
                .collect_view()
        }
    };

    let total_height = move || format!("height: {}px", rows.with(|(r, _)| r.len()) * ROW_HEIGHT_PX);

    let find = {
        let transport = transport.clone();
        let navigate = navigate.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let text = filter.get_untracked();
            let Ok(id) = AccountId::parse(&text) else {
                // Not a GUID: the filter already shows what matched.
                return;
            };
            let regions: Vec<RegionId> =
                session.signed_in().into_iter().map(|(r, _, _)| r).collect();
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
            spawn_local(async move {
                let asks = regions.iter().map(|r| {
                    let transport = transport.clone();
                    let id = id.clone();
                    async move { (r.clone(), transport.call(r, &GetAccount(id)).await) }
                });
                let answers = futures::future::join_all(asks).await;
                match answers.iter().find(|(_, a)| a.is_ok()) {
                    Some((r, _)) => {
                        find_status.set(format!("Found {id} in {r}."));
                        navigate(&crate::links::account(r, &id), Default::default());
                    }
                    None => find_status.set(format!(
                        "No account with the GUID {id} in the {} region(s) you are signed in to, or it is outside what you may see.",
                        answers.len()
                    )),
                }
            });
        }
    };

    let summary = move || {
        let (shown, searched) =
            rows.with(|(r, s)| (r.iter().filter(|row| row.level > 1).count(), *s));
        let regions = session.signed_in().len();
        match searched {
            Some((n, matched)) => format!(
                "Searched the {n} accounts loaded so far in {regions} region(s), by name, email, company and GUID: {matched} match, shown with the accounts above them. Open more levels to search them too; press Enter to look a GUID up in every region."
            ),
            None => format!("{shown} accounts shown in {regions} region(s)."),
        }
    };

    view! {
        <div class="account-tree">
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

fn scroll_into_view(tree_ref: NodeRef<html::Div>, scroll_top: RwSignal<f64>, i: usize) {
    let Some(el) = tree_ref.get_untracked() else {
        return;
    };
    let top = f64::from(el.scroll_top());
    let height = f64::from(el.client_height());
    let row_top = i as f64 * ROW_HEIGHT;
    if row_top < top {
        el.set_scroll_top(row_top as i32);
    } else if row_top + ROW_HEIGHT > top + height {
        el.set_scroll_top((row_top + ROW_HEIGHT - height).ceil() as i32);
    }
    scroll_top.set(f64::from(el.scroll_top()));
}

#[allow(clippy::too_many_arguments)]
fn render_row(
    t: &Tree,
    index: usize,
    row: Row,
    focused: bool,
    selected: bool,
    focus: RwSignal<usize>,
    toggle: impl Fn(NodeId) + Clone + 'static,
    open_page: impl Fn(NodeId) + Clone + 'static,
) -> impl IntoView {
    let node = &t.nodes[row.node];
    let id = row.node;
    let is_region = matches!(node.kind, NodeKind::Region(_));
    let expandable = node.expandable();
    let expanded = expandable
        .then(|| (node.expanded && matches!(node.children, Children::Loaded(_))).to_string());
    let loading = matches!(node.children, Children::Loading);
    let failed = match &node.children {
        Children::Failed(e) => Some(e.to_string()),
        _ => None,
    };
    let glyph = match (&node.children, node.expanded, expandable) {
        (Children::Failed(_), _, _) => "↻",
        (_, _, false) => "",
        (Children::Loaded(_), true, _) => "▾",
        _ => "▸",
    };
    let kind = node.account_kind.filter(|_| !is_region).map(|k| match k {
        AccountKind::Partner => view! { <span class="mark kind partner">"Partner"</span> },
        AccountKind::Customer => view! { <span class="mark kind customer">"Customer"</span> },
    });
    let status = match node.status {
        Some(Status::Disabled) => {
            Some(view! { <span class="mark disabled">"Disabled"</span> }.into_any())
        }
        Some(Status::DeletionScheduled) => {
            Some(view! { <span class="mark deletion">"Deletion scheduled"</span> }.into_any())
        }
        _ => None,
    };
    let region = (!is_region).then(|| node.region().to_string());
    let name = node.name.clone();
    let email = node.email.clone().filter(|e| Some(e) != Some(&name));
    let class = format!(
        "row{}{}{}",
        if focused { " focused" } else { "" },
        if selected { " selected" } else { "" },
        if is_region { " region" } else { "" },
    );
    let style = format!(
        "transform: translateY({}px); padding-left: {}px",
        index * ROW_HEIGHT_PX,
        8 + (row.level as usize - 1) * 20
    );
    let click_toggle = toggle.clone();
    view! {
        <div
            role="treeitem"
            id=format!("tree-node-{id}")
            class=class
            style=style
            aria-setsize=row.size.to_string()
            aria-posinset=row.pos.to_string()
            aria-expanded=expanded
            aria-selected=selected.to_string()
            aria-busy=loading.then_some("true")
            on:click=move |_| {
                focus.set(index);
                if is_region { toggle(id) } else { open_page(id) }
            }
        >
            <span
                class="toggle"
                aria-hidden="true"
                on:click=move |ev| {
                    ev.stop_propagation();
                    focus.set(index);
                    click_toggle(id);
                }
            >
                {glyph}
            </span>
            <span class="name">{name}</span>
            {email.map(|e| view! { <span class="email">{e}</span> })}
            {kind}
            {status}
            {region.map(|r| view! { <span class="region-code">{r}</span> })}
            {loading.then(|| view! { <span class="spinner">"Loading…"</span> })}
            {failed.map(|e| view! { <span class="row-error">{e} " Press → or click ↻ to try again."</span> })}
        </div>
    }
    // tachys has no typed `aria-level`; set it as a plain attribute.
    .attr("aria-level", row.level.to_string())
}
