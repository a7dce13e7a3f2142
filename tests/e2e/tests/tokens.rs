//! Roles from the region, a name asked about before creating (`HEAD .../tokens?aname=`), and
//! a key's role changed, in real Chromium against the sandbox.

use fantoccini::key::Key;
use fantoccini::Locator;
use partner_api::accounts::tokens::Token;
use partner_api::Role;
use partner_e2e::seed::{DISTRIBUTOR, MSP, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};
use partner_sandbox::faults::{FaultKind, FaultRule};
use partner_sandbox::world::TokenRecord;

async fn signed_in(h: &Harness, login: &str, path: &str) {
    h.open(&format!(
        "/sign-in?region={REGION}&next={}",
        partner_api::wire::request::encode_component(path)
    ))
    .await;
    h.sign_in(REGION, login, PASSWORD).await;
}

fn fault(method: &str, prefix: String, count: u32, status: u16, body: Option<&str>) -> FaultRule {
    FaultRule {
        method: Some(method.into()),
        path_prefix: prefix,
        count,
        fault: FaultKind::Status,
        status: Some(status),
        retry_after: None,
        body: body.map(str::to_owned),
    }
}

async fn exists(h: &Harness, css: &str) -> bool {
    h.js(&format!("return !!document.querySelector({css:?})"))
        .await
        .as_bool()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_roles_offered_are_the_regions_own_or_the_documented_ones() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    let access = format!("/accounts/access?region={REGION}&account={partner}");
    signed_in(&h, DISTRIBUTOR, &access).await;
    // The region lists a role the portal never offers by itself, and one of its own: both
    // are offered, the region's own by its name.
    h.wait_any_text("fieldset.choices", "ReportingReader").await;
    h.wait_any_text("fieldset.choices", "a role of this region's own")
        .await;
    assert!(exists(&h, "#role-reseller").await);
    assert!(exists(&h, "#role-readonlymsppartner").await);
    h.assert_accessible("the access page with the region's roles")
        .await;

    // The roles call fails (or is not served): the documented list, nothing of the region's.
    h.app.faults.add(fault(
        "GET",
        format!("/{REGION}/users/{partner}/permissions"),
        5,
        404,
        None,
    ));
    h.open(&access).await;
    h.find("#role-readonlymsppartner").await;
    assert!(!exists(&h, "#role-reportingreader").await);
    assert!(!exists(&h, "#role-reseller").await);
    h.app.faults.clear();

    // An MSP partner is never offered a role above its own, whatever the region lists.
    h.finish().await;
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = h.id_of(REGION, MSP).await;
    signed_in(
        &h,
        MSP,
        &format!("/accounts/access?region={REGION}&account={msp}"),
    )
    .await;
    h.find("#role-mspsupport").await;
    h.wait_any_text("fieldset.choices", "ReportingReader").await;
    assert!(!exists(&h, "#role-partnerparent").await);
    assert!(!exists(&h, "#role-reseller").await);
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_taken_name_is_said_before_anything_is_created() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let partner = h.id_of(REGION, PARTNER).await;
    signed_in(
        &h,
        DISTRIBUTOR,
        &format!("/accounts/access?region={REGION}&account={partner}"),
    )
    .await;
    // A create that reached the region would meet this rule: it must never fire.
    h.app.faults.add(fault(
        "POST",
        format!("/{REGION}/users/{partner}/tokens"),
        1,
        500,
        None,
    ));
    // A name another account of the region uses.
    h.find("#aname").await.send_keys(MSP).await.unwrap();
    h.find("#descr").await.send_keys("RMM").await.unwrap();
    h.find("#role-readonlymsppartner")
        .await
        .click()
        .await
        .unwrap();
    h.click_button("Create").await;
    h.wait_text(
        "#aname-problem",
        &format!("“{MSP}” is already taken in this region: choose another name."),
    )
    .await;
    assert_eq!(
        h.find("#aname")
            .await
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    h.assert_accessible("a taken name said on its field").await;
    assert_eq!(h.app.faults.fired(), 0, "the create was sent");
    h.app.faults.clear();
    // A free name goes through.
    let name = h.find("#aname").await;
    name.clear().await.unwrap();
    name.send_keys("fjordline-free-name").await.unwrap();
    h.click_button("Create").await;
    h.wait_text("code.cred-name", "fjordline-free-name").await;
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keys_role_is_changed_by_keyboard_and_an_error_is_said_beside_it() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let msp = h.id_of(REGION, MSP).await;
    {
        let mut w = h.state.write().await;
        let r = w.regions.get_mut(REGION).unwrap();
        r.accounts.get_mut(&msp).unwrap().tokens.push(TokenRecord {
            token: Token {
                name: "msp-rmm".into(),
                description: Some("RMM".into()),
                created: None,
                primary: false,
                role: Role::ReadOnlyMspPartner,
                eacl: None,
                lifetime: None,
                expires: None,
                last_use: None,
                primary_aname: Some(MSP.into()),
            },
            password: "a-long-enough-password".into(),
        });
        r.logins.insert("msp-rmm".into(), msp.clone());
    }
    signed_in(&h, MSP, &format!("/accounts/{REGION}/{msp}")).await;
    h.wait_text("table.users", "msp-rmm").await;
    // No change is offered on the login the portal is signed in with.
    let links = h
        .js("return [...document.querySelectorAll('table.users a')].map(a => a.textContent).join('|')")
        .await;
    assert!(links.as_str().unwrap().contains("of msp-rmm"), "{links}");
    assert!(!links.as_str().unwrap().contains(MSP), "{links}");
    h.client
        .find(Locator::XPath(
            "//table[contains(@class,'users')]//a[contains(., 'of msp-rmm')]",
        ))
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    h.wait_text("h1", "Change the role of msp-rmm").await;
    h.find("#role-mspsupport").await;
    h.assert_accessible("the role change").await;
    // Only the keyboard: the radio by Space, the form by Enter on its button.
    h.find("#role-mspsupport")
        .await
        .send_keys(" ")
        .await
        .unwrap();
    h.client
        .find(Locator::XPath(
            "//button[normalize-space()='Save the role']",
        ))
        .await
        .unwrap()
        .send_keys(&Key::Enter.to_string())
        .await
        .unwrap();
    h.wait_text(".action-done", "msp-rmm now has the role MSP support")
        .await;
    let role_now = |w: &partner_sandbox::World| {
        w.regions[REGION].accounts[&msp]
            .tokens
            .iter()
            .find(|t| t.token.name == "msp-rmm")
            .unwrap()
            .token
            .role
            .clone()
    };
    assert_eq!(role_now(&*h.state.read().await), Role::MspSupport);

    // The region refuses: its words beside the form, and nothing said as done.
    h.app.faults.add(fault(
        "PUT",
        format!("/{REGION}/users/{msp}/tokens/"),
        1,
        403,
        Some("Your role may not give that role."),
    ));
    h.find("#role-readonlymsppartner")
        .await
        .send_keys(" ")
        .await
        .unwrap();
    h.click_button("Save the role").await;
    h.wait_text(".error-notice", "Your role may not give that role.")
        .await;
    assert_eq!(h.find(".action-done").await.text().await.unwrap(), "");
    assert_eq!(role_now(&*h.state.read().await), Role::MspSupport);
    h.assert_accessible("the role change refused").await;
    h.finish().await;
}
