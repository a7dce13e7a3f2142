//! The account page in real Chromium: details, disable/enable, move, delete, contacts.

use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};

async fn signed_in(h: &Harness, path: &str) {
    h.open(&format!("/sign-in?region={REGION}&next={path}"))
        .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_breadcrumbs_product_users_and_a_disable_enable_round_trip() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = h.id_of(REGION, MSP).await;
    let customer = h.state.read().await.regions[REGION].accounts[&msp].children[0].clone();
    let path = format!("/accounts/{REGION}/{customer}");
    signed_in(&h, &path).await;
    let name = h.company(REGION, &customer).await;
    h.wait_text("h1", &name).await;
    // Breadcrumbs from the signed-in account down, product inherited from the MSP.
    let msp_company = h.company(REGION, &msp).await;
    let crumbs = h.wait_text(".breadcrumbs", &msp_company).await;
    assert!(
        crumbs.contains(&h.company_of(REGION, DISTRIBUTOR).await)
            && crumbs.contains(&h.company_of(REGION, PARTNER).await),
        "{crumbs}"
    );
    let product = {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        assert!(
            r.accounts[&customer].product.is_none(),
            "the customer's own"
        );
        r.effective_product(&customer)
            .expect("the MSP's product")
            .name
            .clone()
    };
    h.wait_text(
        "dd.product",
        &format!("{product} (inherited from {msp_company})"),
    )
    .await;
    h.wait_text("table.users", "Master admin").await;
    h.wait_text(".contacts", "Primary contact").await;
    h.assert_accessible("the account page with actions").await;

    h.click_button("Disable account").await;
    h.wait_text(".action-done", "disabled").await;
    h.wait_text("dd.status", "Disabled").await;
    assert!(!h.state.read().await.regions[REGION].accounts[&customer].enabled);
    h.wait_text("[role=treeitem][aria-selected='true']", "Disabled")
        .await;
    h.click_button("Enable account").await;
    h.wait_text("dd.status", "Enabled").await;
    assert!(h.state.read().await.regions[REGION].accounts[&customer].enabled);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_through_the_picker() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = h.id_of(REGION, MSP).await;
    let root = h.id_of(REGION, DISTRIBUTOR).await;
    let msp_company = h.company(REGION, &msp).await;
    let root_company = h.company(REGION, &root).await;
    let parent_company = h.company_of(REGION, PARTNER).await;
    signed_in(&h, &format!("/accounts/{REGION}/{msp}")).await;
    h.wait_text("h1", &msp_company).await;
    h.click_button("Move…").await;
    // The picker offers partners outside the MSP's own subtree, not its current parent.
    let choices = h.wait_text("fieldset.choices", &root_company).await;
    assert!(!choices.contains(&parent_company), "{choices}");
    assert!(!choices.contains(&msp_company), "{choices}");
    h.find("#move-filter")
        .await
        .send_keys(&root_company)
        .await
        .unwrap();
    h.client
        .find(fantoccini::Locator::Css(
            "fieldset.choices input[type=radio]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.assert_accessible("the move picker").await;
    h.click_button("Move here").await;
    h.wait_text(".breadcrumbs", &root_company).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while h.state.read().await.regions[REGION].accounts[&msp]
        .parent
        .as_ref()
        != Some(&root)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the move never reached the sandbox"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // The page reloads its ancestors after the move: the old parent leaves the breadcrumbs.
    let deadline = std::time::Instant::now() + partner_e2e::PATIENCE;
    loop {
        let crumbs = h.wait_text(".breadcrumbs", &root_company).await;
        if !crumbs.contains(&parent_company) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{crumbs}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_says_what_goes_with_it_and_asks_for_the_name() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    let msp = h.id_of(REGION, MSP).await;
    let below = h.state.read().await.regions[REGION].accounts[&msp]
        .children
        .len();
    let msp_company = h.company(REGION, &msp).await;
    // The name typed in two goes: its first word alone is the wrong name.
    let (first_word, rest) = msp_company.split_at(msp_company.find(' ').expect("two words"));
    signed_in(&h, &format!("/accounts/{REGION}/{msp}")).await;
    h.wait_text("h1", &msp_company).await;
    h.click_button("Delete…").await;
    h.wait_text(
        ".danger-zone",
        &format!("The {below} accounts below it are deleted with it"),
    )
    .await;
    // The wrong name does not delete.
    h.find("#delete-confirm")
        .await
        .send_keys(first_word)
        .await
        .unwrap();
    h.click_button("Delete for good").await;
    h.wait_text(".danger-zone [role=alert]", "Type the account's name")
        .await;
    assert!(h.state.read().await.regions[REGION]
        .accounts
        .contains_key(&msp));
    h.find("#delete-confirm")
        .await
        .send_keys(rest)
        .await
        .unwrap();
    h.assert_accessible("the delete confirmation").await;
    h.click_button("Delete for good").await;
    // Back on the parent, the account gone from the sandbox and from the tree.
    h.wait_path(&format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &h.company(REGION, &partner).await).await;
    assert!(!h.state.read().await.regions[REGION]
        .accounts
        .contains_key(&msp));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while h
        .find("[role=tree]")
        .await
        .text()
        .await
        .unwrap()
        .contains(&msp_company)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the tree still shows the deleted account"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_edit_is_validated_then_saved() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    signed_in(&h, &format!("/accounts/{REGION}/{partner}")).await;
    h.wait_text("h1", &h.company(REGION, &partner).await).await;
    h.click_button("Edit contact").await;
    let country = h.find("#contact-country").await;
    country.clear().await.unwrap();
    country.send_keys("Denmark").await.unwrap();
    h.click_button("Save contact").await;
    h.wait_text("#contact-country-problem", "two-letter ISO 3166")
        .await;
    assert_eq!(
        h.find("#contact-country")
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    let country = h.find("#contact-country").await;
    country.clear().await.unwrap();
    country.send_keys("SE").await.unwrap();
    let phone = h.find("#contact-phone").await;
    phone.clear().await.unwrap();
    phone.send_keys("+46 8 123 456").await.unwrap();
    h.click_button("Save contact").await;
    h.wait_text(".contacts", "Sweden (SE)").await;
    let saved = h.state.read().await.regions[REGION].accounts[&partner]
        .primary_contact()
        .unwrap()
        .clone();
    assert_eq!(
        (saved.country.as_deref(), saved.phone.as_deref()),
        (Some("SE"), Some("+46 8 123 456"))
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_called_what_the_region_says_they_are() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let me = h.id_of(REGION, PARTNER).await;
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/{REGION}/{me}"
    ))
    .await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    // The seeded sign-in session is a secondary token, as Keepit lists one: never called an
    // API key, shown with the login it belongs to and its lifetime.
    let users = h.wait_text("table.users", "Secondary token of").await;
    assert!(
        users.contains(&format!("Secondary token of {PARTNER}")),
        "{users}"
    );
    assert!(users.contains("Lifetime 48 hours"), "{users}");
    let kinds = h
        .js("return [...document.querySelectorAll('table.users tbody td:nth-child(2)')].map(c => c.textContent)")
        .await;
    assert!(
        kinds.as_array().unwrap().iter().all(|k| k != "API key"),
        "{kinds}"
    );
    // The login the portal is signed in with says so, and offers no removal.
    let mine = h
        .js(&format!(
            "return [...document.querySelectorAll('table.users tbody tr')].find(r => r.querySelector('th').textContent.startsWith('{PARTNER}')).textContent"
        ))
        .await;
    let mine = mine.as_str().unwrap_or_default().to_owned();
    assert!(mine.contains("You are signed in with this"), "{mine}");
    assert!(!mine.contains("Remove"), "{mine}");
    h.assert_accessible("the users and keys").await;
    h.finish().await;
}
