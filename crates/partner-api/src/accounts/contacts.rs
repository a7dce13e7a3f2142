//! `/users/{id}/contacts`: an account's contact types and its contacts.

use super::{accounts_get, opt_string, root, XML};
use crate::call::{decode_with, expect_success, write, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems};
use crate::ids::AccountId;
use crate::validate;
use crate::wire::request::{encode_component, Family, Method, Request, Response};
use crate::wire::xml::XmlWriter;
use crate::wire::DecodeError;

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

/// `GET /users/{id}/contacts`: which contact types exist.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactTypes {
    pub types: Vec<String>,
}

impl ContactTypes {
    const EXPECTED: &'static str = "a <contacts> list of contact types";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "contacts", Self::EXPECTED)?;
        Ok(ContactTypes {
            types: e
                .children_named("type")
                .map(|t| t.text.trim().to_owned())
                .filter(|t| !t.is_empty())
                .collect(),
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("contacts");
        for t in &self.types {
            w.text("type", t);
        }
        w.finish()
    }
}

/// The contact type of an account's primary contact.
pub const PRIMARY_CONTACT: &str = "p";

/// One contact of an account.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Contact {
    pub kind: String,
    pub email: Option<String>,
    pub company_name: Option<String>,
    pub full_name: Option<String>,
    pub phone: Option<String>,
    pub vat_number: Option<String>,
    pub street1: Option<String>,
    pub street2: Option<String>,
    pub city: Option<String>,
    pub zip: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
}

impl Contact {
    const EXPECTED: &'static str = "a <contact> document";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "contact", Self::EXPECTED)?;
        Ok(Contact {
            kind: opt_string(&e, &["type"]).unwrap_or_default(),
            email: opt_string(&e, &["email"]),
            company_name: opt_string(&e, &["companyname", "company_name"]),
            full_name: opt_string(&e, &["fullname", "full_name"]),
            phone: opt_string(&e, &["phone"]),
            vat_number: opt_string(&e, &["vatnumber"]),
            street1: opt_string(&e, &["street1"]),
            street2: opt_string(&e, &["street2"]),
            city: opt_string(&e, &["city"]),
            zip: opt_string(&e, &["zip", "zipcode"]),
            state: opt_string(&e, &["state"]),
            country: opt_string(&e, &["country"]),
            language: opt_string(&e, &["language"]),
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("contact")
            .text("type", &self.kind)
            .opt_text("email", self.email.as_deref())
            .opt_text("companyname", self.company_name.as_deref())
            .opt_text("fullname", self.full_name.as_deref())
            .opt_text("phone", self.phone.as_deref())
            .opt_text("vatnumber", self.vat_number.as_deref())
            .opt_text("street1", self.street1.as_deref())
            .opt_text("street2", self.street2.as_deref())
            .opt_text("city", self.city.as_deref())
            .opt_text("zip", self.zip.as_deref())
            .opt_text("state", self.state.as_deref())
            .opt_text("country", self.country.as_deref())
            .opt_text("language", self.language.as_deref());
        w.finish()
    }

    /// Company, else full name, else email.
    pub fn display_name(&self) -> Option<&str> {
        self.company_name
            .as_deref()
            .or(self.full_name.as_deref())
            .or(self.email.as_deref())
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

#[cfg(test)]
mod tests {
    use super::*;

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
