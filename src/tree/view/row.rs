//! One row of the tree and scrolling it into view.

use super::{ROW_HEIGHT, ROW_HEIGHT_PX};
use crate::tree::model::{Children, NodeId, NodeKind, Row, Status, Tree};
use leptos::html;
use leptos::prelude::*;
use partner_api::AccountKind;

/// Scrolls the tree just enough that row `i` shows.
pub(super) fn scroll_into_view(tree_ref: NodeRef<html::Div>, scroll_top: RwSignal<f64>, i: usize) {
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

/// How a row stands out: focused (the active row) and selected (its page is open).
pub(super) struct Marks {
    pub focused: bool,
    pub selected: bool,
}

/// One row: its toggle, name, email, kind, status and region, and its level's error.
pub(super) fn render_row(
    t: &Tree,
    index: usize,
    row: Row,
    marks: Marks,
    focus: RwSignal<usize>,
    toggle: impl Fn(NodeId) + Clone + 'static,
    open_page: impl Fn(NodeId) + Clone + 'static,
) -> impl IntoView {
    let Marks { focused, selected } = marks;
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
    let unreadable = partner_api::accounts::children::unreadable_words(node.unreadable, "below");
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
            {unreadable.map(|w| view! { <span class="row-error">{w}</span> })}
        </div>
    }
    // tachys has no typed `aria-level`; set it as a plain attribute.
    .attr("aria-level", row.level.to_string())
}
