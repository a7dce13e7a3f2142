//! The account tree in real Chromium: keyboard, regions, failures, escaping, accessibility.

use fantoccini::key::Key;
use fantoccini::Locator;
use partner_api::accounts::contacts::{Contact, PRIMARY_CONTACT};
use partner_api::accounts::tokens::Token;
use partner_api::Role;
use partner_e2e::seed::{
    region_name, DISTRIBUTOR, MSP, OTHER_REGION, PARTNER, PASSWORD, REGION, THIRD_REGION,
};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};
use partner_sandbox::world::{Account, TokenRecord};

async fn sign_in_as_distributor(h: &Harness, region: &str) {
    h.open(&format!("/sign-in?region={region}")).await;
    h.sign_in(region, DISTRIBUTOR, PASSWORD).await;
    h.find("[role=tree] [role=treeitem][aria-level='3']").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_keyboard_walks_three_levels_down_and_back() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    sign_in_as_distributor(&h, REGION).await;
    let root = h.company_of(REGION, DISTRIBUTOR).await;
    let partner = h.company_of(REGION, PARTNER).await;
    let msp = h.company_of(REGION, MSP).await;
    // The distributor's children, in the seed's order: the partner first, a second partner.
    let root_id = h.id_of(REGION, DISTRIBUTOR).await;
    let below_root = h.children_of(REGION, &root_id).await;
    let second = h.company(REGION, &below_root[1]).await;
    // The accounts beside the partner that have accounts of their own (`*` opens them).
    let mut with_children = 0;
    for c in &below_root {
        with_children += usize::from(!h.children_of(REGION, c).await.is_empty());
    }
    h.js("document.querySelector('[role=tree]').focus()").await;

    // Focus starts on the account whose page is open: the signed-in one, under its region.
    let row = h.wait_active(&root).await;
    assert_eq!(row["level"], "2");
    assert_eq!(row["expanded"], "true");
    h.keys("[role=tree]", &[Key::Right]).await;
    let row = h.wait_active(&partner).await;
    assert_eq!(
        (
            row["level"].as_str(),
            row["pos"].as_str(),
            row["size"].as_str()
        ),
        (
            Some("3"),
            Some("1"),
            Some(below_root.len().to_string().as_str())
        )
    );
    assert_eq!(row["expanded"], "false");
    // Right opens it (loading the level), Right again goes to its first child: the MSP.
    h.keys("[role=tree]", &[Key::Right]).await;
    h.find("[role=treeitem][aria-level='4']").await;
    assert_eq!(h.active_row().await["expanded"], "true");
    h.keys("[role=tree]", &[Key::Right]).await;
    let row = h.wait_active(&msp).await;
    assert_eq!(row["level"], "4");
    h.keys("[role=tree]", &[Key::Right]).await;
    h.find("[role=treeitem][aria-level='5']").await;
    h.keys("[role=tree]", &[Key::Right]).await;
    let customer = h.wait_active("").await;
    assert_eq!(customer["level"], "5");
    let customer_name = customer["name"].as_str().unwrap().to_string();

    // Enter opens the account page; focus stays in the tree, selection follows the page.
    h.keys("[role=tree]", &[Key::Enter]).await;
    h.wait_text("h1", &customer_name).await;
    let selected = h
        .find("[role=treeitem][aria-selected='true'] .name")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(selected, customer_name);

    // Left goes to the parent, Left again closes it.
    h.keys("[role=tree]", &[Key::Left]).await;
    h.wait_active(&msp).await;
    h.keys("[role=tree]", &[Key::Left]).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while h.active_row().await["expanded"] != "false" {
        assert!(
            std::time::Instant::now() < deadline,
            "the MSP did not close"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Home and End; type-ahead jumps to a name.
    h.keys("[role=tree]", &[Key::End]).await;
    h.keys("[role=tree]", &[Key::Home]).await;
    h.wait_active(region_name(REGION)).await;
    let typed = second[..3].to_lowercase();
    h.find("[role=tree]").await.send_keys(&typed).await.unwrap();
    h.wait_active(&second).await;
    // `*` opens every account beside it.
    h.keys("[role=tree]", &[Key::Home, Key::Down, Key::Right])
        .await;
    h.client
        .find(Locator::Css("[role=tree]"))
        .await
        .unwrap()
        .send_keys("*")
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let open = h
            .client
            .find_all(Locator::Css(
                "[role=treeitem][aria-level='3'][aria-expanded='true']",
            ))
            .await
            .unwrap()
            .len();
        if open == with_children {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{open} of {with_children} partners open"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    h.assert_accessible("the tree with three levels open").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_regions_load_on_their_own_and_a_failing_one_recovers() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    sign_in_as_distributor(&h, REGION).await;
    h.open(&format!("/sign-in?region={THIRD_REGION}")).await;
    h.sign_in(THIRD_REGION, DISTRIBUTOR, PASSWORD).await;
    let us_root = h.company_of(THIRD_REGION, DISTRIBUTOR).await;
    h.wait_text("[role=tree]", &us_root).await;

    // us-dc goes down; a reload shows dk-co in full and us-dc's failure on its own row.
    h.app.faults.add(FaultRule {
        method: Some("GET".into()),
        path_prefix: format!("/{THIRD_REGION}/"),
        count: 1000,
        fault: FaultKind::Status,
        status: Some(503),
        retry_after: None,
        body: None,
    });
    h.client.refresh().await.unwrap();
    let dk_root = h.company_of(REGION, DISTRIBUTOR).await;
    h.wait_text("[role=tree]", &dk_root).await;
    h.wait_text("[role=tree]", &h.company_of(REGION, PARTNER).await)
        .await;
    let failed = h
        .wait_text(
            "[role=treeitem].region:last-child, [role=tree]",
            "unavailable right now",
        )
        .await;
    assert!(failed.contains(region_name(THIRD_REGION)), "{failed}");
    h.assert_accessible("the tree with a failed region").await;

    // The region comes back; retry on its row loads it.
    h.app.faults.clear();
    h.client
        .find(Locator::XPath(&format!(
            "//div[@role='treeitem'][contains(., '{}')]//span[@class='toggle']",
            region_name(THIRD_REGION)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_text("[role=tree]", &us_root).await;
    assert!(!h
        .find("[role=tree]")
        .await
        .text()
        .await
        .unwrap()
        .contains("unavailable"));
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_carrying_html_show_as_text() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let evil =
        r#"<img src=x onerror="window.__pwned=1">Evil & Co <script>window.__pwned=2</script>"#;
    {
        let mut w = h.state.write().await;
        let r = w.region_mut(REGION).unwrap();
        let root = r.logins[DISTRIBUTOR].clone();
        let id = partner_api::AccountId::parse("evil00-000000-000000").unwrap();
        let mut a = Account::new(id, Some(root), "2024-02-02T02:02:02Z".into());
        a.contacts.push(Contact {
            kind: PRIMARY_CONTACT.into(),
            company_name: Some(evil.into()),
            email: Some("x@evil.example".into()),
            ..Contact::default()
        });
        a.tokens.push(TokenRecord {
            token: Token {
                name: "x@evil.example".into(),
                description: Some(evil.into()),
                created: None,
                primary: true,
                role: Role::MasterAdmin,
                eacl: None,
                lifetime: None,
                expires: None,
                last_use: None,
                primary_aname: None,
            },
            password: "x".into(),
        });
        r.insert(a);
    }
    sign_in_as_distributor(&h, REGION).await;
    h.wait_text("[role=tree]", "<img src=x").await;
    h.wait_text("table.children", "<script>").await;
    h.open(&format!("/accounts/{REGION}/evil00-000000-000000"))
        .await;
    h.wait_text("h1", "Evil & Co <script>").await;
    let pwned = h.js("return window.__pwned === undefined && document.querySelectorAll('main img, main script').length").await;
    assert_eq!(pwned, serde_json::json!(0));
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_says_what_it_searched_and_a_guid_is_found_in_any_region() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    sign_in_as_distributor(&h, REGION).await;
    h.open(&format!("/sign-in?region={OTHER_REGION}")).await;
    h.sign_in(OTHER_REGION, DISTRIBUTOR, PASSWORD).await;
    let de_root = h.company_of(OTHER_REGION, DISTRIBUTOR).await;
    let dk_root = h.company_of(REGION, DISTRIBUTOR).await;
    // The distributor's second partner there, found by its first word.
    let de_root_id = h.id_of(OTHER_REGION, DISTRIBUTOR).await;
    let second = h
        .company(
            OTHER_REGION,
            &h.children_of(OTHER_REGION, &de_root_id).await[1],
        )
        .await;
    let word = second.split(' ').next().unwrap().to_lowercase();
    h.wait_text("[role=tree]", &de_root).await;
    h.wait_text("[role=tree]", &second).await;

    // A filter over what is loaded, saying so.
    h.find("#tree-filter").await.send_keys(&word).await.unwrap();
    let summary = h.wait_text("#tree-summary", "1 match").await;
    assert!(
        summary.contains("in 2 region(s)") && summary.contains("loaded so far"),
        "{summary}"
    );
    let rows = h.find("[role=tree]").await.text().await.unwrap();
    assert!(
        rows.contains(&second) && rows.contains(&de_root) && !rows.contains(&dk_root),
        "{rows}"
    );
    h.assert_accessible("the filtered tree").await;

    // A GUID deep in de-fr, not loaded anywhere: Enter asks every region and opens it.
    let (deep, name) = {
        let w = h.state.read().await;
        let r = w.region(OTHER_REGION).unwrap();
        let msp = &r.logins[MSP];
        let id = r.accounts[msp].children[0].clone();
        let name = r.accounts[&id]
            .primary_contact()
            .unwrap()
            .company_name
            .clone()
            .unwrap();
        (id, name)
    };
    let filter = h.find("#tree-filter").await;
    filter.clear().await.unwrap();
    filter.send_keys(&format!("{deep}\n")).await.unwrap();
    h.wait_path(&format!("/accounts/{OTHER_REGION}/{deep}"))
        .await;
    h.wait_text("h1", &name).await;
    h.wait_text("#tree-summary", "Found").await;

    // A GUID nobody has.
    let filter = h.find("#tree-filter").await;
    filter.clear().await.unwrap();
    filter.send_keys("zzzzzz-zzzzzz-zzzzzz\n").await.unwrap();
    h.wait_text(
        "#tree-summary",
        "No account with the GUID zzzzzz-zzzzzz-zzzzzz in the 2 region(s)",
    )
    .await;
    h.finish().await;
}
