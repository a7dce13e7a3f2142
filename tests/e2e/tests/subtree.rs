//! The tree's search over the whole subtree (one v3 `all=1` call per region), and child rows
//! a region sends that cannot be read, said where the list is shown.

use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enter_in_the_filter_finds_an_account_deep_below_that_was_not_loaded() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = h.id_of(REGION, MSP).await;
    let deep = h.children_of(REGION, &msp).await[0].clone();
    let deep_name = h.company(REGION, &deep).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    let below = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        r.accounts
            .keys()
            .filter(|id| **id != root && r.is_within(&root, id))
            .count()
    };
    h.open(&format!("/sign-in?region={REGION}")).await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.find("[role=tree] [role=treeitem][aria-level='3']").await;
    // Only the first level is loaded: the filter finds nothing of the customer's yet.
    let filter = h.find("#tree-filter").await;
    filter.send_keys(&deep_name).await.unwrap();
    h.wait_text("#tree-summary", ": 0 match").await;
    // Enter asks the region for the whole subtree, says its count, and the match shows
    // with the accounts above it.
    filter.send_keys("\u{E007}").await.unwrap();
    let summary = h
        .wait_text(
            "#tree-summary",
            &format!("{REGION}: all {below} accounts below yours searched."),
        )
        .await;
    // Everything is here now: the summary no longer offers to search every account.
    assert!(
        summary.contains("Searched all") && !summary.contains("Press Enter to search every"),
        "{summary}"
    );
    h.wait_any_text("[role=treeitem][aria-level='5']", &deep_name)
        .await;
    h.wait_text("[role=tree]", &h.company(REGION, &msp).await)
        .await;
    h.assert_accessible("the tree searched whole").await;
    // The row opens the account it names.
    h.find("[role=treeitem][aria-level='5'] .name")
        .await
        .click()
        .await
        .unwrap();
    h.wait_text("h1", &deep_name).await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreadable_rows_are_counted_on_the_account_page_and_in_the_tree() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    // The partner's real list, and two rows no client can read (no GUID, a broken one).
    let body = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        r.children(&r.accounts[&partner]).to_xml_v1().replace(
            "</users>",
            "<user><id>not-a-guid</id><email>x@example.com</email></user><user><full_name>No id</full_name></user></users>",
        )
    };
    h.app.faults.add(FaultRule {
        method: Some("GET".into()),
        path_prefix: format!("/{REGION}/users/{partner}/users"),
        count: 10,
        fault: FaultKind::Status,
        status: Some(200),
        retry_after: None,
        body: Some(body),
    });
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/{REGION}/{partner}"
    ))
    .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.wait_text("h1", &h.company(REGION, &partner).await).await;
    h.wait_text("main", "2 accounts in this list could not be read.")
        .await;
    // The readable ones are still listed.
    h.wait_text("table.children", &h.company_of(REGION, MSP).await)
        .await;
    h.assert_accessible("the sub-accounts with unreadable rows")
        .await;
    // In the tree, on the partner's row once its level is open.
    let partner_name = h.company(REGION, &partner).await;
    h.client
        .find(fantoccini::Locator::XPath(&format!(
            "//div[@role='treeitem'][contains(., '{partner_name}')]//span[@class='toggle']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_any_text(
        "[role=treeitem][aria-expanded='true']",
        "2 accounts below could not be read.",
    )
    .await;
    assert!(h.app.faults.fired() >= 2);
    h.finish().await;
}
