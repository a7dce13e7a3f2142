//! Users and API accounts in real Chromium: the wizard's credentials really work, and only
//! for their subtree; removing asks first.

use partner_api::accounts::users::{GetAccount, GetWhoAmI};
use partner_api::{ApiError, Call};
use partner_e2e::seed::{DISTRIBUTOR, PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};

/// Sends a call to the sandbox as these credentials, the way any API client would.
async fn as_key<C: Call>(
    h: &Harness,
    name: &str,
    password: &str,
    call: &C,
) -> Result<C::Output, ApiError> {
    let r = call.request();
    let mut headers: Vec<(&str, String)> = vec![(
        "authorization",
        partner_api::wire::auth::basic_authorization(name, password),
    )];
    headers.extend(r.headers.iter().map(|(k, v)| (*k, v.clone())));
    let h2: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let app = h.app.clone();
    let uri = format!("/{REGION}{}{}", r.family.root_path(), r.path_and_query());
    let mut req = axum::http::Request::builder()
        .method(r.method.as_str())
        .uri(uri);
    for (k, v) in h2 {
        req = req.header(k, v);
    }
    use tower::ServiceExt;
    let resp = partner_sandbox::router(app)
        .oneshot(req.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let body = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    call.decode(&partner_api::Response {
        status,
        headers: vec![],
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizards_api_account_signs_in_and_sees_only_its_subtree() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    let (root, partner) = {
        let w = h.state.read().await;
        let r = w.region(REGION).unwrap();
        (r.logins[DISTRIBUTOR].clone(), r.logins[PARTNER].clone())
    };
    h.open(&format!(
        "/sign-in?region={REGION}&next=/accounts/{REGION}/{partner}"
    ))
    .await;
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.wait_text("h1", &h.company(REGION, &partner).await).await;
    h.find("#users-title ~ p a.button-link")
        .await
        .click()
        .await
        .unwrap();
    h.wait_text(".scope", "every account below it, and nothing above")
        .await;
    h.assert_accessible("the API account wizard").await;
    h.find("#aname")
        .await
        .send_keys("fjordline-rmm-api")
        .await
        .unwrap();
    h.find("#descr")
        .await
        .send_keys("RMM integration")
        .await
        .unwrap();
    h.find("#role-readonlymsppartner")
        .await
        .click()
        .await
        .unwrap();
    h.click_button("Create").await;

    let name = h.find("code.cred-name").await.text().await.unwrap();
    let password = h.find("code.cred-password").await.text().await.unwrap();
    assert_eq!(name, "fjordline-rmm-api");
    assert!(password.len() >= 24, "{password}");
    h.wait_text(".credentials [role=alert]", "cannot be shown again")
        .await;
    h.assert_accessible("the credentials shown once").await;
    let stored = h.js("return JSON.stringify(Object.assign({}, localStorage, sessionStorage)) + location.href").await;
    assert!(
        !stored.as_str().unwrap().contains(&password),
        "the password was stored: {stored}"
    );

    // The credentials work, as an API key on the partner, and see nothing above it.
    let me = as_key(&h, &name, &password, &GetWhoAmI).await.unwrap();
    assert_eq!(me.id, partner);
    assert!(matches!(
        as_key(&h, &name, &password, &GetAccount(root)).await,
        Err(ApiError::Forbidden(_))
    ));
    {
        let w = h.state.read().await;
        let t = w.regions[REGION].accounts[&partner]
            .tokens
            .iter()
            .find(|t| t.token.name == name)
            .unwrap()
            .token
            .clone();
        assert!(!t.primary, "an API account is not a person");
        assert_eq!(t.role.as_str(), "ReadOnlyMSPPartner");
    }

    // Back on the account, removing it asks first.
    h.client
        .find(fantoccini::Locator::LinkText("Done: back to the account"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_text("table.users", &name).await;
    h.client
        .find(fantoccini::Locator::XPath(&format!(
            "//tr[.//code[text()='{name}']]//button[normalize-space()='Remove…']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.wait_text("table.users", "It can no longer sign in").await;
    h.click_button("Remove").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    // The table is drawn again after the removal: a text read from the old one is a retry.
    while h
        .find("table.users")
        .await
        .text()
        .await
        .map_or(true, |t| t.contains(&name))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the key is still listed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(matches!(
        as_key(&h, &name, &password, &GetWhoAmI).await,
        Err(ApiError::Unauthorized(_))
    ));
    h.finish().await;
}
