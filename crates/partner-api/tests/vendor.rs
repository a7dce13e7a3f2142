//! The vendor corpus (`tests/vendor/`): every example the vendors document, decoded by the
//! core. A fixture's first line names its source.

use partner_api::accounts::children::{ChildList, ListSubtree};
use partner_api::accounts::permissions::{ListRoles, RoleList};
use partner_api::accounts::tokens::{
    NewCredentials, TokenCreate, TokenKind, TokenList, TokenSecret, UpdateToken, Validity,
};
use partner_api::accounts::users::{AccountSettings, WhoAmI};
use partner_api::{AccountId, Call, Method, Response, Role};
use std::path::PathBuf;

/// A fixture's body: the file without its source line.
fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vendor")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (source, body) = text.split_once('\n').expect("a source line, then the body");
    assert!(source.contains("source:"), "{name} names its source");
    body.to_owned()
}

fn id(text: &str) -> AccountId {
    AccountId::parse(text).unwrap()
}

#[test]
fn every_fixture_names_its_source_and_is_decoded_here() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vendor");
    let this =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vendor.rs"))
            .unwrap();
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.ends_with(".md") {
            continue;
        }
        fixture(&name);
        assert!(this.contains(&format!("\"{name}\"")), "{name} has no test");
    }
}

#[test]
fn who_am_i() {
    let me = WhoAmI::from_xml(&fixture("whoami.xml")).unwrap();
    assert_eq!(me.id, id("nq2v51-5mx23m-qb7sah"));
}

#[test]
fn account_settings_v0_are_the_five_documented_fields() {
    let s = AccountSettings::from_xml(&fixture("account-settings-v0.xml")).unwrap();
    assert!(s.enabled);
    assert_eq!(s.created.as_deref(), Some("2024-11-21T11:03:16Z"));
    assert_eq!(s.product.as_deref(), Some("a9y02y-qngj1m-yvh5r8"));
    assert_eq!(s.parent, Some(id("716vh1-7r91yq-bxsob1")));
    // Not in the documented v0 settings: the portal must not rely on it.
    assert_eq!(s.external_id, None);
}

#[test]
fn children_in_both_schemas_with_the_five_character_group() {
    let v0 = ChildList::from_xml(&fixture("children-v0.xml")).unwrap();
    let ids: Vec<&str> = v0.children.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["psmqd-3nqijs-9qi26x", "r8gxbr-kqw14l-isn2kq"]);
    let v1 = ChildList::from_xml(&fixture("children-v1.xml")).unwrap();
    assert_eq!(v1.children.len(), 2);
    let first = &v1.children[0];
    assert_eq!(first.id, id("psmqd-3nqijs-9qi26x"));
    assert_eq!(first.parent_id, Some(id("nq2v51-5mx23m-qb7sah")));
    assert_eq!(first.email.as_deref(), Some("test1@keepit.com"));
    assert_eq!(v1.children[1].company_name.as_deref(), Some("MyCompany"));
}

#[test]
fn a_create_whose_answer_was_lost_is_found_in_the_documented_listing() {
    use partner_api::accounts::{once, users::UserCreate};
    use partner_api::ApiError;
    // The documented create's fields (keepit.com/help/api-category/create-a-subaccount):
    // with no separate email, the login is the primary contact's email, which the listing
    // shows. Nothing else (no external_id) is needed to find it.
    let sent = UserCreate {
        login: "test2@keepit.com".into(),
        full_name: Some("TestAccount2".into()),
        company_name: Some("MyCompany".into()),
        external_id: Some("pp-0123".into()),
        ..UserCreate::default()
    };
    let listing = ChildList::from_xml(&fixture("children-v1.xml")).unwrap();
    let lost = Err(ApiError::Network("no answer".into()));
    assert!(once::must_look(&lost));
    assert_eq!(
        once::outcome(
            &sent,
            Some("2026-02-21T11:00:00Z"),
            lost,
            Some(Ok(listing.clone()))
        ),
        Ok(id("r8gxbr-kqw14l-isn2kq"))
    );
    // Made before the attempt began: not this create's account.
    let lost = Err(ApiError::Network("no answer".into()));
    assert!(matches!(
        once::outcome(&sent, Some("2026-02-21T12:00:00Z"), lost, Some(Ok(listing))),
        Err(ApiError::NotCreated(_))
    ));
}

