//! The Accounts API's documents as types, each with a tolerant decoder (`from_xml`: unknown
//! elements ignored, optional ones may be missing) and an escaping encoder (`to_xml`). The
//! sandbox answers with the encoders, the portal reads with the decoders.

use crate::ids::AccountId;
use crate::roles::{AccountKind, Role};
use crate::wire::xml::{self, Element, XmlWriter};
use crate::wire::DecodeError;

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

#[cfg(test)]
mod tests {
    use super::*;

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
