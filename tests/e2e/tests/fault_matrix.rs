//! The fault matrix: every fault of the sandbox's `--faults` against the four surfaces a
//! partner meets first (sign-in, opening a tree level, the account page, an Enterprise page),
//! in real Chromium. Each case asserts what the partner sees: the data after a passing fault;
//! a clear message and a retry that works after a lasting one; sign-in and back after a 401.
//! It also asserts that the page answers input while the fault is on, that nothing reaches
//! the console as an error but the browser's own notes on failed requests, and that the fault
//! actually fired (the sandbox counts the calls each rule faulted): a case that passes
//! because its fault never met a call fails.
//!
//! Each case writes its outcome to `target/fault-matrix/`, and `scripts/fault-matrix.sh`
//! (run by `scripts/test.sh`) prints the table. `docs/reliability.md` keeps a copy.

use partner_api::AccountId;
use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{sandbox_config, Harness, Launch, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The portal's timeout in these tests, so a stall costs seconds, not minutes.
const TIMEOUT_SECONDS: u64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Once503,
    Always503,
    TooMany,
    Stall,
    Drop,
    Malformed,
    Unauthorized,
}

const FAULTS: [Fault; 7] = [
    Fault::Once503,
    Fault::Always503,
    Fault::TooMany,
    Fault::Stall,
    Fault::Drop,
    Fault::Malformed,
    Fault::Unauthorized,
];

impl Fault {
    fn label(self) -> &'static str {
        match self {
            Fault::Once503 => "503 once",
            Fault::Always503 => "503 every time",
            Fault::TooMany => "429, Retry-After: 1",
            Fault::Stall => "stall past the timeout",
            Fault::Drop => "dropped connection",
            Fault::Malformed => "malformed body",
            Fault::Unauthorized => "401 mid-session",
        }
    }

    /// The sandbox rule for calls `GET {prefix}…`.
    fn rule(self, prefix: &str) -> FaultRule {
        let (fault, count, status, retry_after) = match self {
            Fault::Once503 => (FaultKind::Status, 1, Some(503), None),
            // Lasts until the test says the region is back.
            Fault::Always503 => (FaultKind::Status, 10_000, Some(503), None),
            Fault::TooMany => (FaultKind::Status, 1, Some(429), Some(1)),
            // Every attempt of every matching call, until the test says the region is back.
            Fault::Stall => (FaultKind::Stall, 10_000, None, None),
            Fault::Drop => (FaultKind::Drop, 1, None, None),
            Fault::Malformed => (FaultKind::Malformed, 1, None, None),
            Fault::Unauthorized => (FaultKind::Status, 1, Some(401), None),
        };
        FaultRule {
            method: Some("GET".into()),
            path_prefix: prefix.into(),
            count,
            fault,
            status,
            retry_after,
            body: None,
        }
    }

    /// Whether the fault lasts until the test clears it (rather than a use or two).
    fn lasting(self) -> bool {
        self.rule("").count > 1
    }

    /// What the partner is told when the fault lasts, or `None` when it passes by itself.
    fn message(self) -> Option<&'static str> {
        match self {
            Fault::Always503 => Some("unavailable right now"),
            Fault::Stall => Some("did not answer within"),
            Fault::Malformed => Some("could not read"),
            _ => None,
        }
    }
}

async fn start() -> Harness {
    Harness::launch(Launch::new(PortalConfig::Built(Box::new(|sandbox| {
        let mut v: serde_json::Value = serde_json::from_str(&sandbox_config(sandbox)).unwrap();
        v["timeout_seconds"] = TIMEOUT_SECONDS.into();
        v.to_string()
    }))))
    .await
}

/// What a case expects, from the sandbox's seed: the distributor's and the partner's ids,
/// and the names of the partner and of the MSP below it.
struct Seeded {
    root: AccountId,
    partner: AccountId,
    partner_company: String,
    msp_company: String,
}

async fn seeded(h: &Harness) -> Seeded {
    Seeded {
        root: h.id_of(REGION, DISTRIBUTOR).await,
        partner: h.id_of(REGION, PARTNER).await,
        partner_company: h.company_of(REGION, PARTNER).await,
        msp_company: h.company_of(REGION, MSP).await,
    }
}

/// A case: a fresh browser and sandbox, what the seed holds, and the case's name for
/// messages.
async fn begin(surface: &str, fault: Fault) -> (Harness, Seeded, String) {
    let h = start().await;
    let seeded = seeded(&h).await;
    (h, seeded, format!("{surface} / {}", fault.label()))
}

