//! The sandbox over HTTP semantics (the axum router, no socket): auth, scope, versions, CORS.
//! Answers are read with the core crate's decoders, as the portal reads them.

mod common;

use common::{call, demo, root_of, send};
use partner_api::accounts::children::{ChildList, ListChildren};
use partner_api::accounts::contacts::{GetContact, PRIMARY_CONTACT};
use partner_api::accounts::tokens::ListTokens;
use partner_api::accounts::users::{GetAccount, GetWhoAmI};
use partner_api::enterprise::account::Ping;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, AccountKind, ApiError, Role};
use partner_sandbox::{AppState, Options, Seed, ANONYMOUS, BAD_CREDENTIALS};

#[tokio::test]
async fn missing_and_wrong_credentials_get_the_contract_401s() {
    let s = demo();
    let r = send(&s, "GET", "/dk-co/users/", &[], None).await;
    assert_eq!((r.status, r.body.as_str()), (401, ANONYMOUS));
    assert!(r.header("www-authenticate").is_none());

    let wrong = basic_authorization("distributor@demo.example", "nope");
    let r = send(
        &s,
        "GET",
        "/dk-co/users/",
        &[("authorization", &wrong)],
        None,
    )
    .await;
    assert_eq!((r.status, r.body.as_str()), (401, BAD_CREDENTIALS));

    let r = send(
        &s,
        "GET",
        "/dk-co/users/",
        &[("authorization", "Basic %%%")],
        None,
    )
    .await;
    assert_eq!(r.status, 401);

    // A login of one region does not exist in another.
    let err = call(&s, "ch-zh", "distributor@demo.example", &GetWhoAmI)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized(m) if m == BAD_CREDENTIALS));

    let r = send(&s, "GET", "/xx-yy/users/", &[], None).await;
    assert_eq!(r.status, 404);
    assert!(r.body.contains("no region"));
}

#[tokio::test]
async fn the_same_login_has_a_different_guid_per_region() {
    let s = demo();
    let dk = root_of(&s, "dk-co", "distributor@demo.example").await;
    let de = root_of(&s, "de-fr", "distributor@demo.example").await;
    let us = root_of(&s, "us-dc", "distributor@demo.example").await;
    assert!(dk != de && de != us && dk != us);
}

#[tokio::test]
async fn children_lists_follow_the_accept_version() {
    let s = demo();
    let root = root_of(&s, "dk-co", "distributor@demo.example").await;
    let auth = basic_authorization("distributor@demo.example", "demo");
    let uri = format!("/dk-co/users/{root}/users");

    let v0 = send(&s, "GET", &uri, &[("authorization", &auth)], None).await;
    assert_eq!(v0.status, 200);
    assert!(v0.body.contains("<users><id>"), "{}", v0.body);
    assert!(!v0.body.contains("company_name"));
    let ids = ChildList::from_xml(&v0.body).unwrap();

    let v1 = call(
        &s,
        "dk-co",
        "distributor@demo.example",
        &ListChildren(root.clone()),
    )
    .await
    .unwrap();
    assert_eq!(v1.children.len(), ids.children.len());
    assert_eq!(v1.children.len(), 4);
    assert!(v1
        .children
        .iter()
        .all(|c| c.parent_id.as_ref() == Some(&root)));
    assert!(v1
        .children
        .iter()
        .any(|c| c.company_name.as_deref() == Some("Fjordline IT Partners ApS")));
    let v1_raw = send(
        &s,
        "GET",
        &uri,
        &[
            ("authorization", &auth),
            ("accept", "application/vnd.keepit.v1+xml"),
        ],
        None,
    )
    .await;
    assert_eq!(v1_raw.header("x-total-count"), Some("4"));
}

