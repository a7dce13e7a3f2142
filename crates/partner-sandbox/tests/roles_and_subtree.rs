//! The roles a region lists, changing a token's role, probing a name, and the whole subtree
//! in one v3 call: what the sandbox answers, against the vendor corpus where it has one.

mod common;

use common::{call, demo, root_of, send};
use partner_api::accounts::children::{ListChildren, ListSubtree};
use partner_api::accounts::permissions::ListRoles;
use partner_api::accounts::tokens::{
    CreateToken, ListTokens, ProbeTokenName, TokenCreate, TokenSecret, UpdateToken,
};
use partner_api::fields::Secret;
use partner_api::{AccountId, ApiError, Role};

const DIST: &str = "distributor@demo.example";
const PARTNER: &str = "partner@demo.example";
const MSP: &str = "msp@demo.example";
const READONLY: &str = "readonly@demo.example";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../partner-api/tests/vendor")
            .join(name),
    )
    .unwrap()
}

async fn first_customer_of_msp(app: &partner_sandbox::AppState) -> AccountId {
    let msp = root_of(app, "dk-co", MSP).await;
    call(app, "dk-co", MSP, &ListChildren(msp))
        .await
        .unwrap()
        .children[0]
        .id
        .clone()
}

#[tokio::test]
async fn the_region_lists_the_roles_for_the_accounts_kind_and_its_own() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let listed = call(&app, "dk-co", PARTNER, &ListRoles(partner))
        .await
        .unwrap()
        .names();
    assert!(listed.contains(&Role::Reseller), "{listed:?}");
    assert!(!listed.contains(&Role::MasterAdmin), "{listed:?}");
    assert!(
        listed.contains(&Role::parse("ReportingReader")),
        "{listed:?}"
    );
    let customer = first_customer_of_msp(&app).await;
    let listed = call(&app, "dk-co", MSP, &ListRoles(customer))
        .await
        .unwrap()
        .names();
    assert!(listed.contains(&Role::FullSupport), "{listed:?}");
    assert!(!listed.contains(&Role::PartnerParent), "{listed:?}");
    // The same document as the vendor's tools read: <roles><role><name>.
    let auth = partner_api::wire::auth::basic_authorization(PARTNER, "demo");
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let raw = send(
        &app,
        "GET",
        &format!("/dk-co/users/{partner}/permissions/roles/"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    for element in ["<roles>", "<role>", "<name>"] {
        assert!(fixture("roles.xml").contains(element));
        assert!(raw.body.contains(element), "{element}: {}", raw.body);
    }
    // Outside the caller's subtree: 403, as every call.
    let dist = root_of(&app, "dk-co", DIST).await;
    assert!(matches!(
        call(&app, "dk-co", PARTNER, &ListRoles(dist)).await,
        Err(ApiError::Forbidden(_))
    ));
}

fn key(name: &str, role: Role) -> TokenCreate {
    TokenCreate {
        role,
        description: "RMM".into(),
        secret: TokenSecret::Chosen {
            name: name.into(),
            password: Secret("a-long-enough-password".into()),
        },
        lifetime: None,
        expires: None,
        primary: false,
        single_use: false,
        responsibilities: vec![],
    }
}

#[tokio::test]
async fn a_tokens_role_changes_never_above_the_callers() {
    let app = demo();
    let msp = root_of(&app, "dk-co", MSP).await;
    let create = CreateToken {
        account: msp.clone(),
        token: key("msp-rmm", Role::ReadOnlyMspPartner),
    };
    call(&app, "dk-co", MSP, &create).await.unwrap();
    let update = |role: Role| UpdateToken {
        account: msp.clone(),
        name: "msp-rmm".into(),
        role,
    };
    call(&app, "dk-co", MSP, &update(Role::MspSupport))
        .await
        .unwrap();
    let role_now = |list: partner_api::accounts::tokens::TokenList| {
        list.find("msp-rmm").map(|t| t.role.clone())
    };
    assert_eq!(
        role_now(
            call(&app, "dk-co", MSP, &ListTokens(msp.clone()))
                .await
                .unwrap()
        ),
        Some(Role::MspSupport)
    );
    // More than an MSP partner's own: 403, and nothing changes.
    assert!(matches!(
        call(&app, "dk-co", MSP, &update(Role::PartnerParent)).await,
        Err(ApiError::Forbidden(_))
    ));
    // Creating one above the caller's role is refused the same way.
    let above = CreateToken {
        account: msp.clone(),
        token: key("msp-above", Role::PartnerParent),
    };
    assert!(matches!(
        call(&app, "dk-co", MSP, &above).await,
        Err(ApiError::Forbidden(_))
    ));
    assert_eq!(
        role_now(
            call(&app, "dk-co", MSP, &ListTokens(msp.clone()))
                .await
                .unwrap()
        ),
        Some(Role::MspSupport)
    );
    // A partner above may; a region's own role may be given; read-only roles write nothing.
    call(&app, "dk-co", PARTNER, &update(Role::PartnerParent))
        .await
        .unwrap();
    call(&app, "dk-co", MSP, &update(Role::parse("ReportingReader")))
        .await
        .unwrap();
    assert!(matches!(
        call(&app, "dk-co", READONLY, &update(Role::MspSupport)).await,
        Err(ApiError::Forbidden(_))
    ));
    // A partner role on a customer account: 400; an unknown name: 404; one's own login: 409.
    let customer = first_customer_of_msp(&app).await;
    let tokens = call(&app, "dk-co", MSP, &ListTokens(customer.clone()))
        .await
        .unwrap();
    let person = tokens
        .tokens
        .iter()
        .find(|t| t.primary)
        .unwrap()
        .name
        .clone();
    let on_customer = |role: Role| UpdateToken {
        account: customer.clone(),
        name: person.clone(),
        role,
    };
    assert!(matches!(
        call(&app, "dk-co", MSP, &on_customer(Role::MspSupport)).await,
        Err(ApiError::BadRequest { .. })
    ));
    call(&app, "dk-co", MSP, &on_customer(Role::BackupAdmin))
        .await
        .unwrap();
    assert!(matches!(
        call(
            &app,
            "dk-co",
            MSP,
            &UpdateToken {
                name: "nobody".into(),
                ..update(Role::MspSupport)
            }
        )
        .await,
        Err(ApiError::NotFound(_))
    ));
    assert!(matches!(
        call(
            &app,
            "dk-co",
            MSP,
            &UpdateToken {
                name: MSP.into(),
                ..update(Role::MspSupport)
            }
        )
        .await,
        Err(ApiError::Conflict { .. })
    ));
    // The documented body itself, and the documented answer.
    let auth = partner_api::wire::auth::basic_authorization(MSP, "demo");
    let body = fixture("token-update.xml");
    let body = body.split_once('\n').unwrap().1.to_owned();
    let documented = send(
        &app,
        "PUT",
        &format!(
            "/dk-co/users/{customer}/tokens/{}",
            partner_api::wire::request::encode_component(&person)
        ),
        &[
            ("authorization", &auth),
            ("content-type", "application/xml"),
        ],
        Some(body),
    )
    .await;
    assert_eq!(documented.status, 200, "{}", documented.body);
    assert_eq!(documented.body, "Successfully updated access token.");
}

#[tokio::test]
async fn a_name_is_free_202_or_taken_409_in_the_whole_region() {
    let app = demo();
    let msp = root_of(&app, "dk-co", MSP).await;
    let probe = |name: &str| ProbeTokenName {
        account: msp.clone(),
        name: name.into(),
    };
    assert_eq!(
        call(&app, "dk-co", MSP, &probe("fresh-name")).await,
        Ok(true)
    );
    // Taken by a login on another account of the region.
    assert_eq!(call(&app, "dk-co", MSP, &probe(DIST)).await, Ok(false));
    let auth = partner_api::wire::auth::basic_authorization(MSP, "demo");
    let bare = send(
        &app,
        "HEAD",
        &format!("/dk-co/users/{msp}/tokens?aname=partner%40demo.example"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!((bare.status, bare.body.as_str()), (409, ""));
}

#[tokio::test]
async fn the_whole_subtree_in_one_v3_call_with_its_count() {
    let app = demo();
    let dist = root_of(&app, "dk-co", DIST).await;
    let sub = call(&app, "dk-co", DIST, &ListSubtree(dist.clone()))
        .await
        .unwrap();
    let (total, world) = (sub.total, app.world.read().await);
    let r = world.region("dk-co").unwrap();
    // Every account below the distributor, none above or beside, each once.
    let below: Vec<_> = r
        .accounts
        .keys()
        .filter(|id| **id != dist && r.is_within(&dist, id))
        .collect();
    assert_eq!(sub.accounts.children.len(), below.len());
    assert_eq!(total, Some(below.len() as u64));
    assert!(below.len() > r.accounts[&dist].children.len());
    // Parents before their children, and names from the nested contact.
    for (i, row) in sub.accounts.children.iter().enumerate() {
        let parent = row.parent_id.clone().unwrap();
        assert!(
            parent == dist || sub.accounts.children[..i].iter().any(|c| c.id == parent),
            "{} comes before its parent",
            row.id
        );
        assert_eq!(row.company_name.as_deref(), r.accounts[&row.id].company());
    }
    drop(world);
    // The vendor's v3 shape: a <contact> inside each <user>.
    let auth = partner_api::wire::auth::basic_authorization(DIST, "demo");
    let raw = send(
        &app,
        "GET",
        &format!("/dk-co/users/{dist}/users?all=1&include_contact_details=1"),
        &[
            ("authorization", &auth),
            ("accept", "application/vnd.keepit.v3"),
        ],
        None,
    )
    .await;
    for element in [
        "<user>",
        "<id>",
        "<created>",
        "<parent_id>",
        "<contact>",
        "<email>",
        "<companyname>",
    ] {
        assert!(fixture("children-v3-subtree.xml").contains(element));
        assert!(raw.body.contains(element), "{element}");
    }
    // Without v3, `all=1` changes nothing: direct children only.
    let v1 = send(
        &app,
        "GET",
        &format!("/dk-co/users/{dist}/users?all=1"),
        &[
            ("authorization", &auth),
            ("accept", "application/vnd.keepit.v1+xml"),
        ],
        None,
    )
    .await;
    let direct = partner_api::accounts::children::ChildList::from_xml(&v1.body).unwrap();
    assert_eq!(
        direct.children.len(),
        app.world.read().await.region("dk-co").unwrap().accounts[&dist]
            .children
            .len()
    );
}
