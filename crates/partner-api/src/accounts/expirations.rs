//! `PUT /users/{id}/expirations`: the sub-accounts over a seat limit, per workload group,
//! each over-limit resource with when its grace ends (`grace-expires`; in the past: expired).
//! The shape is the vendor's own client's (keepit-official/keepit-mcp).

use super::{opt_id, root, text, XML};
use crate::call::{decode_with, write, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::wire::request::{Family, Method, Request, Response};
use crate::wire::xml::{Element, XmlWriter};
use crate::wire::DecodeError;

/// The workload groups the vendor's client asks about.
pub const WORKLOAD_GROUPS: [&str; 14] = [
    "o365-admin",
    "gsuite",
    "salesforce",
    "azuread",
    "azuredo",
    "dynamics365",
    "powerbi",
    "zendesk",
    "okta",
    "jira",
    "confluence",
    "bamboohr",
    "docusign",
    "miro",
];

/// `PUT /users/{id}/expirations` asking about `groups` (every [`WORKLOAD_GROUPS`] when
/// empty, as the vendor's client asks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expirations {
    pub account: AccountId,
    pub groups: Vec<String>,
}

impl Expirations {
    /// Every workload group.
    pub fn all(account: AccountId) -> Self {
        Expirations {
            account,
            groups: Vec::new(),
        }
    }
}

impl Call for Expirations {
    type Output = ExpirationList;
    fn request(&self) -> Request {
        let filter = if self.groups.is_empty() {
            ExpirationFilter::all()
        } else {
            ExpirationFilter {
                groups: self.groups.clone(),
            }
        };
        write(
            Family::Accounts,
            Method::Put,
            format!("/users/{}/expirations", self.account),
            XML,
            filter.to_xml(),
            true,
        )
    }
    fn decode(&self, r: &Response) -> Result<ExpirationList, ApiError> {
        decode_with(r, ExpirationList::from_xml)
    }
}

/// `<filter><or><resources-violation><resource-group>G</resource-group>…`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpirationFilter {
    pub groups: Vec<String>,
}

impl ExpirationFilter {
    const EXPECTED: &'static str = "a <filter> of <resources-violation> groups";

    pub fn all() -> Self {
        ExpirationFilter {
            groups: WORKLOAD_GROUPS.iter().map(|g| g.to_string()).collect(),
        }
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("filter").open("or").open("resources-violation");
        for g in &self.groups {
            w.text("resource-group", g);
        }
        w.finish()
    }

    /// Every `<resource-group>` anywhere under `<or>` (one or several
    /// `<resources-violation>`); none read is none asked.
    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "filter", Self::EXPECTED)?;
        let mut groups = Vec::new();
        let ors = e.children_named("or");
        for or in ors {
            for v in or.children_named("resources-violation") {
                groups.extend(
                    v.children_named("resource-group")
                        .map(|g| g.text.trim().to_owned())
                        .filter(|g| !g.is_empty()),
                );
            }
        }
        Ok(ExpirationFilter { groups })
    }
}

/// Where an over-limit resource stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grace {
    /// Over the limit, grace not yet over.
    InGrace,
    /// Over the limit, grace over.
    Expired,
    /// Over the limit, no grace given (or none readable).
    NoGrace,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViolatingResource {
    pub name: String,
    pub readable_name: Option<String>,
    pub limit: Option<u64>,
    pub usage: Option<u64>,
    pub grace_expires: Option<String>,
}

