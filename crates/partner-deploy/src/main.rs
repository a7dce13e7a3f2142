//! `partner-deploy`: serving the built portal.
//!
//! ```text
//! partner-deploy nginx --config dist/config.json --root /srv/partner-portal
//!     (--tls-cert FILE --tls-key FILE [--http-listen 80] | --tls-in-front)
//!     [--listen ADDR] [--server-name portal.example.com] [--upstream-ca FILE] [--no-brotli]
//! partner-deploy loader [DIST]
//! partner-deploy compress [DIST]
//! partner-deploy sizes DIST [--first-load BYTES] [--chunk BYTES] [--total BYTES]
//! partner-deploy post-build        (Trunk's post_build hook: split and compress for release, loader)
//! ```
//! DIST defaults to `$TRUNK_STAGING_DIR`, the folder a Trunk hook works on.

use partner_api::config::PortalConfig;
use partner_deploy::{
    chunks, externalize_loader, nginx_site, precompress, Site, Tls, DEBIAN_CA_BUNDLE,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  partner-deploy nginx --config FILE --root DIR
          (--tls-cert FILE --tls-key FILE [--http-listen ADDR] | --tls-in-front)
          [--listen ADDR] [--server-name NAME] [--upstream-ca FILE] [--no-brotli]
      Prints the nginx server block that serves DIR (a built dist/) with the security headers,
      caching and /{region}/ proxy locations that FILE (its config.json) calls for.
      --tls-cert, --tls-key: nginx serves HTTPS on --listen (default 443) with this
        certificate chain and key, and plain HTTP on --http-listen (default 80) only redirects.
      --tls-in-front: a TLS terminator in front speaks HTTPS and redirects plain HTTP; nginx
        serves plain HTTP on --listen (default 8080) to it alone.
      --upstream-ca: the CA certificates the proxy verifies the regions' certificates against
        (default /etc/ssl/certs/ca-certificates.crt, Debian's bundle).
      --no-brotli: for an nginx without the brotli module (the .gz files are still served).
  partner-deploy loader [DIST]
      Moves the inline loader script of DIST/index.html into a file of its own.
  partner-deploy compress [DIST]
      Writes a .br and a .gz copy of every hashed file of DIST, compressed at the highest level.
  partner-deploy sizes DIST [--first-load BYTES] [--chunk BYTES] [--total BYTES]
      Prints what a partner downloads from DIST, compressed: the first load, each chunk with
      the shared chunks it needs, and everything. Fails when a figure is above its limit.
  partner-deploy post-build
      Trunk's post_build hook. When TRUNK_PROFILE is release: cuts cargo's wasm into the main
      module and the pages' chunks (in place of Trunk's module), then the loader, then
      compress. Otherwise only the loader.
  DIST defaults to $TRUNK_STAGING_DIR, the folder a Trunk hook works on.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("nginx") => nginx(&args[1..]),
        Some("loader") => dist(args.get(1)).and_then(|d| loader(&d)),
        Some("compress") => dist(args.get(1)).and_then(|d| compress(&d)),
        Some("sizes") => sizes(&args[1..]),
        Some("post-build") => dist(None).and_then(|d| {
            // `trunk serve` rebuilds on every change: only releases are worth the seconds.
            let release = std::env::var("TRUNK_PROFILE").as_deref() == Ok("release");
            if release {
                split(&d)?;
            }
            loader(&d)?;
            if release {
                compress(&d)?;
            }
            Ok(())
        }),
        Some("--help" | "-h") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("partner-deploy: {e}");
            ExitCode::FAILURE
        }
    }
}

fn nginx(args: &[String]) -> Result<(), String> {
    let mut config = None;
    let mut site = Site {
        listen: String::new(),
        root: String::new(),
        server_name: "_".into(),
        brotli: true,
        tls: Tls::InFront,
        upstream_ca: DEBIAN_CA_BUNDLE.into(),
    };
    let (mut cert, mut key, mut http_listen, mut in_front) = (None, None, None, false);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--no-brotli" => {
                site.brotli = false;
                continue;
            }
            "--tls-in-front" => {
                in_front = true;
                continue;
            }
            _ => {}
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?
            .clone();
        match flag.as_str() {
            "--config" => config = Some(value),
            "--root" => site.root = value,
            "--listen" => site.listen = value,
            "--server-name" => site.server_name = value,
            "--tls-cert" => cert = Some(value),
            "--tls-key" => key = Some(value),
            "--http-listen" => http_listen = Some(value),
            "--upstream-ca" => site.upstream_ca = value,
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
    }
    // Partners type credentials into the site: it is HTTPS, here or in front, never by default
    // plain HTTP.
    let (default_listen, tls) = match (cert, key, in_front) {
        (Some(certificate), Some(key), false) => (
            "443",
            Tls::Here {
                certificate,
                key,
                redirect_from: http_listen.unwrap_or_else(|| "80".into()),
            },
        ),
        (None, None, true) if http_listen.is_none() => ("8080", Tls::InFront),
        _ => {
            return Err(format!(
                "give --tls-cert and --tls-key (nginx serves HTTPS), or --tls-in-front (a TLS terminator does, and redirects plain HTTP), not both\n{USAGE}"
            ))
        }
    };
    site.tls = tls;
    if site.listen.is_empty() {
        site.listen = default_listen.into();
    }
    let path = config.ok_or_else(|| format!("--config is required\n{USAGE}"))?;
    if site.root.is_empty() {
        return Err(format!("--root is required\n{USAGE}"));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let config = PortalConfig::from_json(&text).map_err(|e| format!("{path}: {e}"))?;
    for warning in config.brand.contrast_warnings() {
        eprintln!("warning: {warning}");
    }
    print!("{}", nginx_site(&config, &site)?);
    Ok(())
}

