//! Accounts API writes: each endpoint's success and every error status it can give.

mod common;

use common::{call, call_with, demo, root_of, send};
use partner_api::accounts::children::ListChildren;
use partner_api::accounts::contacts::{
    AddContact, Contact, GetContact, ListContactTypes, UpdateContact,
};
use partner_api::accounts::products::{GetPortfolio, GetProduct};
use partner_api::accounts::tokens::{
    CreateToken, DeleteToken, ListTokens, TokenCreate, TokenSecret,
};
use partner_api::accounts::users::{
    CreateAccount, DeleteAccount, GetAccount, GetWhoAmI, UpdateAccount, UserCreate, UserUpdate,
};
use partner_api::fields::Secret;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, AccountKind, ApiError, Role};

const DIST: &str = "distributor@demo.example";
const PARTNER: &str = "partner@demo.example";
const MSP: &str = "msp@demo.example";
const READONLY: &str = "readonly@demo.example";

fn customer(login: &str, ext: &str) -> UserCreate {
    UserCreate {
        login: login.into(),
        external_id: Some(ext.into()),
        acl: Some(Role::MasterAdmin),
        company_name: Some("Nyhavn Bikes ApS".into()),
        full_name: Some("Freja Holm".into()),
        country: Some("dk".into()),
        language: Some("da-DK".into()),
        ..UserCreate::default()
    }
}

async fn child_by_external_id(
    app: &partner_sandbox::AppState,
    login: &str,
    parent: &AccountId,
    ext: &str,
) -> Option<AccountId> {
    let world = app.world.read().await;
    let r = world.region("dk-co").unwrap();
    let _ = login;
    r.accounts[parent]
        .children
        .iter()
        .find(|c| r.accounts[*c].external_id.as_deref() == Some(ext))
        .cloned()
}

/// The sandbox in its old dialect (`--dialect inventions`).
fn inventions() -> partner_sandbox::AppState {
    let mut o = partner_sandbox::Options::new(partner_sandbox::Seed::Demo);
    o.dialect = partner_sandbox::Dialect::inventions();
    partner_sandbox::AppState::new(partner_sandbox::Seed::Demo.build(), o)
}

#[tokio::test]
async fn documented_dialect_no_external_id_in_settings_and_no_409_for_a_reused_one() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let first = CreateAccount {
        parent: partner.clone(),
        account: customer("freja@nyhavn-bikes.example", "ext-1"),
    };
    call(&app, "dk-co", PARTNER, &first).await.unwrap();
    let id = child_by_external_id(&app, PARTNER, &partner, "ext-1")
        .await
        .unwrap();
    let settings = call(&app, "dk-co", PARTNER, &GetAccount(id.clone()))
        .await
        .unwrap();
    // The five documented settings, and nothing the portal could lean on.
    assert_eq!(settings.external_id, None);
    assert_eq!(settings.parent.as_ref(), Some(&partner));
    // The caller's own account names its parent, as the documented settings do.
    let own = call(&app, "dk-co", PARTNER, &GetAccount(partner.clone()))
        .await
        .unwrap();
    assert_eq!(own.parent, Some(root_of(&app, "dk-co", DIST).await));
    // A region that does not check external_id makes a second account: only the client can
    // keep a create from happening twice.
    let again = CreateAccount {
        parent: partner.clone(),
        account: customer("other@nyhavn-bikes.example", "ext-1"),
    };
    call(&app, "dk-co", PARTNER, &again).await.unwrap();
    let world = app.world.read().await;
    let r = &world.regions["dk-co"];
    let with_ext = r.accounts[&partner]
        .children
        .iter()
        .filter(|c| r.accounts[*c].external_id.as_deref() == Some("ext-1"))
        .count();
    assert_eq!(with_ext, 2);
}

