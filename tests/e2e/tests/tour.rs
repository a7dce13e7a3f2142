//! Every page as a partner sees it: each loads with its heading, is axe-clean in both
//! themes, and is photographed at 1280 px and at 800 px (the width of a PSA tool's frame),
//! light and dark, into `target/screenshots/tour-*.png` for people to look at.

use partner_e2e::seed::{PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};

/// The widths a partner uses: a desktop, and a PSA tool's frame.
const WIDTHS: [u32; 2] = [1280, 800];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_both_themes_at_both_widths() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open(&format!("/sign-in?region={REGION}")).await;
    h.find("#login").await;
    for theme in ["light", "dark"] {
        h.choose("#theme", theme).await;
        shoot(&h, "sign-in", theme).await;
    }
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_tree_settled().await;
    let me = h.id_of(REGION, PARTNER).await;
    let first_user = h.users_of(REGION, PARTNER).await[0].email.clone();

    // (name, path, a heading the page must show)
    let pages = [
        ("accounts", "/accounts".to_owned(), "Accounts"),
        (
            "account",
            format!("/accounts/{REGION}/{me}"),
            "Users and API keys",
        ),
        (
            "new-account",
            format!("/accounts/new?region={REGION}&parent={me}"),
            "New account",
        ),
        (
            "access",
            format!("/accounts/access?region={REGION}&account={me}"),
            "Add a user or API account",
        ),
        (
            "access-role",
            format!(
                "/accounts/access?region={REGION}&account={me}&token={}",
                partner_api::wire::request::encode_component(partner_e2e::seed::READONLY)
            ),
            "Change the role of",
        ),
        (
            "import",
            format!("/accounts/import?region={REGION}&parent={me}"),
            "Import customer accounts",
        ),
        ("billing", "/billing".to_owned(), "Billing"),
        ("settings", "/settings".to_owned(), "API password"),
        ("shares", "/shares".to_owned(), "Shares"),
        ("revisions", "/revisions".to_owned(), "Client revisions"),
        ("users", "/users".to_owned(), "Users"),
        (
            "new-user",
            format!("/users/new?region={REGION}"),
            "Add a user",
        ),
        (
            "user",
            partner_e2e::seed::user_path(REGION, &first_user),
            "Storage",
        ),
        ("groups", "/groups".to_owned(), "Add a group"),
        ("plans", "/plans".to_owned(), "Plans"),
    ];
    for (name, path, heading) in pages {
        h.open(&path).await;
        h.wait_any_text("h1, h2", heading).await;
        // Let the page's own loads land before it is judged.
        h.wait_tree_settled().await;
        for theme in ["light", "dark"] {
            h.choose("#theme", theme).await;
            h.assert_accessible(&format!("{name} ({theme})")).await;
            shoot(&h, name, theme).await;
            if name == "account" {
                // The users and keys are below the fold: photographed where they are.
                h.wait_text("table.users", "Secondary token").await;
                for width in WIDTHS.iter().rev() {
                    h.client.set_window_size(*width, 1000).await.unwrap();
                    h.js("document.getElementById('users-title').scrollIntoView(); return true")
                        .await;
                    h.screenshot(&format!("tour-account-users-{width}-{theme}"))
                        .await;
                }
            }
        }
    }
    // The tree after Enter asked the region for the whole subtree: a match deep below.
    let msp = h.id_of(REGION, partner_e2e::seed::MSP).await;
    let deep = h
        .company(REGION, &h.children_of(REGION, &msp).await[0])
        .await;
    h.open(&format!("/accounts/{REGION}/{me}")).await;
    h.wait_tree_settled().await;
    let filter = h.find("#tree-filter").await;
    filter.send_keys(&deep).await.unwrap();
    filter.send_keys("\u{E007}").await.unwrap();
    h.wait_text("#tree-summary", "accounts below yours searched")
        .await;
    for theme in ["light", "dark"] {
        h.choose("#theme", theme).await;
        h.assert_accessible(&format!("the tree searched whole ({theme})"))
            .await;
        shoot(&h, "tree-searched", theme).await;
    }
    h.finish().await;
}

/// `tour-{name}-{width}-{theme}.png` at each width; the window is left at the first width.
async fn shoot(h: &Harness, name: &str, theme: &str) {
    // The top of the page, as it opens, not the theme picker that was just used.
    h.js("document.activeElement.blur(); window.scrollTo(0, 0); return true")
        .await;
    for width in WIDTHS.iter().rev() {
        h.client.set_window_size(*width, 1000).await.unwrap();
        h.screenshot(&format!("tour-{name}-{width}-{theme}")).await;
    }
}
