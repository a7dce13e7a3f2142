//! The tree's keyboard, as the WAI-ARIA tree view pattern has it: arrows, Home and End,
//! → to open and ← to close or go up, Enter to open the account, * to open the level,
//! and type-ahead. What a key means is [`key_move`], a pure function of the model.

use super::TreeView;
use crate::transport::Transport;
use crate::tree::load::expand;
use crate::tree::model::{key_move, type_ahead, Children, Move};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// Type-ahead letters typed within this many milliseconds form one prefix.
const TYPE_AHEAD_MS: f64 = 700.0;

/// The tree's `keydown` handler.
pub(super) fn handler(
    view: TreeView,
    transport: Transport,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
) -> impl Fn(KeyboardEvent) + 'static {
    let TreeView {
        store, focus, rows, ..
    } = view;
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
                view.focus_row(i);
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
                view.open_page(&navigate, n);
                true
            }
            Move::None => type_to_find(view, &key, at),
        };
        if handled {
            ev.prevent_default();
        }
    }
}

/// A printable key extends the type-ahead prefix and focuses the next row it matches.
fn type_to_find(view: TreeView, key: &str, at: usize) -> bool {
    let printable = key.chars().count() == 1 && key != " " && key != "*";
    if !printable {
        return false;
    }
    let now = js_sys::Date::now();
    let prefix = view.typed.with_value(|(p, t)| {
        if now - t > TYPE_AHEAD_MS {
            key.to_owned()
        } else {
            format!("{p}{key}")
        }
    });
    view.typed.set_value((prefix.clone(), now));
    let hit = view.store.tree.with_untracked(|t| {
        view.rows
            .with_untracked(|(rows, _)| type_ahead(t, rows, at, &prefix))
    });
    if let Some(i) = hit {
        view.focus_row(i);
    }
    true
}
