//! The portal in real headless Chromium against the sandbox. Expected values are read from the
//! sandbox's own state, never written into the test.

use partner_api::AccountId;
use partner_e2e::seed::{DISTRIBUTOR, MSP, OTHER_REGION, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};

/// An account as the sandbox holds it: id, company, and its children's companies.
async fn account(
    h: &Harness,
    region: &str,
    login: &str,
) -> (AccountId, String, Vec<(AccountId, String)>) {
    let world = h.state.read().await;
    let r = world.region(region).unwrap();
    let id = r.logins[login].clone();
    let company = |id: &AccountId| {
        r.accounts[id]
            .primary_contact()
            .unwrap()
            .company_name
            .clone()
            .unwrap()
    };
    let children = r.accounts[&id]
        .children
        .iter()
        .map(|c| (c.clone(), company(c)))
        .collect();
    (id.clone(), company(&id), children)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_distributor_signs_in_and_walks_down_the_tree() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open("/").await;
    h.wait_path("/sign-in").await;
    h.find(".demo-logins").await;
    h.assert_accessible("the sign-in page").await;
    // The sandbox region lists the demo logins; one fills the form.
    h.find(&format!("button[aria-label='Use {DISTRIBUTOR}']"))
        .await
        .click()
        .await
        .unwrap();
    h.find("form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();

    let (id, company, children) = account(&h, REGION, DISTRIBUTOR).await;
    h.wait_path(&format!("/accounts/{REGION}/{id}")).await;
    h.wait_text("h1", &company).await;
    assert_eq!(h.find("code.guid").await.text().await.unwrap(), id.as_str());
    assert_eq!(h.find("dd.kind").await.text().await.unwrap(), "Partner");
    assert!(h
        .find("dd.role")
        .await
        .text()
        .await
        .unwrap()
        .contains("PartnerParent"));
    assert!(h
        .find(".you")
        .await
        .text()
        .await
        .unwrap()
        .contains(DISTRIBUTOR));

    // Every direct child is listed, by name, each linking to its own page.
    h.wait_text(
        "table.children caption",
        &format!("{} direct", children.len()),
    )
    .await;
    let rows = h
        .client
        .find_all(fantoccini::Locator::Css("table.children tbody th a"))
        .await
        .unwrap();
    let mut shown = Vec::new();
    for row in &rows {
        shown.push((
            row.attr("href").await.unwrap().unwrap(),
            row.text().await.unwrap(),
        ));
    }
    let mut expected: Vec<_> = children
        .iter()
        .map(|(c, name)| (format!("/accounts/{REGION}/{c}"), name.clone()))
        .collect();
    shown.sort();
    expected.sort();
    assert_eq!(shown, expected);
    h.screenshot("account-distributor").await;
    h.assert_accessible("the account page").await;

    // Down one level: the partner, whose children include the MSP partner.
    let (partner, partner_company, partner_children) = account(&h, REGION, PARTNER).await;
    h.client
        .find(fantoccini::Locator::LinkText(&partner_company))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_path(&format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &partner_company).await;
    // Focus moved to the new page's content, not left on the link that is gone.
    let focused = h
        .js("return document.activeElement && document.activeElement.id")
        .await;
    assert_eq!(focused, serde_json::json!("main"));
    let (_, msp_company, _) = account(&h, REGION, MSP).await;
    assert!(partner_children.iter().any(|(_, n)| n == &msp_company));
    h.wait_text("table.children", &msp_company).await;
    // Not the signed-in account: its parent is linked by name instead of "your own account".
    let parent = h.find("dl.facts dd a").await;
    assert_eq!(
        parent.attr("href").await.unwrap(),
        Some(format!("/accounts/{REGION}/{id}"))
    );
    h.wait_text("dl.facts", &company).await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_said_plainly_and_nothing_is_kept() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open("/sign-in").await;
    h.sign_in(REGION, DISTRIBUTOR, "not-the-password").await;
    let alert = h
        .wait_text("[role=alert]", "Username or password is incorrect")
        .await;
    assert!(alert.contains("did not accept the sign-in"), "{alert}");
    h.wait_path("/sign-in").await;
    let stored = h
        .js("return window.sessionStorage.length + window.localStorage.length")
        .await;
    assert_eq!(stored, serde_json::json!(0));

    // An empty form is stopped at the fields, before anything is sent.
    h.open("/sign-in").await;
    h.find("form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    h.wait_text("#login-problem", "Enter your login").await;
    h.wait_text("#password-problem", "Enter your password")
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
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_link_survives_reload_and_sign_in_returns_to_it() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let (msp, msp_company, _) = account(&h, OTHER_REGION, MSP).await;
    let deep = format!("/accounts/{OTHER_REGION}/{msp}");

    // Not signed in to de-fr yet: the page says so and links to the sign-in for that region,
    // which comes back to the whole location, query and all.
    h.open(&format!("{deep}?from=shared-link")).await;
    h.wait_text("main", "where you are not signed in").await;
    h.find(&format!("main a[href^='/sign-in?region={OTHER_REGION}']"))
        .await
        .click()
        .await
        .unwrap();
    h.wait_path("/sign-in").await;
    h.sign_in(OTHER_REGION, PARTNER, PASSWORD).await;

    // Back where the link pointed, and a reload keeps it (credentials in sessionStorage).
    h.wait_path(&deep).await;
    assert_eq!(h.js("return location.search").await, "?from=shared-link");
    h.wait_text("h1", &msp_company).await;
    h.client.refresh().await.unwrap();
    h.wait_text("h1", &msp_company).await;
    assert_eq!(
        h.find("code.guid").await.text().await.unwrap(),
        msp.as_str()
    );

    // The same login's GUID in dk-co is another one: regions are separate.
    let (dk_partner, _, _) = account(&h, REGION, PARTNER).await;
    assert_ne!(dk_partner, msp);

    // Signing out forgets the credentials.
    h.client
        .find(fantoccini::Locator::XPath(
            "//button[normalize-space()='Sign out']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_path("/sign-in").await;
    let stored = h
        .js("return window.sessionStorage.getItem('partner-portal.session')")
        .await;
    assert_eq!(stored, serde_json::Value::Null);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_config_is_explained_not_blank() {
    let h = Harness::start(PortalConfig::Missing).await;
    h.open("/accounts").await;
    h.wait_text("h1", "cannot start").await;
    let alert = h
        .wait_text("[role=alert]", "could not read its configuration")
        .await;
    assert!(alert.contains("404"), "{alert}");
    h.assert_accessible("the start-problem page").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_config_names_each_problem() {
    let h = Harness::start(PortalConfig::Raw(format!(
        r#"{{"proxy": "http://proxy.example/", "regions": [{{"id": "{REGION}", "name": "DK"}}]}}"#
    )))
    .await;
    h.open("/").await;
    let alert = h.wait_text("[role=alert]", "has problems").await;
    assert!(alert.contains("no {region} placeholder"), "{alert}");
    assert!(
        alert.contains("neither an \"accounts\" nor an \"enterprise\" URL"),
        "{alert}"
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_region_gets_a_message_where_it_happened() {
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let h = Harness::start(PortalConfig::Raw(format!(
        r#"{{"regions": [{{"id": "{REGION}", "name": "Denmark", "sandbox": true,
            "accounts": "http://127.0.0.1:{closed}/{REGION}"}}]}}"#
    )))
    .await;
    h.open("/sign-in").await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    let alert = h
        .wait_text(".sign-in [role=alert]", "Could not reach the region")
        .await;
    assert!(alert.contains(&format!("127.0.0.1:{closed}")), "{alert}");
    h.wait_path("/sign-in").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accessibility_check_catches_a_real_violation() {
    // The other tests' accessibility assertions mean something only if axe really runs.
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open("/sign-in").await;
    h.find("#login").await;
    h.js("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\"><input id=\"unlabelled\">')").await;
    let violations = h.accessibility_violations().await.join("\n");
    assert!(violations.contains("image-alt"), "{violations}");
    assert!(violations.contains("label"), "{violations}");
    h.finish().await;
}