#[tokio::test]
async fn a_caller_sees_its_subtree_only() {
    let s = demo();
    let root = root_of(&s, "dk-co", "distributor@demo.example").await;
    let partner = root_of(&s, "dk-co", "partner@demo.example").await;
    let msp = root_of(&s, "dk-co", "msp@demo.example").await;

    // Down is fine, at any depth.
    let settings = call(
        &s,
        "dk-co",
        "distributor@demo.example",
        &GetAccount(msp.clone()),
    )
    .await
    .unwrap();
    assert_eq!(settings.parent, Some(partner.clone()));
    // Up and beside are not.
    let up = call(
        &s,
        "dk-co",
        "partner@demo.example",
        &GetAccount(root.clone()),
    )
    .await;
    assert!(matches!(up, Err(ApiError::Forbidden(_))), "{up:?}");
    let siblings = call(
        &s,
        "dk-co",
        "distributor@demo.example",
        &ListChildren(root.clone()),
    )
    .await
    .unwrap();
    let beside = siblings
        .children
        .iter()
        .find(|c| c.id != partner)
        .unwrap()
        .id
        .clone();
    let r = call(&s, "dk-co", "partner@demo.example", &ListChildren(beside)).await;
    assert!(matches!(r, Err(ApiError::Forbidden(_))));
    let r = call(
        &s,
        "dk-co",
        "msp@demo.example",
        &ListTokens(partner.clone()),
    )
    .await;
    assert!(matches!(r, Err(ApiError::Forbidden(_))));
    // Unknown and malformed ids are 404.
    let r = call(
        &s,
        "dk-co",
        "msp@demo.example",
        &GetAccount(AccountId::parse("zzzzzz-zzzzzz-zzzzzz").unwrap()),
    )
    .await;
    assert!(matches!(r, Err(ApiError::NotFound(_))));
    let auth = basic_authorization("msp@demo.example", "demo");
    assert_eq!(
        send(
            &s,
            "GET",
            "/dk-co/users/not-an-id",
            &[("authorization", &auth)],
            None
        )
        .await
        .status,
        404
    );
    // Ids of another region do not exist here.
    let de_root = root_of(&s, "de-fr", "distributor@demo.example").await;
    let r = call(
        &s,
        "dk-co",
        "distributor@demo.example",
        &GetAccount(de_root),
    )
    .await;
    assert!(matches!(r, Err(ApiError::NotFound(_))));
}

#[tokio::test]
async fn contacts_and_tokens_name_the_account_and_its_kind() {
    let s = demo();
    let partner = root_of(&s, "dk-co", "partner@demo.example").await;
    let contact = call(
        &s,
        "dk-co",
        "partner@demo.example",
        &GetContact {
            account: partner.clone(),
            kind: PRIMARY_CONTACT.into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(
        contact.company_name.as_deref(),
        Some("Fjordline IT Partners ApS")
    );
    let tokens = call(
        &s,
        "dk-co",
        "readonly@demo.example",
        &ListTokens(partner.clone()),
    )
    .await
    .unwrap();
    assert_eq!(tokens.account_kind(), AccountKind::Partner);
    assert_eq!(
        tokens.find("readonly@demo.example").unwrap().role,
        Role::ReadOnlyMspPartner
    );
    let missing = call(
        &s,
        "dk-co",
        "partner@demo.example",
        &GetContact {
            account: partner,
            kind: "zz".into(),
        },
    )
    .await;
    assert!(matches!(missing, Err(ApiError::NotFound(_))));
}

#[tokio::test]
async fn enterprise_ping_checks_credentials() {
    let s = demo();
    assert_eq!(call(&s, "us-dc", "msp@demo.example", &Ping).await, Ok(()));
    let r = send(&s, "GET", "/us-dc/apis/accounts/v1/ping", &[], None).await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn cors_preflight_allows_the_portal_from_another_origin() {
    let s = demo();
    for method in ["GET", "POST", "PUT", "DELETE"] {
        let r = send(
            &s,
            "OPTIONS",
            "/dk-co/users/",
            &[
                ("origin", "http://127.0.0.1:8080"),
                ("access-control-request-method", method),
                (
                    "access-control-request-headers",
                    "authorization,accept,content-type",
                ),
            ],
            None,
        )
        .await;
        assert!(r.status == 200 || r.status == 204, "{method}: {}", r.status);
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("http://127.0.0.1:8080")
        );
        assert!(r
            .header("access-control-allow-methods")
            .unwrap()
            .contains(method));
        let allowed = r
            .header("access-control-allow-headers")
            .unwrap()
            .to_lowercase();
        assert!(allowed.contains("authorization") && allowed.contains("accept"));
    }
    // Real answers, errors included, carry CORS headers so the page can read them.
    let r = send(
        &s,
        "GET",
        "/dk-co/users/",
        &[("origin", "http://localhost:9000")],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("http://localhost:9000")
    );
    let exposed = r
        .header("access-control-expose-headers")
        .unwrap()
        .to_lowercase();
    assert!(exposed.contains("x-total-count") && exposed.contains("location"));
}

#[tokio::test]
async fn none_seed_has_empty_regions() {
    let s = AppState::new(Seed::None.build(), Options::new(Seed::None));
    let r = call(&s, "dk-co", "distributor@demo.example", &GetWhoAmI).await;
    assert!(matches!(r, Err(ApiError::Unauthorized(_))));
    assert_eq!(s.world.read().await.regions.len(), 7);
}
