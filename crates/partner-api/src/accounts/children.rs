//! `/users/{id}/users`: an account's direct children, as the v0 list of ids or the v1 list
//! with names, and with `Accept` v3 and `?all=1` its whole subtree in one call.

use super::{accounts_get, opt_id, opt_string, root};
use crate::call::{decode_with, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::wire::request::{accounts_accept, Request, Response};
use crate::wire::xml::{self, XmlWriter};
use crate::wire::DecodeError;

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

/// `GET /users/{id}/users?all=1&include_contact_details=1` with `Accept:
/// application/vnd.keepit.v3` (no `+xml`), as the vendor's own client asks
/// (keepit-official/keepit-mcp, `getSubaccountListItems`): every account below `id`, each
/// with its `parent_id` and a nested `<contact>`, and the count in `X-Total-Count`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSubtree(pub AccountId);

/// The whole subtree below an account, and how many accounts the region counts in it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subtree {
    pub accounts: ChildList,
    /// `X-Total-Count`, when the region sends it.
    pub total: Option<u64>,
}

/// The `Accept` the vendor's client sends for the subtree listing.
pub const ACCEPT_V3: &str = "application/vnd.keepit.v3";

impl Call for ListSubtree {
    type Output = Subtree;
    fn request(&self) -> Request {
        let mut r = accounts_get(format!("/users/{}/users", self.0)).header("Accept", ACCEPT_V3);
        r.query = vec![
            ("all".into(), "1".into()),
            ("include_contact_details".into(), "1".into()),
        ];
        r
    }
    fn decode(&self, r: &Response) -> Result<Subtree, ApiError> {
        let accounts = decode_with(r, ChildList::from_xml)?;
        let total = r
            .header("x-total-count")
            .and_then(|t| t.trim().parse().ok());
        Ok(Subtree { accounts, total })
    }
}

/// One child in a v1 children list (`Accept: application/vnd.keepit.v1+xml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildSummary {
    pub id: AccountId,
    pub created: Option<String>,
    pub parent_id: Option<AccountId>,
    pub email: Option<String>,
    pub full_name: Option<String>,
    pub company_name: Option<String>,
}

impl ChildSummary {
    /// A row with only its id (a v0 list).
    pub fn bare(id: AccountId) -> Self {
        ChildSummary {
            id,
            created: None,
            parent_id: None,
            email: None,
            full_name: None,
            company_name: None,
        }
    }

    /// What a person calls the account: company, else full name, else email, else the GUID.
    pub fn display_name(&self) -> &str {
        self.company_name
            .as_deref()
            .or(self.full_name.as_deref())
            .or(self.email.as_deref())
            .unwrap_or(self.id.as_str())
    }
}

/// `GET /users/{id}/users`: the direct children. v0 lists ids only; v1 carries names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChildList {
    pub children: Vec<ChildSummary>,
    /// Rows the region sent that could not be read (no account GUID that parses): counted,
    /// so that the list can say so, never dropped without a word.
    pub unreadable: usize,
}

impl ChildList {
    const EXPECTED: &'static str = "a <users> list of accounts";

