//! `/users/{id}/tokens/`: an account's users (a person's login) and API keys.

use super::{accounts_get, opt_bool, opt_string, root, text, XML};
use crate::call::{decode_with, expect_success, write, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems, Secret};
use crate::ids::AccountId;
use crate::roles::{AccountKind, Role};
use crate::wire::request::{encode_component, Family, Method, Request, Response};
use crate::wire::xml::{self, XmlWriter};
use crate::wire::DecodeError;

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

/// A user (a person's login, `primary = true`) or an API key on an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    pub name: String,
    pub description: Option<String>,
    pub created: Option<String>,
    pub primary: bool,
    pub role: Role,
    pub eacl: Option<String>,
    pub lifetime: Option<String>,
    pub expires: Option<String>,
    pub last_use: Option<String>,
}

/// `GET /users/{id}/tokens/`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenList {
    pub tokens: Vec<Token>,
}

impl TokenList {
    const EXPECTED: &'static str = "a <tokens> list of users and API keys";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "tokens", Self::EXPECTED)?;
        Ok(TokenList {
            tokens: e
                .children_named("token")
                .filter_map(|t| {
                    Some(Token {
                        name: opt_string(t, &["aname"])?,
                        description: opt_string(t, &["descr"]),
                        created: opt_string(t, &["created"]),
                        primary: opt_bool(t, "primary").unwrap_or(false),
                        role: Role::parse(t.child_text("acl").unwrap_or_default()),
                        eacl: opt_string(t, &["eacl"]),
                        lifetime: opt_string(t, &["lifetime"]),
                        expires: opt_string(t, &["expires"]),
                        last_use: opt_string(t, &["lastuse"]),
                    })
                })
                .collect(),
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("tokens");
        for t in &self.tokens {
            w.open("token")
                .text("aname", &t.name)
                .opt_text("descr", t.description.as_deref())
                .opt_text("created", t.created.as_deref())
                .boolean("primary", t.primary)
                .text("acl", t.role.as_str())
                .opt_text("eacl", t.eacl.as_deref())
                .opt_text("lifetime", t.lifetime.as_deref())
                .opt_text("expires", t.expires.as_deref())
                .opt_text("lastuse", t.last_use.as_deref())
                .close();
        }
        w.finish()
    }

    /// The account's kind: partner when a person on it has a partner role.
    pub fn account_kind(&self) -> AccountKind {
        if self.tokens.iter().any(|t| t.primary && t.role.is_partner()) {
            AccountKind::Partner
        } else {
            AccountKind::Customer
        }
    }

    /// The account owner's role: the first person's.
    pub fn owner_role(&self) -> Option<&Role> {
        self.tokens.iter().find(|t| t.primary).map(|t| &t.role)
    }

    /// The token signed in as `name`.
    pub fn find(&self, name: &str) -> Option<&Token> {
        self.tokens.iter().find(|t| t.name == name)
    }
}

/// How a new token gets its name and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSecret {
    /// The region generates both (`<sessionkey>`).
    Generated,
    /// The caller chooses them.
    Chosen { name: String, password: Secret },
}

/// The responsibilities a person can carry on an account.
pub const RESPONSIBILITIES: [&str; 5] = [
    "Emergency",
    "Technical",
    "Financial",
    "Invoicing",
    "Protection",
];

/// The body of `POST /users/{id}/tokens/`: a person's login or an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCreate {
    pub role: Role,
    pub description: String,
    pub secret: TokenSecret,
    /// ISO-8601 period (`P90D`); none means no end.
    pub lifetime: Option<String>,
    pub expires: Option<String>,
    /// `true` for a person's login, `false` (the default) for an API key.
    pub primary: bool,
    pub single_use: bool,
    pub responsibilities: Vec<String>,
}

