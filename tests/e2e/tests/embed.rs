//! The portal inside a PSA tool's frame: a host page on another origin (and another site, with
//! third-party cookies blocked) frames it, hears `ready`, `height` and `route`, and drives it
//! with `navigate` and `set-theme`; a host not on the allow-list hears nothing and is not
//! obeyed.

use partner_e2e::seed::{DISTRIBUTOR, OTHER_REGION, PASSWORD, REGION};
use partner_e2e::{sandbox_config, serve_host_page, Harness, Launch, PortalConfig};
use std::time::{Duration, Instant};

/// The sandbox config with an embedding allow-list.
fn config_allowing(origin: String) -> PortalConfig {
    PortalConfig::Built(Box::new(move |sandbox| {
        let mut v: serde_json::Value = serde_json::from_str(&sandbox_config(sandbox)).unwrap();
        v["embed"] = serde_json::json!({ "allowed_origins": [origin] });
        v.to_string()
    }))
}

async fn received(h: &Harness) -> Vec<serde_json::Value> {
    h.client.enter_parent_frame().await.unwrap();
    let list = h
        .js("return window.received.map(m => ({ origin: m.origin, ...m.data }))")
        .await;
    serde_json::from_value(list).unwrap()
}

/// Waits until the host has received a message matching `pred`.
async fn wait_message(
    h: &Harness,
    what: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + partner_e2e::PATIENCE;
    loop {
        let list = received(h).await;
        if let Some(m) = list.iter().find(|m| pred(m)) {
            return m.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the host never heard {what}; it heard {list:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The host page posts `message` (a JS object literal) to the portal's frame.
async fn tell(h: &Harness, message: &str) {
    h.client.enter_parent_frame().await.unwrap();
    h.js(&format!("window.tell({message})")).await;
}

async fn enter_portal(h: &Harness) {
    h.client.enter_parent_frame().await.unwrap();
    h.client.enter_frame(0).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_allowed_host_embeds_the_portal_and_hears_height_and_routes() {
    let host = serve_host_page().await;
    let mut launch = Launch::new(config_allowing(host.clone()));
    launch.block_third_party_cookies = true;
    let h = Harness::launch(launch).await;

    h.client
        .goto(&format!("{host}/?src={}/sign-in", h.portal))
        .await
        .unwrap();
    let ready = wait_message(&h, "ready", |m| m["type"] == "ready").await;
    assert_eq!(ready["source"], "partner-portal");
    assert_eq!(ready["version"], 1);
    assert_eq!(ready["path"], "/sign-in");
    assert_eq!(ready["origin"], h.portal.as_str());
    // The sign-in page's chunk may still be on its way when the first height is posted: the
    // host hears the height again once the page is there.
    wait_message(&h, "the sign-in page's height", |m| {
        m["type"] == "height" && m["height"].as_u64().unwrap_or(0) > 200
    })
    .await;

    // Compact chrome: no outer header, a way out to a tab of its own.
    enter_portal(&h).await;
    h.find("header.compact").await;
    assert!(h
        .client
        .find(fantoccini::Locator::Css("header .brand"))
        .await
        .is_err());
    let new_tab = h.find("a.new-tab").await;
    assert_eq!(
        new_tab.attr("target").await.unwrap().as_deref(),
        Some("_blank")
    );
    h.assert_accessible("the portal in a frame").await;

    // Signing in works with third-party cookies blocked: the portal uses none.
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.find("[role=tree] [role=treeitem]").await;
    let route = wait_message(&h, "the route to the account", |m| {
        m["type"] == "route"
            && m["path"]
                .as_str()
                .unwrap_or("")
                .starts_with(&format!("/accounts/{REGION}/"))
    })
    .await;
    assert_eq!(route["origin"], h.portal.as_str());
    // Once the page settles, the height messages have sized the frame to the whole content:
    // the portal needs no scrollbar of its own.
    enter_portal(&h).await;
    h.wait_tree_settled().await;
    let deadline = Instant::now() + partner_e2e::PATIENCE;
    loop {
        enter_portal(&h).await;
        let content = h
            .js("return document.documentElement.scrollHeight")
            .await
            .as_f64()
            .unwrap();
        h.client.enter_parent_frame().await.unwrap();
        let frame = h
            .js("return document.getElementById('portal').clientHeight")
            .await
            .as_f64()
            .unwrap();
        if (frame - content).abs() <= 2.0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the frame is {frame}px for {content}px of content; messages: {:?}",
            received(&h).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    enter_portal(&h).await;
    // Nothing is wider than the frame either (a wide table would add a scrollbar of its own).
    let widths = h
        .js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        .await;
    assert!(
        widths[0].as_f64() <= widths[1].as_f64(),
        "wider than the frame: {widths}"
    );
    h.client.enter_parent_frame().await.unwrap();
    h.screenshot("embedded-in-psa-host").await;

    // The host navigates the portal and sets its theme.
    tell(
        &h,
        "{ source: 'partner-portal', type: 'navigate', path: '/settings' }",
    )
    .await;
    wait_message(&h, "the route to /settings", |m| {
        m["type"] == "route" && m["path"] == "/settings"
    })
    .await;
    enter_portal(&h).await;
    h.wait_text("h1", "Settings").await;
    h.client.enter_parent_frame().await.unwrap();
    tell(
        &h,
        "{ source: 'partner-portal', type: 'set-theme', theme: 'dark' }",
    )
    .await;
    enter_portal(&h).await;
    let deadline = Instant::now() + partner_e2e::PATIENCE;
    loop {
        let theme = h
            .js("return document.documentElement.dataset.theme || null")
            .await;
        if theme == "dark" {
            break;
        }
        assert!(Instant::now() < deadline, "the theme stayed {theme}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(h.js("return document.cookie").await, "");
    let errors = h.console_errors().await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_not_on_the_allow_list_hears_nothing_and_is_not_obeyed() {
    let host = serve_host_page().await;
    // Allowed: some other PSA tool, not this host.
    let h = Harness::launch(Launch::new(config_allowing(
        "https://eu.myconnectwise.net".into(),
    )))
    .await;
    h.client
        .goto(&format!("{host}/?src={}/sign-in", h.portal))
        .await
        .unwrap();
    enter_portal(&h).await;
    h.find("#login").await;
    h.find("header.compact").await;
    h.client.enter_parent_frame().await.unwrap();
    tell(
        &h,
        "{ source: 'partner-portal', type: 'navigate', path: '/settings' }",
    )
    .await;
    // Time for anything to arrive, the ready and heights the portal did post among them.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(received(&h).await, Vec::<serde_json::Value>::new());
    enter_portal(&h).await;
    assert!(
        h.client
            .find(fantoccini::Locator::Css("#login"))
            .await
            .is_ok(),
        "still on sign-in"
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embed_1_gives_the_compact_chrome_outside_a_frame() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open(&format!("/sign-in?embed=1&region={OTHER_REGION}"))
        .await;
    h.find("header.compact").await;
    let href = h
        .find("a.new-tab")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        href,
        format!("/sign-in?region={OTHER_REGION}"),
        "the new tab drops embed=1"
    );
    // It sticks for the tab, through a reload.
    h.client.refresh().await.unwrap();
    h.find("header.compact").await;
    h.finish().await;
}
