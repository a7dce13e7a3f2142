//! The Accounts API (XML), one module per area: [`users`] (who am I, an account's settings,
//! creating, updating and deleting accounts), [`once`] (creating an account exactly once),
//! [`children`], [`contacts`], [`tokens`] (users and API keys), [`permissions`] (the roles a
//! region offers) and [`products`]. Each area holds its calls, its documents and its tests.
//!
//! Every document is a type with a tolerant decoder (`from_xml`: unknown elements ignored,
//! optional ones may be missing) and an escaping encoder (`to_xml`); the bodies the API
//! accepts also validate, and their failures name the field. The sandbox answers with the
//! encoders and reads with the decoders, the portal the other way round.

pub mod children;
pub mod contacts;
pub mod once;
pub mod permissions;
pub mod products;
pub mod tokens;
pub mod users;

use crate::ids::AccountId;
use crate::wire::request::{Family, Request};
use crate::wire::xml::{self, Element};
use crate::wire::DecodeError;

const XML: &str = "application/xml";

fn accounts_get(path: String) -> Request {
    Request::get(Family::Accounts, path)
}

pub(crate) fn root(body: &str, name: &str, expected: &'static str) -> Result<Element, DecodeError> {
    let e = xml::parse(body).map_err(|e| DecodeError {
        expected,
        detail: format!("not well-formed XML: {e}"),
    })?;
    if e.name != name {
        return Err(DecodeError {
            expected,
            detail: format!("the document is a <{}>", e.name),
        });
    }
    Ok(e)
}

fn required_id(e: &Element, name: &str, expected: &'static str) -> Result<AccountId, DecodeError> {
    let text = e.child_text(name).ok_or_else(|| DecodeError {
        expected,
        detail: format!("<{name}> is missing"),
    })?;
    AccountId::parse(text).map_err(|err| DecodeError {
        expected,
        detail: err.to_string(),
    })
}

fn opt_id(e: &Element, names: &[&str]) -> Option<AccountId> {
    e.child_text_any(names)
        .and_then(|t| AccountId::parse(t).ok())
}

fn opt_string(e: &Element, names: &[&str]) -> Option<String> {
    e.child_text_any(names).map(str::to_owned)
}

fn opt_bool(e: &Element, name: &str) -> Option<bool> {
    e.child_text(name).and_then(xml::parse_bool)
}

fn text(e: &Element, names: &[&str]) -> Option<String> {
    e.child_text_any(names).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::children::ChildList;
    use super::contacts::Contact;
    use super::tokens::TokenList;
    use super::users::{AccountSettings, WhoAmI};
    use super::*;
    use crate::roles::{AccountKind, Role};

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    #[test]
    fn documented_examples_decode() {
        assert_eq!(
            WhoAmI::from_xml("<user><id>nq2v51-5mx23m-qb7sah</id></user>")
                .unwrap()
                .id,
            id("nq2v51-5mx23m-qb7sah")
        );
        let s = AccountSettings::from_xml(
            "<user><enabled>false</enabled><created>2023-01-02T03:04:05Z</created>\
             <parent>aaaaaa-bbbbbb-cccccc</parent><subscribed>true</subscribed>\
             <unknown><deep/></unknown></user>",
        )
        .unwrap();
        assert!(!s.enabled);
        assert_eq!(s.parent, Some(id("aaaaaa-bbbbbb-cccccc")));
        assert_eq!(s.product, None);
        assert_eq!(s.subscribed, Some(true));

        let v0 = ChildList::from_xml(
            "<users><id>aaaaaa-bbbbbb-cccccc</id><id>dddddd-eeeeee-ffffff</id></users>",
        )
        .unwrap();
        assert_eq!(v0.children.len(), 2);
        assert_eq!(v0.children[1].display_name(), "dddddd-eeeeee-ffffff");

        let v1 = ChildList::from_xml(
            "<users><user><id>aaaaaa-bbbbbb-cccccc</id><created>2024-05-06T07:08:09Z</created>\
             <parent_id>dddddd-eeeeee-ffffff</parent_id><email>a@b.example</email>\
             <full_name>Ann Berg</full_name><company_name>Berg &amp; Co</company_name>\
             <extra>ignored</extra></user></users>",
        )
        .unwrap();
        assert_eq!(v1.children[0].display_name(), "Berg & Co");
        assert_eq!(v1.children[0].parent_id, Some(id("dddddd-eeeeee-ffffff")));

        let c = Contact::from_xml(
            "<contact><type>p</type><company_name>Old Spelling</company_name></contact>",
        )
        .unwrap();
        assert_eq!(c.company_name.as_deref(), Some("Old Spelling"));

        let t = TokenList::from_xml(
            "<tokens><token><aname>a@b.example</aname><primary>true</primary>\
             <acl>MSPPartner</acl></token><token><aname>key1</aname><primary>false</primary>\
             <acl>ReadOnlySupport</acl></token></tokens>",
        )
        .unwrap();
        assert_eq!(t.account_kind(), AccountKind::Partner);
        assert_eq!(t.owner_role(), Some(&Role::MspPartner));
        assert_eq!(t.find("key1").unwrap().role, Role::ReadOnlySupport);
    }

    #[test]
    fn wrong_documents_say_what_was_expected() {
        let e = WhoAmI::from_xml("<users/>").unwrap_err();
        assert!(e.to_string().contains("<user>"));
        let e = WhoAmI::from_xml("<user><id>nope</id></user>").unwrap_err();
        assert!(e.detail.contains("not an account GUID"));
        let e = ChildList::from_xml("Anonymous access denied").unwrap_err();
        assert!(e.detail.contains("not well-formed"));
    }
}
