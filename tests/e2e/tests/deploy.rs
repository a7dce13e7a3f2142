//! The shipped deployment: real nginx running the site `partner-deploy` renders from the
//! config, over HTTPS, in front of the sandbox. The headers are read off the wire; the CSP is
//! tried in Chromium, which must run the portal under it and refuse an inline script. A
//! region behind TLS of its own (a second nginx in front of a sandbox) shows that the proxy
//! verifies a region's certificate before it sends a partner's credentials, and that a
//! region's HTML page runs nothing on the portal's origin.

use partner_api::wire::auth::basic_authorization;
use partner_e2e::seed::{DISTRIBUTOR, PASSWORD, REGION};
use partner_e2e::servers::{self, NginxFront};
use partner_e2e::{http_get, https_get, Front, Harness, Launch, PortalConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The headers every answer of the site carries, whatever its CSP.
fn assert_security_headers(headers: &[(String, String)], what: &str) {
    for (name, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
        ("strict-transport-security", "max-age=31536000"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ] {
        assert_eq!(header(headers, name), Some(value), "{what}: {name}");
    }
}

/// A proxied answer: the sandboxing CSP and every other security header, once each.
fn assert_proxied_headers(headers: &[(String, String)], what: &str) {
    assert_security_headers(headers, what);
    let csps: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n == "content-security-policy")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(csps, [partner_deploy::PROXIED_CSP], "{what}");
    assert_eq!(header(headers, "x-frame-options"), Some("DENY"), "{what}");
    assert_eq!(header(headers, "cache-control"), Some("no-store"), "{what}");
    assert!(header(headers, "set-cookie").is_none(), "{what}");
    assert!(header(headers, "www-authenticate").is_none(), "{what}");
}

/// A region of its own: nginx with a self-signed certificate for `localhost`, in front of a
/// sandbox, logging every request it gets with its Authorization header. `/{REGION}/error-page`
/// is an HTML error page whose script calls home (`/{REGION}/script-ran`) if it runs.
struct Region {
    port: u16,
    /// The self-signed certificate: the CA to trust for it.
    cert: PathBuf,
    dir: PathBuf,
    nginx: tokio::process::Child,
}

impl Region {
    async fn start(sandbox: SocketAddr) -> Region {
        let dir = servers::nginx_dir();
        let (cert, key) = servers::self_signed(&dir.join("tls"), "localhost");
        let port = servers::free_port();
        let d = dir.display();
        let conf = format!(
            r#"server {{
    listen 127.0.0.1:{port} ssl;
    server_name localhost;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    access_log {d}/region.log region;
    location = /{REGION}/error-page {{
        default_type text/html;
        return 500 '<!doctype html><title>Region error</title><p>Internal error</p><script>fetch("/{REGION}/script-ran")</script><img src="/{REGION}/image-loaded">';
    }}
    location / {{
        proxy_pass http://{sandbox};
    }}
}}
"#,
            cert = cert.display(),
            key = key.display(),
        );
        let log = "log_format region '$request_method $request_uri [$http_authorization]';";
        let child = servers::start_nginx(&dir, &conf, log, port).await;
        Region {
            port,
            cert,
            dir,
            nginx: child,
        }
    }

    async fn stop(mut self) {
        let _ = self.nginx.kill().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }

    /// Every request the region got: method, path and Authorization.
    fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.join("region.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The sandbox config for nginx, with [`REGION`] at this region under `host`.
    fn config(&self, sandbox: SocketAddr, host: &str) -> String {
        let mut v: serde_json::Value =
            serde_json::from_str(&partner_e2e::nginx_sandbox_config(sandbox)).unwrap();
        for region in v["regions"].as_array_mut().unwrap() {
            if region["id"] == REGION {
                region["accounts"] = format!("https://{host}:{}/{REGION}", self.port).into();
                region["enterprise"] =
                    format!("https://{host}:{}/{REGION}/apis/accounts/v1", self.port).into();
            }
        }
        v.to_string()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_serves_the_portal_under_its_csp_and_the_csp_blocks_inline_script() {
    let mut launch = Launch::new(PortalConfig::Sandbox);
    launch.front = Front::Nginx;
    // Trunk drops a hash's leading zeros: one build in sixteen names its files like this.
    launch.files = vec![(
        "partner-portal-5009e203739e73e.js".into(),
        b"export {};".to_vec(),
    )];
    let h = Harness::launch(launch).await;

    // What nginx sends, read off the wire, over HTTPS.
    assert!(h.portal.starts_with("https://localhost:"), "{}", h.portal);
    let (status, headers, _) = h.get("/", &[]).await;
    assert_eq!(status, 200);
    assert_security_headers(&headers, "/");
    let csp = header(&headers, "content-security-policy").expect("a CSP");
    for part in [
        "script-src 'self' 'wasm-unsafe-eval';",
        "connect-src 'self';",
        "frame-ancestors 'none';",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert_eq!(header(&headers, "cache-control"), Some("no-cache"));
    assert_eq!(header(&headers, "x-frame-options"), Some("DENY"));
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));

    // A deep link is the app; config.json is never cached; hashed files are, for a year.
    let (status, headers, _) = h.get(&format!("/accounts/{REGION}/x"), &[]).await;
    assert_eq!(
        (status, header(&headers, "content-type")),
        (200, Some("text/html; charset=utf-8"))
    );
    assert_security_headers(&headers, "a deep link");
    let (status, headers, _) = h.get("/config.json", &[]).await;
    assert_eq!(
        (status, header(&headers, "cache-control")),
        (200, Some("no-cache"))
    );
    assert_security_headers(&headers, "/config.json");
    let wasm = std::fs::read_dir(partner_e2e::dist_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with("_bg.wasm"))
        .expect("a wasm file in dist/");
    // The copies compressed at build time are what is sent: brotli to a client that takes it,
    // gzip to one that takes only that, each byte for byte the file next to the wasm.
    let dist = partner_e2e::dist_dir();
    for (accept, encoding, copy) in [
        ("gzip, deflate, br", "br", format!("{wasm}.br")),
        ("gzip", "gzip", format!("{wasm}.gz")),
    ] {
        let (status, headers, length) = h
            .get(&format!("/{wasm}"), &[("Accept-Encoding", accept)])
            .await;
        assert_eq!(status, 200);
        assert_security_headers(&headers, &wasm);
        assert_eq!(header(&headers, "content-type"), Some("application/wasm"));
        assert_eq!(header(&headers, "content-encoding"), Some(encoding));
        assert_eq!(header(&headers, "vary"), Some("Accept-Encoding"));
        assert!(header(&headers, "cache-control")
            .unwrap()
            .contains("immutable"));
        let on_disk = std::fs::metadata(dist.join(&copy))
            .unwrap_or_else(|e| panic!("{copy} in dist/ (the release build writes it): {e}"))
            .len();
        assert_eq!(length as u64, on_disk, "{accept}: the body is {copy}");
    }
    // Without Accept-Encoding, the file itself.
    let (_, headers, length) = h.get(&format!("/{wasm}"), &[]).await;
    assert_eq!(header(&headers, "content-encoding"), None);
    assert_eq!(
        length as u64,
        std::fs::metadata(dist.join(&wasm)).unwrap().len()
    );
    // config.json is edited after a build, so it has no stale copy to serve.
    let (_, headers, _) = h.get("/config.json", &[("Accept-Encoding", "br")]).await;
    assert_eq!(header(&headers, "content-encoding"), None);
    let (status, _, _) = h.get("/partner-portal-0000000000000000.js", &[]).await;
    assert_eq!(status, 404, "a missing hashed file is a 404, not the app");
    let (status, headers, _) = h.get("/partner-portal-5009e203739e73e.js", &[]).await;
    assert_eq!(status, 200);
    assert!(
        header(&headers, "cache-control").is_some_and(|c| c.contains("immutable")),
        "a 15-digit hash is a hashed file too: {headers:?}"
    );
    // The proxy forwards a region's calls and keeps no cookie; what it answers carries a
    // CSP that lets it do nothing, and every other security header.
    let (status, headers, _) = h.get(&format!("/{REGION}/users/"), &[]).await;
    assert_eq!(
        status, 401,
        "the region answers through the proxy (no credentials: 401)"
    );
    assert_proxied_headers(&headers, "the Accounts proxy");
    let (status, headers, _) = h
        .get(&format!("/{REGION}/apis/accounts/v1/ping"), &[])
        .await;
    assert!(status >= 400, "no credentials: {status}");
    assert_proxied_headers(&headers, "the Enterprise proxy");

    // Plain HTTP only redirects, to the same path over HTTPS, and serves nothing itself.
    let plain = h.plain_http().expect("nginx listens for plain HTTP");
    let (status, headers, _) = http_get(&format!("{plain}/accounts/{REGION}/x?y=1"), &[]).await;
    assert_eq!(status, 301);
    assert_eq!(
        header(&headers, "location"),
        Some(format!("{}/accounts/{REGION}/x?y=1", h.portal).as_str())
    );
    let (status, headers, _) = http_get(&format!("{plain}/{REGION}/users/"), &[]).await;
    assert_eq!(status, 301, "no proxy in clear");
    assert_eq!(
        header(&headers, "location"),
        Some(format!("{}/{REGION}/users/", h.portal).as_str())
    );

    // The portal works under that CSP, in a secure context: sign in, see the tree.
    h.open("/").await;
    assert_eq!(
        h.js("return location.protocol + ' ' + window.isSecureContext")
            .await,
        "https: true"
    );
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.find("[role=tree] [role=treeitem]").await;
    // An inline script is refused, and the browser says so.
    let outcome = h
        .client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               const seen = [];
               document.addEventListener('securitypolicyviolation', e => seen.push(e.violatedDirective));
               const s = document.createElement('script');
               s.textContent = 'window.__inlineRan = true;';
               document.head.appendChild(s);
               setTimeout(() => done({ ran: window.__inlineRan === true, seen }), 300);"#,
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(outcome["ran"], false, "the inline script ran: {outcome}");
    assert!(
        outcome["seen"].to_string().contains("script-src"),
        "no violation reported: {outcome}"
    );
    // Nothing else was refused while the portal ran: the only console errors are that one.
    let (refusals, errors): (Vec<String>, Vec<String>) = h
        .console_errors()
        .await
        .into_iter()
        .partition(|l| l.contains("violates the following Content Security Policy"));
    assert_eq!(
        refusals.len(),
        1,
        "the console names the one refusal: {refusals:?}"
    );
    assert!(
        errors.is_empty(),
        "console errors under the CSP: {errors:?}"
    );
    assert_eq!(
        h.js("return document.cookie").await,
        "",
        "no cookies anywhere"
    );
    h.finish().await;
}

/// The CSP's `frame-ancestors` comes from the embedding allow-list: nginx lets an allowed PSA
/// page frame the portal (and it hears `ready`), and the browser refuses the frame to any
/// other page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nginx_lets_only_allowed_hosts_frame_the_portal() {
    let allowed = partner_e2e::serve_host_page().await;
    let other = partner_e2e::serve_host_page().await;
    let origin = allowed.clone();
    let mut launch = Launch::new(PortalConfig::Built(Box::new(move |sandbox| {
        let mut v: serde_json::Value =
            serde_json::from_str(&partner_e2e::nginx_sandbox_config(sandbox)).unwrap();
        v["embed"] = serde_json::json!({ "allowed_origins": [origin] });
        v.to_string()
    })));
    launch.front = Front::Nginx;
    let h = Harness::launch(launch).await;
    let (_, headers, _) = h.get("/", &[]).await;
    let csp = header(&headers, "content-security-policy").unwrap();
    assert!(
        csp.contains(&format!("frame-ancestors {allowed};")),
        "{csp}"
    );
    assert!(header(&headers, "x-frame-options").is_none());

    let heard = |host: String| {
        let h = &h;
        async move {
            h.client
                .goto(&format!("{host}/?src={}/sign-in", h.portal))
                .await
                .unwrap();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            loop {
                let ready = h
                    .js("return window.received.some(m => m.data && m.data.type === 'ready')")
                    .await;
                if ready == true || std::time::Instant::now() > deadline {
                    return ready == true;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    };
    assert!(heard(allowed).await, "the allowed host never heard ready");
    h.console().await;
    assert!(
        !heard(other.clone()).await,
        "a host off the list framed the portal"
    );
    let refusals = h.console_errors().await;
    assert!(
        refusals.iter().any(|l| l.contains("frame-ancestors")),
        "the browser did not say why: {refusals:?}"
    );
    h.finish().await;
}

/// nginx does not check an upstream's certificate unless told. The rendered proxy does: a
/// region behind a certificate nobody vouches for, or one for another name, gets no request
/// (so no partner's credentials) and the browser gets a 502; the same region, once its
/// certificate is the CA the site trusts, gets the call with its credentials.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_proxy_sends_credentials_only_to_a_region_whose_certificate_it_verifies() {
    let sandbox = partner_sandbox::spawn_with(
        "127.0.0.1:0",
        partner_sandbox::Options::new(partner_sandbox::Seed::Demo),
    )
    .await
    .expect("sandbox starts");
    let region = Region::start(sandbox.addr).await;
    let dist = partner_e2e::dist_dir();
    let credentials = basic_authorization(DISTRIBUTOR, PASSWORD);
    let call = |front: &NginxFront| {
        let url = format!("{}/{REGION}/users/", front.origin);
        let ca = front.ca.clone();
        let credentials = credentials.clone();
        async move { https_get(&url, &[("Authorization", &credentials)], Some(&ca)).await }
    };

    // 1. Self-signed, and the site trusts Debian's bundle: refused before any request.
    let front = servers::serve_nginx(
        &dist,
        Some(region.config(sandbox.addr, "localhost")),
        vec![],
        sandbox.addr,
        None,
    )
    .await;
    let (status, headers, _) = call(&front).await;
    assert_eq!(status, 502, "a self-signed region was let through");
    assert_proxied_headers(&headers, "a 502 of the proxy");
    let log = std::fs::read_to_string(front.dir.join("error.log")).unwrap();
    assert!(
        log.contains("upstream SSL certificate verify error"),
        "nginx did not say why: {log}"
    );
    assert_eq!(
        region.requests(),
        Vec::<String>::new(),
        "the region got a request"
    );
    front.stop().await;

    // 2. Its certificate trusted, but the region is reached by another name (127.0.0.1, the
    // certificate names localhost): refused too.
    let front = servers::serve_nginx(
        &dist,
        Some(region.config(sandbox.addr, "127.0.0.1")),
        vec![],
        sandbox.addr,
        Some(&region.cert),
    )
    .await;
    let (status, _, _) = call(&front).await;
    assert_eq!(status, 502, "a certificate for another name was taken");
    let log = std::fs::read_to_string(front.dir.join("error.log")).unwrap();
    assert!(
        log.contains("upstream SSL certificate does not match"),
        "nginx did not say why: {log}"
    );
    assert_eq!(
        region.requests(),
        Vec::<String>::new(),
        "the region got a request"
    );
    front.stop().await;

    // 3. Trusted and named: the same call goes through, credentials and all.
    let front = servers::serve_nginx(
        &dist,
        Some(region.config(sandbox.addr, "localhost")),
        vec![],
        sandbox.addr,
        Some(&region.cert),
    )
    .await;
    let (status, headers, _) = call(&front).await;
    assert_eq!(status, 200, "the trusted region did not answer");
    assert_proxied_headers(&headers, "a proxied 200");
    // The region writes its log as it ends the request, a moment after the answer left.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while region.requests().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        region.requests(),
        [format!("GET /{REGION}/users/ [{credentials}]")],
        "the region got the call with the partner's credentials"
    );
    front.stop().await;
    region.stop().await;
}

/// A region's HTML error page, opened in a tab of the portal's origin, runs no script and
/// loads nothing: the proxy's CSP (`default-src 'none'; sandbox`) holds it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_regions_html_page_runs_nothing_on_the_portals_origin() {
    // The region fronts a sandbox of its own; the portal's sandbox is not needed here.
    let sandbox = partner_sandbox::spawn_with(
        "127.0.0.1:0",
        partner_sandbox::Options::new(partner_sandbox::Seed::Demo),
    )
    .await
    .expect("sandbox starts");
    let region = Region::start(sandbox.addr).await;
    let config = region.config(sandbox.addr, "localhost");
    let mut launch = Launch::new(PortalConfig::Raw(config));
    launch.front = Front::Nginx;
    launch.upstream_ca = Some(region.cert.clone());
    let h = Harness::launch(launch).await;

    h.open(&format!("/{REGION}/error-page")).await;
    // The page came, through the proxy, on the portal's origin.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !region.requests().iter().any(|r| r.contains("/error-page")) {
        assert!(
            std::time::Instant::now() < deadline,
            "the page never reached the region: {:?}",
            region.requests()
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Long enough for its script and image to have called home.
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    let requests = region.requests();
    assert!(
        !requests.iter().any(|r| r.contains("/script-ran")),
        "the region's script ran on the portal's origin: {requests:?}"
    );
    assert!(
        !requests.iter().any(|r| r.contains("/image-loaded")),
        "the region's page loaded an image: {requests:?}"
    );
    let refusals = h.console_errors().await;
    assert!(
        refusals
            .iter()
            .any(|l| l.contains("sandboxed") || l.contains("Content Security Policy")),
        "the browser did not say why: {refusals:?}"
    );
    h.finish().await;
    region.stop().await;
}
