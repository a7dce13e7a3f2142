//! The transport under the sandbox's faults, in real Chromium: passing failures recover by
//! themselves, lasting ones are said and can be retried, a 401 mid-session goes to sign-in and
//! back, and nothing the page does ends in an uncaught error. Every fault a test injects is
//! asserted to have fired (the sandbox counts the calls each rule faulted), so a test cannot
//! pass because its fault never met a call.

use partner_api::AccountId;
use partner_e2e::seed::{region_name, DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};

fn rule(
    method: &str,
    prefix: String,
    count: u32,
    fault: FaultKind,
    status: Option<u16>,
    retry_after: Option<u32>,
) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path_prefix: prefix,
        count,
        fault,
        status,
        retry_after,
        body: None,
    }
}

/// Records uncaught errors and rejections from now on.
async fn watch_errors(h: &Harness) {
    h.js("window.__errors = []; addEventListener('error', e => __errors.push(String(e.message))); addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));").await;
}

async fn no_errors(h: &Harness) {
    let errors = h.js("return window.__errors").await;
    assert_eq!(errors, serde_json::json!([]), "uncaught errors in the page");
}

async fn ids(h: &Harness) -> (AccountId, AccountId) {
    (
        h.id_of(REGION, DISTRIBUTOR).await,
        h.id_of(REGION, PARTNER).await,
    )
}

/// How many calls each fault rule added so far has faulted, in the order they were added.
fn fired(h: &Harness) -> Vec<u32> {
    h.app.faults.history().iter().map(|r| r.fired).collect()
}

async fn signed_in(h: &Harness, path: &str) {
    h.open(&format!("/sign-in?region={REGION}&next={path}"))
        .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
}

async fn open_partner_in_tree(h: &Harness) {
    let partner = h.company_of(REGION, PARTNER).await;
    h.client
        .find(fantoccini::Locator::XPath(&format!(
            "//div[@role='treeitem'][contains(., '{partner}')]//span[@class='toggle']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passing_failures_recover_by_themselves() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let (root, partner) = ids(&h).await;
    let partner_company = h.company(REGION, &partner).await;
    let msp_company = h.company_of(REGION, MSP).await;
    signed_in(&h, &format!("/accounts/{REGION}/{root}")).await;
    h.wait_text("[role=tree]", &partner_company).await;
    watch_errors(&h).await;
    // A 503 once, then a dropped connection, on opening a level: the level shows, no error.
    h.app.faults.add(rule(
        "GET",
        format!("/{REGION}/users/{partner}/users"),
        1,
        FaultKind::Status,
        Some(503),
        None,
    ));
    h.app.faults.add(rule(
        "GET",
        format!("/{REGION}/users/{partner}/users"),
        1,
        FaultKind::Drop,
        None,
        None,
    ));
    open_partner_in_tree(&h).await;
    h.wait_text("[role=tree]", &msp_company).await;
    assert!(!h
        .find("[role=tree]")
        .await
        .text()
        .await
        .unwrap()
        .contains("unavailable"));
    assert_eq!(fired(&h), [1, 1], "the 503 and the drop each met the call");
    // A 429 with Retry-After on an account page: honoured, then the page.
    h.app.faults.add(rule(
        "GET",
        format!("/{REGION}/users/{partner}"),
        1,
        FaultKind::Status,
        Some(429),
        Some(1),
    ));
    let started = std::time::Instant::now();
    h.open(&format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &partner_company).await;
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(900),
        "Retry-After was not waited for"
    );
    assert_eq!(fired(&h), [1, 1, 1], "the 429 met the call");
    watch_errors(&h).await;
    // A 503 once on an Enterprise page (the distributor's storage is unlimited in the seed).
    assert!(h.state.read().await.regions[REGION].enterprise[&root]
        .bytes_available
        .is_none());
    h.app.faults.add(rule(
        "GET",
        format!("/{REGION}/apis/accounts/v1/partner/quota"),
        1,
        FaultKind::Status,
        Some(503),
        None,
    ));
    h.click_link("Settings").await;
    h.wait_text("#quota-title + *", "gives no figure for what is available")
        .await;
    assert_eq!(fired(&h), [1, 1, 1, 1], "the 503 met the quota call");
    no_errors(&h).await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lasting_failures_are_said_and_can_be_retried() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let (root, partner) = ids(&h).await;
    let partner_company = h.company(REGION, &partner).await;
    let msp_company = h.company_of(REGION, MSP).await;
    signed_in(&h, &format!("/accounts/{REGION}/{root}")).await;
    h.wait_text("[role=tree]", &partner_company).await;
    watch_errors(&h).await;
    // 503 every time: the row says so; once the region is back, retry loads it.
    h.app.faults.add(rule(
        "GET",
        format!("/{REGION}/users/{partner}/users"),
        1000,
        FaultKind::Status,
        Some(503),
        None,
    ));
    open_partner_in_tree(&h).await;
    h.wait_text("[role=tree]", "unavailable right now").await;
    assert!(fired(&h)[0] >= 1, "the lasting 503 never fired");
    h.app.faults.clear();
    open_partner_in_tree(&h).await;
    h.wait_text("[role=tree]", &msp_company).await;
    // A malformed answer is not guessed at: said, with a retry that works.
    h.app.faults.add(rule(
        "GET",
        format!("/{REGION}/users/{partner}/users"),
        1,
        FaultKind::Malformed,
        None,
        None,
    ));
    h.open(&format!("/accounts/{REGION}/{partner}")).await;
    watch_errors(&h).await;
    h.wait_text(
        "[aria-labelledby=children-title] [role=alert]",
        "could not read",
    )
    .await;
    h.click_button("Try again").await;
    h.wait_text("table.children", &msp_company).await;
    assert_eq!(fired(&h)[1], 1, "the malformed answer met the call once");
    no_errors(&h).await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_mid_session_goes_to_sign_in_and_comes_back() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let (root, partner) = ids(&h).await;
    let partner_company = h.company(REGION, &partner).await;
    signed_in(&h, &format!("/accounts/{REGION}/{root}")).await;
    h.wait_text("[role=tree]", &partner_company).await;
    // Let the tree finish its background calls (every account row knows its kind).
    h.wait_tree_settled().await;
    // Someone changes the distributor's password elsewhere.
    {
        let mut w = h.state.write().await;
        let r = w.region_mut(REGION).unwrap();
        let acct = r.accounts.get_mut(&root).unwrap();
        acct.tokens
            .iter_mut()
            .find(|t| t.token.name == DISTRIBUTOR)
            .unwrap()
            .password = "rotated-password".into();
    }
    // Any call now gets a 401 (background ones may get there first): the partner's page
    // leads to sign-in either way, and back after it.
    h.open(&format!("/accounts/{REGION}/{partner}")).await;
    h.wait_path("/sign-in").await;
    h.wait_text(
        ".expired",
        &format!("session in {} has ended", region_name(REGION)),
    )
    .await;
    h.assert_accessible("the sign-in page after a session ended")
        .await;
    h.sign_in(REGION, DISTRIBUTOR, "rotated-password").await;
    h.wait_path(&format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &partner_company).await;
    h.finish().await;
}
