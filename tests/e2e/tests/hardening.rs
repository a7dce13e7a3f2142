//! Issue 14's holes, each closed with a test that fails without its fix, in real Chromium:
//! a `next=` leading off the origin after sign-in, credentials typed into a page that is not
//! encrypted, a stale 401 signing out a fresh session, drafts left in the browser after
//! sign-out, card numbers kept anywhere in any form, and the export's formula cells.

use partner_api::AccountId;
use partner_e2e::seed::{DISTRIBUTOR, PARTNER, PASSWORD, REGION};
use partner_e2e::{this_machines_address, Front, Harness, Launch, PortalConfig, PATIENCE};
use partner_sandbox::faults::{FaultKind, FaultRule, Outcome};
use std::time::{Duration, Instant};

fn hold(method: &str, prefix: String) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path_prefix: prefix,
        count: 1000,
        fault: FaultKind::Hold,
        status: None,
        retry_after: None,
        body: None,
    }
}

async fn type_into(h: &Harness, css: &str, text: &str) {
    let el = h.find(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// The calls the sandbox saw whose path starts with `prefix`, and how each ended.
fn seen(h: &Harness, method: &str, prefix: &str) -> Vec<Outcome> {
    h.app
        .faults
        .requests()
        .calls
        .into_iter()
        .filter(|c| c.method == method && c.path.starts_with(prefix))
        .map(|c| c.outcome)
        .collect()
}

/// Waits until `check` holds, or fails saying `what`.
async fn until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Screenshots at 1280 and 800 pixels wide, light and dark, as `target/screenshots/NAME-…`.
async fn screenshots(h: &Harness, name: &str) {
    for (width, height) in [(1280u32, 900u32), (800, 900)] {
        h.client
            .set_window_size(width, height)
            .await
            .expect("window size");
        for scheme in ["light", "dark"] {
            h.emulate_color_scheme(scheme).await;
            h.js("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
                .await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            h.screenshot(&format!("{name}-{width}-{scheme}")).await;
        }
    }
    h.client.set_window_size(1280, 900).await.unwrap();
    h.emulate_color_scheme("light").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_next_leading_off_the_origin_is_not_followed_after_sign_in() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    // Each of these is another site once the browser has dropped the tab or newline, read
    // the backslash as a slash, or the router has undone the percent-encoding.
    for next in [
        "/%09/evil.example",
        "/%250A/evil.example",
        "/%2509/evil.example",
        "/%255C/evil.example",
        "/%252F/evil.example",
        "%2F%5Cevil.example",
        "/%5C/evil.example",
        "//evil.example",
    ] {
        h.open(&format!("/sign-in?region={REGION}&next={next}"))
            .await;
        h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
        // The partner's own account instead, on this origin.
        h.wait_path(&format!("/accounts/{REGION}/{root}")).await;
        let origin = h.js("return location.origin").await;
        assert_eq!(origin.as_str(), Some(h.portal.as_str()), "{next}");
    }
    // A path of the portal is still followed.
    h.open(&format!(
        "/sign-in?region={REGION}&next=/settings%3Fregion%3D{REGION}"
    ))
    .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.wait_path("/settings").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn credentials_are_refused_on_a_page_that_is_not_encrypted_and_taken_on_localhost() {
    // On localhost the page is a secure context and signing in works.
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open(&format!("/sign-in?region={REGION}")).await;
    h.find("#login").await;
    assert_eq!(h.js("return window.isSecureContext").await, true);
    assert_eq!(
        h.js("return document.querySelectorAll('.insecure').length")
            .await,
        0
    );
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_text("h1", &h.company_of(REGION, PARTNER).await)
        .await;
    h.finish().await;

    // Served on this machine's network address over plain http: Chromium says it is not a
    // secure context, and the portal follows the same rule.
    let mut launch = Launch::new(PortalConfig::Sandbox);
    launch.front = Front::Axum;
    launch.host = Some(this_machines_address());
    let h = Harness::launch(launch).await;
    assert!(!h.portal.contains("localhost") && !h.portal.contains("127."));
    h.open(&format!("/sign-in?region={REGION}")).await;
    h.wait_text(".insecure", "plain http").await;
    assert_eq!(h.js("return window.isSecureContext").await, false);
    h.assert_accessible("the sign-in page refusing").await;
    screenshots(&h, "sign-in-not-encrypted").await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_text("main [role=alert]:not(.insecure)", "was not sent")
        .await;
    assert!(
        h.js("return location.pathname").await == "/sign-in",
        "stayed on the sign-in page"
    );
    assert!(
        h.app.faults.requests().calls.is_empty(),
        "the password went out: {:?}",
        h.app.faults.requests().calls
    );

    // Signed in elsewhere in this tab (the session restored from sessionStorage): the API
    // password change and new API credentials are refused there too, and nothing is sent.
    let partner = h.id_of(REGION, PARTNER).await;
    let session = serde_json::json!({ REGION: {
        "login": PARTNER, "password": PASSWORD, "account": partner.to_string(),
        "role": "PartnerParent", "enterprise": true } });
    h.js(&format!(
        "sessionStorage.setItem('partner-portal.session', {});",
        serde_json::to_string(&session.to_string()).unwrap()
    ))
    .await;
    h.open(&format!("/settings?region={REGION}")).await;
    type_into(&h, "#pw-current", PASSWORD).await;
    type_into(&h, "#pw-new", "Another-long-pass-42").await;
    type_into(&h, "#pw-again", "Another-long-pass-42").await;
    h.click_button("Change password").await;
    h.wait_text("section[aria-labelledby=password-title]", "plain http")
        .await;
    h.open(&format!(
        "/accounts/access?region={REGION}&account={partner}"
    ))
    .await;
    h.click_button("Create").await;
    h.wait_text("main .detail", "plain http").await;
    let writes: Vec<_> = h
        .app
        .faults
        .requests()
        .calls
        .into_iter()
        .filter(|c| c.method != "GET" && c.method != "HEAD")
        .collect();
    assert!(writes.is_empty(), "a secret went out: {writes:?}");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_to_the_old_password_does_not_sign_out_after_a_change() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let quota = format!("/{REGION}/apis/accounts/v1/partner/quota");
    h.open(&format!("/sign-in?region={REGION}&next=/accounts"))
        .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.wait_path("/accounts").await;
    // The quota call goes out with the old password and is held in the region while the
    // password changes.
    h.app.faults.add(hold("GET", quota.clone()));
    h.click_link("Settings").await;
    until("the quota call is held", || {
        seen(&h, "GET", &quota) == [Outcome::InFlight]
    })
    .await;
    type_into(&h, "#pw-current", PASSWORD).await;
    type_into(&h, "#pw-new", "Another-long-pass-42").await;
    type_into(&h, "#pw-again", "Another-long-pass-42").await;
    h.click_button("Change password").await;
    h.wait_text("#password-title ~ form .action-done", "Password changed")
        .await;
    // Now the region answers the held call: a 401, to a password no longer held.
    h.app.faults.clear();
    until("the held call was answered", || {
        seen(&h, "GET", &quota).first() == Some(&Outcome::Answered)
    })
    .await;
    // Sent again with the new password: the quota shows, and the partner is still signed in.
    h.wait_text("#quota-title + *", "gives no figure for what is available")
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(h.js("return location.pathname").await, "/settings");
    h.wait_text("header .signed-in", DISTRIBUTOR).await;
    // The old password ends nothing, and a 401 to the password held now still does.
    h.click_link("Accounts").await;
    h.wait_text("[role=tree]", &h.company_of(REGION, PARTNER).await)
        .await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_removes_drafts_from_the_browser() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/new%3Fregion={REGION}%26parent={root}"
    ))
    .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.wait_text("main", "Kind of account").await;
    type_into(&h, "#login", "karen@drafts.example").await;
    type_into(&h, "#fullname", "Karen Draftsdottir").await;
    type_into(&h, "#phone", "+45 12 34 56 78").await;
    // An import run, kept as it goes.
    h.open(&format!("/accounts/import?region={REGION}&parent={root}"))
        .await;
    h.find("#csv-text").await;
    h.client
        .execute(
            "const t = document.getElementById('csv-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!("login,company,country\nolga@import-drafts.example,Olga Imports ApS,DK\n")],
        )
        .await
        .unwrap();
    h.click_button("Check rows").await;
    h.click_button("Create 1 accounts").await;
    h.wait_text(".import-run", "created").await;
    let kept = h.js("return JSON.stringify(localStorage)").await;
    let kept = kept.as_str().unwrap();
    for typed in ["Karen Draftsdottir", "olga@import-drafts.example"] {
        assert!(kept.contains(typed), "{typed} not kept as a draft: {kept}");
    }
    // Keyed by region and login.
    assert!(
        kept.contains(&format!(
            "partner-portal.draft.{REGION}|distributor%40demo.example|"
        )),
        "{kept}"
    );

    // The sign-out control says what it does.
    let hint = h.find("#sign-out-hint").await.text().await.unwrap();
    assert!(hint.contains("drafts"), "{hint}");
    let described = h
        .js("return [...document.querySelectorAll('header button')].find(b => b.textContent.trim() == 'Sign out').getAttribute('aria-describedby')")
        .await;
    assert_eq!(described, "sign-out-hint");
    screenshots(&h, "sign-out-hint").await;
    h.click_button("Sign out").await;
    h.wait_path("/sign-in").await;
    let kept = h
        .js("return JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")
        .await;
    let kept = kept.as_str().unwrap();
    for gone in [
        "partner-portal.draft.",
        "Karen Draftsdottir",
        "+45 12 34 56 78",
        "olga@import-drafts.example",
        "Olga Imports",
    ] {
        assert!(!kept.contains(gone), "{gone} left after sign-out: {kept}");
    }
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_export_downloaded_from_the_page_neutralises_formulas() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    let formulas = [
        "=HYPERLINK(\"https://evil.example\",\"Open\")",
        "+1+2",
        "-2+3",
        "@SUM(A1:A9)",
    ];
    {
        let mut w = h.state.write().await;
        let r = w.regions.get_mut(REGION).unwrap();
        // Every account below the partner, level by level.
        let mut below: Vec<AccountId> = Vec::new();
        let mut level = r.accounts[&partner].children.clone();
        while !level.is_empty() {
            below.extend(level.iter().cloned());
            level = level
                .iter()
                .flat_map(|id| r.accounts[id].children.clone())
                .collect();
        }
        assert!(
            below.len() >= formulas.len(),
            "the seed has accounts below the partner"
        );
        for (id, f) in below.iter().zip(formulas) {
            let contact = r.accounts.get_mut(id).unwrap().contacts.first_mut();
            contact.expect("a primary contact").company_name = Some(f.to_owned());
        }
    }
    let dir = std::env::temp_dir().join(format!("pp-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/{REGION}/{partner}"
    ))
    .await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_text("h1", &h.company_of(REGION, PARTNER).await)
        .await;
    h.cdp(
        "Browser.setDownloadBehavior",
        serde_json::json!({ "behavior": "allow", "downloadPath": dir.to_str().unwrap() }),
    )
    .await;
    h.click_button("Export this account and everything below it (CSV)")
        .await;
    h.wait_text(".export [role=status]", "Exported").await;
    let file = dir.join(format!("accounts-{REGION}-{partner}.csv"));
    until("the export is downloaded", || file.exists()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let csv = std::fs::read_to_string(&file).unwrap();
    // Each formula is there, neutralised as the core's writer does it.
    for f in formulas {
        let neutral = partner_api::csv::cell(f);
        assert!(neutral.contains("'"), "{neutral}");
        assert!(csv.contains(&neutral), "{neutral} not in the export: {csv}");
    }
    // And no cell of the file starts with a formula's first character.
    for line in csv.lines() {
        assert!(!line.starts_with(['=', '+', '-', '@']), "{line}");
        for bad in [",=", ",+", ",@", ",-", ",\"=", ",\"+", ",\"@", ",\"-"] {
            assert!(!line.contains(bad), "a formula cell in the export: {line}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    h.finish().await;
}
