//! The invariants of ARCHITECTURE.md that a test can check, read from the source itself:
//!
//! - no import cycle in any crate: at every level of a crate's module tree, the modules
//!   side by side depend on each other without a cycle (a folder counts as one module
//!   from outside; a module using its own ancestors is fine);
//! - pages stand side by side: no module under `src/pages/` uses another page;
//! - only the transport knows the network: `gloo_net`, `Authorization` and `fetch` appear
//!   in `src/transport` alone;
//! - the core knows no browser, no network and no runtime: `partner-api` depends on none of
//!   them and its code names none of them;
//! - the portal's own links are built in `src/links.rs` (routes are declared in `app.rs`).
//!
//! The checker reads `use` trees and `crate::`/`super::`/`self::` paths with a small
//! tokenizer (comments, strings and char literals skipped; inline `mod x { }` blocks
//! tracked). Its own tests below show that it finds what it must.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates of the workspace, by their source folder (relative to the portal's root).
const CRATES: [&str; 5] = [
    "src",
    "crates/partner-api/src",
    "crates/partner-sandbox/src",
    "crates/partner-deploy/src",
    "tests/e2e/src",
];

type Module = Vec<String>;

/// A crate's modules and the uses between them.
#[derive(Debug, Default)]
struct Graph {
    /// Every module, with the file it lives in.
    modules: BTreeMap<Module, String>,
    /// (from, to, the file and line of the use), `to` resolved to the longest known module.
    edges: Vec<(Module, Module, String)>,
}

// ----- reading the source -------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path, // ::
    Punct(char),
}

/// The tokens of a file with their line numbers; comments, strings and char literals are
/// dropped (so a `crate::` in a doc comment or a message is not a use).
fn tokens(text: &str) -> Vec<(Tok, usize)> {
    let c: Vec<char> = text.chars().collect();
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(c[i] == '\n');
                    i += 1;
                }
            }
        } else if ch == 'r' && (next == Some('"') || (next == Some('#') && raw_string_at(&c, i))) {
            // r"..." or r#"..."#
            let mut j = i + 1;
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            loop {
                match c.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| c.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some('\n') => {
                        line += 1;
                        j += 1;
                    }
                    _ => j += 1,
                }
            }
            i = j;
        } else if ch == '"' || (ch == 'b' && next == Some('"')) {
            let mut j = if ch == 'b' { i + 2 } else { i + 1 };
            while j < c.len() && c[j] != '"' {
                if c[j] == '\\' {
                    j += 1;
                }
                line += usize::from(c.get(j) == Some(&'\n'));
                j += 1;
            }
            i = j + 1;
        } else if ch == '\'' {
            // A char literal ('x', '\n', '\u{..}', '{') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1; // a lifetime: its name is read as an identifier next
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let start = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(c[start..i].iter().collect()), line));
        } else if ch == ':' && next == Some(':') {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            out.push((Tok::Punct(ch), line));
            i += 1;
        }
    }
    out
}

fn raw_string_at(c: &[char], i: usize) -> bool {
    let mut j = i + 1;
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    c.get(j) == Some(&'"')
}

/// The paths a `use` tree names, each as its segments (`use crate::{a, b::{c, d}}` gives
/// `crate::a`, `crate::b::c`, `crate::b::d`). `pos` is just after `use`; returns where the
/// tree ends.
fn use_tree(
    toks: &[(Tok, usize)],
    mut pos: usize,
    prefix: &[String],
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    loop {
        match toks.get(pos).map(|t| &t.0) {
            Some(Tok::Ident(name)) if name == "as" => {
                pos += 2; // `as alias`
                out.push(path.clone());
                return pos;
            }
            Some(Tok::Ident(name)) => {
                path.push(name.clone());
                pos += 1;
            }
            Some(Tok::Path) => pos += 1,
            Some(Tok::Punct('*')) => {
                out.push(path.clone());
                return pos + 1;
            }
            Some(Tok::Punct('{')) => {
                pos += 1;
                loop {
                    match toks.get(pos).map(|t| &t.0) {
                        Some(Tok::Punct('}')) => return pos + 1,
                        Some(Tok::Punct(',')) => pos += 1,
                        None => return pos,
                        _ => pos = use_tree(toks, pos, &path, out),
                    }
                }
            }
            _ => {
                out.push(path.clone());
                return pos;
            }
        }
    }
}

/// Resolves a path written in module `here` to absolute segments inside the crate, or
/// `None` when it leaves the crate (another crate, `std`, a local name).
fn absolute(here: &[String], path: &[String]) -> Option<Vec<String>> {
    let mut segments = path.iter();
    let mut base: Vec<String> = match segments.next()?.as_str() {
        "crate" => Vec::new(),
        "self" => here.to_vec(),
        "super" => here[..here.len().checked_sub(1)?].to_vec(),
        _ => return None,
    };
    let mut rest: Vec<String> = Vec::new();
    for s in segments {
        if s == "super" && rest.is_empty() {
            base.pop();
        } else if s != "self" {
            rest.push(s.clone());
        }
    }
    base.extend(rest);
    Some(base)
}