/// Ends a case: the fault fired (exactly once for a fault of one use, at least once for a
/// lasting one), nothing but failed-request notes in the console; the outcome is recorded.
async fn end(h: Harness, surface: &str, fault: Fault, case: &str, outcome: &str) {
    let fired = h.app.faults.fired();
    if fault.lasting() {
        assert!(fired >= 1, "{case}: the fault never fired");
    } else {
        assert_eq!(fired, 1, "{case}: the fault of one use fired {fired} times");
    }
    no_console_errors(&h, case).await;
    record(surface, fault, outcome);
    h.finish().await;
}

/// Signed in as the distributor at `path`, with the tree's background calls finished, so a
/// fault can only meet the calls the case makes.
async fn signed_in_at(h: &Harness, s: &Seeded, path: &str) {
    h.open(&format!("/sign-in?region={REGION}&next={path}"))
        .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.wait_path(path).await;
    tree_settled(h, s).await;
}

async fn tree_settled(h: &Harness, s: &Seeded) {
    h.wait_text("[role=tree]", &s.partner_company).await;
    h.wait_tree_settled().await;
}

/// The page answers input while the fault is on: the theme picker in the footer still
/// switches the theme.
async fn responsive(h: &Harness) {
    for theme in ["dark", "system"] {
        h.choose("#theme", theme).await;
        let applied = h
            .js("return document.documentElement.dataset.theme || 'system'")
            .await;
        assert_eq!(applied, theme, "the page did not answer input");
    }
}

/// Only the browser's own notes on failed requests may be in the console.
async fn no_console_errors(h: &Harness, case: &str) {
    let errors: Vec<String> = h
        .console_errors()
        .await
        .into_iter()
        .filter(|l| !l.contains("Failed to load resource") && !l.contains("net::ERR_"))
        .collect();
    assert!(errors.is_empty(), "{case}: console errors {errors:?}");
}

