//! End-to-end harness: the built portal (`dist/`) served from one origin, the sandbox on
//! another, and real headless Chromium driven through chromedriver with fantoccini.
//!
//! Each [`Harness`] is independent: its own sandbox (in this process, so a test can read the
//! state it asserts against), its own static server, its own chromedriver and browser profile.
//!
//! The static server is this process's own (axum), or, with `E2E_FRONT=nginx` or
//! [`Front::Nginx`], real nginx running the site `partner-deploy` renders from the test's
//! config.json: the deployment that ships is the one tested.
//!
//! The harness by concern: [`servers`] (the static server or nginx, sandbox configurations,
//! ports), [`browser`] (chromedriver, the session, what a test does in the page), [`waits`]
//! (polling until the page shows something), [`accessibility`] (axe-core) and [`seed`]
//! (what tests expect, read from the demo logins and the sandbox's seeded world). This file
//! holds [`Harness`] itself, how it starts and how it ends.

pub mod accessibility;
pub mod browser;
pub mod seed;
pub mod servers;
pub mod waits;

pub use servers::{
    dist_dir, http_get, https_get, nginx_sandbox_config, sandbox_config, serve_host_page,
    this_machines_address,
};
pub use waits::PATIENCE;

use fantoccini::Client;
use partner_sandbox::{AppState, Dialect, Options, Seed, Shared};
use std::net::SocketAddr;
use std::path::PathBuf;
use tokio::process::Child;

/// What `config.json` the portal gets.
pub enum PortalConfig {
    /// The sandbox's regions through the proxy template `http://127.0.0.1:PORT/{region}`.
    Sandbox,
    /// This exact text.
    Raw(String),
    /// Made from the sandbox's address once it runs (the sandbox config with additions).
    Built(Box<dyn FnOnce(SocketAddr) -> String + Send>),
    /// No config.json at all (404).
    Missing,
}

/// What serves `dist/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Front {
    /// This process: `dist/` with the SPA fallback, the sandbox on another origin.
    Axum,
    /// nginx with the rendered site: same-origin `/{region}/` proxy to the sandbox, the CSP
    /// and caching headers.
    Nginx,
}

impl Front {
    /// `E2E_FRONT=nginx` runs every test through nginx.
    pub fn from_env() -> Front {
        match std::env::var("E2E_FRONT").as_deref() {
            Ok("nginx") => Front::Nginx,
            _ => Front::Axum,
        }
    }
}

/// How a harness starts.
pub struct Launch {
    pub config: PortalConfig,
    pub seed: Seed,
    pub front: Front,
    /// Files served beside `dist/` (a brand's logo): path without the leading `/`, body.
    pub files: Vec<(String, Vec<u8>)>,
    /// The browser blocks third-party cookies (and the storage that goes with them).
    pub block_third_party_cookies: bool,
    /// Which way the sandbox goes where a real region may differ (documented by default).
    pub dialect: Dialect,
    /// With [`Front::Nginx`]: the CA certificates its proxy trusts for the regions (Debian's
    /// bundle when `None`).
    pub upstream_ca: Option<PathBuf>,
    /// Serve the portal on this address of the machine instead of loopback (`localhost`):
    /// a non-loopback address over plain http is a page Chromium does not count as a secure
    /// context. Only with [`Front::Axum`].
    pub host: Option<std::net::IpAddr>,
}

impl Launch {
    pub fn new(config: PortalConfig) -> Launch {
        Launch {
            config,
            seed: Seed::Demo,
            front: Front::from_env(),
            files: Vec::new(),
            block_third_party_cookies: false,
            dialect: Dialect::default(),
            upstream_ca: None,
            host: None,
        }
    }
}

pub struct Harness {
    pub client: Client,
    pub sandbox: SocketAddr,
    pub state: Shared,
    /// The sandbox itself: faults can be injected through `app.faults`.
    pub app: AppState,
    /// The portal's origin: `http://localhost:PORT`, or `https://localhost:PORT` through nginx.
    pub portal: String,
    driver: Child,
    profile: PathBuf,
    nginx: Option<servers::NginxFront>,
}

impl Harness {
    pub async fn start(config: PortalConfig) -> Harness {
        Self::start_seeded(config, Seed::Demo).await
    }

    /// Like [`Harness::start`], against a sandbox speaking `dialect`.
    pub async fn speaking(dialect: Dialect) -> Harness {
        let mut launch = Launch::new(PortalConfig::Sandbox);
        launch.dialect = dialect;
        Self::launch(launch).await
    }

    /// Like [`Harness::start`], with another seed (the benchmark uses `large:100000`).
    pub async fn start_seeded(config: PortalConfig, seed: Seed) -> Harness {
        let mut launch = Launch::new(config);
        launch.seed = seed;
        Self::launch(launch).await
    }

    pub async fn launch(launch: Launch) -> Harness {
        let dist = dist_dir();
        assert!(
            dist.join("index.html").exists(),
            "no built portal in {}: run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        );
        let mut options = Options::new(launch.seed);
        options.faults = true;
        options.dialect = launch.dialect;
        let sandbox = partner_sandbox::spawn_with("127.0.0.1:0", options)
            .await
            .expect("sandbox starts");

        let config_body = match launch.config {
            PortalConfig::Sandbox if launch.front == Front::Nginx => {
                Some(nginx_sandbox_config(sandbox.addr))
            }
            PortalConfig::Sandbox => Some(sandbox_config(sandbox.addr)),
            PortalConfig::Raw(text) => Some(text),
            PortalConfig::Built(build) => Some(build(sandbox.addr)),
            PortalConfig::Missing => None,
        };
        let (portal, nginx) = match launch.front {
            Front::Axum => {
                let port = servers::serve_axum(
                    launch.host.unwrap_or([127, 0, 0, 1].into()),
                    &dist,
                    config_body,
                    launch.files,
                )
                .await;
                let portal = match launch.host {
                    Some(std::net::IpAddr::V6(ip)) => format!("http://[{ip}]:{port}"),
                    Some(ip) => format!("http://{ip}:{port}"),
                    None => format!("http://localhost:{port}"),
                };
                (portal, None)
            }
            Front::Nginx => {
                let front = servers::serve_nginx(
                    &dist,
                    config_body,
                    launch.files,
                    sandbox.addr,
                    launch.upstream_ca.as_deref(),
                )
                .await;
                (front.origin.clone(), Some(front))
            }
        };
        // Chromium takes the nginx front's test certificate, and only that one.
        let browser = browser::start(
            launch.block_third_party_cookies,
            nginx.as_ref().map(|n| n.spki.as_str()),
        )
        .await;
        Harness {
            client: browser.client,
            sandbox: sandbox.addr,
            state: sandbox.state,
            app: sandbox.app,
            portal,
            driver: browser.driver,
            profile: browser.profile,
            nginx,
        }
    }

    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
        let _ = std::fs::remove_dir_all(&self.profile);
        if let Some(nginx) = self.nginx.take() {
            nginx.stop().await;
        }
    }

    /// One GET of a path of the portal, off the wire ([`https_get`], trusting the nginx
    /// front's test CA).
    pub async fn get(
        &self,
        path: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Vec<(String, String)>, usize) {
        let ca = self.nginx.as_ref().map(|n| n.ca.as_path());
        https_get(&format!("{}{path}", self.portal), headers, ca).await
    }

    /// The nginx front's plain HTTP listener (`http://localhost:PORT`), which only redirects.
    pub fn plain_http(&self) -> Option<&str> {
        self.nginx.as_ref().map(|n| n.plain.as_str())
    }
}
