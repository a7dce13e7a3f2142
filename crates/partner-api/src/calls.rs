//! The calls of the contract, typed. Each is a small struct: `request()` says what to send,
//! `decode()` reads the answer.

use crate::call::Call;
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::model::{AccountSettings, ChildList, Contact, ContactTypes, TokenList, WhoAmI};
use crate::wire::request::{accounts_accept, encode_component, Family, Request, Response};
use crate::wire::DecodeError;

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
    use crate::wire::request::Method;

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

// ---------------------------------------------------------------------------------------
// Writes and the rest of the Accounts API.

use crate::enterprise::{
    Billing, CardDecline, ClientRevision, Features, Quota, Settings, SettingsUpdate, Share,
};
use crate::wire::request::Method;
use crate::writes::{
    NewCredentials, Portfolio, Product, Secret, TokenCreate, TokenSecret, UserCreate, UserUpdate,
};

const XML: &str = "application/xml";
const JSON: &str = "application/json";

fn write(
    family: Family,
    method: Method,
    path: String,
    content_type: &'static str,
    body: String,
    idempotent: bool,
) -> Request {
    Request {
        family,
        method,
        path,
        query: Vec::new(),
        headers: vec![("Content-Type", content_type.to_owned())],
        body: Some(body),
        idempotent,
    }
}

/// Any 2xx is success; the body (plain text, empty, or anything) is not needed.
fn expect_success(r: &Response) -> Result<(), ApiError> {
    if r.is_success() {
        Ok(())
    } else {
        Err(ApiError::from_response(r))
    }
}

/// `POST /users/{parent}/users`: create a sub-account. Answers 201 with no documented body;
/// the new account is found by listing the parent's children and matching `external_id`.
/// Never retried blindly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateAccount {
    pub parent: AccountId,
    pub account: UserCreate,
}

