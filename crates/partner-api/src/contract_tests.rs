//! Checks of the contract that span areas and both families, kept whole as they were written.
//! A new call's own tests go in its area's module.

use crate::accounts::children::ListChildren;
use crate::accounts::contacts::{Contact, GetContact, UpdateContact};
use crate::accounts::products::GetProduct;
use crate::accounts::tokens::DeleteToken;
use crate::accounts::users::{CreateAccount, GetAccount, GetWhoAmI, UserCreate};
use crate::call::Call;
use crate::enterprise::account::{Ping, SetPassword};
use crate::enterprise::revisions::ListClientRevisions;
use crate::enterprise::shares::ListShares;
use crate::error::ApiError;
use crate::fields::Secret;
use crate::ids::AccountId;
use crate::wire::request::{Family, Method, Response};

fn ok(body: &str) -> Response {
    Response {
        status: 200,
        headers: vec![],
        body: body.into(),
    }
}

fn resp(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![],
        body: body.into(),
    }
}

#[test]
fn requests_are_what_the_contract_says() {
    let id = AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap();
    let r = ListChildren(id.clone()).request();
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.family, Family::Accounts);
    assert_eq!(r.path, "/users/nq2v51-5mx23m-qb7sah/users");
    assert_eq!(
        r.headers,
        vec![("Accept", "application/vnd.keepit.v1+xml".to_string())]
    );
    let r = GetContact {
        account: id,
        kind: "p/../x".into(),
    }
    .request();
    assert_eq!(r.path, "/users/nq2v51-5mx23m-qb7sah/contacts/p%2F..%2Fx");
    assert_eq!(GetWhoAmI.request().path, "/users/");
    assert_eq!(Ping.request().family, Family::Enterprise);
}

#[test]
fn decodes_success_and_errors() {
    let id = AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap();
    let s = GetAccount(id.clone())
        .decode(&ok("<user><enabled>true</enabled></user>"))
        .unwrap();
    assert_eq!(s.id, Some(id));
    assert_eq!(Ping.decode(&ok("\"pong\"")), Ok(()));
    assert!(matches!(
        Ping.decode(&ok("pong")),
        Err(ApiError::Malformed(_))
    ));
    let unauthorized = Response {
        status: 401,
        headers: vec![],
        body: "Anonymous access denied - suggest authentication.".into(),
    };
    assert!(matches!(
        GetWhoAmI.decode(&unauthorized),
        Err(ApiError::Unauthorized(m)) if m.starts_with("Anonymous")
    ));
}

#[test]
fn writes_are_described_as_the_contract_says() {
    let id = AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap();
    let create = CreateAccount {
        parent: id.clone(),
        account: UserCreate {
            login: "a@b.example".into(),
            ..UserCreate::default()
        },
    };
    let r = create.request();
    assert_eq!(
        (r.method, r.path.as_str(), r.idempotent),
        (Method::Post, "/users/nq2v51-5mx23m-qb7sah/users", false)
    );
    assert!(r
        .headers
        .contains(&("Content-Type", "application/xml".into())));
    assert!(r
        .body
        .unwrap()
        .contains("<user_create><login>a@b.example</login>"));
    assert_eq!(create.decode(&resp(201, "")), Ok(()));
    assert_eq!(create.decode(&resp(201, "Account created")), Ok(()));

    let d = DeleteToken {
        account: id.clone(),
        name: "key/1 +x".into(),
    }
    .request();
    assert_eq!(d.path, "/users/nq2v51-5mx23m-qb7sah/tokens/key%2F1%20%2Bx");
    assert_eq!(d.method, Method::Delete);
    assert!(
        UpdateContact {
            account: id.clone(),
            contact: Contact {
                kind: "p".into(),
                ..Contact::default()
            }
        }
        .request()
        .idempotent
    );
    assert_eq!(GetProduct(id).decode(&resp(404, "No product")), Ok(None));

    let shares = ListShares {
        limit: Some(50),
        offset: Some(100),
    }
    .request();
    assert_eq!(shares.path_and_query(), "/shares/?limit=50&offset=100");
    assert_eq!(ListShares::default().request().path_and_query(), "/shares/");
    let revs = ListClientRevisions {
        min_revision: Some(3),
        max_revision: None,
        max_days_since_login: Some(30),
    }
    .request();
    assert_eq!(
        revs.path_and_query(),
        "/clientrevisions/?min_revision=3&max_days_since_login=30"
    );
    assert_eq!(
        SetPassword(Secret("p\"w".into())).request().body.unwrap(),
        r#""p\"w""#
    );
}