impl TokenCreate {
    const EXPECTED: &'static str = "a <token> document";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("token")
            .text("acl", self.role.as_str())
            .text("descr", &self.description);
        match &self.secret {
            TokenSecret::Generated => {
                w.boolean("sessionkey", true);
            }
            TokenSecret::Chosen { name, password } => {
                w.text("aname", name).text("apass", password.expose());
            }
        }
        w.opt_text("lifetime", self.lifetime.as_deref())
            .opt_text("expires", self.expires.as_deref())
            .boolean("primary", self.primary)
            .boolean("singleuse", self.single_use);
        if !self.responsibilities.is_empty() {
            w.open("responsibilities");
            for r in &self.responsibilities {
                w.text("name", r);
            }
            w.close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "token", Self::EXPECTED)?;
        let secret = match (text(&e, &["aname"]), e.child("sessionkey")) {
            (Some(name), _) => TokenSecret::Chosen {
                name,
                password: Secret(text(&e, &["apass"]).unwrap_or_default()),
            },
            (None, _) => TokenSecret::Generated,
        };
        Ok(TokenCreate {
            role: Role::parse(e.child_text("acl").unwrap_or_default()),
            description: text(&e, &["descr"]).unwrap_or_default(),
            secret,
            lifetime: text(&e, &["lifetime"]),
            expires: text(&e, &["expires"]),
            primary: e
                .child_text("primary")
                .and_then(xml::parse_bool)
                .unwrap_or(false),
            single_use: e
                .child_text("singleuse")
                .and_then(xml::parse_bool)
                .unwrap_or(false),
            responsibilities: e
                .child("responsibilities")
                .map(|r| {
                    r.children_named("name")
                        .map(|n| n.text.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Every problem, each on its field.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if matches!(self.role, Role::Other(ref r) if r.is_empty()) {
            p.check::<()>("acl", Err("Choose a role.".into()));
        }
        if self.description.trim().is_empty() {
            p.check::<()>(
                "descr",
                Err("Describe what this user or key is for.".into()),
            );
        }
        if let TokenSecret::Chosen { name, password } = &self.secret {
            if self.primary {
                // A person signs in with their email address.
                p.check("aname", crate::validate::email(name));
            } else if name.trim().is_empty()
                || name.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                p.check::<()>(
                    "aname",
                    Err("A name has no spaces, like mypartnership-api.".into()),
                );
            }
            if password.0.chars().count() < 12 {
                p.check::<()>(
                    "apass",
                    Err("A password for a user or key has at least 12 characters.".into()),
                );
            }
        }
        if let Some(l) = &self.lifetime {
            if !l.starts_with('P') || l.len() < 3 {
                p.check::<()>(
                    "lifetime",
                    Err(format!(
                        "“{l}” is not an ISO-8601 period: use a form like P90D or P1Y."
                    )),
                );
            }
        }
        for r in &self.responsibilities {
            if !RESPONSIBILITIES.contains(&r.as_str()) {
                p.check::<()>(
                    "responsibilities",
                    Err(format!(
                        "“{r}” is not a responsibility: use {}.",
                        RESPONSIBILITIES.join(", ")
                    )),
                );
            }
        }
        p.0
    }
}

/// The answer to a token creation: the name and password, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredentials {
    pub name: String,
    pub password: Secret,
}

impl NewCredentials {
    const EXPECTED: &'static str = "a <credentials> document with <aname> and <apass>";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("credentials")
            .text("aname", &self.name)
            .text("apass", self.password.expose());
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "credentials", Self::EXPECTED)?;
        // A generated password may start or end with punctuation or spaces: keep it whole.
        let raw = |n: &str| e.child(n).map(|c| c.text.clone()).filter(|t| !t.is_empty());
        match (raw("aname"), raw("apass")) {
            (Some(name), Some(password)) => Ok(NewCredentials {
                name: name.trim().to_owned(),
                password: Secret(password),
            }),
            _ => Err(DecodeError {
                expected: Self::EXPECTED,
                detail: "<aname> or <apass> is missing".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn tokens_and_credentials() {
        let t = TokenCreate {
            role: Role::ReadOnlyMspPartner,
            description: "RMM tool".into(),
            secret: TokenSecret::Generated,
            lifetime: Some("P1Y".into()),
            expires: None,
            primary: false,
            single_use: false,
            responsibilities: vec!["Technical".into()],
        };
        assert_eq!(TokenCreate::from_xml(&t.to_xml()).unwrap(), t);
        let creds = NewCredentials {
            name: "key-1".into(),
            password: Secret(" <&>!'\" ".into()),
        };
        assert_eq!(NewCredentials::from_xml(&creds.to_xml()).unwrap(), creds);
        let bad = TokenCreate {
            secret: TokenSecret::Chosen {
                name: "has space".into(),
                password: Secret("short".into()),
            },
            lifetime: Some("90 days".into()),
            responsibilities: vec!["Boss".into()],
            ..t
        };
        let fields: Vec<_> = bad.validate().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec!["aname", "apass", "lifetime", "responsibilities"]
        );
        // A person's login is an email address; software's name is not.
        let person = |name: &str| TokenCreate {
            secret: TokenSecret::Chosen {
                name: name.into(),
                password: Secret("long-enough-password".into()),
            },
            primary: true,
            role: Role::MasterAdmin,
            ..bad.clone()
        };
        let problems = |t: TokenCreate| -> Vec<&'static str> {
            t.validate()
                .iter()
                .map(|p| p.field)
                .filter(|f| *f == "aname")
                .collect()
        };
        assert_eq!(problems(person("mypartnership-api")), ["aname"]);
        assert!(problems(person("jo@example.com")).is_empty());
        let unchosen = TokenCreate {
            role: Role::parse(""),
            ..person("jo@example.com")
        };
        assert_eq!(unchosen.validate()[0].field, "acl");
    }

    #[test]
    fn created_credentials_are_read_or_echoed() {
        let id = AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap();
        let mut token = TokenCreate {
            role: Role::ReadOnlySupport,
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
