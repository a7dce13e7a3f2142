//! The Enterprise pages in real Chromium: quota, features, settings, password, shares,
//! client revisions.

use partner_e2e::seed::{DISTRIBUTOR, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};
use std::collections::BTreeMap;

async fn fill(h: &Harness, css: &str, text: &str) {
    let el = h.find(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn signed_in(h: &Harness, login: &str, path: &str) {
    h.open(&format!("/sign-in?region={REGION}&next={path}"))
        .await;
    h.sign_in(REGION, login, PASSWORD).await;
}

fn posts(h: &Harness, w: &partner_sandbox::World, login: &str) -> Vec<serde_json::Value> {
    let _ = h;
    let r = &w.regions[REGION];
    r.enterprise[&r.logins[login]].settings_posts.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_send_only_what_changed_keep_a_draft_and_put_a_400_on_its_field() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, PARTNER, "/settings").await;
    h.wait_text("#quota-title + *", "available").await;
    h.wait_text(".features", "LDAP").await;
    h.find("#share_link_ttl").await;
    // Who the Enterprise API knows the partner as (GET /partner/info).
    h.wait_text(".enterprise-info", &h.company_of(REGION, PARTNER).await)
        .await;
    h.assert_accessible("the settings page").await;

    // One change; the sandbox receives that field alone.
    fill(&h, "#share_link_ttl", "120").await;
    h.click_button("Save settings").await;
    h.wait_text(".settings .action-done", "Settings saved")
        .await;
    let w = h.state.read().await;
    assert_eq!(
        posts(&h, &w, PARTNER),
        vec![serde_json::json!({"share_link_ttl": 120})]
    );
    // The settings the region has beyond the seven were kept, not sent back or dropped.
    let kept = w.regions[REGION].enterprise[&w.regions[REGION].logins[PARTNER]]
        .settings
        .clone();
    assert_eq!(
        (kept.versionpurge_interval, kept.sharing_enabled),
        (Some(90), Some(true))
    );
    drop(w);
    // ... and they are offered: the version purge days and the sharing switch.
    let days = h
        .find("#versionpurge_interval")
        .await
        .prop("value")
        .await
        .unwrap();
    assert_eq!(days.as_deref(), Some("90"));
    h.find("#sharing-enabled").await.click().await.unwrap();
    h.click_button("Save settings").await;
    // The status line still says the last save: wait for the sandbox to have this one.
    let deadline = std::time::Instant::now() + partner_e2e::PATIENCE;
    loop {
        let w = h.state.read().await;
        let sent = posts(&h, &w, PARTNER);
        if sent.len() == 2 {
            assert_eq!(sent[1], serde_json::json!({"sharing_enabled": false}));
            break;
        }
        drop(w);
        assert!(
            std::time::Instant::now() < deadline,
            "the sharing switch was never sent"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.wait_text(".settings .action-done", "Settings saved")
        .await;

    // Turning auto-purge off sends null; a bad netblock is stopped at its field.
    h.wait_text("#share_link_ttl-hint", "Minutes").await;
    h.find("#autopurge-on").await.click().await.unwrap();
    assert!(
        h.client
            .find(fantoccini::Locator::Css("#autopurge_interval"))
            .await
            .is_err(),
        "the days field goes with the switch"
    );
    h.click_button("Add a netblock").await;
    fill(&h, "#network-2", "10.0.0.1/8").await;
    h.click_button("Save settings").await;
    h.wait_text(
        "#signup_network_restriction-problem",
        "the block is 10.0.0.0/8",
    )
    .await;
    fill(&h, "#network-2", "10.0.0.0/8").await;

    // A draft survives a reload.
    h.client.refresh().await.unwrap();
    h.wait_text(".draft-note", "unsaved changes are back").await;
    assert_eq!(
        h.find("#network-2")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("10.0.0.0/8")
    );
    h.click_button("Save settings").await;
    h.wait_text(".settings .action-done", "Settings saved")
        .await;
    let w = h.state.read().await;
    let last = posts(&h, &w, PARTNER).last().unwrap().clone();
    assert_eq!(last["autopurge_interval"], serde_json::Value::Null);
    assert_eq!(last.as_object().unwrap().len(), 2, "{last}");
    drop(w);

    // The region's 400 naming a field lands on that field.
    h.app.faults.add(FaultRule {
        method: Some("POST".into()),
        path_prefix: format!("/{REGION}/apis/accounts/v1/partner/settings"),
        count: 1,
        fault: FaultKind::Status,
        status: Some(400),
        retry_after: None,
        body: Some(r#"{"reason": "This support address is not allowed for your brand.", "conflicts": ["support_email"]}"#.into()),
    });
    fill(&h, "#support_email", "help@elsewhere.example").await;
    h.click_button("Save settings").await;
    h.wait_text("#support_email-problem", "not allowed for your brand")
        .await;
    assert_eq!(
        h.find("#support_email")
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_and_the_next_page_still_loads() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, PARTNER, "/settings").await;
    h.find("#pw-current").await;
    fill(&h, "#pw-current", "not-it").await;
    fill(&h, "#pw-new", "short").await;
    h.click_button("Change password").await;
    h.wait_text("#pw-current-problem", "not your current password")
        .await;
    h.wait_text("#pw-new-problem", "at least 8").await;
    fill(&h, "#pw-current", PASSWORD).await;
    fill(&h, "#pw-new", "Fjordline-Api-2026!").await;
    h.wait_text("#password-title ~ form", "Strong").await;
    fill(&h, "#pw-again", "Fjordline-Api-2026!").await;
    h.click_button("Change password").await;
    h.wait_text("#password-title ~ form .action-done", "Password changed")
        .await;
    // The sandbox has the new password, and the next page loads with it.
    let session = h
        .js("return sessionStorage.getItem('partner-portal.session')")
        .await;
    assert!(
        session.as_str().unwrap().contains("Fjordline-Api-2026!")
            && !session.as_str().unwrap().contains("\"demo\"")
    );
    h.open("/shares").await;
    h.wait_text("table.shares caption", "Users 1 to").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shares_come_by_user_page_by_page_and_switch_in_place() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, DISTRIBUTOR, "/shares").await;
    h.wait_text("table.shares caption", "Users 1 to 25").await;
    h.assert_accessible("the shares page").await;
    h.click_button("Next page").await;
    h.wait_text("table.shares caption", "Users 26 to 50").await;
    let (first_share, owners) = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        let e = &r.enterprise[&r.logins[DISTRIBUTOR]];
        (e.shares[25].shares[0].name.clone(), e.shares.len())
    };
    h.wait_text("table.shares tbody tr:first-child", &first_share)
        .await;
    h.click_button("Previous page").await;
    h.wait_text("table.shares caption", "Users 1 to 25").await;

    // A page that is not full has no next one.
    h.choose("#page-size", "100").await;
    h.wait_text("table.shares caption", &format!("Users 1 to {owners}"))
        .await;
    let next = h
        .client
        .find(fantoccini::Locator::XPath(
            "//button[normalize-space()='Next page']",
        ))
        .await
        .unwrap();
    assert_eq!(
        next.attr("disabled").await.unwrap().as_deref(),
        Some("true")
    );

    // Disabling a share is one call with the owner and the room key, and the row says so.
    let (owner, room, name) = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        let e = &r.enterprise[&r.logins[DISTRIBUTOR]];
        let s = e.shares[0].shares.iter().find(|s| s.enabled).unwrap();
        (
            e.shares[0].email.clone(),
            s.room_key.clone(),
            s.name.clone(),
        )
    };
    h.find(&format!("button[aria-label='Disable {name}']"))
        .await
        .click()
        .await
        .unwrap();
    h.find(&format!("button[aria-label='Enable {name}']")).await;
    let w = h.state.read().await;
    let r = &w.regions[REGION];
    let e = &r.enterprise[&r.logins[DISTRIBUTOR]];
    let now = e.shares.iter().find(|o| o.email == owner).unwrap();
    assert!(
        !now.shares
            .iter()
            .find(|s| s.room_key == room)
            .unwrap()
            .enabled
    );
    drop(w);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_revisions_chart_is_drawn_from_the_sandboxs_devices() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, DISTRIBUTOR, "/revisions").await;
    let counts: BTreeMap<i64, u64> = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        let mut m = BTreeMap::new();
        for d in &r.enterprise[&r.logins[DISTRIBUTOR]].devices {
            *m.entry(d.revision).or_insert(0) += 1;
        }
        m
    };
    h.find("svg.chart").await;
    let bars = h
        .client
        .find_all(fantoccini::Locator::Css("svg.chart g.bar"))
        .await
        .unwrap()
        .len();
    assert_eq!(bars, counts.len());
    let table = h.find(".revisions table").await.text().await.unwrap();
    for (rev, n) in &counts {
        assert!(
            table.contains(&format!("{rev} {n}")),
            "{rev} {n} missing from {table}"
        );
    }
    h.assert_accessible("the revisions page").await;
    // Filters: only revisions 183 to 185.
    fill(&h, "#min-revision", "183").await;
    fill(&h, "#max-revision", "185").await;
    h.click_button("Show").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let n = h
            .client
            .find_all(fantoccini::Locator::Css("svg.chart g.bar"))
            .await
            .unwrap()
            .len();
        if n == counts.range(183..=185).count() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{n} bars after filtering"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    fill(&h, "#max-days", "soon").await;
    h.click_button("Show").await;
    h.wait_text("#revisions-problem", "not a whole number")
        .await;
    h.finish().await;
}

/// A region that answers `bytes_available: 0` (or null) has said nothing about what is
/// available: the page says what was allocated, and never "unlimited" nor "0 available".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quota_of_zero_available_claims_nothing() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    {
        let mut w = h.state.write().await;
        let r = w.region_mut(REGION).unwrap();
        let partner = r.logins[PARTNER].clone();
        let e = r.enterprise.get_mut(&partner).unwrap();
        e.bytes_available = Some(0);
        e.bytes_allocated = 3_000_000_000;
    }
    signed_in(&h, PARTNER, "/settings").await;
    let text = h
        .wait_text("#quota-title + *", "gives no figure for what is available")
        .await;
    assert!(text.contains("GB allocated to your users"), "{text}");
    let page = h.find("main").await.text().await.unwrap().to_lowercase();
    assert!(!page.contains("unlimited"), "{page}");
    assert!(!page.contains("0 bytes available"), "{page}");
    h.finish().await;
}
