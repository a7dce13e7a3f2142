//! End-to-end harness: the built portal (`dist/`) served from one origin, the sandbox on
//! another, and real headless Chromium driven through chromedriver with fantoccini.
//!
//! Each [`Harness`] is independent: its own sandbox (in this process, so a test can read the
//! state it asserts against), its own static server, its own chromedriver and browser profile.

use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use partner_sandbox::{AppState, Options, Seed, Shared};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use tower_http::services::{ServeDir, ServeFile};

/// How long a test waits for the page to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// What `config.json` the portal gets.
pub enum PortalConfig {
    /// The sandbox's regions through the proxy template `http://127.0.0.1:PORT/{region}`.
    Sandbox,
    /// This exact text.
    Raw(String),
    /// No config.json at all (404).
    Missing,
}

pub struct Harness {
    pub client: Client,
    pub sandbox: SocketAddr,
    pub state: Shared,
    /// The sandbox itself: faults can be injected through `app.faults`.
    pub app: AppState,
    /// The portal's origin, `http://localhost:PORT`.
    pub portal: String,
    driver: Child,
    profile: PathBuf,
}

/// Where the release build is: `$PORTAL_DIST`, else `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("PORTAL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"))
}

/// The sandbox configuration in proxy form: the sandbox's `/{region}` prefixes are exactly
/// the shape of the production proxy.
pub fn sandbox_config(sandbox: SocketAddr) -> String {
    let regions: Vec<String> = partner_api::ids::PUBLIC_REGIONS
        .iter()
        .map(|(id, name, host)| {
            format!(
                r#"{{"id": "{id}", "name": "{name}", "sandbox": true,
                    "accounts": "https://{host}", "enterprise": "https://{host}/apis/accounts/v1"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"brand": {{"name": "Partner Portal E2E"}}, "default_region": "dk-co", "timeout_seconds": 5,
            "proxy": "http://127.0.0.1:{}/{{region}}", "regions": [{}]}}"#,
        sandbox.port(),
        regions.join(",")
    )
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Harness {
    pub async fn start(config: PortalConfig) -> Harness {
        Self::start_seeded(config, Seed::Demo).await
    }

    /// Like [`Harness::start`], with another seed (the benchmark uses `large:100000`).
    pub async fn start_seeded(config: PortalConfig, seed: Seed) -> Harness {
        let dist = dist_dir();
        assert!(
            dist.join("index.html").exists(),
            "no built portal in {}: run `trunk build --release` first (scripts/test.sh does)",
            dist.display()
        );
        let mut options = Options::new(seed);
        options.faults = true;
        let sandbox = partner_sandbox::spawn_with("127.0.0.1:0", options)
            .await
            .expect("sandbox starts");

        let config_body = match config {
            PortalConfig::Sandbox => Some(sandbox_config(sandbox.addr)),
            PortalConfig::Raw(text) => Some(text),
            PortalConfig::Missing => None,
        };
        let static_files = ServeDir::new(&dist).fallback(ServeFile::new(dist.join("index.html")));
        let app = Router::new()
            .route(
                "/config.json",
                get(move || {
                    let body = config_body.clone();
                    async move {
                        match body {
                            Some(b) => {
                                ([(header::CONTENT_TYPE, "application/json")], b).into_response()
                            }
                            None => (StatusCode::NOT_FOUND, "no config here").into_response(),
                        }
                    }
                }),
            )
            .fallback_service(static_files);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let portal_port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await });

        let driver_port = free_port();
        let driver = Command::new(std::env::var("CHROMEDRIVER").unwrap_or("chromedriver".into()))
            .arg(format!("--port={driver_port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("chromedriver starts (scripts/setup.sh installs it)");

        // A profile directory of its own: a port can come round again within a run, and a new
        // Chrome must never meet the lock of one still shutting down.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let profile = std::env::temp_dir().join(format!(
            "pp-e2e-{}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let deadline = Instant::now() + PATIENCE;
        let client = loop {
            let attempt =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&format!("http://127.0.0.1:{driver_port}"))
                    .await;
            match attempt {
                Ok(c) => break c,
                Err(e) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Harness {
            client,
            sandbox: sandbox.addr,
            state: sandbox.state,
            app: sandbox.app,
            portal: format!("http://localhost:{portal_port}"),
            driver,
            profile,
        }
    }

    /// Opens a path of the portal.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.portal))
            .await
            .expect("navigation");
    }

    /// Waits for an element.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    /// Waits until the element's text contains `needle`; returns the whole text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = e.text().await {
                    if t.contains(needle) {
                        return t;
                    }
                    last = t;
                }
            }
            if Instant::now() > deadline {
                panic!("{css} never contained {needle:?}; last text: {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the path of the current URL is `path`.
    pub async fn wait_path(&self, path: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await.expect("url");
            if url.path() == path {
                return;
            }
            if Instant::now() > deadline {
                panic!("expected to be at {path}, still at {url}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Fills the sign-in form and submits it.
    pub async fn sign_in(&self, region: &str, login: &str, password: &str) {
        self.find("#login").await;
        self.find("#region")
            .await
            .select_by_value(region)
            .await
            .expect("region option");
        let l = self.find("#login").await;
        l.clear().await.unwrap();
        l.send_keys(login).await.unwrap();
        let p = self.find("#password").await;
        p.clear().await.unwrap();
        p.send_keys(password).await.unwrap();
        self.find("form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
    }

    /// Clicks the button whose text is `text`.
    pub async fn click_button(&self, text: &str) {
        self.client
            .find(Locator::XPath(&format!(
                "//button[normalize-space()='{text}']"
            )))
            .await
            .unwrap_or_else(|e| panic!("no button {text}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks the link whose text is `text`, finding it again if the page re-rendered it
    /// between finding and clicking.
    pub async fn click_link(&self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(link) = self.client.find(Locator::LinkText(text)).await {
                if link.click().await.is_ok() {
                    return;
                }
            }
            if Instant::now() > deadline {
                panic!("no link {text} to click");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Presses keys on an element (fantoccini's `Key` values for special keys).
    pub async fn keys(&self, css: &str, keys: &[fantoccini::key::Key]) {
        let el = self.find(css).await;
        for k in keys {
            let c: char = (*k).into();
            el.send_keys(&c.to_string()).await.expect("key press");
        }
    }

    /// The text and attributes of the tree's active row (`aria-activedescendant`).
    pub async fn active_row(&self) -> serde_json::Value {
        self.client
            .execute(
                "const t = document.querySelector('[role=tree]'); const id = t.getAttribute('aria-activedescendant');
                 const r = id && document.getElementById(id);
                 return r ? { text: r.textContent, name: r.querySelector('.name').textContent, level: r.getAttribute('aria-level'), expanded: r.getAttribute('aria-expanded'),
                              pos: r.getAttribute('aria-posinset'), size: r.getAttribute('aria-setsize') } : null;",
                vec![],
            )
            .await
            .expect("script runs")
    }

    /// Waits until the active row's text contains `needle`; returns its description.
    pub async fn wait_active(&self, needle: &str) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let row = self.active_row().await;
            if row["text"].as_str().is_some_and(|t| t.contains(needle)) {
                return row;
            }
            if Instant::now() > deadline {
                panic!("the active row never contained {needle:?}; it is {row}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves what the browser shows to `target/screenshots/NAME.png`, for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
    }

    /// Runs axe-core (WCAG 2.x A and AA rules) on the page as it is now and fails with
    /// every violation named.
    pub async fn assert_accessible(&self, what: &str) {
        let violations = self.accessibility_violations().await;
        assert!(
            violations.is_empty(),
            "accessibility violations on {what}:\n{}",
            violations.join("\n")
        );
    }

    /// What axe-core finds on the page as it is now, one line per rule.
    pub async fn accessibility_violations(&self) -> Vec<String> {
        let axe = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../.tools/node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&axe).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (scripts/setup.sh --browser installs axe-core)",
                axe.display()
            )
        });
        self.client
            .execute(&source, vec![])
            .await
            .expect("axe-core loads");
        let result = self
            .client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                   axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
                     .then(r => done(r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)))
                     .catch(e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await
            .expect("axe-core runs");
        serde_json::from_value(result).expect("a list")
    }

    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