#[tokio::test]
async fn create_appears_in_the_parents_list_and_a_repeat_is_a_409() {
    let app = inventions();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let create = CreateAccount {
        parent: partner.clone(),
        account: customer("freja@nyhavn-bikes.example", "ext-1"),
    };
    call(&app, "dk-co", PARTNER, &create).await.unwrap();

    let children = call(&app, "dk-co", PARTNER, &ListChildren(partner.clone()))
        .await
        .unwrap();
    let row = children
        .children
        .iter()
        .find(|c| c.company_name.as_deref() == Some("Nyhavn Bikes ApS"))
        .expect("listed");
    assert_eq!(
        child_by_external_id(&app, PARTNER, &partner, "ext-1").await,
        Some(row.id.clone())
    );
    let settings = call(&app, "dk-co", PARTNER, &GetAccount(row.id.clone()))
        .await
        .unwrap();
    assert_eq!(settings.external_id.as_deref(), Some("ext-1"));
    assert_eq!(settings.parent.as_ref(), Some(&partner));
    // Nothing above the caller is named in this dialect.
    let own = call(&app, "dk-co", PARTNER, &GetAccount(partner.clone()))
        .await
        .unwrap();
    assert_eq!(own.parent, None);
    let tokens = call(&app, "dk-co", PARTNER, &ListTokens(row.id.clone()))
        .await
        .unwrap();
    assert_eq!(tokens.account_kind(), AccountKind::Customer);
    // No password: an activation email is recorded instead.
    assert!(app.world.read().await.regions["dk-co"].accounts[&row.id]
        .activation
        .as_deref()
        .unwrap()
        .contains("freja@nyhavn-bikes.example"));

    // The same external_id again is a conflict, never a second account.
    let again = CreateAccount {
        parent: partner.clone(),
        account: customer("other@nyhavn-bikes.example", "ext-1"),
    };
    assert!(
        matches!(call(&app, "dk-co", PARTNER, &again).await, Err(ApiError::Conflict { message: m, .. }) if m.contains("ext-1"))
    );
    // A taken login too.
    let taken = CreateAccount {
        parent: partner.clone(),
        account: customer(MSP, "ext-2"),
    };
    assert!(
        matches!(call(&app, "dk-co", PARTNER, &taken).await, Err(ApiError::Conflict { message: m, .. }) if m.contains("already taken"))
    );
    let after = call(&app, "dk-co", PARTNER, &ListChildren(partner))
        .await
        .unwrap();
    assert_eq!(after.children.len(), children.children.len());
}

#[tokio::test]
async fn with_a_password_the_new_login_works_at_once() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let mut c = customer("owner@kastrup-cafe.example", "ext-9");
    c.password = Some(Secret("correct horse battery".into()));
    call(
        &app,
        "dk-co",
        PARTNER,
        &CreateAccount {
            parent: partner,
            account: c,
        },
    )
    .await
    .unwrap();
    let me = call_with(
        &app,
        "dk-co",
        "owner@kastrup-cafe.example",
        "correct horse battery",
        &GetWhoAmI,
    )
    .await
    .unwrap();
    assert!(app.world.read().await.regions["dk-co"].accounts[&me.id]
        .activation
        .is_none());
}

#[tokio::test]
async fn role_rules_for_creation() {
    let app = demo();
    let msp = root_of(&app, "dk-co", MSP).await;
    let partner = root_of(&app, "dk-co", PARTNER).await;
    // An MSP partner creates customers, not partners.
    let mut sub_partner = customer("p@sub.example", "x1");
    sub_partner.acl = Some(Role::MspPartner);
    let r = call(
        &app,
        "dk-co",
        MSP,
        &CreateAccount {
            parent: msp.clone(),
            account: sub_partner.clone(),
        },
    )
    .await;
    assert!(
        matches!(&r, Err(ApiError::Forbidden(m)) if m.contains("customer accounts only")),
        "{r:?}"
    );
    call(
        &app,
        "dk-co",
        MSP,
        &CreateAccount {
            parent: msp.clone(),
            account: customer("c@sub.example", "x2"),
        },
    )
    .await
    .unwrap();
    // A PartnerParent creates partners.
    call(
        &app,
        "dk-co",
        PARTNER,
        &CreateAccount {
            parent: partner.clone(),
            account: sub_partner,
        },
    )
    .await
    .unwrap();
    // Read-only roles write nothing.
    let r = call(
        &app,
        "dk-co",
        READONLY,
        &CreateAccount {
            parent: partner.clone(),
            account: customer("r@sub.example", "x3"),
        },
    )
    .await;
    assert!(matches!(r, Err(ApiError::Forbidden(m)) if m.contains("may only read")));
    // Customers have no sub-accounts.
    let customer_id = call(&app, "dk-co", MSP, &ListChildren(msp.clone()))
        .await
        .unwrap()
        .children[0]
        .id
        .clone();
    let r = call(
        &app,
        "dk-co",
        MSP,
        &CreateAccount {
            parent: customer_id,
            account: customer("d@sub.example", "x4"),
        },
    )
    .await;
    assert!(
        matches!(r, Err(ApiError::BadRequest { message, .. }) if message.contains("partner account"))
    );
    // Outside the subtree: 403.
    let root = root_of(&app, "dk-co", DIST).await;
    let r = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateAccount {
            parent: root,
            account: customer("e@sub.example", "x5"),
        },
    )
    .await;
    assert!(matches!(r, Err(ApiError::Forbidden(_))));
    // No credentials: 401.
    let r = send(
        &app,
        "POST",
        &format!("/dk-co/users/{partner}/users"),
        &[],
        Some(customer("f@x.example", "x6").to_xml()),
    )
    .await;
    assert_eq!(r.status, 401);
}

