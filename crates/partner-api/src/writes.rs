//! Bodies the Accounts API accepts (XML), each with an escaping encoder, a tolerant decoder
//! (the sandbox reads what the portal writes) and validation whose failures name the field.

use crate::ids::AccountId;
use crate::model::{root, Contact};
use crate::roles::Role;
use crate::validate;
use crate::wire::xml::{self, Element, XmlWriter};
use crate::wire::DecodeError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A value that must never be printed: passwords, card numbers, security codes. `Debug`
/// shows only that it is set; serialisation is transparent, for the wire only.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(empty)"
        } else {
            "Secret(***)"
        })
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A validation failure on one field: the field's wire name and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads a region's 400 back into field problems: the sandbox (and regions that do the
/// same) answer one `field: message` line per problem. Lines that name no field in `fields`
/// are returned as `None`-field problems in the second list.
pub fn field_problems(message: &str, fields: &[&'static str]) -> (Vec<FieldProblem>, Vec<String>) {
    let mut named = Vec::new();
    let mut other = Vec::new();
    for line in message.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line
            .split_once(": ")
            .and_then(|(f, m)| Some((fields.iter().find(|x| **x == f)?, m)))
        {
            Some((field, m)) => named.push(FieldProblem {
                field,
                message: m.to_owned(),
            }),
            None => other.push(line.to_owned()),
        }
    }
    (named, other)
}

/// The roles a new account's first user may get, by the kind of account, partner side first.
pub fn roles_for(kind: crate::AccountKind) -> &'static [Role] {
    match kind {
        crate::AccountKind::Partner => &[Role::PartnerParent, Role::MspPartner],
        crate::AccountKind::Customer => &[Role::MasterAdmin],
    }
}

/// Roles for an API key on an account of `kind`: read-only first.
pub fn api_roles_for(kind: crate::AccountKind) -> &'static [Role] {
    match kind {
        crate::AccountKind::Partner => &[
            Role::ReadOnlyMspPartner,
            Role::MspSupport,
            Role::MspPartner,
            Role::PartnerParent,
        ],
        crate::AccountKind::Customer => &[
            Role::ReadOnlySupport,
            Role::StandardSupport,
            Role::BackupAdmin,
            Role::MasterAdmin,
        ],
    }
}

/// Collects field problems.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn check<T>(&mut self, field: &'static str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.0.push(FieldProblem { field, message });
                None
            }
        }
    }
    pub fn opt<T>(
        &mut self,
        field: &'static str,
        value: Option<&str>,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) {
        if let Some(v) = value {
            self.check(field, f(v));
        }
    }
}

fn text(e: &Element, names: &[&str]) -> Option<String> {
    e.child_text_any(names).map(str::to_owned)
}

/// `user_create`: the body of `POST /users/{parent}/users`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserCreate {
    /// The primary user's login, an email. Required.
    pub login: String,
    /// Without one the region sends an activation email.
    pub password: Option<Secret>,
    /// A free id for provisioning systems; the portal's idempotency key.
    pub external_id: Option<String>,
    /// The primary user's role; it makes the account a partner or a customer.
    pub acl: Option<Role>,
    pub product: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub company_name: Option<String>,
    pub zip_code: Option<String>,
    pub phone: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub attributes: Vec<(String, String)>,
}

