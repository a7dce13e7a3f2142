//! The release build's last step: cut the portal's wasm into a main module and chunks.
//!
//! A release build of the portal marks the entry of each rarely used page as a split point
//! (`src/chunks.rs`; `build.rs` turns it on for release wasm builds and links with
//! `--emit-relocs`, which the splitter needs). Trunk builds and runs wasm-bindgen as usual;
//! this step then starts again from cargo's own output, because the split must happen before
//! wasm-bindgen:
//!
//! 1. `wasm_split_cli_support` cuts cargo's wasm at the split points: a main module, one
//!    module per page, shared chunks for code several pages use, and a small JS link module
//!    that fetches and instantiates them against the main module's memory and table;
//! 2. `wasm-bindgen --keep-lld-exports` makes the main module's JS glue (the exports stay, the
//!    chunks import them);
//! 3. `wasm-opt -Oz` shrinks every module;
//! 4. every file is named by its content hash, Trunk's unsplit module and glue are replaced
//!    in `dist/`, and `index.html` (names and `integrity`) points at the new ones.
//!
//! Trunk issue 1022 is Trunk doing this itself; until then this is where it happens.

use crate::fnv1a;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The import module the split points' loaders come from, as cargo's wasm names it.
const LINK_MODULE: &str = "./__wasm_split.js";
/// The main module's glue as the link module imports it, before names get hashes.
const MAIN_MODULE: &str = "./partner-portal.js";

/// The programs the step runs.
#[derive(Debug, Clone)]
pub struct Tools {
    pub wasm_bindgen: PathBuf,
    pub wasm_opt: PathBuf,
}

/// One file the step wrote into `dist/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub name: String,
    pub bytes: usize,
    /// What it is: `main`, `glue`, `link`, or the chunk's name from the splitter
    /// (`split_settings_page`, `chunk_12`).
    pub role: String,
}

/// Whether cargo's wasm has split points (the imports `wasm_split` names
/// `__wasm_split_00{module}00_import_...`).
pub fn has_split_points(wasm: &[u8]) -> bool {
    const MARK: &[u8] = b"__wasm_split_00";
    wasm.windows(MARK.len()).any(|w| w == MARK)
}

/// Splits `cargo_wasm` and puts the result into `dist` in place of Trunk's module and glue.
pub fn split_into(dist: &Path, cargo_wasm: &Path, tools: &Tools) -> Result<Vec<Written>, String> {
    let input = std::fs::read(cargo_wasm).map_err(|e| format!("{}: {e}", cargo_wasm.display()))?;
    let work = dist.join(".split");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let result = split_in(dist, &work, &input, tools);
    let _ = std::fs::remove_dir_all(&work);
    result
}

