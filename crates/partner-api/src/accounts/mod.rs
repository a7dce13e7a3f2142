//! The Accounts API (XML), one module per area: [`users`] (who am I, an account's settings,
//! creating, updating and deleting accounts), [`once`] (creating an account exactly once),
//! [`children`], [`contacts`], [`tokens`] (users and API keys), [`permissions`] (the roles a
//! region offers), [`products`], [`usage`] (resources, maximum usage, totals, history and the
//! billing CSV), [`expirations`] (sub-accounts over a seat limit, in grace or expired),
//! [`audit`] (the audit log, its paging, token masking and CSV) and [`monitoring`] (backup
//! summaries and device health). Each area holds its calls, its documents and its tests.
//!
//! Every document is a type with a tolerant decoder (`from_xml`: unknown elements ignored,
//! optional ones may be missing) and an escaping encoder (`to_xml`); the bodies the API
//! accepts also validate, and their failures name the field. The sandbox answers with the
//! encoders and reads with the decoders, the portal the other way round.

pub mod audit;
pub mod children;
pub mod contacts;
pub mod expirations;
pub mod monitoring;
pub mod once;
pub mod permissions;
pub mod products;
pub mod tokens;
pub mod usage;
pub mod users;

use crate::ids::AccountId;
use crate::wire::request::{Family, Request};
use crate::wire::xml::{self, Element, XmlWriter};
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

/// Seconds since 1970 of an ISO-8601 UTC time, with or without fractions
/// (`2024-12-20T11:58:30Z`, `2024-12-20T11:58:30.000Z`), or of a bare date (`2024-12-20`,
/// its midnight), as the vendor's client sends ranges.
pub fn instant_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.len() == 10 && !t.contains('T') {
        return tokens::timestamp_seconds(&format!("{t}T00:00:00Z"));
    }
    tokens::timestamp_seconds(t)
}

/// A `<range><from/><to/></range>` of two ISO-8601 times (or bare dates), as sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Range {
    pub from: String,
    pub to: String,
}

impl Range {
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Range {
            from: from.into(),
            to: to.into(),
        }
    }

    /// A range of two times (seconds since 1970), written `2024-12-20T11:58:30Z`.
    pub fn times(from: i64, to: i64) -> Self {
        Range::new(crate::units::iso(from), crate::units::iso(to))
    }

    /// The days of two times (seconds since 1970), written as bare dates (`2024-12-20`), as
    /// the vendor's client sends `max_usage/total`.
    pub fn dates(from: i64, to: i64) -> Self {
        let day = |t: i64| {
            let (y, m, d) = crate::units::civil_from_days(t.div_euclid(86_400));
            format!("{y:04}-{m:02}-{d:02}")
        };
        Range::new(day(from), day(to))
    }

    /// From and to as seconds since 1970; `None` when either cannot be read.
    pub fn seconds(&self) -> Option<(i64, i64)> {
        Some((instant_seconds(&self.from)?, instant_seconds(&self.to)?))
    }

    fn write(&self, w: &mut XmlWriter) {
        w.open("range")
            .text("from", &self.from)
            .text("to", &self.to)
            .close();
    }

    /// The `<range>` inside `parent`, checked: both ends readable, `from` not after `to`.
    fn read(parent: &Element) -> Result<Range, String> {
        let r = parent.child("range").ok_or("<range> is missing")?;
        let end = |name: &str| -> Result<String, String> {
            let t = r
                .child_text(name)
                .ok_or_else(|| format!("<{name}> is missing from <range>"))?;
            instant_seconds(t)
                .map(|_| t.to_owned())
                .ok_or_else(|| format!("<{name}> “{t}” is not an ISO-8601 UTC time or date"))
        };
        let range = Range::new(end("from")?, end("to")?);
        match range.seconds() {
            Some((f, t)) if f > t => Err("<from> is after <to>".into()),
            _ => Ok(range),
        }
    }
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
    fn ranges_are_written_as_times_or_dates_and_read_back() {
        let r = Range::times(1_734_695_910, 1_734_782_310);
        assert_eq!(r.from, "2024-12-20T11:58:30Z");
        assert_eq!(r.seconds(), Some((1_734_695_910, 1_734_782_310)));
        let d = Range::dates(1_734_695_910, 1_734_782_310);
        assert_eq!(
            (d.from.as_str(), d.to.as_str()),
            ("2024-12-20", "2024-12-21")
        );
        assert_eq!(d.seconds().unwrap().0, 1_734_652_800);
        assert_eq!(
            instant_seconds("2024-12-20T11:58:30.000Z"),
            Some(1_734_695_910)
        );
        assert_eq!(instant_seconds("2024-12-20T11:58"), None);
        assert_eq!(instant_seconds("20241220"), None);
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
