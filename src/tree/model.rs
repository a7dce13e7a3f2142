//! The account tree as plain data: nodes in an arena, one root per signed-in region, children
//! loaded one level at a time. Flattening (what is on screen), filtering and keyboard moves
//! are pure functions of this model, tested natively.

use partner_api::accounts::children::{ChildList, ChildSummary};
use partner_api::{AccountId, AccountKind, ApiError, RegionId};
use std::collections::HashMap;

/// A node's index in the arena.
pub type NodeId = usize;

/// What a row is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    /// A signed-in region: the top of its tree.
    Region(RegionId),
    Account(RegionId, AccountId),
}

/// Whether an account is enabled, disabled or on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Enabled,
    Disabled,
    DeletionScheduled,
}

/// The state of a node's children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Children {
    /// Not asked for yet.
    Unknown,
    Loading,
    Loaded(Vec<NodeId>),
    Failed(ApiError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// What a person calls it: company, else full name, else email, else the GUID.
    pub name: String,
    pub email: Option<String>,
    pub company: Option<String>,
    pub parent: Option<NodeId>,
    pub children: Children,
    pub expanded: bool,
    /// Partner or customer, once known (customers have no children).
    pub account_kind: Option<AccountKind>,
    pub status: Option<Status>,
    /// Whether details (kind, status) were asked for.
    pub details_requested: bool,
    /// Rows of its loaded level the region sent that could not be read.
    pub unreadable: usize,
    /// Lower-case name, email, company and GUID, for filtering.
    search: String,
}

impl Node {
    pub fn region(&self) -> &RegionId {
        match &self.kind {
            NodeKind::Region(r) | NodeKind::Account(r, _) => r,
        }
    }

    pub fn account(&self) -> Option<&AccountId> {
        match &self.kind {
            NodeKind::Account(_, id) => Some(id),
            NodeKind::Region(_) => None,
        }
    }

    /// Whether the row offers to open: anything but a known customer or a loaded empty level.
    pub fn expandable(&self) -> bool {
        match &self.children {
            Children::Loaded(c) => !c.is_empty(),
            _ => self.account_kind != Some(AccountKind::Customer),
        }
    }

    pub fn matches(&self, needle_lower: &str) -> bool {
        self.search.contains(needle_lower)
    }
}

/// One row on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    pub node: NodeId,
    /// 1-based depth (`aria-level`).
    pub level: u32,
    /// 1-based position among its siblings (`aria-posinset`).
    pub pos: u32,
    /// How many siblings (`aria-setsize`).
    pub size: u32,
}

#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub roots: Vec<NodeId>,
    /// Per region, account -> node.
    index: HashMap<RegionId, HashMap<AccountId, NodeId>>,
}

/// Lower-case name, email, company and GUID in one string, for filtering.
fn search_text(parts: &[Option<&str>]) -> String {
    let mut out = String::with_capacity(parts.iter().flatten().map(|p| p.len() + 1).sum());
    for p in parts.iter().flatten() {
        if !out.is_empty() {
            out.push('\u{1f}');
        }
        if p.is_ascii() {
            out.extend(p.bytes().map(|b| b.to_ascii_lowercase() as char));
        } else {
            out.push_str(&p.to_lowercase());
        }
    }
    out
}

