//! Leaving a page while its calls are out, in real Chromium: the page's reads are aborted
//! (the sandbox sees them dropped), its queued calls and retry waits are never sent, a write
//! already sent finishes (and is still made exactly once), and the portal keeps working
//! afterwards: no read of the page's disposed signals ends the wasm module.

use partner_api::AccountId;
use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig, PATIENCE};
use partner_sandbox::faults::{FaultKind, FaultRule, Outcome};
use std::time::{Duration, Instant};

fn rule(method: &str, prefix: String, fault: FaultKind) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path_prefix: prefix,
        count: 1000,
        fault,
        status: None,
        retry_after: None,
        body: None,
    }
}

/// The calls the sandbox saw, from the `from`th on, whose path starts with `prefix`.
fn seen(h: &Harness, from: usize, method: &str, prefix: &str) -> Vec<Outcome> {
    h.app
        .faults
        .requests()
        .calls
        .into_iter()
        .skip(from)
        .filter(|c| c.method == method && c.path.starts_with(prefix))
        .map(|c| c.outcome)
        .collect()
}

fn calls_so_far(h: &Harness) -> usize {
    h.app.faults.requests().calls.len()
}

async fn until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + PATIENCE;
    while !check() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn watch_errors(h: &Harness) {
    h.js("window.__errors = []; addEventListener('error', e => __errors.push(String(e.message))); addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));").await;
}

