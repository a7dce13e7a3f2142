//! Release builds for the browser cut the portal into chunks (`src/chunks.rs`): this turns on
//! the pages' split points (`cfg(split)`) and links with `--emit-relocs`, which the splitter in
//! `partner-deploy` reads. Debug builds (`trunk serve`, the browser tests) and native builds
//! keep every page in one module.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(split)");
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if wasm && release {
        println!("cargo::rustc-cfg=split");
        println!("cargo::rustc-link-arg-bins=--emit-relocs");
    }
}
