//! Components mounted in a real browser (wasm-bindgen-test in headless Chromium), asserting on
//! the DOM they produce.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use partner_api::config::PortalConfig;
use partner_api::{ApiError, RegionId};
use partner_portal::components::error_notice::ErrorNotice;
use partner_portal::transport::StartError;
use partner_portal::{App, Portal};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const CONFIG: &str = r#"{
    "brand": {"name": "Reseller Cloud"},
    "regions": [
        {"id": "dk-co", "name": "Denmark", "sandbox": true, "accounts": "http://127.0.0.1:9/dk-co"},
        {"id": "uk-ld", "name": "United Kingdom", "accounts": "https://uk-ld.keepit.com"}
    ]
}"#;

/// A fresh element to mount into.
fn host() -> web_sys::HtmlElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

/// Lets the reactive system and the router settle.
async fn tick() {
    for _ in 0..3 {
        sleep(20).await;
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

fn select(el: &web_sys::HtmlElement, css: &str) -> Option<web_sys::Element> {
    el.query_selector(css).unwrap()
}

#[wasm_bindgen_test]
async fn sign_in_lists_demo_logins_only_for_sandbox_regions() {
    let url = "/sign-in";
    web_sys::window()
        .unwrap()
        .history()
        .unwrap()
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url))
        .unwrap();
    let el = host();
    let config = Arc::new(PortalConfig::from_json(CONFIG).unwrap());
    let handle = leptos::mount::mount_to(
        el.clone(),
        move || view! { <Portal config=config.clone() /> },
    );
    tick().await;

    assert_eq!(
        web_sys::window().unwrap().document().unwrap().title(),
        "Reseller Cloud"
    );
    assert_eq!(
        select(&el, ".brand").unwrap().text_content().unwrap(),
        "Reseller Cloud"
    );
    let demo = select(&el, ".demo-logins").expect("demo logins for a sandbox region");
    let text = demo.text_content().unwrap();
    for login in partner_api::demo::DEMO_LOGINS {
        assert!(text.contains(login.login), "{} missing", login.login);
    }

    // Using a demo login fills the form.
    let use_msp: web_sys::HtmlElement = select(&el, "button[aria-label='Use msp@demo.example']")
        .unwrap()
        .unchecked_into();
    use_msp.click();
    tick().await;
    let login: web_sys::HtmlInputElement = select(&el, "#login").unwrap().unchecked_into();
    assert_eq!(login.value(), "msp@demo.example");

    // A region that is not a sandbox shows no demo logins.
    let region: web_sys::HtmlSelectElement = select(&el, "#region").unwrap().unchecked_into();
    region.set_value("uk-ld");
    region
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    assert!(select(&el, ".demo-logins").is_none());
    drop(handle);
}

#[wasm_bindgen_test]
async fn start_problems_are_shown_in_words() {
    let el = host();
    let problem = PortalConfig::from_json(r#"{"regions": []}"#).unwrap_err();
    let handle = leptos::mount::mount_to(el.clone(), move || {
        view! { <App config=Err(StartError::Invalid(problem.clone())) /> }
    });
    tick().await;
    let alert = select(&el, "[role=alert]").unwrap().text_content().unwrap();
    assert!(alert.contains("lists no regions"), "{alert}");
    drop(handle);
}

#[wasm_bindgen_test]
async fn error_notice_offers_the_right_way_forward() {
    let el = host();
    let retried = RwSignal::new(0);
    let handle = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <div id="timeout">
                <ErrorNotice error=ApiError::Timeout(20) retry=move |_| retried.update(|n| *n += 1) />
            </div>
            <div id="denied">
                <ErrorNotice
                    error=ApiError::Unauthorized("User authentication error".into())
                    region=RegionId::parse("dk-co").unwrap()
                    retry=move |_| retried.update(|n| *n += 1)
                />
            </div>
            <div id="forbidden">
                <ErrorNotice error=ApiError::Forbidden("outside your subtree".into()) retry=move |_| {} />
            </div>
        }
    });
    tick().await;

    let timeout = select(&el, "#timeout [role=alert]").unwrap();
    assert!(timeout
        .text_content()
        .unwrap()
        .contains("did not answer within 20 seconds"));
    let retry: web_sys::HtmlElement = select(&el, "#timeout button").unwrap().unchecked_into();
    retry.click();
    assert_eq!(retried.get_untracked(), 1);

    // A 401 leads back to that region's sign-in, and retrying the same credentials is pointless.
    let link = select(&el, "#denied a").unwrap();
    assert!(link
        .get_attribute("href")
        .unwrap()
        .starts_with("/sign-in?region=dk-co&next="));
    assert!(select(&el, "#denied button").is_none());
    // A 403 will not change by retrying.
    assert!(select(&el, "#forbidden button").is_none());
    drop(handle);
}

#[wasm_bindgen_test]
fn a_401_to_credentials_no_longer_held_ends_no_session() {
    use partner_portal::transport::{Credentials, Session};
    let owner = Owner::new();
    owner.with(|| {
        let session = Session::empty();
        let region = RegionId::parse("dk-co").unwrap();
        let with = |password: &str| Credentials {
            login: "partner@demo.example".into(),
            password: password.into(),
            account: None,
            role: None,
            enterprise: None,
        };
        session.sign_in(region.clone(), with("old-password"));
        // The password changed while a call with the old one was out.
        session.sign_in(region.clone(), with("new-password"));
        session.expire_if_held(&region, &with("old-password"));
        assert!(
            session.credentials(&region).is_some(),
            "a stale 401 signed out"
        );
        assert_eq!(session.take_expired(), None);
        // A 401 to the password held now still ends the session.
        session.expire_if_held(&region, &with("new-password"));
        assert!(session.credentials(&region).is_none());
        assert_eq!(session.take_expired(), Some(region));
    });
}

#[wasm_bindgen_test]
fn signing_out_forgets_only_that_logins_drafts() {
    use partner_portal::state::drafts;
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let region = RegionId::parse("dk-co").unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let session = partner_portal::transport::Session::empty();
        let as_login = |login: &str| {
            session.sign_in(
                region.clone(),
                partner_portal::transport::Credentials {
                    login: login.into(),
                    password: "x".into(),
                    account: None,
                    role: None,
                    enterprise: None,
                },
            );
            drafts::key(&session, &region, "new-account.p")
        };
        let mine = as_login("a@demo.example");
        let theirs = as_login("b@demo.example");
        assert_ne!(mine, theirs, "drafts are keyed by login");
        drafts::save(&mine, &"Karen's phone");
        drafts::save(&theirs, &"someone else's");
        storage
            .set_item("partner-portal.draft.new-account.dk-co.p", "\"unowned\"")
            .unwrap();
        drafts::forget(&region, "a@demo.example");
        assert_eq!(drafts::load::<String>(&mine), None);
        assert_eq!(
            drafts::load::<String>(&theirs).as_deref(),
            Some("someone else's")
        );
        assert_eq!(
            storage
                .get_item("partner-portal.draft.new-account.dk-co.p")
                .unwrap(),
            None,
            "a draft kept before drafts had owners"
        );
        drafts::discard(&theirs);
    });
}