#[tokio::test]
async fn invalid_bodies_are_400s_naming_the_field() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let mut bad = customer("not-an-email", "y1");
    bad.country = Some("Denmark".into());
    let r = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateAccount {
            parent: partner.clone(),
            account: bad,
        },
    )
    .await;
    let Err(ApiError::BadRequest { message, .. }) = r else {
        panic!("{r:?}")
    };
    assert!(
        message.contains("login: ") && message.contains("country: "),
        "{message}"
    );
    let auth = basic_authorization(PARTNER, "demo");
    let r = send(
        &app,
        "POST",
        &format!("/dk-co/users/{partner}/users"),
        &[("authorization", &auth)],
        Some("<nope".into()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body.contains("not a user_create document"));
    let mut unknown_product = customer("g@x.example", "y2");
    unknown_product.product = Some("gold".into());
    let r = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateAccount {
            parent: partner,
            account: unknown_product,
        },
    )
    .await;
    assert!(
        matches!(r, Err(ApiError::BadRequest { message, .. }) if message.contains("no product “gold”"))
    );
}

#[tokio::test]
async fn disable_reenable_and_products() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let msp = root_of(&app, "dk-co", MSP).await;
    let disable = UpdateAccount {
        id: msp.clone(),
        update: UserUpdate {
            enabled: Some(false),
            ..UserUpdate::default()
        },
    };
    call(&app, "dk-co", PARTNER, &disable).await.unwrap();
    assert!(
        !call(&app, "dk-co", PARTNER, &GetAccount(msp.clone()))
            .await
            .unwrap()
            .enabled
    );
    // A disabled account's users cannot sign in.
    assert!(call(&app, "dk-co", MSP, &GetWhoAmI).await.is_err());
    let enable = UpdateAccount {
        id: msp.clone(),
        update: UserUpdate {
            enabled: Some(true),
            ..UserUpdate::default()
        },
    };
    call(&app, "dk-co", PARTNER, &enable).await.unwrap();
    assert_eq!(call(&app, "dk-co", MSP, &GetWhoAmI).await.unwrap().id, msp);

    // Product: inherited from the nearest ancestor, assigned, removed.
    let customer_id = call(&app, "dk-co", MSP, &ListChildren(msp.clone()))
        .await
        .unwrap()
        .children[0]
        .id
        .clone();
    let inherited = call(&app, "dk-co", MSP, &GetProduct(customer_id.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(inherited.id, "msp-standard");
    let set = UpdateAccount {
        id: customer_id.clone(),
        update: UserUpdate {
            product: Some("backup-enterprise".into()),
            ..UserUpdate::default()
        },
    };
    call(&app, "dk-co", MSP, &set).await.unwrap();
    assert_eq!(
        call(&app, "dk-co", MSP, &GetProduct(customer_id.clone()))
            .await
            .unwrap()
            .unwrap()
            .name,
        "Backup Enterprise"
    );
    let remove = UpdateAccount {
        id: msp.clone(),
        update: UserUpdate {
            product: Some(String::new()),
            ..UserUpdate::default()
        },
    };
    call(&app, "dk-co", PARTNER, &remove).await.unwrap();
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetAccount(msp.clone()))
            .await
            .unwrap()
            .product,
        None
    );
    // The partner has none, the distributor has one: the MSP now inherits the distributor's.
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetProduct(msp.clone()))
            .await
            .unwrap()
            .unwrap()
            .id,
        "partner-pro"
    );
    let portfolio = call(&app, "dk-co", PARTNER, &GetPortfolio(partner.clone()))
        .await
        .unwrap();
    assert!(portfolio.products.len() >= 5);
    assert!(call(&app, "dk-co", MSP, &GetPortfolio(customer_id))
        .await
        .unwrap()
        .products
        .is_empty());

    // Not on yourself, not read-only.
    let own = UpdateAccount {
        id: partner.clone(),
        update: UserUpdate {
            enabled: Some(false),
            ..UserUpdate::default()
        },
    };
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &own).await,
        Err(ApiError::Forbidden(_))
    ));
    assert!(matches!(
        call(&app, "dk-co", READONLY, &disable).await,
        Err(ApiError::Forbidden(_))
    ));
    // A product that does not exist.
    let gold = UpdateAccount {
        id: msp,
        update: UserUpdate {
            product: Some("gold".into()),
            ..UserUpdate::default()
        },
    };
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &gold).await,
        Err(ApiError::BadRequest { .. })
    ));
    // Nobody has a product in a region without one: 404 is "none".
    let none = partner_sandbox::AppState::new(
        partner_sandbox::Seed::Demo.build(),
        partner_sandbox::Options::new(partner_sandbox::Seed::Demo),
    );
    let p2 = root_of(&none, "de-fr", PARTNER).await;
    let c = call(&none, "de-fr", PARTNER, &ListChildren(p2.clone()))
        .await
        .unwrap()
        .children
        .into_iter()
        .find(|c| c.company_name.as_deref() == Some("Architekturbuero Koeln"))
        .unwrap();
    call(
        &none,
        "de-fr",
        DIST,
        &UpdateAccount {
            id: root_of(&none, "de-fr", DIST).await,
            update: UserUpdate {
                product: Some(String::new()),
                ..UserUpdate::default()
            },
        },
    )
    .await
    .unwrap();
    assert_eq!(
        call(&none, "de-fr", PARTNER, &GetProduct(c.id))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn moves_never_go_into_their_own_subtree() {
    let app = demo();
    let root = root_of(&app, "dk-co", DIST).await;
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let msp = root_of(&app, "dk-co", MSP).await;
    // The partner cannot go under its own MSP.
    let into_own = UpdateAccount {
        id: partner.clone(),
        update: UserUpdate {
            parent: Some(msp.clone()),
            ..UserUpdate::default()
        },
    };
    assert!(
        matches!(call(&app, "dk-co", DIST, &into_own).await, Err(ApiError::BadRequest { message, .. }) if message.contains("own subtree"))
    );
    // The MSP moves up under the distributor.
    let up = UpdateAccount {
        id: msp.clone(),
        update: UserUpdate {
            parent: Some(root.clone()),
            ..UserUpdate::default()
        },
    };
    call(&app, "dk-co", DIST, &up).await.unwrap();
    assert!(call(&app, "dk-co", DIST, &ListChildren(root.clone()))
        .await
        .unwrap()
        .children
        .iter()
        .any(|c| c.id == msp));
    assert!(!call(&app, "dk-co", DIST, &ListChildren(partner.clone()))
        .await
        .unwrap()
        .children
        .iter()
        .any(|c| c.id == msp));
    // The partner can no longer see it.
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &GetAccount(msp.clone())).await,
        Err(ApiError::Forbidden(_))
    ));
    // Not under a customer; not somewhere the caller cannot see.
    let customer_id = call(&app, "dk-co", DIST, &ListChildren(msp.clone()))
        .await
        .unwrap()
        .children[0]
        .id
        .clone();
    let under_customer = UpdateAccount {
        id: partner.clone(),
        update: UserUpdate {
            parent: Some(customer_id),
            ..UserUpdate::default()
        },
    };
    assert!(matches!(
        call(&app, "dk-co", DIST, &under_customer).await,
        Err(ApiError::BadRequest { .. })
    ));
    // The partner moves one of its own customers (not its own account, which is refused
    // for another reason) under the MSP, which is no longer in its subtree: the scope's 403,
    // and the customer stays where it was.
    let own_customer = call(&app, "dk-co", PARTNER, &ListChildren(partner.clone()))
        .await
        .unwrap()
        .children
        .into_iter()
        .map(|c| c.id)
        .find(|id| *id != msp)
        .expect("the partner has a customer of its own");
    let out_of_scope = UpdateAccount {
        id: own_customer.clone(),
        update: UserUpdate {
            parent: Some(msp),
            ..UserUpdate::default()
        },
    };
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &out_of_scope).await,
        Err(ApiError::Forbidden(m)) if m.contains("outside your account's subtree")
    ));
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetAccount(own_customer))
            .await
            .unwrap()
            .parent,
        Some(partner)
    );
}