    /// Reads every version: `<users><id>..</id>*</users>` (v0), `<users><user>..</user>*</users>`
    /// (v1), and v3's rows with their names inside a `<contact>`. Streams: a 10,000-account list goes from text to rows without building a tree.
    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let mut reader = ChildListReader::default();
        xml::walk(body, &mut reader).map_err(|e| DecodeError {
            expected: Self::EXPECTED,
            detail: format!("not well-formed XML: {e}"),
        })?;
        match reader.root {
            Some(root) if root != "users" => Err(DecodeError {
                expected: Self::EXPECTED,
                detail: format!("the document is a <{root}>"),
            }),
            _ => Ok(ChildList {
                children: reader.children,
                unreadable: reader.unreadable,
            }),
        }
    }

    /// The same through the generic tree, kept to check the streaming reader against.
    #[doc(hidden)]
    pub fn from_xml_tree(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "users", Self::EXPECTED)?;
        let mut children = Vec::with_capacity(e.children.len());
        let mut unreadable = 0;
        for c in &e.children {
            match c.name.as_str() {
                "id" => match AccountId::parse(&c.text) {
                    Ok(id) => children.push(ChildSummary::bare(id)),
                    Err(_) => unreadable += 1,
                },
                "user" => {
                    // v3 names the account inside a <contact>, v1 beside its id: the row's
                    // fields and its first contact's, in document order, as one.
                    let mut row = c.clone();
                    if let Some(at) = row.children.iter().position(|k| k.name == "contact") {
                        let contact = row.children.remove(at);
                        row.children.splice(at..at, contact.children);
                    }
                    let c = &row;
                    match opt_id(c, &["id"]) {
                        Some(id) => children.push(ChildSummary {
                            id,
                            created: opt_string(c, &["created"]),
                            parent_id: opt_id(c, &["parent_id", "parent"]),
                            email: opt_string(c, &["email"]),
                            full_name: opt_string(c, &["full_name", "fullname"]),
                            company_name: opt_string(c, &["company_name", "companyname"]),
                        }),
                        None => unreadable += 1,
                    }
                }
                _ => {}
            }
        }
        Ok(ChildList {
            children,
            unreadable,
        })
    }

    /// The v0 document: ids only.
    pub fn to_xml_v0(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("users");
        for c in &self.children {
            w.text("id", c.id.as_str());
        }
        w.finish()
    }

    /// The v1 document, with names.
    pub fn to_xml_v1(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("users");
        for c in &self.children {
            w.open("user")
                .text("id", c.id.as_str())
                .opt_text("created", c.created.as_deref())
                .opt_text("parent_id", c.parent_id.as_ref().map(AccountId::as_str))
                .opt_text("email", c.email.as_deref())
                .opt_text("full_name", c.full_name.as_deref())
                .opt_text("company_name", c.company_name.as_deref())
                .close();
        }
        w.finish()
    }

    /// The v3 document (`include_contact_details=1`): names inside a `<contact>`.
    pub fn to_xml_v3(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("users");
        for c in &self.children {
            w.open("user")
                .text("id", c.id.as_str())
                .opt_text("created", c.created.as_deref())
                .opt_text("parent_id", c.parent_id.as_ref().map(AccountId::as_str))
                .open("contact")
                .opt_text("email", c.email.as_deref())
                .opt_text("companyname", c.company_name.as_deref())
                .opt_text("fullname", c.full_name.as_deref())
                .close()
                .close();
        }
        w.finish()
    }

    /// How many rows could not be read, in words for the list that shows them; `None` when
    /// every row was read.
    pub fn unreadable_words(&self) -> Option<String> {
        unreadable_words(self.unreadable, "in this list")
    }
}

/// `n` rows that could not be read, in words, said of a `place` ("in this list", "below");
/// `None` for none.
pub fn unreadable_words(n: usize, place: &str) -> Option<String> {
    match n {
        0 => None,
        1 => Some(format!("1 account {place} could not be read.")),
        n => Some(format!("{n} accounts {place} could not be read.")),
    }
}

/// The streaming reader behind [`ChildList::from_xml`]: the same tolerance as the tree
/// decoders (unknown elements ignored, both spellings read, the first of a repeated field
/// kept, rows without a readable id counted and skipped).
#[derive(Default)]
struct ChildListReader {
    root: Option<String>,
    children: Vec<ChildSummary>,
    unreadable: usize,
    /// Inside a v3 row's first `<contact>` (depth 3), whose fields (at depth 4) count as
    /// the row's own.
    in_contact: bool,
    /// The row's first `<contact>` was seen.
    contact_seen: bool,
    /// Inside a `<user>` (v1) or an `<id>` (v0) at depth 2.
    row: Option<RowFields>,
    /// The depth-3 field being read, and its text so far.
    field: Option<(Field, String)>,
    /// Text of a depth-2 `<id>` (v0).
    bare_id: Option<String>,
}