/// The module a file is, from its path under the crate's source folder.
fn module_of(relative: &Path) -> Module {
    let mut parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    // src/bin/x.rs is a crate of its own; it is read as the module `bin::x`, which uses
    // nothing inside the library by `crate::` paths.
    parts
}

/// Reads one crate from in-memory sources: (path relative to its source folder, text).
fn graph(files: &[(PathBuf, String)]) -> Graph {
    let mut g = Graph::default();
    for (path, _) in files {
        g.modules
            .insert(module_of(path), path.display().to_string());
    }
    let mut raw: Vec<(Module, Vec<String>, String)> = Vec::new();
    for (path, text) in files {
        let file_module = module_of(path);
        let toks = tokens(text);
        // Inline modules: (name, brace depth at which it closes).
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0usize;
        let mut i = 0;
        while i < toks.len() {
            let here: Module = file_module
                .iter()
                .cloned()
                .chain(inline.iter().map(|m| m.0.clone()))
                .collect();
            match &toks[i].0 {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth = depth.saturating_sub(1);
                    if inline.last().is_some_and(|m| m.1 == depth) {
                        inline.pop();
                    }
                }
                Tok::Ident(k) if k == "mod" => {
                    if let (Some((Tok::Ident(name), _)), Some((Tok::Punct('{'), _))) =
                        (toks.get(i + 1), toks.get(i + 2))
                    {
                        inline.push((name.clone(), depth));
                        g.modules
                            .entry(here.iter().cloned().chain([name.clone()]).collect())
                            .or_insert_with(|| path.display().to_string());
                        depth += 1;
                        i += 3;
                        continue;
                    }
                }
                Tok::Ident(k) if k == "use" => {
                    let line = toks[i].1;
                    let mut paths = Vec::new();
                    i = use_tree(&toks, i + 1, &[], &mut paths);
                    for p in paths {
                        if let Some(abs) = absolute(&here, &p) {
                            raw.push((here.clone(), abs, format!("{}:{line}", path.display())));
                        }
                    }
                    continue;
                }
                Tok::Ident(k)
                    if matches!(k.as_str(), "crate" | "super" | "self")
                        && toks.get(i + 1).map(|t| &t.0) == Some(&Tok::Path) =>
                {
                    let line = toks[i].1;
                    let mut p = vec![k.clone()];
                    let mut j = i + 1;
                    while let (Some((Tok::Path, _)), Some((Tok::Ident(s), _))) =
                        (toks.get(j), toks.get(j + 1))
                    {
                        p.push(s.clone());
                        j += 2;
                    }
                    if let Some(abs) = absolute(&here, &p) {
                        raw.push((here.clone(), abs, format!("{}:{line}", path.display())));
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }
    for (from, to, at) in raw {
        // The longest prefix that is a module: `crate::state::Session` is a use of `state`.
        let target = (0..=to.len())
            .rev()
            .map(|n| to[..n].to_vec())
            .find(|m| g.modules.contains_key(m));
        if let Some(target) = target {
            if target != from {
                g.edges.push((from, target, at));
            }
        }
    }
    g
}

/// Every cycle among modules side by side: for each use, the two modules under the deepest
/// common ancestor that contain each end. A use of one's own ancestor is not a dependency
/// between siblings. Returns each cycle as the module names in order, with one use per step.
fn cycles(g: &Graph) -> Vec<String> {
    // parent -> sibling edges (a -> b) with an example use.
    let mut levels: BTreeMap<Module, BTreeMap<String, BTreeMap<String, String>>> = BTreeMap::new();
    for (from, to, at) in &g.edges {
        let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
        if common == from.len() || common == to.len() {
            continue; // one is inside the other
        }
        levels
            .entry(from[..common].to_vec())
            .or_default()
            .entry(from[common].clone())
            .or_default()
            .entry(to[common].clone())
            .or_insert_with(|| at.clone());
    }
    let mut found = Vec::new();
    for (parent, edges) in &levels {
        let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
        for start in edges.keys() {
            if let Some(cycle) = path_back(edges, start) {
                let members: BTreeSet<String> = cycle.iter().map(|(m, _)| m.clone()).collect();
                if reported.insert(members) {
                    let prefix = if parent.is_empty() {
                        String::new()
                    } else {
                        format!("{}::", parent.join("::"))
                    };
                    let steps: Vec<String> = cycle
                        .iter()
                        .map(|(m, at)| format!("{prefix}{m} (uses the next at {at})"))
                        .collect();
                    found.push(steps.join(" -> "));
                }
            }
        }
    }
    found
}

/// A way from `start` back to itself, breadth first (so the shortest), with a use per step.
fn path_back(
    edges: &BTreeMap<String, BTreeMap<String, String>>,
    start: &str,
) -> Option<Vec<(String, String)>> {
    let mut came_from: BTreeMap<String, (String, String)> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start.to_owned()]);
    while let Some(node) = queue.pop_front() {
        for (next, at) in edges.get(&node).into_iter().flatten() {
            if next == start {
                let mut steps = vec![(node.clone(), at.clone())];
                let mut cur = node.clone();
                while cur != start {
                    let (prev, at) = came_from[&cur].clone();
                    steps.push((prev.clone(), at));
                    cur = prev;
                }
                steps.reverse();
                return Some(steps);
            }
            if !came_from.contains_key(next) && next != start {
                came_from.insert(next.clone(), (node.clone(), at.clone()));
                queue.push_back(next.clone());
            }
        }
    }
    None
}

/// Uses from one page into another: `pages::a...` using `pages::b...`.
fn page_to_page(g: &Graph) -> Vec<String> {
    g.edges
        .iter()
        .filter(|(from, to, _)| {
            // Inside pages/, a module uses only what is above it (its page) or below it
            // (its own parts): never a page beside it, nor a part beside it in its page.
            from.len() >= 2
                && to.len() >= 2
                && from[0] == "pages"
                && to[0] == "pages"
                && !from.starts_with(to)
                && !to.starts_with(from)
        })
        .map(|(from, to, at)| format!("{} uses {} at {at}", from.join("::"), to.join("::")))
        .collect()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `.rs` files under a folder, relative to it, with their text.
fn read_crate(dir: &Path) -> Vec<(PathBuf, String)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read source folder")
            .flatten()
            .collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let path = e.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&path).expect("read source file");
                out.push((path.strip_prefix(base).unwrap().to_path_buf(), text));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out
}