#[tokio::test]
async fn delete_cascades_or_schedules() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let msp = root_of(&app, "dk-co", MSP).await;
    let below: Vec<AccountId> = call(&app, "dk-co", PARTNER, &ListChildren(msp.clone()))
        .await
        .unwrap()
        .children
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert!(!below.is_empty());
    call(&app, "dk-co", PARTNER, &DeleteAccount(msp.clone()))
        .await
        .unwrap();
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &GetAccount(msp.clone())).await,
        Err(ApiError::NotFound(_))
    ));
    for c in below {
        assert!(matches!(
            call(&app, "dk-co", PARTNER, &GetAccount(c)).await,
            Err(ApiError::NotFound(_))
        ));
    }
    // Its logins are gone too.
    assert!(matches!(
        call(&app, "dk-co", MSP, &GetWhoAmI).await,
        Err(ApiError::Unauthorized(_))
    ));

    // The seeded account with a retention period is only scheduled.
    let kept = {
        let world = app.world.read().await;
        world.regions["dk-co"]
            .accounts
            .values()
            .find(|a| a.retention_days.is_some())
            .unwrap()
            .id
            .clone()
    };
    call(&app, "dk-co", PARTNER, &DeleteAccount(kept.clone()))
        .await
        .unwrap();
    let s = call(&app, "dk-co", PARTNER, &GetAccount(kept.clone()))
        .await
        .unwrap();
    assert!(s.deletion.is_some());
    // Re-enabling cancels it.
    call(
        &app,
        "dk-co",
        PARTNER,
        &UpdateAccount {
            id: kept.clone(),
            update: UserUpdate {
                enabled: Some(true),
                ..UserUpdate::default()
            },
        },
    )
    .await
    .unwrap();
    assert_eq!(
        call(&app, "dk-co", PARTNER, &GetAccount(kept))
            .await
            .unwrap()
            .deletion,
        None
    );

    assert!(matches!(
        call(&app, "dk-co", PARTNER, &DeleteAccount(partner.clone())).await,
        Err(ApiError::Forbidden(_))
    ));
    assert!(matches!(
        call(&app, "dk-co", READONLY, &DeleteAccount(partner)).await,
        Err(ApiError::Forbidden(_))
    ));
    assert!(matches!(
        call(
            &app,
            "dk-co",
            DIST,
            &DeleteAccount(AccountId::parse("zzzzzz-zzzzzz-zzzzzz").unwrap())
        )
        .await,
        Err(ApiError::NotFound(_))
    ));
}

