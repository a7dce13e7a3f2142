//! `/users/` and `/users/{id}`: who owns the credentials, an account's settings, and creating,
//! updating and deleting an account.

use super::{accounts_get, opt_bool, opt_id, opt_string, required_id, root, text, XML};
use crate::call::{decode_with, expect_success, write, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems, Secret};
use crate::ids::AccountId;
use crate::roles::Role;
use crate::validate;
use crate::wire::request::{Family, Method, Request, Response};
use crate::wire::xml::{self, XmlWriter};
use crate::wire::DecodeError;

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

/// What must be typed before a sign-in (a [`GetWhoAmI`] with the typed login) is sent.
pub fn sign_in_problems(login: &str, password: &str) -> Vec<FieldProblem> {
    let mut p = Problems::default();
    if login.trim().is_empty() {
        p.check::<()>(
            "login",
            Err("Enter your login (usually your email).".into()),
        );
    }
    if password.is_empty() {
        p.check::<()>("password", Err("Enter your password.".into()));
    }
    p.0
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

/// `POST /users/{parent}/users`: create a sub-account. Answers 201 with no documented body;
/// the new account is found in the parent's documented listing (see [`super::once`]).
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

/// `GET /users/`: who owns the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhoAmI {
    pub id: AccountId,
}

impl WhoAmI {
    const EXPECTED: &'static str = "a <user> document with the account's <id>";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "user", Self::EXPECTED)?;
        Ok(WhoAmI {
            id: required_id(&e, "id", Self::EXPECTED)?,
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("user").text("id", self.id.as_str());
        w.finish()
    }
}

/// `GET /users/{id}`: an account's settings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountSettings {
    /// Not every region repeats the id; the caller knows it.
    pub id: Option<AccountId>,
    pub enabled: bool,
    pub created: Option<String>,
    /// Only when assigned to this account directly.
    pub product: Option<String>,
    pub parent: Option<AccountId>,
    pub subscribed: Option<bool>,
    pub external_id: Option<String>,
    /// When the deletion is scheduled for, if it is.
    pub deletion: Option<String>,
}

impl AccountSettings {
    const EXPECTED: &'static str = "a <user> document with the account's settings";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "user", Self::EXPECTED)?;
        Ok(AccountSettings {
            id: opt_id(&e, &["id"]),
            // An account is enabled unless it says otherwise.
            enabled: opt_bool(&e, "enabled").unwrap_or(true),
            created: opt_string(&e, &["created"]),
            product: opt_string(&e, &["product"]),
            parent: opt_id(&e, &["parent", "parent_id"]),
            subscribed: opt_bool(&e, "subscribed"),
            external_id: opt_string(&e, &["external_id"]),
            deletion: opt_string(&e, &["deletion"]),
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("user")
            .opt_text("id", self.id.as_ref().map(AccountId::as_str))
            .boolean("enabled", self.enabled)
            .opt_text("created", self.created.as_deref())
            .opt_text("product", self.product.as_deref())
            .opt_text("parent", self.parent.as_ref().map(AccountId::as_str));
        if let Some(s) = self.subscribed {
            w.boolean("subscribed", s);
        }
        w.opt_text("external_id", self.external_id.as_deref())
            .opt_text("deletion", self.deletion.as_deref());
        w.finish()
    }
}

/// `user_create`: the body of `POST /users/{parent}/users`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserCreate {
    /// The primary user's login, an email. Required.
    pub login: String,
    /// Without one the region sends an activation email.
    pub password: Option<Secret>,
    /// A free id for provisioning systems. The portal sends one with every create, but no
    /// region is documented to refuse a reused one or to show it back: it is not what keeps
    /// a create from happening twice ([`super::once`]).
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

    /// Every problem, and a first user's role that `creator` may not give (a kind of
    /// account it may not create), said first.
    pub fn validate_for(&self, creator: &Role) -> Vec<FieldProblem> {
        let mut found = self.validate();
        if !creator.may_create_with(self.acl.as_ref()) {
            found.insert(
                0,
                FieldProblem {
                    field: "acl",
                    message: "Choose the kind of account.".into(),
                },
            );
        }
        found
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_creator_gives_only_the_roles_it_may() {
        let account = UserCreate {
            login: "new@example.com".into(),
            acl: Some(Role::PartnerParent),
            ..UserCreate::default()
        };
        assert!(account
            .validate_for(&Role::PartnerParent)
            .iter()
            .all(|p| p.field != "acl"));
        assert_eq!(account.validate_for(&Role::MspPartner)[0].field, "acl");
    }

    #[test]
    fn a_sign_in_needs_a_login_and_a_password() {
        let fields = |l: &str, p: &str| -> Vec<&str> {
            sign_in_problems(l, p).iter().map(|p| p.field).collect()
        };
        assert_eq!(fields(" ", ""), ["login", "password"]);
        assert!(fields("msp@example.com", "x").is_empty());
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
}