impl Tree {
    /// The root node of a region, added when missing.
    pub fn region_root(&mut self, region: &RegionId, label: &str) -> NodeId {
        if let Some(&r) = self
            .roots
            .iter()
            .find(|&&r| self.nodes[r].kind == NodeKind::Region(region.clone()))
        {
            return r;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind: NodeKind::Region(region.clone()),
            name: label.to_owned(),
            email: None,
            company: None,
            parent: None,
            children: Children::Unknown,
            expanded: true,
            account_kind: Some(AccountKind::Partner),
            status: None,
            details_requested: true,
            unreadable: 0,
            search: String::new(),
        });
        self.roots.push(id);
        id
    }

    /// Drops a region's whole tree (on sign-out).
    pub fn remove_region(&mut self, region: &RegionId) {
        self.roots
            .retain(|&r| self.nodes[r].kind != NodeKind::Region(region.clone()));
        self.index.remove(region);
    }

    pub fn find(&self, region: &RegionId, id: &AccountId) -> Option<NodeId> {
        self.index.get(region)?.get(id).copied()
    }

    /// Adds (or refreshes) an account under `parent` from a children-list row.
    pub fn upsert(&mut self, region: &RegionId, parent: NodeId, child: &ChildSummary) -> NodeId {
        let name = child.display_name().to_owned();
        let search = search_text(&[
            Some(&name),
            child.email.as_deref(),
            child.company_name.as_deref(),
            child.full_name.as_deref(),
            Some(child.id.as_str()),
        ]);
        if let Some(existing) = self.find(region, &child.id) {
            let n = &mut self.nodes[existing];
            n.name = name;
            n.email = child.email.clone();
            n.company = child.company_name.clone();
            n.search = search;
            n.parent = Some(parent);
            return existing;
        }
        let id = self.nodes.len();
        self.nodes.push(Node {
            kind: NodeKind::Account(region.clone(), child.id.clone()),
            name,
            email: child.email.clone(),
            company: child.company_name.clone(),
            parent: Some(parent),
            children: Children::Unknown,
            expanded: false,
            account_kind: None,
            status: None,
            details_requested: false,
            unreadable: 0,
            search,
        });
        self.index
            .entry(region.clone())
            .or_default()
            .insert(child.id.clone(), id);
        id
    }

    /// Sets a node's loaded children from a children list, in the server's order. Children
    /// that are no longer in the list (moved or deleted) are detached.
    pub fn set_children(&mut self, region: &RegionId, parent: NodeId, list: &[ChildSummary]) {
        let old = std::mem::replace(&mut self.nodes[parent].children, Children::Loading);
        if let Children::Loaded(old) = old {
            for o in old {
                if self.nodes[o].parent == Some(parent) {
                    self.nodes[o].parent = None;
                }
            }
        }
        let ids: Vec<NodeId> = list
            .iter()
            .map(|c| self.upsert(region, parent, c))
            .collect();
        self.nodes[parent].children = Children::Loaded(ids);
    }

    /// Sets a node's level from a children list, counting the rows that could not be read.
    pub fn set_level(&mut self, region: &RegionId, parent: NodeId, list: &ChildList) {
        self.set_children(region, parent, &list.children);
        self.nodes[parent].unreadable = list.unreadable;
    }

    /// Puts a whole subtree (every account below `top`'s, parents before their children, as
    /// the v3 `all=1` listing gives it) into the tree: each level in it becomes loaded, in
    /// the region's order, and the accounts without a row below them have none. A row whose
    /// parent came neither before it nor is `top` is left out.
    pub fn set_subtree(&mut self, region: &RegionId, top: NodeId, list: &ChildList) {
        // What was loaded below `top` is detached first; the listing attaches it again.
        let mut stack = vec![top];
        while let Some(n) = stack.pop() {
            if let Children::Loaded(kids) = &self.nodes[n].children {
                for &k in kids {
                    if self.nodes[k].parent == Some(n) {
                        stack.push(k);
                    }
                }
                for k in kids.clone() {
                    self.nodes[k].parent = None;
                }
            }
        }
        let mut levels: Vec<Vec<NodeId>> = Vec::new();
        let mut touched = vec![top];
        for row in &list.children {
            let Some(parent) = row.parent_id.as_ref().and_then(|p| self.find(region, p)) else {
                continue;
            };
            if parent != top && self.nodes[parent].parent.is_none() {
                continue;
            }
            let node = self.upsert(region, parent, row);
            if levels.len() <= node.max(parent) {
                levels.resize(self.nodes.len(), Vec::new());
            }
            levels[parent].push(node);
            touched.push(node);
        }
        levels.resize(self.nodes.len(), Vec::new());
        for n in touched {
            self.nodes[n].children = Children::Loaded(std::mem::take(&mut levels[n]));
        }
    }

    /// Whether every account below `node` is loaded: each level is, down to the accounts
    /// known to be customers. Then filtering what is loaded searches everything.
    pub fn all_loaded(&self, node: NodeId) -> bool {
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            let nd = &self.nodes[n];
            match &nd.children {
                Children::Loaded(kids) => stack.extend(kids.iter().copied()),
                _ if nd.account_kind == Some(AccountKind::Customer) => {}
                _ => return false,
            }
        }
        true
    }

    /// Rows on screen: the roots and every child of an expanded node, depth first.
    pub fn flatten(&self) -> Vec<Row> {
        let mut out = Vec::new();
        let mut stack: Vec<(NodeId, u32, u32, u32)> = Vec::new();
        let n = self.roots.len() as u32;
        for (i, &r) in self.roots.iter().enumerate().rev() {
            stack.push((r, 1, i as u32 + 1, n));
        }
        while let Some((node, level, pos, size)) = stack.pop() {
            out.push(Row {
                node,
                level,
                pos,
                size,
            });
            let nd = &self.nodes[node];
            if nd.expanded {
                if let Children::Loaded(kids) = &nd.children {
                    let size = kids.len() as u32;
                    for (i, &k) in kids.iter().enumerate().rev() {
                        stack.push((k, level + 1, i as u32 + 1, size));
                    }
                }
            }
        }
        out
    }

    /// Rows for a filter: every loaded node that matches, with its ancestors for context,
    /// shown as if expanded. Returns the rows, how many nodes were searched and how many
    /// matched. Linear in the number of loaded nodes.
    pub fn filter(&self, needle: &str) -> (Vec<Row>, usize, usize) {
        let needle = needle.trim().to_lowercase();
        let mut searched = 0;
        let mut matched = 0;
        let mut keep = vec![false; self.nodes.len()];
        for (i, n) in self.nodes.iter().enumerate() {
            if !matches!(n.kind, NodeKind::Account(..)) {
                continue;
            }
            searched += 1;
            if n.matches(&needle) && self.is_live(i) {
                matched += 1;
                let mut cursor = Some(i);
                while let Some(c) = cursor {
                    if keep[c] {
                        break;
                    }
                    keep[c] = true;
                    cursor = self.nodes[c].parent;
                }
            }
        }
        let mut out = Vec::new();
        let roots: Vec<NodeId> = self.roots.iter().copied().filter(|&r| keep[r]).collect();
        let n = roots.len() as u32;
        let mut stack: Vec<(NodeId, u32, u32, u32)> = roots
            .iter()
            .enumerate()
            .rev()
            .map(|(i, &r)| (r, 1, i as u32 + 1, n))
            .collect();
        while let Some((node, level, pos, size)) = stack.pop() {
            out.push(Row {
                node,
                level,
                pos,
                size,
            });
            if let Children::Loaded(kids) = &self.nodes[node].children {
                let kept: Vec<NodeId> = kids.iter().copied().filter(|&k| keep[k]).collect();
                let size = kept.len() as u32;
                for (i, &k) in kept.iter().enumerate().rev() {
                    stack.push((k, level + 1, i as u32 + 1, size));
                }
            }
        }
        (out, searched, matched)
    }

    /// Whether a node is still attached to a root (moved or deleted accounts are detached
    /// when their old level reloads).
    fn is_live(&self, node: NodeId) -> bool {
        let mut cursor = node;
        let mut steps = 0;
        while let Some(p) = self.nodes[cursor].parent {
            cursor = p;
            steps += 1;
            if steps > self.nodes.len() {
                return false;
            }
        }
        self.roots.contains(&cursor)
    }

    /// The path from the root down to `node`.
    pub fn path(&self, node: NodeId) -> Vec<NodeId> {
        let mut out = vec![node];
        let mut cursor = self.nodes[node].parent;
        while let Some(c) = cursor {
            out.push(c);
            cursor = self.nodes[c].parent;
        }
        out.reverse();
        out
    }

    /// Where account `id` may move, among the accounts loaded in `region`: partner accounts
    /// (known as such, or with sub-accounts) outside its own subtree, other than where it is
    /// now, matching the lower-case `needle`; at most `limit`, each with its name and depth.
    pub fn move_targets(
        &self,
        region: &RegionId,
        id: &AccountId,
        current_parent: Option<&AccountId>,
        needle: &str,
        limit: usize,
    ) -> Vec<(AccountId, String, usize)> {
        let me = self.find(region, id);
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let NodeKind::Account(r, a) = &n.kind else {
                    return None;
                };
                let partner = n.account_kind == Some(AccountKind::Partner)
                    || matches!(n.children, Children::Loaded(ref c) if !c.is_empty());
                let offered = r == region
                    && a != id
                    && Some(a) != current_parent
                    && partner
                    && (needle.is_empty() || n.matches(needle));
                if !offered {
                    return None;
                }
                let path = self.path(i);
                let inside = me.is_some_and(|m| path.contains(&m));
                (!inside).then(|| (a.clone(), n.name.clone(), path.len()))
            })
            .take(limit)
            .collect()
    }
}