#[tokio::test]
async fn contacts_add_edit_and_conflict() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let billing = Contact {
        kind: "b".into(),
        email: Some("invoices@fjordline-it.example".into()),
        full_name: Some("Accounts Payable".into()),
        country: Some("DK".into()),
        ..Contact::default()
    };
    call(
        &app,
        "dk-co",
        PARTNER,
        &AddContact {
            account: partner.clone(),
            contact: billing.clone(),
        },
    )
    .await
    .unwrap();
    let types = call(&app, "dk-co", PARTNER, &ListContactTypes(partner.clone()))
        .await
        .unwrap();
    assert_eq!(types.types, vec!["p", "b"]);
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &AddContact {
                account: partner.clone(),
                contact: billing.clone()
            }
        )
        .await,
        Err(ApiError::Conflict { .. })
    ));
    let mut edited = billing.clone();
    edited.phone = Some("+45 70 20 30 40".into());
    call(
        &app,
        "dk-co",
        PARTNER,
        &UpdateContact {
            account: partner.clone(),
            contact: edited,
        },
    )
    .await
    .unwrap();
    let read = call(
        &app,
        "dk-co",
        PARTNER,
        &GetContact {
            account: partner.clone(),
            kind: "b".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(read.phone.as_deref(), Some("+45 70 20 30 40"));
    let missing = Contact {
        kind: "zz".into(),
        ..Contact::default()
    };
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &UpdateContact {
                account: partner.clone(),
                contact: missing
            }
        )
        .await,
        Err(ApiError::NotFound(_))
    ));
    let bad = Contact {
        kind: "t".into(),
        email: Some("nope".into()),
        ..Contact::default()
    };
    assert!(
        matches!(call(&app, "dk-co", PARTNER, &AddContact { account: partner.clone(), contact: bad }).await, Err(ApiError::BadRequest { message, .. }) if message.starts_with("email: "))
    );
    assert!(matches!(
        call(
            &app,
            "dk-co",
            READONLY,
            &AddContact {
                account: partner,
                contact: billing
            }
        )
        .await,
        Err(ApiError::Forbidden(_))
    ));
}