impl UserCreate {
    const EXPECTED: &'static str = "a <user_create> document";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("user_create")
            .text("login", &self.login)
            .opt_text("password", self.password.as_ref().map(Secret::expose))
            .opt_text("external_id", self.external_id.as_deref())
            .opt_text("acl", self.acl.as_ref().map(Role::as_str))
            .opt_text("product", self.product.as_deref())
            .opt_text("fullname", self.full_name.as_deref())
            .opt_text("email", self.email.as_deref())
            .opt_text("companyname", self.company_name.as_deref())
            .opt_text("zipcode", self.zip_code.as_deref())
            .opt_text("phone", self.phone.as_deref())
            .opt_text("country", self.country.as_deref())
            .opt_text("language", self.language.as_deref());
        if !self.attributes.is_empty() {
            w.open("attributes");
            for (name, value) in &self.attributes {
                w.open("attribute")
                    .text("name", name)
                    .text("value", value)
                    .close();
            }
            w.close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "user_create", Self::EXPECTED)?;
        Ok(UserCreate {
            login: text(&e, &["login"]).unwrap_or_default(),
            password: text(&e, &["password"]).map(Secret),
            external_id: text(&e, &["external_id"]),
            acl: text(&e, &["acl"]).map(|r| Role::parse(&r)),
            product: text(&e, &["product"]),
            full_name: text(&e, &["fullname", "full_name"]),
            email: text(&e, &["email"]),
            company_name: text(&e, &["companyname", "company_name"]),
            zip_code: text(&e, &["zipcode", "zip"]),
            phone: text(&e, &["phone"]),
            country: text(&e, &["country"]),
            language: text(&e, &["language"]),
            attributes: e
                .child("attributes")
                .map(|a| {
                    a.children_named("attribute")
                        .filter_map(|at| {
                            Some((
                                text(at, &["name"])?,
                                text(at, &["value"]).unwrap_or_default(),
                            ))
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Every problem, each on its field.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if self.login.trim().is_empty() {
            p.check::<()>(
                "login",
                Err("Enter the login of the account's first user (an email address).".into()),
            );
        } else {
            p.check("login", validate::email(&self.login));
        }
        if let Some(pw) = &self.password {
            if let Err(e) = validate::password(pw.expose()) {
                p.check::<()>(
                    "password",
                    Err(format!(
                        "{e} Leave it empty to send an activation email instead."
                    )),
                );
            }
        }
        p.opt("email", self.email.as_deref(), validate::email);
        p.opt("country", self.country.as_deref(), validate::country);
        p.opt("language", self.language.as_deref(), validate::language_tag);
        if let Some(ext) = &self.external_id {
            if ext.trim().is_empty() || ext.len() > 128 {
                p.check::<()>(
                    "external_id",
                    Err("An external id has 1 to 128 characters.".into()),
                );
            }
        }
        p.0
    }
}

/// `user_update`: the body of `PUT /users/{id}`. Only the fields that are set are sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserUpdate {
    /// `false` disables the account, `true` re-enables it.
    pub enabled: Option<bool>,
    pub subscribed: Option<bool>,
    /// `Some("")` removes the product assignment.
    pub product: Option<String>,
    pub external_id: Option<String>,
    pub grace_expires: Option<String>,
    /// Moves the account under another parent.
    pub parent: Option<AccountId>,
}

impl UserUpdate {
    const EXPECTED: &'static str = "a <user_update> document";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("user_update");
        if let Some(e) = self.enabled {
            w.boolean("enabled", e);
        }
        if let Some(s) = self.subscribed {
            w.boolean("subscribed", s);
        }
        w.opt_text("product", self.product.as_deref())
            .opt_text("external_id", self.external_id.as_deref())
            .opt_text("grace-expires", self.grace_expires.as_deref())
            .opt_text("parent", self.parent.as_ref().map(AccountId::as_str));
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "user_update", Self::EXPECTED)?;
        let parent = match e.child_text("parent") {
            Some(t) => Some(AccountId::parse(t).map_err(|err| DecodeError {
                expected: Self::EXPECTED,
                detail: err.to_string(),
            })?),
            None => None,
        };
        Ok(UserUpdate {
            enabled: e.child_text("enabled").and_then(xml::parse_bool),
            subscribed: e.child_text("subscribed").and_then(xml::parse_bool),
            // An empty <product/> is meaningful: it removes the assignment.
            product: e.child("product").map(|p| p.text.trim().to_owned()),
            external_id: text(&e, &["external_id"]),
            grace_expires: text(&e, &["grace-expires"]),
            parent,
        })
    }

    pub fn is_empty(&self) -> bool {
        *self == UserUpdate::default()
    }
}

impl Contact {
    /// The body of `PUT /users/{id}/contacts/{type}`: the same fields, without the type.
    pub fn to_xml_update(&self) -> String {
        let mut c = self.clone();
        let doc = {
            c.kind = String::new();
            c.to_xml()
        };
        doc.replace("<type></type>", "")
    }

    /// Every problem, each on its field.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if self.kind.trim().is_empty() {
            p.check::<()>("type", Err("Choose the contact's type.".into()));
        }
        p.opt("email", self.email.as_deref(), validate::email);
        p.opt("country", self.country.as_deref(), validate::country);
        p.opt("language", self.language.as_deref(), validate::language_tag);
        p.0
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
            if name.trim().is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
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

/// A product (plan) a partner can assign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: String,
}

impl Product {
    const EXPECTED: &'static str = "a <product> document with <id> and <name>";