/// What a key does in the tree (the WAI-ARIA tree view pattern).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Move {
    /// Focus this row index.
    Focus(usize),
    /// Open the node (load its children if needed); focus stays.
    Expand(NodeId),
    /// Close the node; focus stays.
    Collapse(NodeId),
    /// Open every sibling of the node.
    ExpandSiblings(NodeId),
    /// Open the account page.
    Activate(NodeId),
    None,
}

/// The move for `key` with focus on row `at`.
pub fn key_move(tree: &Tree, rows: &[Row], at: usize, key: &str) -> Move {
    let Some(row) = rows.get(at) else {
        return if rows.is_empty() {
            Move::None
        } else {
            Move::Focus(0)
        };
    };
    let node = &tree.nodes[row.node];
    match key {
        "ArrowDown" => Move::Focus((at + 1).min(rows.len() - 1)),
        "ArrowUp" => Move::Focus(at.saturating_sub(1)),
        "Home" => Move::Focus(0),
        "End" => Move::Focus(rows.len() - 1),
        "ArrowRight" => {
            if !node.expandable() {
                Move::None
            } else if !node.expanded || !matches!(node.children, Children::Loaded(_)) {
                Move::Expand(row.node)
            } else if rows.get(at + 1).is_some_and(|r| r.level > row.level) {
                Move::Focus(at + 1)
            } else {
                Move::None
            }
        }
        "ArrowLeft" => {
            if node.expanded && node.expandable() && row.level > 1
                || (row.level == 1 && node.expanded)
            {
                Move::Collapse(row.node)
            } else {
                // Focus the parent row.
                rows[..at]
                    .iter()
                    .rposition(|r| r.level < row.level)
                    .map_or(Move::None, Move::Focus)
            }
        }
        "Enter" => Move::Activate(row.node),
        "*" => Move::ExpandSiblings(row.node),
        _ => Move::None,
    }
}