#[tokio::test]
async fn tokens_generated_chosen_taken_and_deleted() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let key = TokenCreate {
        role: Role::ReadOnlyMspPartner,
        description: "RMM integration".into(),
        secret: TokenSecret::Generated,
        lifetime: Some("P90D".into()),
        expires: None,
        primary: false,
        single_use: false,
        responsibilities: vec![],
    };
    let creds = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateToken {
            account: partner.clone(),
            token: key.clone(),
        },
    )
    .await
    .unwrap();
    assert!(creds.name.starts_with("key-"));
    assert!(creds.password.expose().len() >= 24);
    // The new key signs in and sees the partner's subtree, nothing above.
    let me = call_with(
        &app,
        "dk-co",
        &creds.name,
        creds.password.expose(),
        &GetWhoAmI,
    )
    .await
    .unwrap();
    assert_eq!(me.id, partner);
    let root = root_of(&app, "dk-co", DIST).await;
    assert!(matches!(
        call_with(
            &app,
            "dk-co",
            &creds.name,
            creds.password.expose(),
            &GetAccount(root)
        )
        .await,
        Err(ApiError::Forbidden(_))
    ));
    let listed = call(&app, "dk-co", PARTNER, &ListTokens(partner.clone()))
        .await
        .unwrap();
    let t = listed.find(&creds.name).unwrap();
    assert!(!t.primary && t.expires.is_some() && t.lifetime.as_deref() == Some("P90D"));
    // Listed as Keepit lists secondary tokens: with the login that made it.
    assert_eq!(t.primary_aname.as_deref(), Some(PARTNER));

    // A chosen name that is taken: 409.
    let chosen = TokenCreate {
        secret: TokenSecret::Chosen {
            name: "mypartnership-api".into(),
            password: Secret("a long enough secret".into()),
        },
        ..key.clone()
    };
    call(
        &app,
        "dk-co",
        PARTNER,
        &CreateToken {
            account: partner.clone(),
            token: chosen.clone(),
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &CreateToken {
                account: partner.clone(),
                token: chosen
            }
        )
        .await,
        Err(ApiError::Conflict { .. })
    ));
    // A partner role on a customer account: 400.
    let msp = root_of(&app, "dk-co", MSP).await;
    let customer_id = call(&app, "dk-co", PARTNER, &ListChildren(msp))
        .await
        .unwrap()
        .children[0]
        .id
        .clone();
    let r = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateToken {
            account: customer_id,
            token: TokenCreate {
                role: Role::PartnerParent,
                ..key.clone()
            },
        },
    )
    .await;
    assert!(matches!(r, Err(ApiError::BadRequest { .. })));
    // Invalid: 400 naming the field.
    let r = call(
        &app,
        "dk-co",
        PARTNER,
        &CreateToken {
            account: partner.clone(),
            token: TokenCreate {
                description: " ".into(),
                ..key.clone()
            },
        },
    )
    .await;
    assert!(
        matches!(r, Err(ApiError::BadRequest { message, .. }) if message.starts_with("descr: "))
    );

    // Delete, with a name that needs encoding; then 404.
    let odd = TokenCreate {
        secret: TokenSecret::Chosen {
            name: "api/odd+name".into(),
            password: Secret("another long secret".into()),
        },
        ..key.clone()
    };
    call(
        &app,
        "dk-co",
        PARTNER,
        &CreateToken {
            account: partner.clone(),
            token: odd,
        },
    )
    .await
    .unwrap();
    call(
        &app,
        "dk-co",
        PARTNER,
        &DeleteToken {
            account: partner.clone(),
            name: "api/odd+name".into(),
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &DeleteToken {
                account: partner.clone(),
                name: "api/odd+name".into()
            }
        )
        .await,
        Err(ApiError::NotFound(_))
    ));
    call(
        &app,
        "dk-co",
        PARTNER,
        &DeleteToken {
            account: partner.clone(),
            name: creds.name.clone(),
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        call_with(
            &app,
            "dk-co",
            &creds.name,
            creds.password.expose(),
            &GetWhoAmI
        )
        .await,
        Err(ApiError::Unauthorized(_))
    ));
    // Not the login in use; not read-only.
    assert!(matches!(
        call(
            &app,
            "dk-co",
            PARTNER,
            &DeleteToken {
                account: partner.clone(),
                name: PARTNER.into()
            }
        )
        .await,
        Err(ApiError::Conflict { .. })
    ));
    assert!(matches!(
        call(
            &app,
            "dk-co",
            READONLY,
            &CreateToken {
                account: partner,
                token: key
            }
        )
        .await,
        Err(ApiError::Forbidden(_))
    ));
}