fn split_in(dist: &Path, work: &Path, input: &[u8], tools: &Tools) -> Result<Vec<Written>, String> {
    // 1. Split.
    let main_in = work.join("main.wasm");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(input);
        opts.output_dir = work;
        opts.main_out_path = &main_in;
        opts.link_name = LINK_MODULE;
        opts.main_module = MAIN_MODULE;
        opts
    })
    .map_err(|e| format!("splitting the wasm: {e:#}"))?;

    // 2. The main module's glue.
    let bg = work.join("bindgen");
    run(Command::new(&tools.wasm_bindgen)
        .args(["--target", "web", "--no-typescript", "--keep-lld-exports"])
        .args(["--out-name", "partner-portal", "--out-dir"])
        .arg(&bg)
        .arg(&main_in))?;

    // 3. Optimise every module, two at a time (the machines this runs on have two cores).
    let mut modules: Vec<(String, PathBuf)> =
        vec![("main".into(), bg.join("partner-portal_bg.wasm"))];
    for path in &split.split_modules {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or_else(|| format!("{}: not a chunk name", path.display()))?;
        modules.push((stem.to_owned(), path.clone()));
    }
    let optimised: Vec<Result<Vec<u8>, String>> = std::thread::scope(|s| {
        let mut out = Vec::new();
        for pair in modules.chunks(2) {
            let handles: Vec<_> = pair
                .iter()
                .map(|(_, path)| s.spawn(move || optimise(&tools.wasm_opt, path)))
                .collect();
            out.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().expect("wasm-opt thread")),
            );
        }
        out
    });

    // 4. Names by content, the link module and glue pointed at them.
    let mut link = read_text(&work.join(LINK_MODULE.trim_start_matches("./")))?;
    let mut glue = read_text(&bg.join("partner-portal.js"))?;
    let mut files: Vec<(String, String, Vec<u8>)> = Vec::new();
    let mut main_wasm = Vec::new();
    for ((role, _), bytes) in modules.iter().zip(optimised) {
        let bytes = bytes?;
        if role == "main" {
            main_wasm = bytes;
            continue;
        }
        let name = format!("{role}-{:016x}.wasm", fnv1a(&bytes));
        let quoted = format!("\"./{role}.wasm\"");
        if !link.contains(&quoted) {
            return Err(format!("the link module does not load {role}.wasm"));
        }
        link = link.replace(&quoted, &format!("\"./{name}\""));
        files.push((role.clone(), name, bytes));
    }
    let mut whole = main_wasm.clone();
    whole.extend_from_slice(link.as_bytes());
    let build = format!("{:016x}", fnv1a(&whole));
    let glue_name = format!("partner-portal-{build}.js");
    let link_name = format!("chunks-{build}.js");
    let wasm_name = format!("partner-portal-{:016x}_bg.wasm", fnv1a(&main_wasm));
    replace_required(
        &mut link,
        &format!("\"{MAIN_MODULE}\""),
        &format!("\"./{glue_name}\""),
    )?;
    // Only the ES imports change: the import object keeps the module name the wasm asks for.
    let link_import = format!("from \"{LINK_MODULE}\"");
    if !glue.contains(&link_import) {
        return Err("the glue does not import the link module".into());
    }
    glue = glue.replace(&link_import, &format!("from \"./{link_name}\""));
    files.push(("main".into(), wasm_name.clone(), main_wasm));
    files.push(("glue".into(), glue_name.clone(), glue.into_bytes()));
    files.push(("link".into(), link_name, link.into_bytes()));

    // Trunk's unsplit module and glue leave; index.html names the new ones.
    let index_path = dist.join("index.html");
    let mut index = read_text(&index_path)?;
    let (old_glue, old_wasm) = trunk_outputs(dist)?;
    let sri = |bytes: &[u8]| crate::sri_sha384(bytes);
    let glue_bytes = &files.iter().find(|f| f.0 == "glue").expect("glue").2;
    let wasm_bytes = &files.iter().find(|f| f.0 == "main").expect("main").2;
    index = crate::rename_in_page(&index, &old_glue, &glue_name, &sri(glue_bytes));
    index = crate::rename_in_page(&index, &old_wasm, &wasm_name, &sri(wasm_bytes));
    for old in [&old_glue, &old_wasm] {
        std::fs::remove_file(dist.join(old)).map_err(|e| format!("{old}: {e}"))?;
    }
    let mut written = Vec::new();
    for (role, name, bytes) in files {
        std::fs::write(dist.join(&name), &bytes).map_err(|e| format!("{name}: {e}"))?;
        written.push(Written {
            name,
            bytes: bytes.len(),
            role,
        });
    }
    std::fs::write(&index_path, index).map_err(|e| format!("{}: {e}", index_path.display()))?;
    Ok(written)
}

/// Trunk's glue and module in `dist`: `partner-portal-HASH.js`, `partner-portal-HASH_bg.wasm`.
fn trunk_outputs(dist: &Path) -> Result<(String, String), String> {
    let mut glue = None;
    let mut wasm = None;
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with("partner-portal-") && name.ends_with("_bg.wasm") {
            wasm = Some(name.to_owned());
        } else if name.starts_with("partner-portal-") && name.ends_with(".js") {
            glue = Some(name.to_owned());
        }
    }
    match (glue, wasm) {
        (Some(g), Some(w)) => Ok((g, w)),
        _ => Err(format!(
            "{}: Trunk's partner-portal JS and wasm are not there",
            dist.display()
        )),
    }
}