/// The folder given, or the one Trunk's hook works on.
fn dist(given: Option<&String>) -> Result<PathBuf, String> {
    given
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from))
        .ok_or_else(|| "give the dist folder, or run as Trunk's hook (TRUNK_STAGING_DIR)".into())
}

fn compress(dist: &Path) -> Result<(), String> {
    let done = precompress(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for file in done {
        println!(
            "compressed {}: {} bytes, brotli {}, gzip {}",
            file.name, file.raw, file.brotli, file.gzip
        );
    }
    Ok(())
}

fn sizes(args: &[String]) -> Result<(), String> {
    let dist = args.first().ok_or_else(|| USAGE.to_owned())?;
    let mut limits = [None; 3];
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        let slot = match flag.as_str() {
            "--first-load" => 0,
            "--chunk" => 1,
            "--total" => 2,
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        };
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        limits[slot] = Some(value.parse::<usize>().map_err(|e| format!("{flag}: {e}"))?);
    }
    let sizes = chunks::sizes(Path::new(dist))?;
    let mut over = Vec::new();
    let mut check = |what: String, bytes: usize, limit: Option<usize>| {
        let shown = limit.map_or(String::new(), |l| format!(", limit {l}"));
        println!("{bytes:>9} bytes brotli  {what}{shown}");
        if limit.is_some_and(|l| bytes > l) {
            over.push(what);
        }
    };
    for (name, bytes) in &sizes.first_load {
        println!("{bytes:>9}               {name}");
    }
    check(
        "first load (index.html's files and the chunks' loader)".into(),
        sizes.first_load_bytes(),
        limits[0],
    );
    for (name, files, bytes) in &sizes.chunks {
        check(
            format!("chunk {name} ({} files)", files.len()),
            *bytes,
            limits[1],
        );
    }
    check(
        "the whole portal (every wasm, JS and CSS file)".into(),
        sizes.total,
        limits[2],
    );
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("above the limit: {}", over.join("; ")))
    }
}

/// Cuts cargo's release wasm into the main module and the pages' chunks (`chunks.rs`).
fn split(dist: &Path) -> Result<(), String> {
    let source = std::env::var_os("TRUNK_SOURCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| source.join("target"));
    let cargo_wasm = target.join("wasm32-unknown-unknown/release/partner-portal.wasm");
    let wasm = std::fs::read(&cargo_wasm).map_err(|e| format!("{}: {e}", cargo_wasm.display()))?;
    // Trunk's own wasm-opt is off (index.html): a release module that was not split would
    // ship unoptimised, so it is refused rather than deployed.
    if !chunks::has_split_points(&wasm) {
        return Err(format!(
            "{} has no split points: build.rs sets cfg(split) for release wasm builds; was it built by `trunk build --release` from this checkout?",
            cargo_wasm.display()
        ));
    }
    // binaryen 132 from the project's .tools (toolchain.md: Debian's 108 breaks the output).
    let own_wasm_opt = source.join(".tools/node_modules/.bin/wasm-opt");
    let tools = chunks::Tools {
        wasm_bindgen: std::env::var_os("WASM_BINDGEN")
            .map_or_else(|| "wasm-bindgen".into(), PathBuf::from),
        wasm_opt: std::env::var_os("WASM_OPT")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                if own_wasm_opt.exists() {
                    own_wasm_opt
                } else {
                    "wasm-opt".into()
                }
            }),
    };
    let written = chunks::split_into(dist, &cargo_wasm, &tools)?;
    for file in written {
        println!("split {} ({}): {} bytes", file.name, file.role, file.bytes);
    }
    Ok(())
}

fn loader(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    if let Some((page, name, script)) = externalize_loader(&html) {
        std::fs::write(dist.join(&name), script).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))?;
    }
    Ok(())
}