// ----- the invariants -----------------------------------------------------------------

#[test]
fn no_crate_has_an_import_cycle() {
    let mut problems = Vec::new();
    for krate in CRATES {
        let files = read_crate(&root().join(krate));
        assert!(!files.is_empty(), "{krate} has no source");
        for cycle in cycles(&graph(&files)) {
            problems.push(format!("{krate}: {cycle}"));
        }
    }
    assert!(
        problems.is_empty(),
        "import cycles:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_page_imports_another_page() {
    let g = graph(&read_crate(&root().join("src")));
    assert!(
        g.modules
            .keys()
            .filter(|m| m.len() == 2 && m[0] == "pages")
            .count()
            >= 10,
        "the pages were not found: {:?}",
        g.modules.keys()
    );
    let found = page_to_page(&g);
    assert!(
        found.is_empty(),
        "pages stand side by side, yet:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_the_transport_knows_the_network() {
    let mut found = Vec::new();
    for (path, text) in read_crate(&root().join("src")) {
        if path.starts_with("transport") || path == Path::new("transport.rs") {
            continue;
        }
        let toks = tokens(&text);
        for (t, line) in &toks {
            if let Tok::Ident(name) = t {
                if matches!(
                    name.as_str(),
                    "gloo_net" | "RequestInit" | "fetch_with_request" | "fetch_with_str"
                ) {
                    found.push(format!("src/{}:{line} names {name}", path.display()));
                }
            }
        }
        // A header set outside the transport: the literal is inside a string, so read raw.
        for (n, l) in text.lines().enumerate() {
            if l.contains("\"Authorization\"") || l.contains("\"authorization\"") {
                found.push(format!(
                    "src/{}:{} sets Authorization",
                    path.display(),
                    n + 1
                ));
            }
        }
    }
    assert!(
        found.is_empty(),
        "only src/transport may touch the network:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_portals_links_are_built_in_one_place() {
    // Routes are declared in app.rs and built in links.rs; everything else asks links.rs.
    const ROUTES: [&str; 6] = [
        "/accounts",
        "/sign-in",
        "/billing",
        "/settings",
        "/shares",
        "/revisions",
    ];
    let mut found = Vec::new();
    for (path, text) in read_crate(&root().join("src")) {
        let file = path.display().to_string();
        if file == "app.rs" || file == "links.rs" {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for route in ROUTES {
                if code.contains(&format!("\"{route}")) {
                    found.push(format!("src/{file}:{}: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "routes built outside links.rs:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_knows_no_browser_no_network_and_no_runtime() {
    const FORBIDDEN: [&str; 12] = [
        "web_sys",
        "js_sys",
        "wasm_bindgen",
        "gloo_net",
        "gloo",
        "leptos",
        "tokio",
        "axum",
        "hyper",
        "reqwest",
        "partner_sandbox",
        "partner_portal",
    ];
    let manifest = std::fs::read_to_string(root().join("crates/partner-api/Cargo.toml")).unwrap();
    let deps = manifest
        .split("[dependencies]")
        .nth(1)
        .unwrap_or("")
        .split("\n[")
        .next()
        .unwrap_or("");
    for line in deps.lines() {
        let name = line
            .split(['=', '.'])
            .next()
            .unwrap_or("")
            .trim()
            .replace('-', "_");
        assert!(
            !FORBIDDEN.contains(&name.as_str()),
            "partner-api depends on {name}"
        );
    }
    for (path, text) in read_crate(&root().join("crates/partner-api/src")) {
        let toks = tokens(&text);
        for w in toks.windows(3) {
            if let (Tok::Ident(a), Tok::Path, Tok::Ident(b)) = (&w[0].0, &w[1].0, &w[2].0) {
                // `std::net`'s address types are data (CIDR checks use them); its sockets are not.
                let bad = FORBIDDEN.contains(&a.as_str())
                    || (a == "std" && matches!(b.as_str(), "fs" | "thread" | "process"))
                    || matches!(
                        b.as_str(),
                        "TcpStream" | "TcpListener" | "UdpSocket" | "ToSocketAddrs"
                    );
                assert!(
                    !bad,
                    "crates/partner-api/src/{}:{} uses {a}::{b}",
                    path.display(),
                    w[0].1
                );
            }
        }
    }
}

// ----- the checker finds what it must ---------------------------------------------------

fn sources(files: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    files
        .iter()
        .map(|(p, t)| (PathBuf::from(p), t.to_string()))
        .collect()
}

#[test]
fn a_page_part_using_a_part_beside_it_is_found_and_its_own_page_is_not() {
    let g = graph(&sources(&[
        ("lib.rs", "pub mod pages;"),
        ("pages/mod.rs", "pub mod import; pub mod billing;"),
        ("pages/billing.rs", "pub fn b() {}"),
        (
            "pages/import/mod.rs",
            "mod preview; mod run; pub struct Job;",
        ),
        ("pages/import/run.rs", "use super::Job;"),
        (
            "pages/import/preview.rs",
            "use super::run::go; use super::Job;",
        ),
    ]));
    let found = page_to_page(&g);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("pages::import::preview uses pages::import::run"),
        "{found:?}"
    );
    let g = graph(&sources(&[
        ("lib.rs", "pub mod pages;"),
        ("pages/mod.rs", "pub mod import; pub mod billing;"),
        ("pages/billing.rs", "use crate::pages::import::Job;"),
        ("pages/import/mod.rs", "pub struct Job;"),
    ]));
    assert_eq!(page_to_page(&g).len(), 1);
}

#[test]
fn a_cycle_between_siblings_is_found_through_a_use_group() {
    let g = graph(&sources(&[
        ("lib.rs", "pub mod state; pub mod transport;"),
        ("state.rs", "use crate::{transport::{Transport, other}, x};"),
        (
            "transport.rs",
            "pub fn f() { let _ = crate::state::Session::new(); }",
        ),
    ]));
    let found = cycles(&g);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("state (uses the next at state.rs:1)"),
        "{found:?}"
    );
    assert!(
        found[0].contains("transport (uses the next at transport.rs:1)"),
        "{found:?}"
    );
}

#[test]
fn a_cycle_through_three_folders_is_found_and_ancestors_are_not_cycles() {
    let g = graph(&sources(&[
        ("pages/mod.rs", "pub mod a; pub mod b;"),
        ("pages/a/mod.rs", "mod inner; use inner::X; pub struct Y;"),
        ("pages/a/inner.rs", "use super::Y; use crate::pages::b::Z;"),
        ("pages/b.rs", "pub struct Z; use crate::c::W;"),
        ("c.rs", "pub struct W;\n#[cfg(test)]\nmod tests { use super::*; }\nfn g() { crate::pages::a::Y; }"),
    ]));
    let found = cycles(&g);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("c (uses the next at c.rs:4) -> pages"),
        "{found:?}"
    );
    let pages = page_to_page(&g);
    assert_eq!(
        pages,
        vec!["pages::a::inner uses pages::b at pages/a/inner.rs:1"]
    );
}

#[test]
fn paths_in_comments_and_strings_are_not_uses() {
    let g = graph(&sources(&[
        ("lib.rs", "pub mod a; pub mod b;"),
        ("a.rs", "/// see crate::b::X\n// crate::b\n/* crate::b::Y */ fn f() { let _ = \"crate::b::Z\"; let _ = r#\"crate::b\"#; let _ = '{'; }"),
        ("b.rs", "use crate::a::f;"),
    ]));
    assert!(cycles(&g).is_empty(), "{:?}", g.edges);
    assert_eq!(g.edges.len(), 1);
}
