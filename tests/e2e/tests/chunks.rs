//! The release build's chunks in real Chromium: pages a partner opens rarely are fetched when
//! first needed (or when a link to them is pointed at or focused), a chunk that cannot be
//! fetched is said where the page would be, with "Try again", and the portal keeps working.

use partner_e2e::seed::{PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use std::time::{Duration, Instant};

/// The names of the files the page has fetched so far (Resource Timing), as far as they match.
async fn fetched(h: &Harness, part: &str) -> Vec<String> {
    let names = h
        .js(&format!(
            "return performance.getEntriesByType('resource').map(e => e.name)\
               .filter(n => n.includes({part:?}))"
        ))
        .await;
    serde_json::from_value(names).unwrap()
}

async fn signed_in_on_accounts(h: &Harness) {
    h.open(&format!("/sign-in?region={REGION}&next=/accounts"))
        .await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.find("[role=treeitem]").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chunk_that_cannot_be_fetched_is_said_and_try_again_loads_it() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in_on_accounts(&h).await;
    assert!(
        fetched(&h, "split_enterprise").await.is_empty(),
        "the settings page's chunk is not part of the first screen"
    );

    // The network fails the settings page's chunk.
    h.block_urls(&["*split_enterprise-*"]).await;
    h.click_link("Settings").await;
    let alert = h
        .wait_text("[role=alert]", "could not load this page")
        .await;
    assert!(alert.contains("updated since this tab opened"), "{alert}");
    for theme in ["light", "dark"] {
        h.choose("#theme", theme).await;
        h.assert_accessible(&format!("a page whose chunk failed ({theme})"))
            .await;
        for width in [800, 1280] {
            h.client.set_window_size(width, 1000).await.unwrap();
            h.screenshot(&format!("chunk-failed-{width}-{theme}")).await;
        }
    }
    assert!(
        !fetched(&h, "split_enterprise").await.is_empty(),
        "the chunk was asked for (and failed)"
    );

    // The module is not trapped: the rest of the portal still works.
    h.click_link("Accounts").await;
    h.find("[role=treeitem]").await;
    h.click_link("Settings").await;
    h.wait_text("[role=alert]", "could not load this page")
        .await;

    // The network is back: "Try again" fetches the chunk again and shows the page.
    h.block_urls(&[]).await;
    h.click_button("Try again").await;
    h.find("#share_link_ttl").await;
    let errors: Vec<String> = h
        .console_errors()
        .await
        .into_iter()
        .filter(|l| l.contains("unreachable") || l.contains("RuntimeError"))
        .collect();
    assert!(errors.is_empty(), "the module trapped: {errors:?}");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_focused_link_fetches_its_pages_chunk_before_the_click() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in_on_accounts(&h).await;
    assert!(fetched(&h, "split_billing").await.is_empty());
    h.js("document.querySelector('a[href=\"/billing\"]').focus(); return null")
        .await;
    let deadline = Instant::now() + Duration::from_secs(10);
    while fetched(&h, "split_billing").await.is_empty() {
        assert!(
            Instant::now() < deadline,
            "focusing the Billing link did not fetch its chunk"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The click then finds it here.
    h.click_link("Billing").await;
    h.find("h1").await;
    h.wait_text("h1", "Billing").await;
    h.finish().await;
}
