//! `partner-deploy`: serving the built portal.
//!
//! ```text
//! partner-deploy nginx --config dist/config.json --root /srv/partner-portal [--listen 8080] [--server-name portal.example.com] [--no-brotli]
//! partner-deploy loader [DIST]
//! partner-deploy compress [DIST]
//! partner-deploy post-build        (Trunk's post_build hook: loader, and compress for release)
//! ```
//! DIST defaults to `$TRUNK_STAGING_DIR`, the folder a Trunk hook works on.

use partner_api::config::PortalConfig;
use partner_deploy::{externalize_loader, nginx_site, precompress, Site};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage:
  partner-deploy nginx --config FILE --root DIR [--listen ADDR] [--server-name NAME] [--no-brotli]
      Prints the nginx server block that serves DIR (a built dist/) with the security headers,
      caching and /{region}/ proxy locations that FILE (its config.json) calls for.
      --no-brotli: for an nginx without the brotli module (the .gz files are still served).
  partner-deploy loader [DIST]
      Moves the inline loader script of DIST/index.html into a file of its own.
  partner-deploy compress [DIST]
      Writes a .br and a .gz copy of every hashed file of DIST, compressed at the highest level.
  partner-deploy post-build
      Trunk's post_build hook: loader, then compress when TRUNK_PROFILE is release.
  DIST defaults to $TRUNK_STAGING_DIR, the folder a Trunk hook works on.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("nginx") => nginx(&args[1..]),
        Some("loader") => dist(args.get(1)).and_then(|d| loader(&d)),
        Some("compress") => dist(args.get(1)).and_then(|d| compress(&d)),
        Some("post-build") => dist(None).and_then(|d| {
            loader(&d)?;
            // `trunk serve` rebuilds on every change: only releases are worth the seconds.
            match std::env::var("TRUNK_PROFILE").as_deref() {
                Ok("release") => compress(&d),
                _ => Ok(()),
            }
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
        listen: "8080".into(),
        root: String::new(),
        server_name: "_".into(),
        brotli: true,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--no-brotli" {
            site.brotli = false;
            continue;
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
            other => return Err(format!("unknown flag {other}\n{USAGE}")),
        }
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

fn loader(dist: &Path) -> Result<(), String> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    if let Some((page, name, script)) = externalize_loader(&html) {
        std::fs::write(dist.join(&name), script).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))?;
    }
    Ok(())
}