impl Call for CreateAccount {
    type Output = ();
    fn request(&self) -> Request {
        write(
            Family::Accounts,
            Method::Post,
            format!("/users/{}/users", self.parent),
            XML,
            self.account.to_xml(),
            false,
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `PUT /users/{id}`: disable, re-enable, move, assign or remove a product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateAccount {
    pub id: AccountId,
    pub update: UserUpdate,
}

impl Call for UpdateAccount {
    type Output = ();
    fn request(&self) -> Request {
        // A partial update, not a whole replacement: not retried blindly (contract).
        write(
            Family::Accounts,
            Method::Put,
            format!("/users/{}", self.id),
            XML,
            self.update.to_xml(),
            false,
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `DELETE /users/{id}`: deletes the account with all its children, or schedules it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteAccount(pub AccountId);

impl Call for DeleteAccount {
    type Output = ();
    fn request(&self) -> Request {
        Request {
            method: Method::Delete,
            idempotent: false,
            ..accounts_get(format!("/users/{}", self.0))
        }
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `POST /users/{id}/contacts/`: add a contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddContact {
    pub account: AccountId,
    pub contact: Contact,
}

impl Call for AddContact {
    type Output = ();
    fn request(&self) -> Request {
        write(
            Family::Accounts,
            Method::Post,
            format!("/users/{}/contacts/", self.account),
            XML,
            self.contact.to_xml(),
            false,
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `PUT /users/{id}/contacts/{type}`: replace a contact (a whole replacement, so retryable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateContact {
    pub account: AccountId,
    pub contact: Contact,
}

impl Call for UpdateContact {
    type Output = ();
    fn request(&self) -> Request {
        write(
            Family::Accounts,
            Method::Put,
            format!(
                "/users/{}/contacts/{}",
                self.account,
                encode_component(&self.contact.kind)
            ),
            XML,
            self.contact.to_xml_update(),
            true,
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `POST /users/{id}/tokens/`: add a person's login or an API key. Answers the credentials,
/// shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateToken {
    pub account: AccountId,
    pub token: TokenCreate,
}

impl Call for CreateToken {
    type Output = NewCredentials;
    fn request(&self) -> Request {
        write(
            Family::Accounts,
            Method::Post,
            format!("/users/{}/tokens/", self.account),
            XML,
            self.token.to_xml(),
            false,
        )
    }
    fn decode(&self, r: &Response) -> Result<NewCredentials, ApiError> {
        expect_success(r)?;
        match NewCredentials::from_xml(&r.body) {
            Ok(c) => Ok(c),
            // A region that answers an empty 201 to chosen credentials: they are what was sent.
            Err(e) => match &self.token.secret {
                TokenSecret::Chosen { name, password } if r.body.trim().is_empty() => {
                    Ok(NewCredentials {
                        name: name.clone(),
                        password: password.clone(),
                    })
                }
                _ => Err(ApiError::Malformed(e)),
            },
        }
    }
}

/// `DELETE /users/{id}/tokens/{aname}`: remove a user or key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteToken {
    pub account: AccountId,
    pub name: String,
}

impl Call for DeleteToken {
    type Output = ();
    fn request(&self) -> Request {
        Request {
            method: Method::Delete,
            idempotent: false,
            ..accounts_get(format!(
                "/users/{}/tokens/{}",
                self.account,
                encode_component(&self.name)
            ))
        }
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `GET /users/{id}/product`: the effective product; `None` when neither the account nor an
/// ancestor has one (the region's 404).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetProduct(pub AccountId);

impl Call for GetProduct {
    type Output = Option<Product>;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/product", self.0))
    }
    fn decode(&self, r: &Response) -> Result<Option<Product>, ApiError> {
        if r.status == 404 {
            return Ok(None);
        }
        decode_with(r, Product::from_xml).map(Some)
    }
}

/// `GET /users/{id}/portfolio`: the products the partner may assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetPortfolio(pub AccountId);

impl Call for GetPortfolio {
    type Output = Portfolio;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/portfolio", self.0))
    }
    fn decode(&self, r: &Response) -> Result<Portfolio, ApiError> {
        decode_with(r, Portfolio::from_xml)
    }
}

// ---------------------------------------------------------------------------------------
// The Enterprise API (JSON).

fn json_get(path: &str) -> Request {
    Request::get(Family::Enterprise, path.into()).header("Accept", JSON)
}

fn json_post(path: &str, body: String) -> Request {
    let mut r = write(
        Family::Enterprise,
        Method::Post,
        path.into(),
        JSON,
        body,
        false,
    );
    r.headers.push(("Accept", JSON.to_owned()));
    r
}

fn decode_json<T: serde::de::DeserializeOwned>(
    r: &Response,
    expected: &'static str,
) -> Result<T, ApiError> {
    decode_with(r, |body| {
        serde_json::from_str(body).map_err(|e| DecodeError {
            expected,
            detail: e.to_string(),
        })
    })
}

/// `POST /partner/billing`. A declined card is [`ApiError::CardDeclined`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetBilling(pub Billing);

impl Call for SetBilling {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/billing",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        if r.status == 409 {
            if let Ok(d) = serde_json::from_str::<CardDecline>(&r.body) {
                return Err(ApiError::CardDeclined {
                    code: d.code,
                    reason: d.reason,
                });
            }
        }
        expect_success(r)
    }
}

/// `POST /partner/password`: the body is the new password as a JSON string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPassword(pub Secret);

impl Call for SetPassword {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/password",
            serde_json::to_string(self.0.expose()).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `GET /partner/quota`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetQuota;

impl Call for GetQuota {
    type Output = Quota;
    fn request(&self) -> Request {
        json_get("/partner/quota")
    }
    fn decode(&self, r: &Response) -> Result<Quota, ApiError> {
        decode_json(r, "the quota as JSON")
    }
}

/// `GET /partner/features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetFeatures;

impl Call for GetFeatures {
    type Output = Features;
    fn request(&self) -> Request {
        json_get("/partner/features")
    }
    fn decode(&self, r: &Response) -> Result<Features, ApiError> {
        decode_json(r, "the features as JSON")
    }
}

/// `GET /partner/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetSettings;

impl Call for GetSettings {
    type Output = Settings;
    fn request(&self) -> Request {
        json_get("/partner/settings")
    }
    fn decode(&self, r: &Response) -> Result<Settings, ApiError> {
        decode_json(r, "the enterprise settings as JSON")
    }
}

/// `POST /partner/settings` with only the changed settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSettings(pub SettingsUpdate);

impl Call for UpdateSettings {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/settings",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `GET /shares/?limit=&offset=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListShares {
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl Call for ListShares {
    type Output = Vec<Share>;
    fn request(&self) -> Request {
        let mut r = json_get("/shares/");
        r.query = [("limit", self.limit), ("offset", self.offset)]
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
            .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<Share>, ApiError> {
        decode_json(r, "a JSON list of shares")
    }
}

/// `GET /clientrevisions/`: devices per client revision. `None` leaves a filter at its default
/// (min 0, max and days unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListClientRevisions {
    pub min_revision: Option<i64>,
    pub max_revision: Option<i64>,
    pub max_days_since_login: Option<i64>,
}

impl Call for ListClientRevisions {
    type Output = Vec<ClientRevision>;
    fn request(&self) -> Request {
        let mut r = json_get("/clientrevisions/");
        r.query = [
            ("min_revision", self.min_revision),
            ("max_revision", self.max_revision),
            ("max_days_since_login", self.max_days_since_login),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
        .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<ClientRevision>, ApiError> {
        decode_json(r, "a JSON list of client revisions")
    }
}

#[cfg(test)]
mod write_tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.into(),
        }
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

    #[test]
    fn a_declined_card_is_explained() {
        let call = SetBilling(Billing::default());
        assert_eq!(
            call.decode(&resp(409, r#"{"code": "33", "reason": "Card expired"}"#)),
            Err(ApiError::CardDeclined {
                code: "33".into(),
                reason: "Card expired".into()
            })
        );
        assert!(
            matches!(call.decode(&resp(400, r#"{"reason": "bad", "conflicts": ["card_number"]}"#)),
            Err(ApiError::BadRequest { fields, .. }) if fields == ["card_number"])
        );
    }

    #[test]
    fn created_credentials_are_read_or_echoed() {
        let id = AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap();
        let mut token = TokenCreate {
            role: crate::Role::ReadOnlySupport,
            description: "RMM".into(),
            secret: TokenSecret::Generated,
            lifetime: None,
            expires: None,
            primary: false,
            single_use: false,
            responsibilities: vec![],
        };
        let call = CreateToken {
            account: id.clone(),
            token: token.clone(),
        };
        let creds = call
            .decode(&resp(
                201,
                "<credentials><aname>k1</aname><apass>p&amp;w</apass></credentials>",
            ))
            .unwrap();
        assert_eq!(
            (creds.name.as_str(), creds.password.expose()),
            ("k1", "p&w")
        );
        assert!(matches!(
            call.decode(&resp(201, "")),
            Err(ApiError::Malformed(_))
        ));
        token.secret = TokenSecret::Chosen {
            name: "mine".into(),
            password: Secret("a-long-password".into()),
        };
        let echoed = CreateToken {
            account: id.clone(),
            token,
        }
        .decode(&resp(201, ""))
        .unwrap();
        assert_eq!(echoed.name, "mine");
        assert!(matches!(
            CreateToken {
                account: id,
                token: call.token
            }
            .decode(&resp(409, "Token name exists")),
            Err(ApiError::Conflict(_))
        ));
    }
}
