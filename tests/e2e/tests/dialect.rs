//! The portal against both ways a real region may go where the vendors' documents leave room
//! (issue 13, item 10): the sandbox's documented dialect (its default) and the other
//! plausible behaviour of each choice (`partner_sandbox::Dialect`), in real Chromium.

use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::Harness;
use partner_sandbox::faults::{FaultKind, FaultRule};
use partner_sandbox::Dialect;

async fn signed_in(h: &Harness, login: &str, password: &str, path: &str) {
    h.open(&format!("/sign-in?region={REGION}&next={path}"))
        .await;
    h.sign_in(REGION, login, password).await;
}

/// A tripwire: a 403 for every call to `path_prefix`, to count whether the portal asks.
fn tripwire(path_prefix: String) -> FaultRule {
    FaultRule {
        method: None,
        path_prefix,
        count: 10_000,
        fault: FaultKind::Status,
        status: Some(403),
        retry_after: None,
        body: None,
    }
}

/// The breadcrumbs of an account below the signed-in partner, and the partner's own page,
/// whether or not the region names the partner's parent: nothing above the signed-in account
/// is asked for, and neither page shows it.
async fn pages_stop_at_the_signed_in_account(dialect: Dialect) {
    let h = Harness::speaking(dialect).await;
    let distributor = h.id_of(REGION, DISTRIBUTOR).await;
    let partner = h.id_of(REGION, PARTNER).await;
    let msp = h.id_of(REGION, MSP).await;
    let (partner_company, msp_company, distributor_company) = (
        h.company(REGION, &partner).await,
        h.company(REGION, &msp).await,
        h.company(REGION, &distributor).await,
    );
    // Only `/users/{distributor}` itself and what is under that path: no account below
    // the partner has the distributor's GUID in its path.
    h.app
        .faults
        .add(tripwire(format!("/{REGION}/users/{distributor}")));
    signed_in(&h, PARTNER, PASSWORD, &format!("/accounts/{REGION}/{msp}")).await;
    h.wait_text("h1", &msp_company).await;
    let crumbs = h.wait_text("nav.breadcrumbs", &partner_company).await;
    assert!(!crumbs.contains(&distributor_company), "{crumbs}");
    h.open(&format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &partner_company).await;
    h.wait_tree_settled().await;
    let terms = h
        .js("return [...document.querySelectorAll('dl.facts dt')].map(e => e.textContent)")
        .await;
    assert!(
        !terms
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("Parent")),
        "{terms}"
    );
    assert_eq!(
        h.app.faults.history()[0].fired,
        0,
        "the portal asked for the account above the signed-in one"
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_region_names_the_callers_parent_and_nothing_above_is_asked_for() {
    pages_stop_at_the_signed_in_account(Dialect::default()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_region_leaves_out_the_callers_parent_and_the_pages_are_the_same() {
    pages_stop_at_the_signed_in_account(Dialect {
        own_parent: false,
        ..Dialect::default()
    })
    .await;
}

/// Settings saved, and the answer's body (empty, or `{"status": …}`) does not matter.
async fn settings_save(dialect: Dialect) {
    let h = Harness::speaking(dialect).await;
    signed_in(&h, PARTNER, PASSWORD, "/settings").await;
    let ttl = h.find("#share_link_ttl").await;
    ttl.clear().await.unwrap();
    ttl.send_keys("90").await.unwrap();
    h.click_button("Save settings").await;
    h.wait_text(".settings .action-done", "Settings saved")
        .await;
    let w = h.state.read().await;
    let r = &w.regions[REGION];
    assert_eq!(
        r.enterprise[&r.logins[PARTNER]].settings.share_link_ttl,
        Some(90)
    );
    drop(w);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_write_answered_with_an_empty_body_is_saved() {
    settings_save(Dialect::default()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_write_answered_with_a_status_body_is_saved() {
    settings_save(Dialect::inventions()).await;
}

/// A customer's login on the Enterprise pages: refused there, in words, and still signed in,
/// whether the Enterprise API answers 403 or 401.
async fn a_customer_is_refused_on_the_enterprise_pages(status: u16) {
    let h = Harness::speaking(Dialect {
        customer_enterprise_status: status,
        ..Dialect::default()
    })
    .await;
    let (login, customer, company) = {
        let mut w = h.state.write().await;
        let r = w.region_mut(REGION).unwrap();
        let a = r
            .accounts
            .values_mut()
            .filter(|a| a.kind() == partner_api::AccountKind::Customer && a.enabled)
            .min_by_key(|a| a.id.to_string())
            .unwrap();
        a.tokens[0].password = "customer-password".into();
        (
            a.tokens[0].token.name.clone(),
            a.id.clone(),
            a.company().unwrap_or_default().to_owned(),
        )
    };
    signed_in(&h, &login, "customer-password", "/settings").await;
    h.wait_path("/settings").await;
    h.wait_text("main", "You do not have access").await;
    // Known from sign-in, where the Enterprise API was asked (`GET /ping`).
    h.wait_text("main", "did not accept this login when you signed in")
        .await;
    // Still signed in: the customer's own account opens.
    h.open(&format!("/accounts/{REGION}/{customer}")).await;
    h.wait_text("h1", &company).await;
    assert!(!h
        .client
        .current_url()
        .await
        .unwrap()
        .path()
        .starts_with("/sign-in"));
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_login_refused_with_403_by_the_enterprise_api_stays_signed_in() {
    a_customer_is_refused_on_the_enterprise_pages(403).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_login_refused_with_401_by_the_enterprise_api_stays_signed_in() {
    a_customer_is_refused_on_the_enterprise_pages(401).await;
}

/// Sign-in asks the Enterprise API too (`GET /ping`): a refusal there is said on the
/// Enterprise pages from the start, and a login it takes gets no such word.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_asks_the_enterprise_api_and_says_a_refusal_on_its_pages() {
    let h = Harness::speaking(Dialect::default()).await;
    signed_in(&h, PARTNER, PASSWORD, "/settings").await;
    h.wait_path("/settings").await;
    h.find("#share_link_ttl").await;
    assert!(!h
        .find("main")
        .await
        .text()
        .await
        .unwrap()
        .contains("did not accept this login"));
    h.finish().await;

    // The same partner, with the region's /ping refusing it at sign-in.
    let h = Harness::speaking(Dialect::default()).await;
    h.app.faults.add(FaultRule {
        method: Some("GET".into()),
        path_prefix: format!("/{REGION}/apis/accounts/v1/ping"),
        count: 1,
        fault: FaultKind::Status,
        status: Some(401),
        retry_after: None,
        body: None,
    });
    signed_in(&h, PARTNER, PASSWORD, "/settings").await;
    h.wait_path("/settings").await;
    h.wait_text("main", "did not accept this login when you signed in")
        .await;
    assert_eq!(h.app.faults.fired(), 1, "sign-in asked /ping once");
    h.finish().await;
}
