//! End-to-end harness: the built portal (`dist/`) served from one origin, the sandbox on
//! another, and real headless Chromium driven through chromedriver with fantoccini.
//!
//! Each [`Harness`] is independent: its own sandbox (in this process, so a test can read the
//! state it asserts against), its own static server, its own chromedriver and browser profile.
//!
//! The static server is this process's own (axum), or, with `E2E_FRONT=nginx` or
//! [`Front::Nginx`], real nginx running the site `partner-deploy` renders from the test's
//! config.json: the deployment that ships is the one tested.

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
}

impl Launch {
    pub fn new(config: PortalConfig) -> Launch {
        Launch {
            config,
            seed: Seed::Demo,
            front: Front::from_env(),
            files: Vec::new(),
            block_third_party_cookies: false,
        }
    }
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
    nginx: Option<(Child, PathBuf)>,
}

/// Where the release build is: `$PORTAL_DIST`, else `dist/` at the workspace root.
pub fn dist_dir() -> PathBuf {
    std::env::var_os("PORTAL_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist"))
}

/// The sandbox configuration behind nginx: the portal calls its own origin's `/{region}/`,
/// which nginx forwards to the sandbox's region prefixes, as it would to the region hosts.
pub fn nginx_sandbox_config(sandbox: SocketAddr) -> String {
    let port = sandbox.port();
    let regions: Vec<String> = partner_api::ids::PUBLIC_REGIONS
        .iter()
        .map(|(id, name, _)| {
            format!(
                r#"{{"id": "{id}", "name": "{name}", "sandbox": true,
                    "accounts": "http://127.0.0.1:{port}/{id}", "enterprise": "http://127.0.0.1:{port}/{id}/apis/accounts/v1"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"brand": {{"name": "Partner Portal E2E"}}, "default_region": "dk-co", "timeout_seconds": 5,
            "proxy": "/{{region}}", "regions": [{}]}}"#,
        regions.join(",")
    )
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

/// `dist/` from this process, with `config.json` (or a 404) and extra files. Returns the port.
async fn serve_axum(
    dist: &std::path::Path,
    config_body: Option<String>,
    files: Vec<(String, Vec<u8>)>,
) -> u16 {
    let static_files = ServeDir::new(dist).fallback(ServeFile::new(dist.join("index.html")));
    let mut app = Router::new().route(
        "/config.json",
        get(move || {
            let body = config_body.clone();
            async move {
                match body {
                    Some(b) => ([(header::CONTENT_TYPE, "application/json")], b).into_response(),
                    None => (StatusCode::NOT_FOUND, "no config here").into_response(),
                }
            }
        }),
    );
    for (path, body) in files {
        let kind = if path.ends_with(".svg") {
            "image/svg+xml"
        } else {
            "application/octet-stream"
        };
        app = app.route(
            &format!("/{path}"),
            get(move || {
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, kind)], body).into_response() }
            }),
        );
    }
    let app = app.fallback_service(static_files);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

