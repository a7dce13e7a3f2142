//! The account page in real Chromium: details, disable/enable, move, delete, contacts.

use partner_api::AccountId;
use partner_e2e::{Harness, PortalConfig};

async fn id_of(h: &Harness, region: &str, login: &str) -> AccountId {
    h.state.read().await.region(region).unwrap().logins[login].clone()
}

async fn company(h: &Harness, region: &str, id: &AccountId) -> String {
    h.state.read().await.region(region).unwrap().accounts[id]
        .primary_contact()
        .unwrap()
        .company_name
        .clone()
        .unwrap()
}

async fn signed_in(h: &Harness, path: &str) {
    h.open(&format!("/sign-in?region=dk-co&next={path}")).await;
    h.sign_in("dk-co", "distributor@demo.example", "demo").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn details_breadcrumbs_product_users_and_a_disable_enable_round_trip() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = id_of(&h, "dk-co", "msp@demo.example").await;
    let customer = h.state.read().await.regions["dk-co"].accounts[&msp].children[0].clone();
    let path = format!("/accounts/dk-co/{customer}");
    signed_in(&h, &path).await;
    let name = company(&h, "dk-co", &customer).await;
    h.wait_text("h1", &name).await;
    // Breadcrumbs from the signed-in account down, product inherited from the MSP.
    let crumbs = h.wait_text(".breadcrumbs", "Havn Managed Services").await;
    assert!(
        crumbs.contains("Nordlys Cloud Distribution") && crumbs.contains("Fjordline IT Partners"),
        "{crumbs}"
    );
    h.wait_text(
        "dd.product",
        "MSP Standard (inherited from Havn Managed Services)",
    )
    .await;
    h.wait_text("table.users", "Master admin").await;
    h.wait_text(".contacts", "Primary contact").await;
    h.assert_accessible("the account page with actions").await;

    h.click_button("Disable account").await;
    h.wait_text(".action-done", "disabled").await;
    h.wait_text("dd.status", "Disabled").await;
    assert!(!h.state.read().await.regions["dk-co"].accounts[&customer].enabled);
    h.wait_text("[role=treeitem][aria-selected='true']", "Disabled")
        .await;
    h.click_button("Enable account").await;
    h.wait_text("dd.status", "Enabled").await;
    assert!(h.state.read().await.regions["dk-co"].accounts[&customer].enabled);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_move_through_the_picker() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = id_of(&h, "dk-co", "msp@demo.example").await;
    let root = id_of(&h, "dk-co", "distributor@demo.example").await;
    signed_in(&h, &format!("/accounts/dk-co/{msp}")).await;
    h.wait_text("h1", "Havn Managed Services").await;
    h.click_button("Move…").await;
    // The picker offers partners outside the MSP's own subtree, not its current parent.
    let choices = h.wait_text("fieldset.choices", "Nordlys").await;
    assert!(!choices.contains("Fjordline"), "{choices}");
    assert!(!choices.contains("Havn"), "{choices}");
    h.find("#move-filter")
        .await
        .send_keys("Nordlys")
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
    h.wait_text(".breadcrumbs", "Nordlys").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while h.state.read().await.regions["dk-co"].accounts[&msp]
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
    // The page reloads its ancestors after the move: Fjordline leaves the breadcrumbs.
    let deadline = std::time::Instant::now() + partner_e2e::PATIENCE;
    loop {
        let crumbs = h.wait_text(".breadcrumbs", "Nordlys").await;
        if !crumbs.contains("Fjordline") {
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
    let partner = id_of(&h, "dk-co", "partner@demo.example").await;
    let msp = id_of(&h, "dk-co", "msp@demo.example").await;
    let below = h.state.read().await.regions["dk-co"].accounts[&msp]
        .children
        .len();
    signed_in(&h, &format!("/accounts/dk-co/{msp}")).await;
    h.wait_text("h1", "Havn Managed Services").await;
    h.click_button("Delete…").await;
    h.wait_text(
        ".danger-zone",
        &format!("The {below} accounts below it are deleted with it"),
    )
    .await;
    // The wrong name does not delete.
    h.find("#delete-confirm")
        .await
        .send_keys("Havn")
        .await
        .unwrap();
    h.click_button("Delete for good").await;
    h.wait_text(".danger-zone [role=alert]", "Type the account's name")
        .await;
    assert!(h.state.read().await.regions["dk-co"]
        .accounts
        .contains_key(&msp));
    h.find("#delete-confirm")
        .await
        .send_keys(" Managed Services")
        .await
        .unwrap();
    h.assert_accessible("the delete confirmation").await;
    h.click_button("Delete for good").await;
    // Back on the parent, the account gone from the sandbox and from the tree.
    h.wait_path(&format!("/accounts/dk-co/{partner}")).await;
    h.wait_text("h1", "Fjordline IT Partners").await;
    assert!(!h.state.read().await.regions["dk-co"]
        .accounts
        .contains_key(&msp));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while h
        .find("[role=tree]")
        .await
        .text()
        .await
        .unwrap()
        .contains("Havn Managed Services")
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
    let partner = id_of(&h, "dk-co", "partner@demo.example").await;
    signed_in(&h, &format!("/accounts/dk-co/{partner}")).await;
    h.wait_text("h1", "Fjordline").await;
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
    let saved = h.state.read().await.regions["dk-co"].accounts[&partner]
        .primary_contact()
        .unwrap()
        .clone();
    assert_eq!(
        (saved.country.as_deref(), saved.phone.as_deref()),
        (Some("SE"), Some("+46 8 123 456"))
    );
    h.finish().await;
}
