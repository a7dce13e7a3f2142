//! Enterprise API: every call's success and each error it can give.

mod common;

use common::{call, call_with, demo, send};
use partner_api::enterprise::account::{
    GetFeatures, GetQuota, GetSettings, Ping, SetPassword, SettingsUpdate, UpdateSettings,
};
use partner_api::enterprise::billing::{Billing, Card, SetBilling};
use partner_api::enterprise::revisions::ListClientRevisions;
use partner_api::enterprise::shares::{ListShares, SetShareEnabled};
use partner_api::fields::Secret;
use partner_api::wire::auth::basic_authorization;
use partner_api::ApiError;

const DIST: &str = "distributor@demo.example";
const PARTNER: &str = "partner@demo.example";
const READONLY: &str = "readonly@demo.example";

fn invoice() -> Billing {
    Billing {
        name: "Fjordline IT Partners ApS".into(),
        address: vec!["Havnegade 12".into(), "3. sal".into()],
        city: "Aarhus".into(),
        state: String::new(),
        postal_code: "8000".into(),
        country: "DK".into(),
        card: None,
    }
}

fn card(number: &str, code: &str) -> Billing {
    Billing {
        card: Some(Card {
            card_number: Secret(number.into()),
            security_code: Secret(code.into()),
            expiration_month: 12,
            expiration_year: 2031,
        }),
        ..invoice()
    }
}

#[tokio::test]
async fn invoice_and_approved_cards_are_saved_without_the_number() {
    let app = demo();
    call(&app, "dk-co", PARTNER, &SetBilling(invoice()))
        .await
        .unwrap();
    for (number, code) in [
        ("4111111111111111", "123"),
        ("5555555555554444", "123"),
        ("378282246310005", "1234"),
    ] {
        call(&app, "dk-co", PARTNER, &SetBilling(card(number, code)))
            .await
            .unwrap();
        let saved = serde_json::to_string(&app.world.read().await.regions["dk-co"]).unwrap();
        assert!(!saved.contains(number), "the whole card number was stored");
        assert!(saved.contains(&number[number.len() - 4..]));
    }
}

#[tokio::test]
async fn declining_test_cards_answer_their_paymentech_codes() {
    let app = demo();
    for (number, code) in [
        ("4000000000000002", "05"),
        ("4000000000000069", "33"),
        ("4000000000000119", "14"),
    ] {
        let r = call(&app, "dk-co", PARTNER, &SetBilling(card(number, "123"))).await;
        assert!(
            matches!(&r, Err(ApiError::CardDeclined { code: c, .. }) if c == code),
            "{number}: {r:?}"
        );
        assert!(!r.unwrap_err().to_string().is_empty());
    }
}

