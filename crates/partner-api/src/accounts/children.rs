//! `/users/{id}/users`: an account's direct children, as the v0 list of ids or the v1 list
//! with names.

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
}

impl ChildList {
    const EXPECTED: &'static str = "a <users> list of accounts";

    /// Reads either version: `<users><id>..</id>*</users>` or `<users><user>..</user>*</users>`.
    /// Streams: a 10,000-account list goes from text to rows without building a tree.
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
            }),
        }
    }

    /// The same through the generic tree, kept to check the streaming reader against.
    #[doc(hidden)]
    pub fn from_xml_tree(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "users", Self::EXPECTED)?;
        let mut children = Vec::with_capacity(e.children.len());
        for c in &e.children {
            match c.name.as_str() {
                "id" => {
                    if let Ok(id) = AccountId::parse(&c.text) {
                        children.push(ChildSummary::bare(id));
                    }
                }
                "user" => {
                    if let Some(id) = opt_id(c, &["id"]) {
                        children.push(ChildSummary {
                            id,
                            created: opt_string(c, &["created"]),
                            parent_id: opt_id(c, &["parent_id", "parent"]),
                            email: opt_string(c, &["email"]),
                            full_name: opt_string(c, &["full_name", "fullname"]),
                            company_name: opt_string(c, &["company_name", "companyname"]),
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(ChildList { children })
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
}

/// The streaming reader behind [`ChildList::from_xml`]: the same tolerance as the tree
/// decoders (unknown elements ignored, both spellings read, the first of a repeated field
/// kept, rows without a readable id skipped).
#[derive(Default)]
struct ChildListReader {
    root: Option<String>,
    children: Vec<ChildSummary>,
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

impl xml::Visitor for ChildListReader {
    fn start(&mut self, name: &str, _attributes: Vec<(String, String)>, depth: usize) {
        match depth {
            1 => self.root = Some(name.to_owned()),
            2 if self.root.as_deref() == Some("users") => match name {
                "user" => self.row = Some(RowFields::default()),
                "id" => self.bare_id = Some(String::new()),
                _ => {}
            },
            3 if self.row.is_some() => {
                let field = match name {
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
                };
                self.field = Some((field, String::new()));
            }
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
            3 => {
                if let Some((_, buf)) = &mut self.field {
                    buf.push_str(text);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, _name: &str, depth: usize) {
        match depth {
            3 => {
                if let (Some(row), Some((field, text))) = (&mut self.row, self.field.take()) {
                    let slot = match field {
                        Field::Id => &mut row.id,
                        Field::Created => &mut row.created,
                        Field::ParentId => &mut row.parent_id,
                        Field::Parent => &mut row.parent,
                        Field::Email => &mut row.email,
                        Field::FullName => &mut row.full_name,
                        Field::Fullname => &mut row.fullname,
                        Field::CompanyName => &mut row.company_name,
                        Field::Companyname => &mut row.companyname,
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
            2 => {
                if let Some(id) = self.bare_id.take() {
                    if let Ok(id) = AccountId::parse(&id) {
                        self.children.push(ChildSummary::bare(id));
                    }
                }
                if let Some(row) = self.row.take() {
                    let id = row.id.flatten().and_then(|i| AccountId::parse(&i).ok());
                    if let Some(id) = id {
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
        };
        assert_eq!(ChildList::from_xml(&list.to_xml_v1()).unwrap(), list);
        let v0 = ChildList::from_xml(&list.to_xml_v0()).unwrap();
        assert_eq!(v0.children[0].id, list.children[0].id);
        assert_eq!(v0.children[0].full_name, None);
    }
}
