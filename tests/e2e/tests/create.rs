//! Creating accounts in real Chromium against the sandbox.

use partner_api::AccountId;
use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};

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
async fn an_msp_is_offered_customers_only_and_a_taken_login_lands_on_its_field() {
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

    // A login the region already has: its 409 lands on the login field.
    h.find("#kind-masteradmin").await.click().await.unwrap();
    type_into(&h, "#login", PARTNER).await;
    h.click_button("Create account").await;
    h.wait_text("#login-problem", "already taken").await;
    h.assert_accessible("the form with field errors").await;
    h.finish().await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_is_lost_is_found_not_sent_twice() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    sign_in(
        &h,
        DISTRIBUTOR,
        &format!("/accounts/new?region={REGION}&parent={root}"),
    )
    .await;
    h.wait_text("main", "Kind of account").await;
    h.find("#kind-masteradmin").await.click().await.unwrap();
    type_into(&h, "#login", "lost@answer.example").await;
    type_into(&h, "#companyname", "Lost Answer A/S").await;
    // The create reaches the sandbox, but its answer is dropped.
    h.app.faults.add(FaultRule {
        method: Some("POST".into()),
        path_prefix: format!("/{REGION}/users/"),
        count: 1,
        fault: FaultKind::Drop,
        status: None,
        retry_after: None,
        body: None,
    });
    // Double-click: the second click must not send again.
    let button = h.find("form button[type=submit]").await;
    button.click().await.unwrap();
    let _ = button.click().await;
    h.wait_text("h1", "Lost Answer A/S").await;
    assert_eq!(created(&h, &root, "lost@answer.example").await.len(), 1);
    h.finish().await;
}
