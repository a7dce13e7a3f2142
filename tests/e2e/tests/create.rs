//! Creating accounts in real Chromium against the sandbox.

use partner_api::AccountId;
use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};
use partner_sandbox::Dialect;

async fn type_into(h: &Harness, css: &str, text: &str) {
    let el = h.find(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn sign_in(h: &Harness, login: &str, next: &str) {
    h.open(&format!(
        "/sign-in?region={REGION}&next={}",
        next.replace('&', "%26").replace('?', "%3F")
    ))
    .await;
    h.sign_in(REGION, login, PASSWORD).await;
}

/// Children of `parent` in the sandbox with this login.
async fn created(h: &Harness, parent: &AccountId, login: &str) -> Vec<AccountId> {
    let w = h.state.read().await;
    let r = w.region(REGION).unwrap();
    r.accounts[parent]
        .children
        .iter()
        .filter(|c| r.accounts[*c].tokens.iter().any(|t| t.token.name == login))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributor_creates_a_partner_then_a_customer_under_it() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    sign_in(&h, DISTRIBUTOR, &format!("/accounts/{REGION}/{root}")).await;
    h.find("a.button-link").await.click().await.unwrap();
    h.wait_text("main", "Kind of account").await;
    h.assert_accessible("the new account form").await;
    h.find("#kind-partnerparent").await.click().await.unwrap();
    type_into(&h, "#login", "owner@amager-it.example").await;
    type_into(&h, "#fullname", "Karen Amager").await;
    type_into(&h, "#companyname", "Amager IT Partner ApS").await;
    type_into(&h, "#country", "DK").await;
    type_into(&h, "#language", "da-DK").await;
    h.click_button("Create account").await;
    h.wait_text("h1", "Amager IT Partner ApS").await;
    let partner = created(&h, &root, "owner@amager-it.example").await;
    assert_eq!(partner.len(), 1);
    h.wait_path(&format!("/accounts/{REGION}/{}", partner[0]))
        .await;
    h.wait_text("dd.kind", "Partner").await;
    // The tree shows it under the distributor.
    h.wait_text("[role=tree]", "Amager IT Partner ApS").await;

    // A customer under it.
    h.find("a.button-link").await.click().await.unwrap();
    h.find("#kind-masteradmin").await.click().await.unwrap();
    type_into(&h, "#login", "it@amager-bakery.example").await;
    type_into(&h, "#companyname", "Amager Bageri").await;
    h.click_button("Create account").await;
    h.wait_text("h1", "Amager Bageri").await;
    h.wait_text("dd.kind", "Customer").await;
    assert_eq!(
        created(&h, &partner[0], "it@amager-bakery.example")
            .await
            .len(),
        1
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_msp_is_offered_customers_only_and_a_taken_login_is_a_409_said_whole() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = h.id_of(REGION, MSP).await;
    sign_in(
        &h,
        MSP,
        &format!("/accounts/new?region={REGION}&parent={msp}"),
    )
    .await;
    h.wait_text("main", "Kind of account").await;
    let kinds = h.find("fieldset.choices").await.text().await.unwrap();
    assert!(
        kinds.contains("Customer") && !kinds.contains("Partner:"),
        "{kinds}"
    );
    assert!(h
        .client
        .find(fantoccini::Locator::Css("#kind-partnerparent"))
        .await
        .is_err());

    // Checked before sending: nothing chosen, a bad login.
    type_into(&h, "#login", "not an email").await;
    h.click_button("Create account").await;
    h.wait_text("#acl-problem", "Choose the kind of account")
        .await;
    h.wait_text("#login-problem", "is not an email address")
        .await;
    assert_eq!(
        h.find("#login")
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );

    // A login the region already has: its 409 is said whole beside the form, with how to
    // check, and the form never offers to send it again by itself.
    h.find("#kind-masteradmin").await.click().await.unwrap();
    type_into(&h, "#login", PARTNER).await;
    let before = h.children_of(REGION, &msp).await.len();
    h.click_button("Create account").await;
    let alert = h.wait_text(ALERT, "409").await;
    for words in [
        format!("The login “{PARTNER}” is already taken in this region."),
        "may exist already".to_owned(),
        format!("look for {PARTNER}"),
    ] {
        assert!(alert.contains(&words), "{alert}");
    }
    assert!(h
        .client
        .find(fantoccini::Locator::XPath(
            "//form//*[@role='alert']//button[normalize-space()='Try again']"
        ))
        .await
        .is_err());
    assert_eq!(h.children_of(REGION, &msp).await.len(), before);
    h.assert_accessible("the form with field errors").await;
    h.finish().await;
}

/// The form's error, beside the fields.
const ALERT: &str = "form.new-account [role=alert]";

/// Opens the new-account form under the distributor and fills a customer.
/// Signs in first when `first`.
async fn customer_form(h: &Harness, first: bool, login: &str, company: &str) -> AccountId {
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    let path = format!("/accounts/new?region={REGION}&parent={root}");
    if first {
        sign_in(h, DISTRIBUTOR, &path).await;
    } else {
        h.open(&path).await;
    }
    h.wait_text("main", "Kind of account").await;
    h.find("#kind-masteradmin").await.click().await.unwrap();
    type_into(h, "#login", login).await;
    type_into(h, "#companyname", company).await;
    root
}

fn on_create(
    root: &AccountId,
    fault: FaultKind,
    status: Option<u16>,
    body: Option<&str>,
) -> FaultRule {
    FaultRule {
        method: Some("POST".into()),
        path_prefix: format!("/{REGION}/users/{root}/users"),
        count: 1,
        fault,
        status,
        retry_after: None,
        body: body.map(str::to_owned),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_keeps_the_draft_but_never_the_password() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    let path = format!("/accounts/new?region={REGION}&parent={root}");
    sign_in(&h, DISTRIBUTOR, &path).await;
    h.wait_text("main", "Kind of account").await;
    h.find("#kind-masteradmin").await.click().await.unwrap();
    type_into(&h, "#login", "draft@valby-vvs.example").await;
    type_into(&h, "#companyname", "Valby VVS").await;
    type_into(&h, "#password", "super-secret-password").await;
    h.client.refresh().await.unwrap();
    h.wait_text(".draft-note", "draft is back").await;
    assert_eq!(
        h.find("#login")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("draft@valby-vvs.example")
    );
    assert_eq!(
        h.find("#companyname")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Valby VVS")
    );
    assert_eq!(
        h.find("#password")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("")
    );
    let stored = h
        .js("return JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
        .await;
    assert!(
        !stored.as_str().unwrap().contains("super-secret-password"),
        "{stored}"
    );
    // Sent: the draft is gone.
    h.click_button("Create account").await;
    h.wait_text("h1", "Valby VVS").await;
    let left = h
        .js("return Object.keys(localStorage).filter(k => k.includes('draft')).length")
        .await;
    assert_eq!(left, serde_json::json!(0));
    h.finish().await;
}

/// The create reaches the region and is carried out, but its answer is lost (a broken
/// connection, then a gateway's 504): the portal finds the account in the parent's listing
/// and sends nothing twice, whatever the region does with `external_id`.
async fn a_create_whose_answer_is_lost_is_found(dialect: Dialect) {
    let h = Harness::speaking(dialect).await;
    let root = customer_form(&h, true, "lost@answer.example", "Lost Answer A/S").await;
    h.app
        .faults
        .add(on_create(&root, FaultKind::Lost, None, None));
    // Double-click: the second click must not send again.
    let button = h.find("form button[type=submit]").await;
    button.click().await.unwrap();
    let _ = button.click().await;
    h.wait_text("h1", "Lost Answer A/S").await;
    assert_eq!(created(&h, &root, "lost@answer.example").await.len(), 1);

    let root = customer_form(&h, false, "late@answer.example", "Late Answer ApS").await;
    h.app
        .faults
        .add(on_create(&root, FaultKind::Lost, Some(504), None));
    h.click_button("Create account").await;
    h.wait_text("h1", "Late Answer ApS").await;
    assert_eq!(created(&h, &root, "late@answer.example").await.len(), 1);
    let fired: Vec<u32> = h.app.faults.history().iter().map(|r| r.fired).collect();
    assert_eq!(fired, [1, 1], "both answers were lost");
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_is_lost_is_found_not_sent_twice() {
    // The documented dialect: no external_id in the settings, no 409 for a reused one.
    a_create_whose_answer_is_lost_is_found(Dialect::default()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_is_found_against_the_sandboxs_old_dialect_too() {
    a_create_whose_answer_is_lost_is_found(Dialect::inventions()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_that_did_not_go_through_is_said_so_and_sent_again_once() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = customer_form(&h, true, "busy@region.example", "Busy Region K/S").await;
    // A 503 before the region did anything: not listed, so not created.
    h.app
        .faults
        .add(on_create(&root, FaultKind::Status, Some(503), None));
    h.click_button("Create account").await;
    let alert = h.wait_text(ALERT, "safe to send it again").await;
    assert!(alert.contains("was not created"), "{alert}");
    assert_eq!(created(&h, &root, "busy@region.example").await.len(), 0);
    h.click_button("Try again").await;
    h.wait_text("h1", "Busy Region K/S").await;
    assert_eq!(created(&h, &root, "busy@region.example").await.len(), 1);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_error_that_names_no_field_is_shown_whole_beside_the_form() {
    // A region with its own password rule, said in a sentence that names no field.
    let h = Harness::speaking(Dialect {
        password_min: 12,
        ..Dialect::default()
    })
    .await;
    let root = customer_form(&h, true, "policy@rules.example", "Policy Rules I/S").await;
    type_into(&h, "#password", "ten-chars!").await;
    h.click_button("Create account").await;
    h.wait_text(
        ALERT,
        "The password does not meet this region's password policy: use at least 12 characters.",
    )
    .await;
    assert_eq!(h.find("#password-problem").await.text().await.unwrap(), "");
    // An XML error body: said by its whole text, not as "invalid or missing parameters".
    type_into(&h, "#password", "twelve-chars-long").await;
    let xml = "<error><code>E1042</code><message>Logins at rules.example need approval by the distributor</message></error>";
    h.app
        .faults
        .add(on_create(&root, FaultKind::Status, Some(400), Some(xml)));
    h.click_button("Create account").await;
    h.wait_text(
        ALERT,
        "E1042 Logins at rules.example need approval by the distributor",
    )
    .await;
    assert_eq!(created(&h, &root, "policy@rules.example").await.len(), 0);
    h.assert_accessible("the form with the region's own error")
        .await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_sent_before_a_reload_is_looked_for_before_it_is_sent_again() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = customer_form(&h, true, "reload@midway.example", "Midway Reload ApS").await;
    h.wait_tree_settled().await;
    // The create is carried out and its answer lost; the look that follows hangs, and the
    // page is reloaded while it does.
    h.app
        .faults
        .add(on_create(&root, FaultKind::Lost, None, None));
    h.app.faults.add(FaultRule {
        method: Some("GET".into()),
        ..on_create(&root, FaultKind::Stall, None, None)
    });
    h.click_button("Create account").await;
    let deadline = std::time::Instant::now() + partner_e2e::PATIENCE;
    while h.app.faults.history()[1].fired == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the look never started"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    h.client.refresh().await.unwrap();
    h.wait_text(".draft-note", "draft is back").await;
    assert_eq!(created(&h, &root, "reload@midway.example").await.len(), 1);
    // Sent again from the restored draft: found, not made twice.
    h.click_button("Create account").await;
    h.wait_text("h1", "Midway Reload ApS").await;
    assert_eq!(created(&h, &root, "reload@midway.example").await.len(), 1);
    h.finish().await;
}