#[test]
fn a_listed_secondary_token_belongs_to_a_login_and_has_a_lifetime() {
    let list = TokenList::from_xml(&fixture("tokens.xml")).unwrap();
    let t = &list.tokens[0];
    assert_eq!(t.name, "test@keepit.com");
    assert!(!t.primary);
    assert_eq!(t.role, Role::MasterAdmin);
    assert_eq!(
        t.kind(),
        TokenKind::Secondary {
            of: Some("test1@keepit.com")
        }
    );
    assert_eq!(t.validity(), Validity::Lifetime("48 hours".into()));
}

#[test]
fn creating_a_key_with_generated_or_assigned_credentials() {
    let generated = TokenCreate::from_xml(&fixture("token-create-generated.xml")).unwrap();
    assert_eq!(generated.secret, TokenSecret::Generated);
    assert_eq!(generated.lifetime.as_deref(), Some("P1Y"));
    assert!(!generated.primary);
    let assigned = TokenCreate::from_xml(&fixture("token-create-assigned.xml")).unwrap();
    assert!(
        matches!(&assigned.secret, TokenSecret::Chosen { name, .. } if name == "test@keepit.com")
    );
    // The generated credentials hold characters a form would never choose.
    let c = NewCredentials::from_xml(&fixture("token-created-generated.xml")).unwrap();
    assert_eq!(c.name, "%cxZq4L+dyQsns1k6gB5Ia,a");
    assert_eq!(c.password.expose(), "?+gs)---F6n6a4AERi?e1s9n");
}

#[test]
fn a_token_update_is_sent_as_documented() {
    let call = UpdateToken {
        account: id("5t1sbe-s6zsgx-rtutxq"),
        name: "test@keepit.com".into(),
        role: Role::parse("FullSupport"),
    };
    let r = call.request();
    assert_eq!(r.method, Method::Put);
    assert_eq!(
        r.path,
        "/users/5t1sbe-s6zsgx-rtutxq/tokens/test%40keepit.com"
    );
    // The same document as the vendor's example, white space aside.
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    assert_eq!(
        squeeze(r.body.as_deref().unwrap())
            .trim_start_matches("<?xmlversion=\"1.0\"encoding=\"UTF-8\"?>"),
        squeeze(&fixture("token-update.xml"))
    );
    // And read back as the sandbox reads it.
    assert_eq!(
        UpdateToken::role_from_xml(&fixture("token-update.xml")).unwrap(),
        Some(Role::FullSupport)
    );
}

#[test]
fn the_regions_roles_are_read_by_name() {
    let list = RoleList::from_xml(&fixture("roles.xml")).unwrap();
    assert_eq!(
        list.names(),
        [Role::MasterAdmin, Role::BackupAdmin, Role::LimitedSupport]
    );
    let r = ListRoles(id("nq2v51-5mx23m-qb7sah")).request();
    assert_eq!(r.path, "/users/nq2v51-5mx23m-qb7sah/permissions/roles/");
}

#[test]
fn the_whole_subtree_in_the_v3_shape_with_names_in_the_contact() {
    let call = ListSubtree(id("nq2v51-5mx23m-qb7sah"));
    let sub = call
        .decode(&Response {
            status: 200,
            headers: vec![("x-total-count".into(), "2".into())],
            body: fixture("children-v3-subtree.xml"),
        })
        .unwrap();
    assert_eq!(sub.total, Some(2));
    assert_eq!(sub.accounts.unreadable, 0);
    let [first, second] = &sub.accounts.children[..] else {
        panic!("two accounts")
    };
    assert_eq!(first.id, id("psmqd-3nqijs-9qi26x"));
    assert_eq!(first.full_name.as_deref(), Some("TestAccount1"));
    assert_eq!(first.company_name, None);
    assert_eq!(second.display_name(), "MyCompany");
    assert_eq!(second.parent_id, Some(id("nq2v51-5mx23m-qb7sah")));
    let r = call.request();
    assert_eq!(
        r.path_and_query(),
        "/users/nq2v51-5mx23m-qb7sah/users?all=1&include_contact_details=1"
    );
}