    fn write(&self, w: &mut XmlWriter) {
        w.open("product")
            .text("id", &self.id)
            .text("name", &self.name)
            .close();
    }

    fn read(e: &Element) -> Option<Product> {
        let id = text(e, &["id"])?;
        Some(Product {
            name: text(e, &["name"]).unwrap_or_else(|| id.clone()),
            id,
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        self.write(&mut w);
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "product", Self::EXPECTED)?;
        Product::read(&e).ok_or(DecodeError {
            expected: Self::EXPECTED,
            detail: "<id> is missing".into(),
        })
    }
}

/// `GET /users/{id}/portfolio`: the products a partner may assign.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Portfolio {
    pub products: Vec<Product>,
}

impl Portfolio {
    const EXPECTED: &'static str = "a <portfolio> list of products";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("portfolio");
        for p in &self.products {
            p.write(&mut w);
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "portfolio", Self::EXPECTED)?;
        Ok(Portfolio {
            products: e
                .children_named("product")
                .filter_map(Product::read)
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_400_maps_back_onto_fields() {
        let (named, other) = field_problems(
            "login: “x” is not an email address\ncountry: “Denmark” is not a country code\nsomething else",
            &["login", "country", "email"],
        );
        assert_eq!(
            named.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["login", "country"]
        );
        assert!(named[1].message.starts_with("“Denmark”"));
        assert_eq!(other, ["something else"]);
    }

    #[test]
    fn secrets_never_print() {
        let c = UserCreate {
            login: "a@b.example".into(),
            password: Some(Secret("hunter2hunter2".into())),
            ..UserCreate::default()
        };
        assert!(!format!("{c:?}").contains("hunter2"));
        assert!(c.to_xml().contains("<password>hunter2hunter2</password>"));
    }

    #[test]
    fn user_create_validation_names_fields() {
        let c = UserCreate {
            login: "not an email".into(),
            password: Some(Secret("short".into())),
            country: Some("XX".into()),
            language: Some("en_GB".into()),
            ..UserCreate::default()
        };
        let fields: Vec<_> = c.validate().iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["login", "password", "country", "language"]);
        assert!(UserCreate {
            login: "ok@b.example".into(),
            ..UserCreate::default()
        }
        .validate()
        .is_empty());
    }

    #[test]
    fn update_with_empty_product_removes_it() {
        let u = UserUpdate {
            product: Some(String::new()),
            ..UserUpdate::default()
        };
        let back = UserUpdate::from_xml(&u.to_xml()).unwrap();
        assert_eq!(back.product.as_deref(), Some(""));
        assert_eq!(
            UserUpdate::from_xml("<user_update/>").unwrap(),
            UserUpdate::default()
        );
        assert!(UserUpdate::from_xml("<user_update><parent>x</parent></user_update>").is_err());
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
    }

    #[test]
    fn contact_update_has_no_type() {
        let c = Contact {
            kind: "p".into(),
            email: Some("a@b.example".into()),
            ..Contact::default()
        };
        let doc = c.to_xml_update();
        assert!(!doc.contains("<type>"));
        assert_eq!(
            Contact::from_xml(&doc).unwrap().email.as_deref(),
            Some("a@b.example")
        );
    }
}