/// The portal still works: no uncaught error since [`watch_errors`] (a wasm module that
/// died throws `unreachable` on every event), the tree opens a level, and another page
/// shows.
async fn still_works(h: &Harness) {
    let errors = h.js("return window.__errors").await;
    assert_eq!(errors, serde_json::json!([]), "uncaught errors in the page");
    h.click_link("Accounts").await;
    let partner = h.company_of(REGION, PARTNER).await;
    h.wait_text("[role=tree]", &partner).await;
    let msp = h.company_of(REGION, MSP).await;
    let tree = h.find("[role=tree]").await.text().await.unwrap();
    if !tree.contains(&msp) {
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
    h.wait_text("[role=tree]", &msp).await;
    h.click_link("Settings").await;
    h.wait_text("h1", "Settings").await;
    let errors = h.js("return window.__errors").await;
    assert_eq!(errors, serde_json::json!([]), "uncaught errors in the page");
}

async fn signed_in(h: &Harness, login: &str, next: &str) {
    h.open(&format!(
        "/sign-in?region={REGION}&next={}",
        next.replace('&', "%26").replace('?', "%3F")
    ))
    .await;
    h.sign_in(REGION, login, PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_an_account_page_aborts_its_reads_and_sends_none_of_its_queue() {
    // Calls held longer than the portal's time limit would be aborted and sent again by the
    // portal itself, in the middle of what is counted: the limit is well past the test here.
    let h = Harness::start(PortalConfig::Built(Box::new(|sandbox| {
        partner_e2e::servers::sandbox_config(sandbox)
            .replace(r#""timeout_seconds": 5"#, r#""timeout_seconds": 60"#)
    })))
    .await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    let partner = h.company_of(REGION, PARTNER).await;
    signed_in(&h, DISTRIBUTOR, &format!("/accounts/{REGION}/{root}")).await;
    h.wait_text("[role=tree]", &partner).await;
    h.wait_tree_settled().await;
    watch_errors(&h).await;
    // Every read of the region hangs: the partner's page asks for more than the five calls
    // a region may have in flight, so the rest wait in the portal's queue.
    let from = calls_so_far(&h);
    let users = format!("/{REGION}/users/");
    h.app
        .faults
        .add(rule("GET", users.clone(), FaultKind::Hold));
    h.client
        .find(fantoccini::Locator::XPath(&format!(
            "//div[@role='treeitem'][contains(., '{partner}')]//span[@class='name']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let in_flight = |h: &Harness| {
        seen(h, from, "GET", &users)
            .iter()
            .filter(|o| **o == Outcome::InFlight)
            .count()
    };
    // The fifth read may come only after the tree's reveal of the account stops waiting for
    // the level another task is loading (held too): it waits up to 20 s for it
    // (`tree::load`), so this waits up to 45 s for five in flight.
    let deadline = Instant::now() + Duration::from_secs(45);
    while in_flight(&h) != 5 {
        assert!(Instant::now() < deadline, "never: five reads in flight");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(in_flight(&h), 5, "at most five in flight per region");
    let sent = seen(&h, from, "GET", &users).len();
    // Leave for a page with neither the account nor the tree.
    h.click_link("Settings").await;
    h.wait_text("h1", "Settings").await;
    until("the reads in flight dropped by the browser", || {
        in_flight(&h) == 0
    })
    .await;
    // The region answers again: nothing that was queued for the page is sent.
    h.app.faults.clear();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = seen(&h, from, "GET", &users);
    assert_eq!(
        after.len(),
        sent,
        "a queued call of the page left was sent: {after:?}"
    );
    assert!(
        after.iter().all(|o| *o == Outcome::Dropped),
        "a call of the page left was answered: {after:?}"
    );
    still_works(&h).await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_waiting_when_its_page_is_left_is_never_sent() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    signed_in(&h, DISTRIBUTOR, "/accounts").await;
    h.wait_path("/accounts").await;
    h.wait_tree_settled().await;
    watch_errors(&h).await;
    let quota = format!("/{REGION}/apis/accounts/v1/partner/quota");
    let from = calls_so_far(&h);
    let mut busy = rule("GET", quota.clone(), FaultKind::Status);
    busy.status = Some(503);
    busy.retry_after = Some(3);
    h.app.faults.add(busy);
    h.click_link("Settings").await;
    until("the first attempt answered 503", || {
        seen(&h, from, "GET", &quota) == [Outcome::Answered]
    })
    .await;
    // Left while the portal waits the three seconds the region asked for.
    h.click_link("Accounts").await;
    h.wait_path("/accounts").await;
    h.app.faults.clear();
    tokio::time::sleep(Duration::from_millis(4000)).await;
    assert_eq!(
        seen(&h, from, "GET", &quota).len(),
        1,
        "the retry of a page left was sent"
    );
    still_works(&h).await;
    h.finish().await;
}

/// Logins of `parent`'s children in the sandbox that end with `suffix`.
async fn created(h: &Harness, parent: &AccountId, suffix: &str) -> Vec<String> {
    let w = h.state.read().await;
    let r = &w.regions[REGION];
    r.accounts[parent]
        .children
        .iter()
        .flat_map(|c| r.accounts[c].tokens.iter().map(|t| t.token.name.clone()))
        .filter(|n| n.ends_with(suffix))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_the_import_mid_run_keeps_the_portal_and_creates_each_row_once() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let p = h.id_of(REGION, PARTNER).await;
    let import = format!("/accounts/import?region={REGION}&parent={p}");
    signed_in(&h, PARTNER, &import).await;
    h.wait_text("h1", "Import customer accounts").await;
    watch_errors(&h).await;
    let mut csv = String::from("login,company,country\n");
    for i in 1..=6 {
        csv.push_str(&format!("row{i}@leaving.example,Leaving {i} ApS,DK\n"));
    }
    h.find("#csv-text").await;
    h.client
        .execute(
            "const t = document.getElementById('csv-text'); t.value = arguments[0]; t.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(csv)],
        )
        .await
        .unwrap();
    h.click_button("Check rows").await;
    // The creates are held in the region: four workers, four creates on their way.
    let from = calls_so_far(&h);
    let creates = format!("/{REGION}/users/{p}/users");
    h.app
        .faults
        .add(rule("POST", creates.clone(), FaultKind::Hold));
    h.click_button("Create 6 accounts").await;
    until("four creates on their way", || {
        seen(&h, from, "POST", &creates).len() == 4
    })
    .await;
    // Left mid-run.
    h.click_link("Accounts").await;
    h.wait_path("/accounts").await;
    // The creates already sent are let finish; the two rows not sent yet are not sent.
    h.app.faults.clear();
    until("the four creates answered", || {
        seen(&h, from, "POST", &creates) == [Outcome::Answered; 4]
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(seen(&h, from, "POST", &creates).len(), 4);
    assert_eq!(created(&h, &p, "@leaving.example").await.len(), 4);
    still_works(&h).await;

    // Back at the import: it resumes, looks for the four first, and creates the rest once.
    h.open(&import).await;
    h.wait_text("main", "An import that did not finish is back")
        .await;
    h.click_button("Resume import").await;
    h.wait_text(".import-counts", "6 created").await;
    let mut made = created(&h, &p, "@leaving.example").await;
    made.sort();
    let expected: Vec<String> = (1..=6).map(|i| format!("row{i}@leaving.example")).collect();
    assert_eq!(made, expected, "each row created exactly once");
    assert_eq!(seen(&h, from, "POST", &creates).len(), 6);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_mid_create_lets_the_create_finish_and_it_is_never_made_twice() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    let new = format!("/accounts/new?region={REGION}&parent={root}");
    signed_in(&h, DISTRIBUTOR, &new).await;
    h.wait_text("main", "Kind of account").await;
    watch_errors(&h).await;
    h.find("#kind-masteradmin").await.click().await.unwrap();
    let login = h.find("#login").await;
    login.send_keys("left@mid-create.example").await.unwrap();
    let company = h.find("#companyname").await;
    company.send_keys("Left Midway ApS").await.unwrap();
    let from = calls_so_far(&h);
    let creates = format!("/{REGION}/users/{root}/users");
    h.app
        .faults
        .add(rule("POST", creates.clone(), FaultKind::Hold));
    h.click_button("Create account").await;
    until("the create on its way", || {
        seen(&h, from, "POST", &creates).len() == 1
    })
    .await;
    h.click_link("Accounts").await;
    h.wait_path("/accounts").await;
    h.app.faults.clear();
    until("the create answered, not dropped", || {
        seen(&h, from, "POST", &creates) == [Outcome::Answered]
    })
    .await;
    assert_eq!(created(&h, &root, "left@mid-create.example").await.len(), 1);
    still_works(&h).await;

    // The draft is back; sending it again finds the account instead of making a second.
    h.open(&new).await;
    h.wait_text("main", "Your unsent draft is back").await;
    h.click_button("Create account").await;
    h.wait_text("h1", "Left Midway ApS").await;
    assert_eq!(created(&h, &root, "left@mid-create.example").await.len(), 1);
    assert_eq!(seen(&h, from, "POST", &creates).len(), 1, "sent once");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn leaving_mid_account_action_finishes_the_write_and_touches_nothing_of_the_page() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    signed_in(&h, DISTRIBUTOR, &format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &h.company_of(REGION, PARTNER).await)
        .await;
    h.wait_tree_settled().await;
    watch_errors(&h).await;
    let from = calls_so_far(&h);
    let account = format!("/{REGION}/users/{partner}");
    h.app
        .faults
        .add(rule("PUT", account.clone(), FaultKind::Hold));
    h.click_button("Disable account").await;
    until("the change on its way", || {
        seen(&h, from, "PUT", &account).len() == 1
    })
    .await;
    // Left before the region answers; then it does. The page's answer handler (which
    // tells the account page to reload) must not run on the page that went.
    h.click_link("Settings").await;
    h.wait_text("h1", "Settings").await;
    h.app.faults.clear();
    until("the change answered, not dropped", || {
        seen(&h, from, "PUT", &account) == [Outcome::Answered]
    })
    .await;
    assert!(
        !h.state.read().await.regions[REGION].accounts[&partner].enabled,
        "the write was let finish"
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    still_works(&h).await;
    h.finish().await;
}