/// Presses "Try again" wherever one is offered, as a partner would, until `ready` (a script
/// returning true) holds and no part of the page still offers one. A lasting fault may have
/// failed one part of a page or several, some only after their own attempts ran out; the
/// part that said it must offer the retry.
async fn try_again_until(h: &Harness, ready: &str) {
    let deadline = Instant::now() + partner_e2e::PATIENCE;
    let mut pressed = 0;
    loop {
        let offered = h
            .client
            .find_all(fantoccini::Locator::XPath(
                "//button[normalize-space()='Try again']",
            ))
            .await
            .unwrap();
        let is_ready = h.js(ready).await == serde_json::json!(true);
        if is_ready && offered.is_empty() {
            assert!(pressed > 0, "no Try again was offered");
            return;
        }
        for b in offered {
            if b.click().await.is_ok() {
                pressed += 1;
            }
        }
        assert!(
            Instant::now() < deadline,
            "Try again never brought the page back"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// What the partner meets on a page reached in the app under `fault`: a 401 goes to sign-in
/// and back to `page`; a lasting fault is said, and once the region is back "Try again"
/// brings the page to `ready`; a passing fault leaves just the page (`shown`).
async fn page_outcome(
    h: &Harness,
    fault: Fault,
    page: &str,
    ready: &str,
    shown: &'static str,
) -> &'static str {
    match (fault, fault.message()) {
        (Fault::Unauthorized, _) => {
            h.wait_path("/sign-in").await;
            h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
            h.wait_path(page).await;
            "sign-in, back to the page"
        }
        (_, Some(message)) => {
            h.wait_any_text("main [role=alert]", message).await;
            h.app.faults.clear();
            try_again_until(h, ready).await;
            "said; Try again works"
        }
        (_, None) => shown,
    }
}

fn record(surface: &str, fault: Fault, outcome: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/fault-matrix");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!("{}.tsv", surface.replace([' ', ':'], "-")));
    let mut text = std::fs::read_to_string(&file).unwrap_or_default();
    text.push_str(&format!("{surface}\t{}\t{outcome}\n", fault.label()));
    std::fs::write(file, text).unwrap();
}

fn reset_record(surface: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/fault-matrix");
    let _ = std::fs::remove_file(dir.join(format!("{}.tsv", surface.replace([' ', ':'], "-"))));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_under_every_fault() {
    const SURFACE: &str = "sign-in";
    reset_record(SURFACE);
    for fault in FAULTS {
        let (h, s, case) = begin(SURFACE, fault).await;
        h.open("/sign-in").await;
        h.find("#login").await;
        h.app.faults.add(fault.rule(&format!("/{REGION}/users")));
        h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
        responsive(&h).await;
        let outcome = match (fault, fault.message()) {
            (Fault::Unauthorized, _) => {
                h.wait_any_text("[role=alert]", "did not accept the sign-in")
                    .await;
                assert!(h.client.current_url().await.unwrap().path() == "/sign-in");
                h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
                "refused, said; signing in again works"
            }
            (_, Some(message)) => {
                h.wait_any_text("[role=alert]", message).await;
                h.app.faults.clear();
                h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
                "said; signing in again works"
            }
            (_, None) => "signed in",
        };
        h.wait_path(&format!("/accounts/{REGION}/{}", s.root)).await;
        h.find("h1").await;
        end(h, SURFACE, fault, &case, outcome).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opening_a_tree_level_under_every_fault() {
    const SURFACE: &str = "tree: open a level";
    reset_record(SURFACE);
    for fault in FAULTS {
        let (h, s, case) = begin(SURFACE, fault).await;
        let home = format!("/accounts/{REGION}/{}", s.root);
        signed_in_at(&h, &s, &home).await;
        h.app
            .faults
            .add(fault.rule(&format!("/{REGION}/users/{}/users", s.partner)));
        let toggle = format!(
            "//div[@role='treeitem'][contains(., '{}')]//span[@class='toggle']",
            s.partner_company
        );
        let open = || async {
            h.client
                .find(fantoccini::Locator::XPath(&toggle))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        };
        open().await;
        responsive(&h).await;
        let outcome = match (fault, fault.message()) {
            (Fault::Unauthorized, _) => {
                h.wait_path("/sign-in").await;
                h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
                h.wait_path(&home).await;
                tree_settled(&h, &s).await;
                open().await;
                "sign-in, back, level opens"
            }
            (_, Some(message)) => {
                h.wait_text("[role=tree]", message).await;
                h.app.faults.clear();
                // The row's retry: open it again.
                open().await;
                "said on the row; retry works"
            }
            (_, None) => "level shown",
        };
        h.wait_text("[role=tree]", &s.msp_company).await;
        end(h, SURFACE, fault, &case, outcome).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_account_page_under_every_fault() {
    const SURFACE: &str = "account page";
    reset_record(SURFACE);
    for fault in FAULTS {
        let (h, s, case) = begin(SURFACE, fault).await;
        signed_in_at(&h, &s, &format!("/accounts/{REGION}/{}", s.root)).await;
        h.app
            .faults
            .add(fault.rule(&format!("/{REGION}/users/{}", s.partner)));
        // In the app, from the tree, as a partner would.
        h.client
            .find(fantoccini::Locator::XPath(&format!(
                "//div[@role='treeitem'][contains(., '{}')]//span[@class='name']",
                s.partner_company
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        responsive(&h).await;
        let page = format!("/accounts/{REGION}/{}", s.partner);
        let ready = format!(
            "return document.querySelector('h1')?.textContent.includes({}) && document.querySelector('table.children')?.textContent.includes({}) || false",
            serde_json::json!(s.partner_company),
            serde_json::json!(s.msp_company)
        );
        let outcome = page_outcome(&h, fault, &page, &ready, "page shown").await;
        h.wait_text("h1", &s.partner_company).await;
        h.wait_text("table.children", &s.msp_company).await;
        assert_eq!(h.client.current_url().await.unwrap().path(), page);
        end(h, SURFACE, fault, &case, outcome).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_enterprise_page_under_every_fault() {
    const SURFACE: &str = "enterprise: quota";
    reset_record(SURFACE);
    for fault in FAULTS {
        let (h, s, case) = begin(SURFACE, fault).await;
        // The distributor's storage is unlimited in the seed: that is what the page says.
        assert!(h.state.read().await.regions[REGION].enterprise[&s.root]
            .bytes_available
            .is_none());
        signed_in_at(&h, &s, &format!("/accounts/{REGION}/{}", s.root)).await;
        h.app
            .faults
            .add(fault.rule(&format!("/{REGION}/apis/accounts/v1/partner/quota")));
        h.click_link("Settings").await;
        responsive(&h).await;
        let ready = "return document.querySelector('#quota-title + *')?.textContent.includes('gives no figure for what is available') || false";
        let outcome = if fault == Fault::Unauthorized {
            // The Accounts API still takes the login, so the Enterprise API's 401 is its
            // refusal of this login (a customer's, say): said on the page, still signed in.
            h.wait_any_text(
                "main [role=alert]",
                "Enterprise API does not accept this login",
            )
            .await;
            assert_eq!(h.client.current_url().await.unwrap().path(), "/settings");
            h.app.faults.clear();
            h.open("/settings").await;
            "said; still signed in"
        } else {
            page_outcome(&h, fault, "/settings", ready, "quota shown").await
        };
        h.wait_text("#quota-title + *", "gives no figure for what is available")
            .await;
        end(h, SURFACE, fault, &case, outcome).await;
    }
}