#[tokio::test]
async fn invalid_billing_is_a_400_naming_the_fields() {
    let app = demo();
    let r = call(
        &app,
        "dk-co",
        PARTNER,
        &SetBilling(card("4111111111111112", "123")),
    )
    .await;
    assert_eq!(r.unwrap_err().fields(), ["card_number"]);
    let mut missing = invoice();
    missing.city.clear();
    missing.country = "Denmark".into();
    let r = call(&app, "dk-co", PARTNER, &SetBilling(missing)).await;
    assert_eq!(r.unwrap_err().fields(), ["city", "country"]);
    let auth = basic_authorization(PARTNER, "demo");
    let r = send(
        &app,
        "POST",
        "/dk-co/apis/accounts/v1/partner/billing",
        &[("authorization", &auth)],
        Some("{".into()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("\"reason\""));
    assert!(matches!(
        call(&app, "dk-co", READONLY, &SetBilling(invoice())).await,
        Err(ApiError::Forbidden(_))
    ));
    // Customers have no Enterprise API.
    let world = app.world.read().await;
    let customer_login = world.regions["dk-co"]
        .accounts
        .values()
        .find(|a| a.kind() == partner_api::AccountKind::Customer)
        .unwrap()
        .tokens[0]
        .token
        .name
        .clone();
    drop(world);
    let r = send(
        &app,
        "GET",
        "/dk-co/apis/accounts/v1/partner/quota",
        &[("authorization", &basic_authorization(&customer_login, "x"))],
        None,
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn a_password_change_takes_effect_on_the_next_request() {
    let app = demo();
    call(
        &app,
        "us-dc",
        PARTNER,
        &SetPassword(Secret("a much better password".into())),
    )
    .await
    .unwrap();
    assert!(matches!(
        call(&app, "us-dc", PARTNER, &Ping).await,
        Err(ApiError::Unauthorized(_))
    ));
    call_with(&app, "us-dc", PARTNER, "a much better password", &Ping)
        .await
        .unwrap();
    // Other regions keep their own credentials.
    call(&app, "dk-co", PARTNER, &Ping).await.unwrap();
    let r = call_with(
        &app,
        "us-dc",
        PARTNER,
        "a much better password",
        &SetPassword(Secret("short".into())),
    )
    .await;
    assert_eq!(r.unwrap_err().fields(), ["password"]);
}

#[tokio::test]
async fn quota_features_and_settings() {
    let app = demo();
    let q = call(&app, "dk-co", DIST, &GetQuota).await.unwrap();
    assert_eq!(q.available(), None);
    assert_eq!(q.share_count, 1200);
    assert!(q.bytes_used > 0 && q.device_count == 600);
    let q = call(&app, "dk-co", PARTNER, &GetQuota).await.unwrap();
    assert!(q.available().is_some());
    let f = call(&app, "dk-co", DIST, &GetFeatures).await.unwrap();
    assert!(f.netkes && f.ldap);

    let before = call(&app, "dk-co", PARTNER, &GetSettings).await.unwrap();
    let mut after = before.clone();
    after.share_link_ttl = Some(60);
    after.ad_domain = Some("corp.fjordline-it.example".into());
    let update = SettingsUpdate::between(&before, &after);
    call(&app, "dk-co", PARTNER, &UpdateSettings(update))
        .await
        .unwrap();
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetSettings).await.unwrap(),
        after
    );
    // Only the changed fields were sent.
    let world = app.world.read().await;
    let partner = world.regions["dk-co"].logins[PARTNER].clone();
    let posts = &world.regions["dk-co"].enterprise[&partner].settings_posts;
    assert_eq!(
        posts.last().unwrap(),
        &serde_json::json!({"share_link_ttl": 60, "ad_domain": "corp.fjordline-it.example"})
    );
    drop(world);

    // Null turns a setting off.
    call(
        &app,
        "dk-co",
        PARTNER,
        &UpdateSettings(SettingsUpdate {
            autopurge_interval: Some(None),
            ..SettingsUpdate::default()
        }),
    )
    .await
    .unwrap();
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetSettings)
            .await
            .unwrap()
            .autopurge_interval,
        None
    );

    // Every field is validated; the 400 names them.
    let bad = SettingsUpdate {
        support_email: Some(Some("support".into())),
        purgehold_duration: Some(Some(-5)),
        signup_network_restriction: Some(vec!["10.0.0.1/8".into()]),
        ..SettingsUpdate::default()
    };
    let r = call(&app, "dk-co", PARTNER, &UpdateSettings(bad)).await;
    assert_eq!(
        r.unwrap_err().fields(),
        [
            "support_email",
            "purgehold_duration",
            "signup_network_restriction"
        ]
    );
    let auth = basic_authorization(PARTNER, "demo");
    let r = send(
        &app,
        "POST",
        "/dk-co/apis/accounts/v1/partner/settings",
        &[("authorization", &auth)],
        Some(r#"{"share_link_ttl": "soon"}"#.into()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("share_link_ttl"));
    assert!(matches!(
        call(
            &app,
            "dk-co",
            READONLY,
            &UpdateSettings(SettingsUpdate::default())
        )
        .await,
        Err(ApiError::Forbidden(_))
    ));
}

#[tokio::test]
async fn shares_come_by_user_and_the_users_are_paged() {
    let app = demo();
    let all = call(&app, "dk-co", DIST, &ListShares::default())
        .await
        .unwrap();
    // 1200 shares, owned by 97 users: the list is of users, each with their shares.
    assert_eq!(all.len(), 97);
    assert_eq!(all.iter().map(|o| o.shares.len()).sum::<usize>(), 1200);
    let page = call(
        &app,
        "dk-co",
        DIST,
        &ListShares {
            limit: Some(25),
            offset: Some(75),
        },
    )
    .await
    .unwrap();
    assert_eq!(page.len(), 22);
    assert_eq!(page[0], all[75]);
    assert!(call(
        &app,
        "dk-co",
        DIST,
        &ListShares {
            limit: Some(10),
            offset: Some(5000)
        }
    )
    .await
    .unwrap()
    .is_empty());
    let auth = basic_authorization(DIST, "demo");
    let r = send(
        &app,
        "GET",
        "/dk-co/apis/accounts/v1/shares/?limit=ten",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn a_share_is_disabled_and_enabled_by_its_owner_and_room_key() {
    let app = demo();
    let owners = call(&app, "dk-co", DIST, &ListShares::default())
        .await
        .unwrap();
    let owner = &owners[3];
    let share = owner.shares.iter().find(|s| s.enabled).unwrap();
    let switch = |enabled| SetShareEnabled {
        user: owner.key().to_owned(),
        room_key: share.room_key.clone(),
        enabled,
    };
    call(&app, "dk-co", DIST, &switch(false)).await.unwrap();
    let now = call(&app, "dk-co", DIST, &ListShares::default())
        .await
        .unwrap();
    let after = now[3]
        .shares
        .iter()
        .find(|s| s.room_key == share.room_key)
        .unwrap();
    assert!(!after.enabled);
    call(&app, "dk-co", DIST, &switch(true)).await.unwrap();
    // An unknown share is a 404.
    let unknown = SetShareEnabled {
        room_key: "no-such-room".into(),
        ..switch(true)
    };
    assert!(matches!(
        call(&app, "dk-co", DIST, &unknown).await,
        Err(ApiError::NotFound(_))
    ));
}

#[tokio::test]
async fn client_revisions_honour_all_three_filters() {
    let app = demo();
    let all = call(&app, "dk-co", DIST, &ListClientRevisions::default())
        .await
        .unwrap();
    assert_eq!(all.iter().map(|r| r.count).sum::<u64>(), 600);
    assert!(all.windows(2).all(|w| w[0].revision < w[1].revision));
    let some = call(
        &app,
        "dk-co",
        DIST,
        &ListClientRevisions {
            min_revision: Some(183),
            max_revision: Some(186),
            max_days_since_login: None,
        },
    )
    .await
    .unwrap();
    assert!(some.iter().all(|r| (183..=186).contains(&r.revision)));
    let recent = call(
        &app,
        "dk-co",
        DIST,
        &ListClientRevisions {
            min_revision: None,
            max_revision: None,
            max_days_since_login: Some(7),
        },
    )
    .await
    .unwrap();
    let recent_total: u64 = recent.iter().map(|r| r.count).sum();
    assert!(recent_total > 0 && recent_total < 600);
    let auth = basic_authorization(DIST, "demo");
    let r = send(
        &app,
        "GET",
        "/dk-co/apis/accounts/v1/clientrevisions/?min_revision=x",
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(matches!(
        call(&app, "dk-co", "nobody@demo.example", &GetQuota).await,
        Err(ApiError::Unauthorized(_))
    ));
}

#[tokio::test]
async fn partner_info_names_the_company() {
    let app = demo();
    let info = call(
        &app,
        "dk-co",
        DIST,
        &partner_api::enterprise::account::GetInfo,
    )
    .await
    .unwrap();
    assert!(!info.company_name.is_empty());
    assert!(!info.brand_identifier.is_empty());
    assert!(info
        .brand_identifier
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
}

/// A sandbox speaking `dialect`.
fn speaking(dialect: partner_sandbox::Dialect) -> partner_sandbox::AppState {
    let mut o = partner_sandbox::Options::new(partner_sandbox::Seed::Demo);
    o.dialect = dialect;
    partner_sandbox::AppState::new(partner_sandbox::Seed::Demo.build(), o)
}

/// A customer's login with a known password: `(login, password)`.
async fn customer_login(app: &partner_sandbox::AppState) -> (String, String) {
    let mut world = app.world.write().await;
    let a = world
        .regions
        .get_mut("dk-co")
        .unwrap()
        .accounts
        .values_mut()
        .find(|a| a.kind() == partner_api::AccountKind::Customer && a.enabled)
        .unwrap();
    a.tokens[0].password = "customer-password".into();
    (a.tokens[0].token.name.clone(), "customer-password".into())
}

#[tokio::test]
async fn writes_answer_an_empty_200_and_the_old_dialect_a_status_body() {
    let auth = basic_authorization(PARTNER, "demo");
    let h = [("authorization", auth.as_str())];
    let path = "/dk-co/apis/accounts/v1/partner/settings";
    let body = r#"{"share_link_ttl": 60}"#;
    let r = send(&demo(), "POST", path, &h, Some(body.into())).await;
    assert_eq!((r.status, r.body.as_str()), (200, ""));
    let old = speaking(partner_sandbox::Dialect::inventions());
    let r = send(&old, "POST", path, &h, Some(body.into())).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("\"status\""), "{}", r.body);
    // The core reads both as success.
    call(
        &demo(),
        "dk-co",
        PARTNER,
        &SetPassword(Secret("another good one".into())),
    )
    .await
    .unwrap();
    call(
        &old,
        "dk-co",
        PARTNER,
        &SetPassword(Secret("another good one".into())),
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_customer_login_is_refused_with_the_dialects_status() {
    let app = demo();
    let (login, password) = customer_login(&app).await;
    let auth = basic_authorization(&login, &password);
    let h = [("authorization", auth.as_str())];
    let quota = "/dk-co/apis/accounts/v1/partner/quota";
    assert_eq!(send(&app, "GET", quota, &h, None).await.status, 403);
    let app = speaking(partner_sandbox::Dialect {
        customer_enterprise_status: 401,
        ..partner_sandbox::Dialect::default()
    });
    let (login, password) = customer_login(&app).await;
    let auth = basic_authorization(&login, &password);
    let h = [("authorization", auth.as_str())];
    assert_eq!(send(&app, "GET", quota, &h, None).await.status, 401);
    // The same login still works on the Accounts API.
    assert_eq!(
        send(&app, "GET", "/dk-co/users/", &h, None).await.status,
        200
    );
}

#[tokio::test]
async fn a_stricter_password_rule_is_said_without_naming_a_field() {
    let app = speaking(partner_sandbox::Dialect {
        password_min: 12,
        ..partner_sandbox::Dialect::default()
    });
    let e = call(
        &app,
        "dk-co",
        PARTNER,
        &SetPassword(Secret("nine chars".into())),
    )
    .await
    .unwrap_err();
    assert!(e.fields().is_empty(), "{e:?}");
    assert!(e.to_string().contains("at least 12 characters"), "{e}");
    call(
        &app,
        "dk-co",
        PARTNER,
        &SetPassword(Secret("twelve chars!".into())),
    )
    .await
    .unwrap();
}