#[tokio::test]
async fn generated_credentials_come_back_only_to_a_client_that_asks_for_v1() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let body = TokenCreate {
        role: Role::ReadOnlyMspPartner,
        description: "RMM".into(),
        secret: TokenSecret::Generated,
        lifetime: None,
        expires: None,
        primary: false,
        single_use: false,
        responsibilities: vec![],
    }
    .to_xml();
    let auth = partner_api::wire::auth::basic_authorization(PARTNER, "demo");
    let uri = format!("/dk-co/users/{partner}/tokens/");
    let without = send(
        &app,
        "POST",
        &uri,
        &[("authorization", &auth)],
        Some(body.clone()),
    )
    .await;
    assert_eq!((without.status, without.body.as_str()), (201, ""));
    let with = send(
        &app,
        "POST",
        &uri,
        &[
            ("authorization", &auth),
            ("accept", "application/vnd.keepit.v1+xml"),
        ],
        Some(body),
    )
    .await;
    assert_eq!(with.status, 201);
    assert!(partner_api::accounts::tokens::NewCredentials::from_xml(&with.body).is_ok());
}

#[tokio::test]
async fn the_token_list_has_the_vendors_elements() {
    // tests/vendor/tokens.xml in the core: every element the documented listing has.
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let auth = partner_api::wire::auth::basic_authorization(PARTNER, "demo");
    let listed = send(
        &app,
        "GET",
        &format!("/dk-co/users/{partner}/tokens/"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../partner-api/tests/vendor/tokens.xml"),
    )
    .unwrap();
    // The seeded sign-in session is a secondary token like the documented one.
    for element in [
        "<aname>",
        "<descr>",
        "<created>",
        "<primary>false</primary>",
        "<acl>",
        "<primary_aname>",
        "<lifetime>PT48H</lifetime>",
    ] {
        assert!(fixture.contains(element), "the fixture has {element}");
        assert!(
            listed.body.contains(element),
            "the sandbox lists {element}: {}",
            listed.body
        );
    }
    let list = partner_api::accounts::tokens::TokenList::from_xml(&listed.body).unwrap();
    let session = list.tokens.iter().find(|t| !t.primary).unwrap();
    assert_eq!(session.primary_aname.as_deref(), Some(PARTNER));
}

#[tokio::test]
async fn account_settings_have_the_vendors_elements_and_no_external_id() {
    // tests/vendor/account-settings-v0.xml in the core: the documented settings, which name
    // every account's parent, the caller's own included, and carry no external_id.
    let fixture = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../partner-api/tests/vendor/account-settings-v0.xml"),
    )
    .unwrap();
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    {
        // Give the partner an external_id: it must still not be served.
        let mut w = app.world.write().await;
        let a = w
            .region_mut("dk-co")
            .unwrap()
            .accounts
            .get_mut(&partner)
            .unwrap();
        a.external_id = Some("crm-partner".into());
    }
    let auth = partner_api::wire::auth::basic_authorization(PARTNER, "demo");
    let own = send(
        &app,
        "GET",
        &format!("/dk-co/users/{partner}"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    for element in ["<enabled>", "<created>", "<parent>", "<subscribed>"] {
        assert!(fixture.contains(element), "the fixture has {element}");
        assert!(
            own.body.contains(element),
            "the sandbox has {element}: {}",
            own.body
        );
    }
    assert!(!fixture.contains("external_id") && !own.body.contains("external_id"));
}