fn optimise(wasm_opt: &Path, path: &Path) -> Result<Vec<u8>, String> {
    let out = path.with_extension("opt.wasm");
    run(Command::new(wasm_opt)
        .arg("-Oz")
        .arg(path)
        .arg("-o")
        .arg(&out))?;
    std::fs::read(&out).map_err(|e| format!("{}: {e}", out.display()))
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().map_err(|e| format!("{shown}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{shown} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Replaces every `from` in `text`, which must hold it.
fn replace_required(text: &mut String, from: &str, to: &str) -> Result<(), String> {
    if !text.contains(from) {
        return Err(format!("{from} is not in the link module"));
    }
    *text = text.replace(from, to);
    Ok(())
}

/// What a partner downloads, in compressed bytes (the `.br` copies, as nginx sends them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    /// The files the first screen loads: what `index.html` names, and the chunks' loader.
    pub first_load: Vec<(String, usize)>,
    /// Each chunk of pages: its name, its files (its own module and the shared chunks it
    /// needs), and their bytes together.
    pub chunks: Vec<(String, Vec<String>, usize)>,
    /// Every wasm, JS and CSS file.
    pub total: usize,
}

impl Sizes {
    pub fn first_load_bytes(&self) -> usize {
        self.first_load.iter().map(|(_, n)| n).sum()
    }
}

/// Measures `dist`: the first load, each chunk with what it needs, and everything.
pub fn sizes(dist: &Path) -> Result<Sizes, String> {
    let brotli = |name: &str| -> Result<usize, String> {
        let br = dist.join(format!("{name}.br"));
        if let Ok(meta) = std::fs::metadata(&br) {
            return Ok(meta.len() as usize);
        }
        let raw = std::fs::read(dist.join(name)).map_err(|e| format!("{name}: {e}"))?;
        Ok(crate::brotli_len(&raw))
    };
    let index = read_text(&dist.join("index.html"))?;
    let mut first = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))? {
        let name = entry.map_err(|e| e.to_string())?.file_name();
        if let Some(name) = name
            .to_str()
            .filter(|n| n.ends_with(".wasm") || n.ends_with(".js") || n.ends_with(".css"))
        {
            names.push(name.to_owned());
        }
    }
    names.sort();
    let mut link = None;
    for name in &names {
        let loader_of_chunks = name.starts_with("chunks-") && name.ends_with(".js");
        if index.contains(name.as_str()) || loader_of_chunks {
            first.push((name.clone(), brotli(name)?));
        }
        if loader_of_chunks {
            link = Some(read_text(&dist.join(name))?);
        }
    }
    let mut chunks = Vec::new();
    if let Some(link) = link {
        let shared = shared_chunks(&link);
        for (name, file, deps) in split_loads(&link) {
            let mut files = vec![file];
            files.extend(deps.iter().filter_map(|d| shared.get(d).cloned()));
            let bytes = files
                .iter()
                .map(|f| brotli(f))
                .sum::<Result<usize, String>>()?;
            chunks.push((name, files, bytes));
        }
    }
    let total = names
        .iter()
        .map(|n| brotli(n))
        .sum::<Result<usize, String>>()?;
    Ok(Sizes {
        first_load: first,
        chunks,
        total,
    })
}

/// The file `new URL("./FILE", …)` names first in `text`.
fn first_url(text: &str) -> Option<String> {
    let start = text.find("new URL(\"./")? + "new URL(\"./".len();
    let end = start + text[start..].find('"')?;
    Some(text[start..end].to_owned())
}

/// The link module's shared chunks: `const __chunk_N = makeLoad(... "./FILE" ...)`.
fn shared_chunks(link: &str) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for (at, _) in link.match_indices("const __chunk_") {
        let rest = &link[at + "const ".len()..];
        let Some(name) = rest
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
        else {
            continue;
        };
        if let Some(file) = first_url(rest) {
            out.insert(name.to_owned(), file);
        }
    }
    out
}

/// The link module's split loads: name, own file, and the shared chunks it waits for.
fn split_loads(link: &str) -> Vec<(String, String, Vec<String>)> {
    const MARK: &str = "export const __wasm_split_load_";
    let mut out = Vec::new();
    for (at, _) in link.match_indices(MARK) {
        let rest = &link[at + MARK.len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let Some(file) = first_url(rest) else {
            continue;
        };
        let block_end = rest[1..].find(MARK).map_or(rest.len(), |e| e + 1);
        let block = &rest[..block_end];
        let deps = block
            .rfind(", [")
            .map(|open| {
                let list = &block[open + 3..];
                let list = &list[..list.find(']').unwrap_or(list.len())];
                list.split(',')
                    .map(|d| d.trim().to_owned())
                    .filter(|d| !d.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        out.push((name, file, deps));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape `wasm_split_cli_support` writes (0.2.4), cut down to two chunks.
    const LINK: &str = r#"import { initSync } from "./partner-portal-00112233aabbccdd.js";
/* billing, enterprise */
const __chunk_8 = makeLoad(() => {
    const src = fetch(new URL("./chunk_8-0123456789abcdef.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []);
export const __wasm_split_load_billing = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_billing-fedcba9876543210.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, [__chunk_8]));
export const __wasm_split_load_sign_in = wrapAsyncCb(makeLoad(() => {
    const src = fetch(new URL("./split_sign_in-0000111122223333.wasm", import.meta.url));
    src.catch(() => {});
    return async (imports) => (WebAssembly.instantiateStreaming(src, imports));
}
, []));
"#;

    #[test]
    fn the_link_module_says_which_files_each_chunk_needs() {
        let shared = shared_chunks(LINK);
        assert_eq!(shared["__chunk_8"], "chunk_8-0123456789abcdef.wasm");
        assert_eq!(
            split_loads(LINK),
            vec![
                (
                    "billing".to_owned(),
                    "split_billing-fedcba9876543210.wasm".to_owned(),
                    vec!["__chunk_8".to_owned()]
                ),
                (
                    "sign_in".to_owned(),
                    "split_sign_in-0000111122223333.wasm".to_owned(),
                    vec![]
                ),
            ]
        );
    }

    #[test]
    fn split_points_are_found_by_their_import_names() {
        assert!(has_split_points(
            b"\0asm..__wasm_split_00billing00_import_0123_billing.."
        ));
        assert!(!has_split_points(b"\0asm..__wbindgen_malloc.."));
    }
}