/// One slot per spelling: `None` not seen yet, `Some(None)` seen empty (the first
/// occurrence decides, as in the tree decoders).
type Slot = Option<Option<String>>;

#[derive(Default)]
struct RowFields {
    id: Slot,
    created: Slot,
    parent_id: Slot,
    parent: Slot,
    email: Slot,
    full_name: Slot,
    fullname: Slot,
    company_name: Slot,
    companyname: Slot,
}

impl RowFields {
    /// The canonical spelling first, then the other, as `child_text_any` reads them.
    fn pick(a: Slot, b: Slot) -> Option<String> {
        a.flatten().or(b.flatten())
    }
}

#[derive(Clone, Copy)]
enum Field {
    Id,
    Created,
    ParentId,
    Parent,
    Email,
    FullName,
    Fullname,
    CompanyName,
    Companyname,
    Other,
}

impl Field {
    fn of(name: &str) -> Field {
        match name {
            "id" => Field::Id,
            "created" => Field::Created,
            "parent_id" => Field::ParentId,
            "parent" => Field::Parent,
            "email" => Field::Email,
            "full_name" => Field::FullName,
            "fullname" => Field::Fullname,
            "company_name" => Field::CompanyName,
            "companyname" => Field::Companyname,
            _ => Field::Other,
        }
    }
}

impl RowFields {
    /// Keeps the first occurrence of `field`, trimmed (empty: seen, without a value).
    fn set(&mut self, field: Field, text: String) {
        let slot = match field {
            Field::Id => &mut self.id,
            Field::Created => &mut self.created,
            Field::ParentId => &mut self.parent_id,
            Field::Parent => &mut self.parent,
            Field::Email => &mut self.email,
            Field::FullName => &mut self.full_name,
            Field::Fullname => &mut self.fullname,
            Field::CompanyName => &mut self.company_name,
            Field::Companyname => &mut self.companyname,
            Field::Other => return,
        };
        if slot.is_none() {
            let t = text.trim();
            *slot = Some(match t.len() {
                0 => None,
                n if n == text.len() => Some(text),
                _ => Some(t.to_owned()),
            });
        }
    }
}

impl xml::Visitor for ChildListReader {
    fn start(&mut self, name: &str, _attributes: Vec<(String, String)>, depth: usize) {
        match depth {
            1 => self.root = Some(name.to_owned()),
            2 if self.root.as_deref() == Some("users") => match name {
                "user" => {
                    self.row = Some(RowFields::default());
                    self.contact_seen = false;
                }
                "id" => self.bare_id = Some(String::new()),
                _ => {}
            },
            3 if self.row.is_some() => {
                if name == "contact" && !self.contact_seen {
                    // Only the first <contact> counts, as in the tree decoder.
                    self.contact_seen = true;
                    self.in_contact = true;
                } else {
                    self.field = Some((Field::of(name), String::new()));
                }
            }
            4 if self.in_contact => self.field = Some((Field::of(name), String::new())),
            _ => {}
        }
    }