/// Type-ahead: the next row after `at` (wrapping) whose name starts with `prefix`.
pub fn type_ahead(tree: &Tree, rows: &[Row], at: usize, prefix: &str) -> Option<usize> {
    let prefix = prefix.to_lowercase();
    let n = rows.len();
    // A repeated single letter moves on; a longer prefix may match the current row.
    let start = if prefix.chars().count() == 1 { 1 } else { 0 };
    (start..n + start).map(|i| (at + i) % n).find(|&i| {
        tree.nodes[rows[i].node]
            .name
            .to_lowercase()
            .starts_with(&prefix)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u32) -> AccountId {
        AccountId::parse(&format!("{n:06}-aaaaaa-bbbbbb")).unwrap()
    }

    fn child(n: u32, name: &str) -> ChildSummary {
        ChildSummary {
            id: id(n),
            created: None,
            parent_id: None,
            email: Some(format!(
                "{}@x.example",
                name.to_lowercase().replace(' ', ".")
            )),
            full_name: None,
            company_name: Some(name.into()),
        }
    }

    /// dk: Root > [Alpha > [Able, Baker], Beta, Gamma]; us: (not loaded)
    fn sample() -> (Tree, RegionId) {
        let dk = RegionId::parse("dk-co").unwrap();
        let mut t = Tree::default();
        let r = t.region_root(&dk, "Denmark");
        t.set_children(&dk, r, &[child(1, "Root Co")]);
        let root = t.find(&dk, &id(1)).unwrap();
        t.nodes[root].expanded = true;
        t.set_children(
            &dk,
            root,
            &[child(2, "Alpha"), child(3, "Beta"), child(4, "Gamma")],
        );
        let alpha = t.find(&dk, &id(2)).unwrap();
        t.set_children(&dk, alpha, &[child(5, "Able"), child(6, "Baker")]);
        t.region_root(&RegionId::parse("us-dc").unwrap(), "United States");
        (t, dk)
    }

    fn names(t: &Tree, rows: &[Row]) -> Vec<String> {
        rows.iter()
            .map(|r| format!("{}:{}/{}@{}", t.nodes[r.node].name, r.pos, r.size, r.level))
            .collect()
    }

    #[test]
    fn flattening_follows_expansion_with_aria_positions() {
        let (mut t, dk) = sample();
        assert_eq!(
            names(&t, &t.flatten()),
            [
                "Denmark:1/2@1",
                "Root Co:1/1@2",
                "Alpha:1/3@3",
                "Beta:2/3@3",
                "Gamma:3/3@3",
                "United States:2/2@1"
            ]
        );
        let alpha = t.find(&dk, &id(2)).unwrap();
        t.nodes[alpha].expanded = true;
        let rows = t.flatten();
        assert_eq!(
            names(&t, &rows[2..5]),
            ["Alpha:1/3@3", "Able:1/2@4", "Baker:2/2@4"]
        );
    }

    #[test]
    fn an_account_moves_only_outside_its_own_subtree_under_partners() {
        let (mut t, r) = sample();
        let a = t.find(&r, &id(1)).unwrap();
        // Account 1 has children, so it is a place; its own subtree is not.
        let targets = |t: &Tree, who: u32| -> Vec<String> {
            t.move_targets(&r, &id(who), None, "", 200)
                .into_iter()
                .map(|(_, name, _)| name)
                .collect()
        };
        let from_child = targets(&t, 2);
        assert!(from_child.contains(&t.nodes[a].name), "{from_child:?}");
        assert!(targets(&t, 1).iter().all(|n| n != &t.nodes[a].name));
        // Not where it already is.
        let here = t.move_targets(&r, &id(2), Some(&id(1)), "", 200);
        assert!(here.iter().all(|(x, _, _)| x != &id(1)));
        // A customer is never a place.
        t.nodes[a].account_kind = Some(AccountKind::Customer);
        t.nodes[a].children = Children::Loaded(vec![]);
        assert!(targets(&t, 2).iter().all(|n| n != &t.nodes[a].name));
    }

    #[test]
    fn keyboard_moves() {
        let (mut t, dk) = sample();
        let rows = t.flatten();
        assert_eq!(key_move(&t, &rows, 0, "ArrowDown"), Move::Focus(1));
        assert_eq!(key_move(&t, &rows, 0, "ArrowUp"), Move::Focus(0));
        assert_eq!(key_move(&t, &rows, 2, "End"), Move::Focus(5));
        assert_eq!(key_move(&t, &rows, 5, "ArrowDown"), Move::Focus(5));
        assert_eq!(key_move(&t, &rows, 4, "Home"), Move::Focus(0));
        let alpha = t.find(&dk, &id(2)).unwrap();
        // Right on a closed node opens it; on an open one it goes to the first child.
        assert_eq!(key_move(&t, &rows, 2, "ArrowRight"), Move::Expand(alpha));
        assert_eq!(key_move(&t, &rows, 1, "ArrowRight"), Move::Focus(2));
        // Left on a closed node goes to the parent; on an open one it closes it.
        assert_eq!(key_move(&t, &rows, 3, "ArrowLeft"), Move::Focus(1));
        let root = t.find(&dk, &id(1)).unwrap();
        assert_eq!(key_move(&t, &rows, 1, "ArrowLeft"), Move::Collapse(root));
        assert_eq!(
            key_move(&t, &rows, 3, "Enter"),
            Move::Activate(rows[3].node)
        );
        assert_eq!(
            key_move(&t, &rows, 3, "*"),
            Move::ExpandSiblings(rows[3].node)
        );
        // A known customer does not open.
        let beta = t.find(&dk, &id(3)).unwrap();
        t.nodes[beta].account_kind = Some(AccountKind::Customer);
        assert_eq!(key_move(&t, &rows, 3, "ArrowRight"), Move::None);
        assert!(!t.nodes[beta].expandable());
    }

    #[test]
    fn type_ahead_finds_the_next_match_and_wraps() {
        let (t, _) = sample();
        let rows = t.flatten();
        assert_eq!(type_ahead(&t, &rows, 0, "g"), Some(4));
        assert_eq!(type_ahead(&t, &rows, 4, "g"), Some(4));
        assert_eq!(type_ahead(&t, &rows, 0, "be"), Some(3));
        assert_eq!(type_ahead(&t, &rows, 3, "u"), Some(5));
        assert_eq!(type_ahead(&t, &rows, 0, "zz"), None);
    }

    #[test]
    fn filtering_keeps_ancestors_and_counts_what_was_searched() {
        let (t, _) = sample();
        let (rows, searched, matched) = t.filter("BAKER");
        assert_eq!(matched, 1);
        assert_eq!(searched, 6);
        assert_eq!(
            names(&t, &rows),
            [
                "Denmark:1/1@1",
                "Root Co:1/1@2",
                "Alpha:1/1@3",
                "Baker:1/1@4"
            ]
        );
        let (rows, _, _) = t.filter("x.example");
        assert_eq!(rows.len(), 1 + 6);
        let (rows, _, _) = t.filter("000004-aaaaaa");
        assert_eq!(t.nodes[rows.last().unwrap().node].name, "Gamma");
        assert!(t.filter("nothing like it").0.is_empty());
    }

    #[test]
    fn reloading_a_level_keeps_nodes_and_drops_moved_ones_from_results() {
        let (mut t, dk) = sample();
        let root = t.find(&dk, &id(1)).unwrap();
        let alpha = t.find(&dk, &id(2)).unwrap();
        // Beta moved away: the reloaded level no longer has it.
        t.set_children(&dk, root, &[child(2, "Alpha renamed"), child(4, "Gamma")]);
        assert_eq!(t.find(&dk, &id(2)), Some(alpha));
        assert_eq!(t.nodes[alpha].name, "Alpha renamed");
        let (rows, _, _) = t.filter("beta");
        assert!(
            rows.is_empty(),
            "{:?}",
            rows.iter()
                .map(|r| t.nodes[r.node].name.clone())
                .collect::<Vec<_>>()
        );
        assert_eq!(t.path(t.find(&dk, &id(5)).unwrap()).len(), 4);
    }

    #[test]
    fn a_whole_subtree_loads_every_level_and_then_all_is_loaded() {
        let (mut t, dk) = sample();
        let root = t.find(&dk, &id(1)).unwrap();
        let region_root = t.roots[0];
        assert!(!t.all_loaded(region_root), "Beta and Gamma are not loaded");
        let under = |n: u32, name: &str, parent: u32| ChildSummary {
            parent_id: Some(id(parent)),
            ..child(n, name)
        };
        let list = ChildList {
            children: vec![
                under(2, "Alpha", 1),
                under(5, "Able", 2),
                under(3, "Beta", 1),
                under(7, "Deep Down", 3),
                under(8, "Deeper Still", 7),
                under(4, "Gamma", 1),
            ],
            unreadable: 1,
        };
        t.set_subtree(&dk, root, &list);
        assert!(t.all_loaded(region_root));
        let (rows, _, matched) = t.filter("deeper");
        assert_eq!(matched, 1);
        assert_eq!(
            names(&t, &rows),
            [
                "Denmark:1/1@1",
                "Root Co:1/1@2",
                "Beta:1/1@3",
                "Deep Down:1/1@4",
                "Deeper Still:1/1@5"
            ]
        );
        // Baker is no longer below Alpha: the subtree is the whole truth.
        assert!(t.filter("baker").0.is_empty());
        let beta = t.find(&dk, &id(3)).unwrap();
        t.set_level(
            &dk,
            beta,
            &ChildList {
                unreadable: 2,
                ..ChildList::default()
            },
        );
        assert_eq!(t.nodes[beta].unreadable, 2);
    }
}
