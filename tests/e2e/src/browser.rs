//! The browser: chromedriver and its Chromium session, and what a test does in the page
//! (navigation, scripts, forms, clicks, keys, the console, screenshots, DevTools).

use crate::servers::free_port;
use crate::waits::PATIENCE;
use crate::Harness;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

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

/// A running chromedriver with one Chromium session, and the profile folder it owns.
pub(crate) struct Browser {
    pub client: Client,
    pub driver: Child,
    pub profile: PathBuf,
}

/// Starts chromedriver on a free port and opens a headless Chromium session through it.
/// With `block_third_party_cookies`, the browser blocks third-party cookies (and the storage
/// that goes with them). With `trust_spki`, the one certificate whose public key has that
/// SHA-256 (base64) is taken without a CA: the nginx front's test certificate.
pub(crate) async fn start(block_third_party_cookies: bool, trust_spki: Option<&str>) -> Browser {
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
    if let Some(spki) = trust_spki {
        // Only for this key (and only with --user-data-dir): every other certificate error
        // still stops the page.
        chrome["args"]
            .as_array_mut()
            .unwrap()
            .push(format!("--ignore-certificate-errors-spki-list={spki}").into());
    }
    if block_third_party_cookies {
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
        let attempt = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{driver_port}"))
            .await;
        match attempt {
            Ok(c) => break c,
            Err(e) if Instant::now() > deadline => panic!("no WebDriver session: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    };
    Browser {
        client,
        driver,
        profile,
    }
}

impl Harness {
    /// Opens a path of the portal.
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.portal))
            .await
            .expect("navigation");
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
        // Waits for it: parts of a page may come a moment later, in a chunk of their own.
        let xpath = format!("//button[normalize-space()='{text}']");
        let button = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {text}: {e}"));
        button.click().await.expect("click");
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

    /// Saves what the browser shows to `target/screenshots/NAME.png`, for people to look at.
    pub async fn screenshot(&self, name: &str) {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("screenshot written");
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

    /// A DevTools protocol command on the page's target (`Network.enable`, ...).
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        self.client
            .issue_cmd(Chromedriver {
                path: "goog/cdp/execute",
                body: serde_json::json!({ "cmd": cmd, "params": params }),
            })
            .await
            .unwrap_or_else(|e| panic!("chromedriver's DevTools command {cmd}: {e}"))
    }

    /// Makes the browser fail every request whose URL matches one of `patterns` (`*` is a
    /// wildcard), as a network error; an empty list lets everything through again.
    pub async fn block_urls(&self, patterns: &[&str]) {
        self.cdp("Network.enable", serde_json::json!({})).await;
        self.cdp(
            "Network.setBlockedURLs",
            serde_json::json!({ "urls": patterns }),
        )
        .await;
    }

    /// Chromium's "Fast 4G" network profile and a 4x slower CPU, as DevTools offers them
    /// (`on == false` takes both off).
    pub async fn throttle(&self, on: bool) {
        self.cdp("Network.enable", serde_json::json!({})).await;
        // DevTools' preset: 9 Mbit/s down, 1.5 Mbit/s up, both at 90 %, 165 ms round trip.
        let (latency, down, up) = if on {
            (165.0, 9e6 / 8.0 * 0.9, 1.5e6 / 8.0 * 0.9)
        } else {
            (0.0, -1.0, -1.0)
        };
        self.cdp(
            "Network.emulateNetworkConditions",
            serde_json::json!({
                "offline": false, "latency": latency,
                "downloadThroughput": down, "uploadThroughput": up
            }),
        )
        .await;
        self.cdp(
            "Emulation.setCPUThrottlingRate",
            serde_json::json!({ "rate": if on { 4 } else { 1 } }),
        )
        .await;
    }

    /// Console lines at level SEVERE (errors, uncaught exceptions, failed loads).
    pub async fn console_errors(&self) -> Vec<String> {
        self.console()
            .await
            .into_iter()
            .filter(|l| l.starts_with("SEVERE"))
            .collect()
    }
}