impl ViolatingResource {
    /// Where it stands at `now` (seconds since 1970).
    pub fn grace(&self, now: i64) -> Grace {
        match self
            .grace_expires
            .as_deref()
            .and_then(super::instant_seconds)
        {
            Some(t) if t > now => Grace::InGrace,
            Some(_) => Grace::Expired,
            None => Grace::NoGrace,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViolationGroup {
    pub name: String,
    pub resources: Vec<ViolatingResource>,
}

/// One sub-account over a limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpiringAccount {
    pub guid: AccountId,
    pub email: Option<String>,
    pub company_name: Option<String>,
    /// `partner` or `customer`, as the region says.
    pub kind: Option<String>,
    pub groups: Vec<ViolationGroup>,
}

impl ExpiringAccount {
    /// The earliest grace end among its resources, as sent.
    pub fn first_grace_end(&self) -> Option<&str> {
        self.groups
            .iter()
            .flat_map(|g| &g.resources)
            .filter_map(|r| {
                let t = r.grace_expires.as_deref()?;
                Some((super::instant_seconds(t)?, t))
            })
            .min()
            .map(|(_, t)| t)
    }
}

/// `<subaccounts><account>…</account>*</subaccounts>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExpirationList {
    pub accounts: Vec<ExpiringAccount>,
    /// Rows without a readable GUID, counted.
    pub unreadable: usize,
}

impl ExpirationList {
    const EXPECTED: &'static str = "a <subaccounts> list";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("subaccounts");
        for a in &self.accounts {
            w.open("account")
                .text("guid", a.guid.as_str())
                .opt_text("email", a.email.as_deref())
                .opt_text("company_name", a.company_name.as_deref())
                .opt_text("type", a.kind.as_deref())
                .open("resources-violation");
            for g in &a.groups {
                w.open("resource-group")
                    .text("name", &g.name)
                    .open("resources");
                for r in &g.resources {
                    w.open("resource")
                        .text("name", &r.name)
                        .opt_text("readable-name", r.readable_name.as_deref())
                        .opt_text("limit", r.limit.map(|n| n.to_string()).as_deref())
                        .opt_text("usage", r.usage.map(|n| n.to_string()).as_deref())
                        .opt_text("grace-expires", r.grace_expires.as_deref())
                        .close();
                }
                w.close().close();
            }
            w.close().close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "subaccounts", Self::EXPECTED)?;
        let num = |r: &Element, n: &str| r.child_text(n).and_then(|t| t.parse().ok());
        let mut out = ExpirationList::default();
        for a in e.children_named("account") {
            let Some(guid) = opt_id(a, &["guid", "id"]) else {
                out.unreadable += 1;
                continue;
            };
            let groups = a
                .children_named("resources-violation")
                .flat_map(|v| v.children_named("resource-group"))
                .filter_map(|g| {
                    Some(ViolationGroup {
                        name: text(g, &["name"])?,
                        resources: g
                            .children_named("resources")
                            .flat_map(|rs| rs.children_named("resource"))
                            .filter_map(|r| {
                                Some(ViolatingResource {
                                    name: text(r, &["name"])?,
                                    readable_name: text(r, &["readable-name"]),
                                    limit: num(r, "limit"),
                                    usage: num(r, "usage"),
                                    grace_expires: text(r, &["grace-expires"]),
                                })
                            })
                            .collect(),
                    })
                })
                .collect();
            out.accounts.push(ExpiringAccount {
                guid,
                email: text(a, &["email"]),
                company_name: text(a, &["company_name"]),
                kind: text(a, &["type"]),
                groups,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> AccountId {
        AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap()
    }

    #[test]
    fn the_request_names_every_group_by_default() {
        let r = Expirations::all(id()).request();
        assert_eq!(r.method, Method::Put);
        assert_eq!(r.path, "/users/nq2v51-5mx23m-qb7sah/expirations");
        let f = ExpirationFilter::from_xml(r.body.as_deref().unwrap()).unwrap();
        assert_eq!(f.groups.len(), WORKLOAD_GROUPS.len());
        let one = Expirations {
            account: id(),
            groups: vec!["gsuite".into()],
        };
        let f = ExpirationFilter::from_xml(one.request().body.as_deref().unwrap()).unwrap();
        assert_eq!(f.groups, ["gsuite"]);
        assert!(ExpirationFilter::from_xml("<subaccounts/>").is_err());
    }

    #[test]
    fn the_vendors_shape_decodes_and_round_trips() {
        let body = "<subaccounts><account><guid>nq2v51-5mx23m-qb7sah</guid><email>a@b.example</email>\
            <company_name>Berg &amp; Co</company_name><type>customer</type><resources-violation>\
            <resource-group><name>o365-admin</name><resources><resource>\
            <name>o365-admin-seats-total</name><readable-name>Microsoft 365 seats</readable-name>\
            <limit>10</limit><usage>12</usage><grace-expires>2024-12-20T11:58:30.000Z</grace-expires>\
            </resource></resources></resource-group></resources-violation><new/></account>\
            <account><guid>nope</guid></account></subaccounts>";
        let list = Expirations::all(id())
            .decode(&Response {
                status: 200,
                headers: vec![],
                body: body.into(),
            })
            .unwrap();
        assert_eq!(list.unreadable, 1);
        let a = &list.accounts[0];
        assert_eq!(a.company_name.as_deref(), Some("Berg & Co"));
        let r = &a.groups[0].resources[0];
        assert_eq!((r.limit, r.usage), (Some(10), Some(12)));
        let at = super::super::instant_seconds("2024-12-20T11:58:30Z").unwrap();
        assert_eq!(r.grace(at - 1), Grace::InGrace);
        assert_eq!(r.grace(at), Grace::Expired);
        assert_eq!(ViolatingResource::default().grace(at), Grace::NoGrace);
        assert_eq!(a.first_grace_end(), Some("2024-12-20T11:58:30.000Z"));
        let again = ExpirationList::from_xml(&list.to_xml()).unwrap();
        assert_eq!(again.accounts, list.accounts);
    }

    #[test]
    fn refusals_are_errors() {
        for status in [401, 403, 404] {
            let r = Response {
                status,
                headers: vec![],
                body: String::new(),
            };
            assert!(Expirations::all(id()).decode(&r).is_err());
        }
    }
}
