//! The calls of the contract, typed. Each is a small struct: `request()` says what to send,
//! `decode()` reads the answer.

use crate::error::ApiError;
use crate::ids::AccountId;
use crate::model::{
    AccountSettings, ChildList, Contact, ContactTypes, DecodeError, TokenList, WhoAmI,
};
use crate::request::{accounts_accept, encode_component, Call, Family, Request, Response};

fn decode_with<T>(
    response: &Response,
    read: impl FnOnce(&str) -> Result<T, DecodeError>,
) -> Result<T, ApiError> {
    if !response.is_success() {
        return Err(ApiError::from_response(response));
    }
    read(&response.body).map_err(ApiError::Malformed)
}

fn accounts_get(path: String) -> Request {
    Request::get(Family::Accounts, path)
}

/// `GET /users/`: which account owns the credentials. Used to sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetWhoAmI;

impl Call for GetWhoAmI {
    type Output = WhoAmI;
    fn request(&self) -> Request {
        accounts_get("/users/".into())
    }
    fn decode(&self, r: &Response) -> Result<WhoAmI, ApiError> {
        decode_with(r, WhoAmI::from_xml)
    }
}

/// `GET /users/{id}`: an account's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAccount(pub AccountId);

impl Call for GetAccount {
    type Output = AccountSettings;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}", self.0))
    }
    fn decode(&self, r: &Response) -> Result<AccountSettings, ApiError> {
        decode_with(r, AccountSettings::from_xml).map(|mut s| {
            s.id.get_or_insert_with(|| self.0.clone());
            s
        })
    }
}

/// `GET /users/{id}/users` with `Accept` v1: the direct children, with names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListChildren(pub AccountId);

impl Call for ListChildren {
    type Output = ChildList;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/users", self.0)).header("Accept", accounts_accept(1))
    }
    fn decode(&self, r: &Response) -> Result<ChildList, ApiError> {
        decode_with(r, ChildList::from_xml)
    }
}

/// `GET /users/{id}/contacts`: which contact types exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListContactTypes(pub AccountId);

impl Call for ListContactTypes {
    type Output = ContactTypes;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/contacts", self.0))
    }
    fn decode(&self, r: &Response) -> Result<ContactTypes, ApiError> {
        decode_with(r, ContactTypes::from_xml)
    }
}

/// `GET /users/{id}/contacts/{type}`: one contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetContact {
    pub account: AccountId,
    pub kind: String,
}

impl Call for GetContact {
    type Output = Contact;
    fn request(&self) -> Request {
        accounts_get(format!(
            "/users/{}/contacts/{}",
            self.account,
            encode_component(&self.kind)
        ))
    }
    fn decode(&self, r: &Response) -> Result<Contact, ApiError> {
        decode_with(r, Contact::from_xml)
    }
}

/// `GET /users/{id}/tokens/`: the account's users and API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTokens(pub AccountId);

impl Call for ListTokens {
    type Output = TokenList;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/tokens/", self.0))
    }
    fn decode(&self, r: &Response) -> Result<TokenList, ApiError> {
        decode_with(r, TokenList::from_xml)
    }
}

/// Enterprise API `GET /ping`: a credential check answered with the JSON string "pong".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping;

impl Call for Ping {
    type Output = ();
    fn request(&self) -> Request {
        Request::get(Family::Enterprise, "/ping".into()).header("Accept", "application/json")
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        decode_with(r, |body| match serde_json::from_str::<String>(body) {
            Ok(s) if s == "pong" => Ok(()),
            _ => Err(DecodeError {
                expected: "the JSON string \"pong\"",
                detail: format!("got {:?}", body.chars().take(40).collect::<String>()),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    fn ok(body: &str) -> Response {
        Response {
            status: 200,
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
}