/// Real nginx (`$NGINX`, else `nginx` on the PATH) serving a copy of `dist/` with the test's
/// config.json, through the site `partner-deploy` renders from that config. A config the
/// portal must refuse cannot be rendered, so the sandbox's stands in for the site then.
async fn serve_nginx(
    dist: &std::path::Path,
    config_body: Option<String>,
    files: Vec<(String, Vec<u8>)>,
    sandbox: SocketAddr,
) -> (u16, Child, PathBuf) {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!(
        "pp-nginx-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let root = dir.join("root");
    std::fs::create_dir_all(&root).expect("nginx folder");
    copy_dir(dist, &root);
    let _ = std::fs::remove_file(root.join("config.json"));
    if let Some(body) = &config_body {
        std::fs::write(root.join("config.json"), body).unwrap();
    }
    for (path, body) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, body).unwrap();
    }
    let port = free_port();
    let parsed = config_body
        .as_deref()
        .and_then(|b| partner_api::config::PortalConfig::from_json(b).ok())
        .unwrap_or_else(|| {
            partner_api::config::PortalConfig::from_json(&nginx_sandbox_config(sandbox)).unwrap()
        });
    let site = partner_deploy::nginx_site(
        &parsed,
        &partner_deploy::Site {
            listen: format!("127.0.0.1:{port}"),
            root: root.display().to_string(),
            server_name: "localhost".into(),
            brotli: true,
        },
    )
    .expect("the site renders");
    std::fs::write(dir.join("site.conf"), site).unwrap();
    // The scaffolding around the shipped site: where nginx keeps its pid, logs and buffers.
    let d = dir.display();
    std::fs::write(
        dir.join("nginx.conf"),
        format!(
            "daemon off;
# One process, no workers: killing it (at the end, or when a test panics) leaves nothing
# behind. A killed master would orphan its workers, still listening.
master_process off;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
# Debian's libnginx-mod-http-brotli-static (setup.sh installs it), for brotli_static.
load_module /usr/lib/nginx/modules/ngx_http_brotli_static_module.so;
             events {{ worker_connections 256; }}
             http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
               client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
               uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  include {d}/site.conf;
}}
"
        ),
    )
    .unwrap();
    let nginx = std::env::var("NGINX").unwrap_or_else(|_| {
        let debian = "/usr/sbin/nginx";
        if std::path::Path::new(debian).exists() {
            debian
        } else {
            "nginx"
        }
        .into()
    });
    let child = Command::new(nginx)
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("nginx starts (scripts/setup.sh --browser installs it)");
    let deadline = Instant::now() + PATIENCE;
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        if Instant::now() > deadline {
            let log = std::fs::read_to_string(dir.join("error.log")).unwrap_or_default();
            panic!("nginx never listened on {port}: {log}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (port, child, dir)
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("dist/ readable") {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A chromedriver command outside W3C WebDriver: `POST /session/{id}/{path}` with `body`.
/// The browser log (`se/log`) and the DevTools passthrough (`goog/cdp/execute`) are two.
#[derive(Debug)]
struct Chromedriver {
    path: &'static str,
    body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Chromedriver {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// A PSA tool's page on an origin of its own (`http://127.0.0.1:PORT`): it frames the URL in
/// its `?src=`, records every message from the frame in `window.received`, sizes the frame to
/// the `height` messages, and `window.tell(message)` posts to the frame.
pub async fn serve_host_page() -> String {
    const PAGE: &str = r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>PSA tool</title></head>
<body><h1>PSA tool</h1>
<iframe id="portal" title="Partner Portal" style="width: 1000px; height: 200px; border: 1px solid #999"></iframe>
<script>
  window.received = [];
  const frame = document.getElementById('portal');
  addEventListener('message', e => {
    if (e.source !== frame.contentWindow) return;
    window.received.push({ origin: e.origin, data: e.data });
    if (e.data && e.data.type === 'height') frame.style.height = e.data.height + 'px';
  });
  window.tell = message => frame.contentWindow.postMessage(message, '*');
  frame.src = new URLSearchParams(location.search).get('src');
</script></body></html>"#;
    let app = Router::new().route(
        "/",
        get(|| async { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE) }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://127.0.0.1:{port}")
}

/// One plain HTTP/1.1 GET: status line and headers (lower-cased names), and the body's
/// length. For asserting what a server sends, without a browser in between.
pub async fn http_get(url: &str, headers: &[(&str, &str)]) -> (u16, Vec<(String, String)>, usize) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let parsed = url::Url::parse(url).expect("a URL");
    let host = parsed.host_str().unwrap().to_owned();
    let port = parsed.port_or_known_default().unwrap();
    let mut stream = tokio::net::TcpStream::connect((host.as_str(), port))
        .await
        .expect("connects");
    let mut request = format!(
        "GET {} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n",
        &url[parsed.origin().ascii_serialization().len()..]
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, answer.len() - split - 4)
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
        let (portal_port, nginx) = match launch.front {
            Front::Axum => (serve_axum(&dist, config_body, launch.files).await, None),
            Front::Nginx => {
                let (port, child, dir) =
                    serve_nginx(&dist, config_body, launch.files, sandbox.addr).await;
                (port, Some((child, dir)))
            }
        };

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
        let mut chrome = serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        });
        if launch.block_third_party_cookies {
            // Chromium's "Block third-party cookies" setting.
            chrome["prefs"] = serde_json::json!({
                "profile.cookie_controls_mode": 1,
                "profile.block_third_party_cookies": true
            });
        }
        caps.insert("goog:chromeOptions".into(), chrome);
        // The console, for `Harness::console`.
        caps.insert(
            "goog:loggingPrefs".into(),
            serde_json::json!({ "browser": "ALL" }),
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
            nginx,
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

    /// Runs a script in the current frame (`return` gives its value).
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("{script}: {e}"))
    }

    /// Chooses the option of value `value` in the `<select>` at `css`.
    pub async fn choose(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{css} = {value}: {e}"));
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

    /// Waits until any element matching `css` contains `needle` (several may match, some
    /// empty, such as live regions).
    pub async fn wait_any_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let found = self
                .client
                .execute(
                    "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]))",
                    vec![css.into(), needle.into()],
                )
                .await
                .unwrap_or_default();
            if found == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!("no {css} ever contained {needle:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the tree's background calls are done: every account row shows its kind.
    /// After this, a sandbox fault meets only the calls a test makes.
    pub async fn wait_tree_settled(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let pending = self
                .client
                .execute("return [...document.querySelectorAll('[role=treeitem]:not(.region)')].filter(r => !r.querySelector('.mark.kind')).length", vec![])
                .await
                .expect("script runs");
            if pending == serde_json::json!(0) {
                return;
            }
            assert!(Instant::now() < deadline, "the tree never finished loading");
            tokio::time::sleep(Duration::from_millis(100)).await;
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

    /// What the page wrote to the browser console since the last call, as `LEVEL message`
    /// lines (chromedriver's log endpoint; it also has errors the page could not catch).
    pub async fn console(&self) -> Vec<String> {
        let entries = self
            .client
            .issue_cmd(Chromedriver {
                path: "se/log",
                body: serde_json::json!({ "type": "browser" }),
            })
            .await
            .expect("chromedriver's browser log");
        entries
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        format!(
                            "{} {}",
                            e["level"].as_str().unwrap_or("?"),
                            e["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The colours of a screenshot at the centres-or-corners given, as `[r, g, b]`: the PNG the
    /// browser took is decoded by the browser itself (an image drawn on a canvas), so what is
    /// checked is what a person would see.
    pub async fn screenshot_pixels(&self, points: &[(f64, f64)]) -> Vec<[u8; 3]> {
        let png = self.client.screenshot().await.expect("screenshot");
        let data = format!(
            "data:image/png;base64,{}",
            partner_api::wire::auth::base64_encode(&png)
        );
        let points: Vec<serde_json::Value> = points
            .iter()
            .map(|(x, y)| serde_json::json!([x, y]))
            .collect();
        let result = self
            .client
            .execute_async(
                r#"const [src, points, done] = arguments;
                   const img = new Image();
                   img.onload = () => {
                     const c = document.createElement('canvas');
                     c.width = img.width; c.height = img.height;
                     const g = c.getContext('2d');
                     g.drawImage(img, 0, 0);
                     done(points.map(([x, y]) => Array.from(g.getImageData(Math.round(x), Math.round(y), 1, 1).data.slice(0, 3))));
                   };
                   img.onerror = () => done(null);
                   img.src = src;"#,
                vec![data.into(), points.into()],
            )
            .await
            .expect("the screenshot decodes");
        serde_json::from_value(result).expect("pixels")
    }

    /// Emulates the operating system's colour scheme (`light` or `dark`) through the
    /// DevTools protocol, as `prefers-color-scheme` sees it.
    pub async fn emulate_color_scheme(&self, scheme: &str) {
        self.client
            .issue_cmd(Chromedriver {
                path: "goog/cdp/execute",
                body: serde_json::json!({
                    "cmd": "Emulation.setEmulatedMedia",
                    "params": { "features": [{ "name": "prefers-color-scheme", "value": scheme }] }
                }),
            })
            .await
            .expect("chromedriver's DevTools command");
    }

    /// Console lines at level SEVERE (errors, uncaught exceptions, failed loads).
    pub async fn console_errors(&self) -> Vec<String> {
        self.console()
            .await
            .into_iter()
            .filter(|l| l.starts_with("SEVERE"))
            .collect()
    }

    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill().await;
        let _ = std::fs::remove_dir_all(&self.profile);
        if let Some((mut nginx, dir)) = self.nginx.take() {
            let _ = nginx.kill().await;
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
