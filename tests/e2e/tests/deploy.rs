//! The shipped deployment: real nginx running the site `partner-deploy` renders from the
//! config, in front of the sandbox. The headers are read off the wire; the CSP is tried in
//! Chromium, which must run the portal under it and refuse an inline script.

use partner_e2e::seed::{DISTRIBUTOR, PASSWORD, REGION};
use partner_e2e::{http_get, Front, Harness, Launch, PortalConfig};

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
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

    // What nginx sends, read off the wire.
    let (status, headers, _) = http_get(&format!("{}/", h.portal), &[]).await;
    assert_eq!(status, 200);
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
    let (status, headers, _) = http_get(&format!("{}/accounts/{REGION}/x", h.portal), &[]).await;
    assert_eq!(
        (status, header(&headers, "content-type")),
        (200, Some("text/html; charset=utf-8"))
    );
    let (status, headers, _) = http_get(&format!("{}/config.json", h.portal), &[]).await;
    assert_eq!(
        (status, header(&headers, "cache-control")),
        (200, Some("no-cache"))
    );
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
        let (status, headers, length) = http_get(
            &format!("{}/{wasm}", h.portal),
            &[("Accept-Encoding", accept)],
        )
        .await;
        assert_eq!(status, 200);
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
    let (_, headers, length) = http_get(&format!("{}/{wasm}", h.portal), &[]).await;
    assert_eq!(header(&headers, "content-encoding"), None);
    assert_eq!(
        length as u64,
        std::fs::metadata(dist.join(&wasm)).unwrap().len()
    );
    // config.json is edited after a build, so it has no stale copy to serve.
    let (_, headers, _) = http_get(
        &format!("{}/config.json", h.portal),
        &[("Accept-Encoding", "br")],
    )
    .await;
    assert_eq!(header(&headers, "content-encoding"), None);
    let (status, _, _) = http_get(
        &format!("{}/partner-portal-0000000000000000.js", h.portal),
        &[],
    )
    .await;
    assert_eq!(status, 404, "a missing hashed file is a 404, not the app");
    let (status, headers, _) = http_get(
        &format!("{}/partner-portal-5009e203739e73e.js", h.portal),
        &[],
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        header(&headers, "cache-control").is_some_and(|c| c.contains("immutable")),
        "a 15-digit hash is a hashed file too: {headers:?}"
    );
    // The proxy forwards a region's calls and keeps no cookie.
    let (status, headers, _) = http_get(&format!("{}/{REGION}/users/", h.portal), &[]).await;
    assert_eq!(
        status, 401,
        "the region answers through the proxy (no credentials: 401)"
    );
    assert!(header(&headers, "set-cookie").is_none());

    // The portal works under that CSP: sign in, see the tree.
    h.open("/").await;
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
    let (_, headers, _) = http_get(&format!("{}/", h.portal), &[]).await;
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
