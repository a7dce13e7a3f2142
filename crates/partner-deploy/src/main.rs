//! `partner-deploy`: serving the built portal.
//!
//! ```text
//! partner-deploy nginx --config dist/config.json --root /srv/partner-portal [--listen 8080] [--server-name portal.example.com]
//! partner-deploy loader [DIST]    (Trunk's post_build hook: DIST defaults to $TRUNK_STAGING_DIR)
//! ```

use partner_api::config::PortalConfig;
use partner_deploy::{externalize_loader, nginx_site, Site};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  partner-deploy nginx --config FILE --root DIR [--listen ADDR] [--server-name NAME]
      Prints the nginx server block that serves DIR (a built dist/) with the security headers,
      caching and /{region}/ proxy locations that FILE (its config.json) calls for.
  partner-deploy loader [DIST]
      Moves the inline loader script of DIST/index.html into a file of its own (Trunk runs this
      after every build; DIST defaults to $TRUNK_STAGING_DIR).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("nginx") => nginx(&args[1..]),
        Some("loader") => loader(args.get(1).map(PathBuf::from)),
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
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
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

fn loader(dist: Option<PathBuf>) -> Result<(), String> {
    let dist = dist
        .or_else(|| std::env::var_os("TRUNK_STAGING_DIR").map(PathBuf::from))
        .ok_or("give the dist folder, or run as Trunk's hook (TRUNK_STAGING_DIR)")?;
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    if let Some((page, name, script)) = externalize_loader(&html) {
        std::fs::write(dist.join(&name), script).map_err(|e| format!("{name}: {e}"))?;
        std::fs::write(&index, page).map_err(|e| format!("{}: {e}", index.display()))?;
    }
    Ok(())
}