    fn text(&mut self, text: &str, depth: usize) {
        match depth {
            2 => {
                if let Some(id) = &mut self.bare_id {
                    id.push_str(text);
                }
            }
            // A row's own field (v1), or its contact's (v3).
            3 | 4 if (depth == 4) == self.in_contact => {
                if let Some((_, buf)) = &mut self.field {
                    buf.push_str(text);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, _name: &str, depth: usize) {
        match depth {
            3 if self.in_contact => self.in_contact = false,
            // A row's own field (v1), or its contact's (v3).
            3 | 4 if (depth == 4) == self.in_contact => {
                if let (Some(row), Some((field, text))) = (&mut self.row, self.field.take()) {
                    row.set(field, text);
                }
            }
            2 => {
                if let Some(id) = self.bare_id.take() {
                    match AccountId::parse(&id) {
                        Ok(id) => self.children.push(ChildSummary::bare(id)),
                        Err(_) => self.unreadable += 1,
                    }
                }
                if let Some(row) = self.row.take() {
                    let id = row.id.flatten().and_then(|i| AccountId::parse(&i).ok());
                    let Some(id) = id else {
                        self.unreadable += 1;
                        return;
                    };
                    self.children.push(ChildSummary {
                        id,
                        created: row.created.flatten(),
                        parent_id: RowFields::pick(row.parent_id, row.parent)
                            .and_then(|p| AccountId::parse(&p).ok()),
                        email: row.email.flatten(),
                        full_name: RowFields::pick(row.full_name, row.fullname),
                        company_name: RowFields::pick(row.company_name, row.companyname),
                    });
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> AccountId {
        AccountId::parse(s).unwrap()
    }

    #[test]
    fn encoders_round_trip() {
        let list = ChildList {
            children: vec![ChildSummary {
                id: id("aaaaaa-bbbbbb-cccccc"),
                created: Some("2024-01-01T00:00:00Z".into()),
                parent_id: Some(id("dddddd-eeeeee-ffffff")),
                email: Some("x@y.example".into()),
                full_name: Some("<script>alert(1)</script>".into()),
                company_name: None,
            }],
            unreadable: 0,
        };
        assert_eq!(ChildList::from_xml(&list.to_xml_v1()).unwrap(), list);
        assert_eq!(ChildList::from_xml(&list.to_xml_v3()).unwrap(), list);
        let v0 = ChildList::from_xml(&list.to_xml_v0()).unwrap();
        assert_eq!(v0.children[0].id, list.children[0].id);
        assert_eq!(v0.children[0].full_name, None);
    }

    #[test]
    fn unreadable_rows_are_counted_not_dropped_silently() {
        for doc in [
            "<users><user><id>aaaaaa-bbbbbb-cccccc</id></user><user><id>not a guid</id></user>\
             <user><email>no-id@example.com</email></user></users>",
            "<users><id>aaaaaa-bbbbbb-cccccc</id><id>???</id><id></id></users>",
        ] {
            for list in [
                ChildList::from_xml(doc).unwrap(),
                ChildList::from_xml_tree(doc).unwrap(),
            ] {
                assert_eq!(list.children.len(), 1, "{doc}");
                assert_eq!(list.unreadable, 2, "{doc}");
                assert_eq!(
                    list.unreadable_words().as_deref(),
                    Some("2 accounts in this list could not be read.")
                );
            }
        }
        assert_eq!(ChildList::default().unreadable_words(), None);
    }

    #[test]
    fn the_subtree_is_asked_for_as_the_vendors_client_does_and_counted() {
        let call = ListSubtree(id("aaaaaa-bbbbbb-cccccc"));
        let r = call.request();
        assert_eq!(
            r.path_and_query(),
            "/users/aaaaaa-bbbbbb-cccccc/users?all=1&include_contact_details=1"
        );
        assert!(r
            .headers
            .iter()
            .any(|(k, v)| *k == "Accept" && v == "application/vnd.keepit.v3"));
        let answer = Response {
            status: 200,
            headers: vec![("x-total-count".into(), "2".into())],
            body: "<users><user><id>dddddd-eeeeee-ffffff</id>\
                   <parent_id>aaaaaa-bbbbbb-cccccc</parent_id>\
                   <contact><email>d@example.com</email><companyname>Deep &amp; Co</companyname></contact>\
                   </user><user><id>broken</id></user></users>"
                .into(),
        };
        let sub = call.decode(&answer).unwrap();
        assert_eq!(sub.total, Some(2));
        assert_eq!(sub.accounts.unreadable, 1);
        let deep = &sub.accounts.children[0];
        assert_eq!(deep.display_name(), "Deep & Co");
        assert_eq!(deep.email.as_deref(), Some("d@example.com"));
        assert_eq!(deep.parent_id, Some(id("aaaaaa-bbbbbb-cccccc")));
    }
}
