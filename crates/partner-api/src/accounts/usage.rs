//! `/users/{id}/resources` and friends: what an account uses of each resource (seats per
//! connector type, storage), the resources its portfolio defines, the largest use over a
//! range, the totals a billing run wants, and the use by day. The shapes are the vendor's own
//! client's (keepit-official/keepit-mcp); numbers arrive as text, and a row whose number
//! cannot be read keeps `None` rather than failing the document.
//!
//! [`UsageRow`] is a row of the billing export (`crate::csv::usage_csv`): one per account and
//! resource.

use super::{accounts_get, root, text, Range, XML};
use crate::call::{decode_with, write, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::wire::request::{Family, Method, Request, Response};
use crate::wire::xml::{self, Element, XmlWriter};
use crate::wire::DecodeError;

fn number(e: &Element, name: &str) -> Option<u64> {
    e.child_text(name).and_then(|t| t.parse().ok())
}

fn put_filter(path: String, filter: &UsageFilter) -> Request {
    write(
        Family::Accounts,
        Method::Put,
        path,
        XML,
        filter.to_xml(),
        // A query sent as a PUT: repeating it changes nothing.
        true,
    )
}

/// `GET /users/{id}/resources`: the account's current use of each resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListResources(pub AccountId);

impl Call for ListResources {
    type Output = ResourceList;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/resources", self.0))
    }
    fn decode(&self, r: &Response) -> Result<ResourceList, ApiError> {
        decode_with(r, ResourceList::from_xml)
    }
}

/// One resource's use: `integer` resources (seats) have a `usage` and perhaps a `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Resource {
    pub name: String,
    /// When the region last counted it (ISO-8601).
    pub evaluated: Option<String>,
    /// `integer`, `period`, `date` or `boolean`, as the region says.
    pub kind: Option<String>,
    pub limit: Option<u64>,
    pub usage: Option<u64>,
    /// Whether the use is past the limit, as the region says.
    pub violated: Option<bool>,
    pub unit: Option<String>,
}

impl Resource {
    /// Past its limit: the region's `violated`, else `usage > limit`.
    pub fn over_limit(&self) -> bool {
        self.violated.unwrap_or(match (self.usage, self.limit) {
            (Some(u), Some(l)) => u > l,
            _ => false,
        })
    }
}

/// `<resources><resource>…</resource>*</resources>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResourceList {
    pub resources: Vec<Resource>,
}

impl ResourceList {
    const EXPECTED: &'static str = "a <resources> list";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("resources");
        for r in &self.resources {
            w.open("resource")
                .opt_text("evaluated", r.evaluated.as_deref())
                .text("name", &r.name)
                .opt_text("type", r.kind.as_deref())
                .opt_text("limit", r.limit.map(|l| l.to_string()).as_deref())
                .opt_text("usage", r.usage.map(|u| u.to_string()).as_deref())
                .opt_text("unit", r.unit.as_deref());
            if let Some(v) = r.violated {
                w.boolean("violated", v);
            }
            w.close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "resources", Self::EXPECTED)?;
        Ok(ResourceList {
            resources: e
                .children_named("resource")
                .filter_map(|r| {
                    Some(Resource {
                        name: text(r, &["name"])?,
                        evaluated: text(r, &["evaluated"]),
                        kind: text(r, &["type"]),
                        limit: number(r, "limit"),
                        usage: number(r, "usage"),
                        violated: r.child_text("violated").and_then(xml::parse_bool),
                        unit: text(r, &["unit"]),
                    })
                })
                .collect(),
        })
    }
}

/// `GET /users/{id}/portfolio/resources`: the resources the account's portfolio defines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPortfolioResources(pub AccountId);

impl Call for ListPortfolioResources {
    type Output = PortfolioResources;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/portfolio/resources", self.0))
    }
    fn decode(&self, r: &Response) -> Result<PortfolioResources, ApiError> {
        decode_with(r, PortfolioResources::from_xml)
    }
}

/// One resource a portfolio defines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PortfolioResource {
    pub name: String,
    /// The workload group (`o365-admin`, `gsuite`, …).
    pub group: Option<String>,
    /// `period`, `date`, `integer` or `boolean`.
    pub kind: Option<String>,
    pub descr: Option<String>,
    pub unit: Option<String>,
    pub category: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PortfolioResources {
    pub resources: Vec<PortfolioResource>,
}

impl PortfolioResources {
    const EXPECTED: &'static str = "a <resources> list of portfolio resources";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("resources");
        for r in &self.resources {
            w.open("resource")
                .text("name", &r.name)
                .opt_text("group", r.group.as_deref())
                .opt_text("type", r.kind.as_deref())
                .opt_text("descr", r.descr.as_deref())
                .opt_text("unit", r.unit.as_deref())
                .opt_text("category", r.category.as_deref())
                .close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "resources", Self::EXPECTED)?;
        Ok(PortfolioResources {
            resources: e
                .children_named("resource")
                .filter_map(|r| {
                    Some(PortfolioResource {
                        name: text(r, &["name"])?,
                        group: text(r, &["group"]),
                        kind: text(r, &["type"]),
                        descr: text(r, &["descr"]),
                        unit: text(r, &["unit"]),
                        category: text(r, &["category"]),
                    })
                })
                .collect(),
        })
    }
}

/// The `<filter>` the usage queries send: a range, and the options each query reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsageFilter {
    pub range: Range,
    /// `max_usage/total`: answer the account's type too.
    pub include_account_type: Option<bool>,
    /// `max_usage/total`: count only this connector type (`o365-admin`).
    pub connector_type: Option<String>,
    /// `history`: billable resources only.
    pub billable: Option<bool>,
    /// `history`: each total with what it aggregates.
    pub show_aggregations: Option<bool>,
}

impl UsageFilter {
    const EXPECTED: &'static str = "a <filter> with a <range> of <from> and <to>";

    pub fn new(range: Range) -> Self {
        UsageFilter {
            range,
            ..UsageFilter::default()
        }
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("filter");
        self.range.write(&mut w);
        for (name, v) in [
            ("include-account-type", self.include_account_type),
            ("billable", self.billable),
            ("show-aggregations", self.show_aggregations),
        ] {
            if let Some(v) = v {
                w.boolean(name, v);
            }
        }
        w.opt_text("connector-type", self.connector_type.as_deref());
        w.finish()
    }

    /// Reads a filter; the range must be there and readable (ISO-8601 times or bare dates),
    /// with `from` not after `to`.
    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "filter", Self::EXPECTED)?;
        let range = Range::read(&e).map_err(|detail| DecodeError {
            expected: Self::EXPECTED,
            detail,
        })?;
        let flag = |n: &str| e.child_text(n).and_then(xml::parse_bool);
        Ok(UsageFilter {
            range,
            include_account_type: flag("include-account-type"),
            connector_type: text(&e, &["connector-type"]),
            billable: flag("billable"),
            show_aggregations: flag("show-aggregations"),
        })
    }
}

/// `PUT /users/{id}/resources/max_usage`: the largest use of each resource over a range.
/// The vendor's client splits a range into 2-day chunks and takes the largest; the sandbox
/// answers any range at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxUsage {
    pub account: AccountId,
    pub range: Range,
}

impl Call for MaxUsage {
    type Output = MaxUsageList;
    fn request(&self) -> Request {
        put_filter(
            format!("/users/{}/resources/max_usage", self.account),
            &UsageFilter::new(self.range.clone()),
        )
    }
    fn decode(&self, r: &Response) -> Result<MaxUsageList, ApiError> {
        decode_with(r, MaxUsageList::from_xml)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaxUsageResource {
    pub name: String,
    pub maximum_usage: u64,
    pub limit: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MaxUsageList {
    pub resources: Vec<MaxUsageResource>,
}

impl MaxUsageList {
    const EXPECTED: &'static str = "a <resources> list of maximum usage";

    /// What the vendor's client bills: names ending `-seats-total` with a use above 0.
    pub fn seats(&self) -> impl Iterator<Item = &MaxUsageResource> {
        self.resources
            .iter()
            .filter(|r| r.name.ends_with("-seats-total") && r.maximum_usage > 0)
    }

    /// Keeps, per name, the larger of two answers (the client's 2-day chunks, merged).
    pub fn merge(&mut self, other: MaxUsageList) {
        for o in other.resources {
            match self.resources.iter_mut().find(|r| r.name == o.name) {
                Some(r) => {
                    r.maximum_usage = r.maximum_usage.max(o.maximum_usage);
                    r.limit = r.limit.or(o.limit);
                }
                None => self.resources.push(o),
            }
        }
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("resources");
        for r in &self.resources {
            w.open("resource")
                .text("name", &r.name)
                .text("maximum-usage", &r.maximum_usage.to_string())
                .opt_text("limit", r.limit.map(|l| l.to_string()).as_deref())
                .close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "resources", Self::EXPECTED)?;
        Ok(MaxUsageList {
            resources: e
                .children_named("resource")
                .filter_map(|r| {
                    Some(MaxUsageResource {
                        name: text(r, &["name"])?,
                        maximum_usage: number(r, "maximum-usage").unwrap_or(0),
                        limit: number(r, "limit"),
                    })
                })
                .collect(),
        })
    }
}

/// `PUT /users/{id}/resources/max_usage/total`: seats and connectors over a range, in the
/// whole subtree, with the account's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxUsageTotal {
    pub account: AccountId,
    pub range: Range,
    /// Only this connector type (`o365-admin`).
    pub connector_type: Option<String>,
}

impl Call for MaxUsageTotal {
    type Output = UsageTotal;
    fn request(&self) -> Request {
        let filter = UsageFilter {
            include_account_type: Some(true),
            connector_type: self.connector_type.clone(),
            ..UsageFilter::new(self.range.clone())
        };
        put_filter(
            format!("/users/{}/resources/max_usage/total", self.account),
            &filter,
        )
    }
    fn decode(&self, r: &Response) -> Result<UsageTotal, ApiError> {
        decode_with(r, UsageTotal::from_xml)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsageTotal {
    pub seats_count: u64,
    pub connectors_count: u64,
    /// `partner` or `customer`, when asked for.
    pub account_type: Option<String>,
}

impl UsageTotal {
    const EXPECTED: &'static str = "a <total> with <seats-count>";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("total")
            .text("seats-count", &self.seats_count.to_string())
            .text("connectors-count", &self.connectors_count.to_string())
            .opt_text("account-type", self.account_type.as_deref());
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "total", Self::EXPECTED)?;
        Ok(UsageTotal {
            seats_count: number(&e, "seats-count").unwrap_or(0),
            connectors_count: number(&e, "connectors-count").unwrap_or(0),
            account_type: text(&e, &["account-type"]),
        })
    }
}

/// `PUT /users/{id}/resources/history`: the use of billable resources, by day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageHistory {
    pub account: AccountId,
    pub range: Range,
}

impl Call for UsageHistory {
    type Output = History;
    fn request(&self) -> Request {
        let filter = UsageFilter {
            billable: Some(true),
            show_aggregations: Some(true),
            ..UsageFilter::new(self.range.clone())
        };
        put_filter(
            format!("/users/{}/resources/history", self.account),
            &filter,
        )
    }
    fn decode(&self, r: &Response) -> Result<History, ApiError> {
        decode_with(r, History::from_xml)
    }
}

/// One resource at one time, with what it aggregates (`m365-quadseats-full` over the
/// connector types' seats).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryResource {
    pub name: String,
    pub usage: u64,
    pub aggregated_on: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryEntry {
    pub time: String,
    pub resources: Vec<HistoryResource>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
}

impl History {
    const EXPECTED: &'static str = "a <history> of entries";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("history");
        for e in &self.entries {
            w.open("entry").text("time", &e.time).open("resources");
            for r in &e.resources {
                w.open("resource")
                    .text("name", &r.name)
                    .text("usage", &r.usage.to_string());
                if !r.aggregated_on.is_empty() {
                    w.open("aggregated-on");
                    for (name, usage) in &r.aggregated_on {
                        w.open("resource")
                            .text("name", name)
                            .text("usage", &usage.to_string())
                            .close();
                    }
                    w.close();
                }
                w.close();
            }
            w.close().close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "history", Self::EXPECTED)?;
        let resource = |r: &Element| {
            Some(HistoryResource {
                name: text(r, &["name"])?,
                usage: number(r, "usage").unwrap_or(0),
                aggregated_on: r
                    .child("aggregated-on")
                    .map(|a| {
                        a.children_named("resource")
                            .filter_map(|x| {
                                Some((text(x, &["name"])?, number(x, "usage").unwrap_or(0)))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
        };
        Ok(History {
            entries: e
                .children_named("entry")
                .filter_map(|entry| {
                    Some(HistoryEntry {
                        time: text(entry, &["time"])?,
                        resources: entry
                            .child("resources")
                            .map(|rs| rs.children_named("resource").filter_map(resource).collect())
                            .unwrap_or_default(),
                    })
                })
                .collect(),
        })
    }
}

/// One row of the billing export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsageRow {
    pub region: String,
    pub account_id: String,
    pub company: String,
    pub resource: String,
    pub usage: u64,
    pub limit: Option<u64>,
    /// The range, as ISO-8601.
    pub from: String,
    pub to: String,
}

impl UsageRow {
    /// The rows of one account's maximum usage over `range`, one per resource.
    pub fn from_max_usage(
        region: &str,
        account: &AccountId,
        company: &str,
        range: &Range,
        list: &MaxUsageList,
    ) -> Vec<UsageRow> {
        list.resources
            .iter()
            .map(|r| UsageRow {
                region: region.to_owned(),
                account_id: account.to_string(),
                company: company.to_owned(),
                resource: r.name.clone(),
                usage: r.maximum_usage,
                limit: r.limit,
                from: range.from.clone(),
                to: range.to.clone(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> AccountId {
        AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap()
    }

    fn ok(body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![],
            body: body.into(),
        }
    }

    fn range() -> Range {
        Range::new("2024-12-01T00:00:00Z", "2024-12-20T11:58:30Z")
    }

    #[test]
    fn resources_decode_the_vendors_shape_and_round_trip() {
        let body = "<resources><resource><evaluated>2024-12-20T11:58:30Z</evaluated>\
            <name>o365-mailboxes</name><type>integer</type><limit>20</limit><usage>15</usage>\
            <violated>false</violated><extra/></resource><resource><name>storage</name>\
            <usage>lots</usage><unit>bytes</unit></resource><resource><usage>1</usage></resource>\
            </resources>";
        let list = ListResources(id()).decode(&ok(body)).unwrap();
        assert_eq!(list.resources.len(), 2, "a row without a name is skipped");
        assert_eq!(list.resources[0].limit, Some(20));
        assert!(!list.resources[0].over_limit());
        assert_eq!(
            list.resources[1].usage, None,
            "an unreadable number is None"
        );
        assert_eq!(ResourceList::from_xml(&list.to_xml()).unwrap(), list);
        let over = Resource {
            usage: Some(21),
            limit: Some(20),
            ..Resource::default()
        };
        assert!(over.over_limit());
        assert_eq!(
            ListResources(id()).request().path,
            "/users/nq2v51-5mx23m-qb7sah/resources"
        );
    }

    #[test]
    fn portfolio_resources_round_trip() {
        let p = ListPortfolioResources(id())
            .decode(&ok(
                "<resources><resource><name>o365-admin-seats-total</name>\
                <group>o365-admin</group><type>integer</type><descr>Seats</descr>\
                <category>m365</category></resource></resources>",
            ))
            .unwrap();
        assert_eq!(p.resources[0].group.as_deref(), Some("o365-admin"));
        assert_eq!(p.resources[0].unit, None);
        assert_eq!(PortfolioResources::from_xml(&p.to_xml()).unwrap(), p);
        assert_eq!(
            ListPortfolioResources(id()).request().path,
            "/users/nq2v51-5mx23m-qb7sah/portfolio/resources"
        );
    }

    #[test]
    fn max_usage_sends_a_range_and_keeps_the_seats() {
        let call = MaxUsage {
            account: id(),
            range: range(),
        };
        let req = call.request();
        assert_eq!(req.method, Method::Put);
        assert!(req.idempotent);
        let f = UsageFilter::from_xml(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(f.range, range());
        let mut list = call
            .decode(&ok(
                "<resources><resource><name>o365-admin-seats-total</name>\
                <maximum-usage>12</maximum-usage><limit>10</limit></resource>\
                <resource><name>gsuite-seats-total</name><maximum-usage>0</maximum-usage>\
                </resource><resource><name>storage</name><maximum-usage>9</maximum-usage>\
                </resource></resources>",
            ))
            .unwrap();
        assert_eq!(
            list.seats().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["o365-admin-seats-total"]
        );
        list.merge(MaxUsageList {
            resources: vec![MaxUsageResource {
                name: "o365-admin-seats-total".into(),
                maximum_usage: 14,
                limit: None,
            }],
        });
        assert_eq!(list.resources[0].maximum_usage, 14);
        assert_eq!(list.resources[0].limit, Some(10));
        assert_eq!(MaxUsageList::from_xml(&list.to_xml()).unwrap(), list);
    }

    #[test]
    fn totals_and_filters_accept_bare_dates_and_millis() {
        let f = UsageFilter::from_xml(
            "<filter><range><from>2024-12-01</from><to>2024-12-20T11:58:30.000Z</to></range>\
             <include-account-type>true</include-account-type>\
             <connector-type>o365-admin</connector-type></filter>",
        )
        .unwrap();
        assert_eq!(f.connector_type.as_deref(), Some("o365-admin"));
        assert_eq!(f.include_account_type, Some(true));
        assert!(f.range.seconds().is_some());
        assert!(UsageFilter::from_xml(
            "<filter><range><from>soon</from><to>2024-12-20</to></range></filter>"
        )
        .unwrap_err()
        .detail
        .contains("from"));
        assert!(UsageFilter::from_xml(
            "<filter><range><from>2024-12-21</from><to>2024-12-20</to></range></filter>"
        )
        .is_err());
        assert!(UsageFilter::from_xml("<filter/>").is_err());
        let call = MaxUsageTotal {
            account: id(),
            range: range(),
            connector_type: Some("gsuite".into()),
        };
        let sent = UsageFilter::from_xml(call.request().body.as_deref().unwrap()).unwrap();
        assert_eq!(sent.connector_type.as_deref(), Some("gsuite"));
        let t = call
            .decode(&ok(
                "<total><seats-count>40</seats-count><connectors-count>3</connectors-count>\
                <account-type>partner</account-type></total>",
            ))
            .unwrap();
        assert_eq!((t.seats_count, t.connectors_count), (40, 3));
        assert_eq!(UsageTotal::from_xml(&t.to_xml()).unwrap(), t);
    }

    #[test]
    fn history_round_trips_with_aggregations() {
        let body = "<history><entry><time>2024-12-20T00:00:00Z</time><resources><resource>\
            <name>m365-quadseats-full</name><usage>30</usage><aggregated-on><resource>\
            <name>o365-admin-seats-total</name><usage>30</usage></resource></aggregated-on>\
            </resource></resources></entry><entry><time>2024-12-21T00:00:00Z</time></entry>\
            </history>";
        let call = UsageHistory {
            account: id(),
            range: range(),
        };
        let f = UsageFilter::from_xml(call.request().body.as_deref().unwrap()).unwrap();
        assert_eq!((f.billable, f.show_aggregations), (Some(true), Some(true)));
        let h = call.decode(&ok(body)).unwrap();
        assert_eq!(h.entries.len(), 2);
        assert_eq!(h.entries[0].resources[0].aggregated_on[0].1, 30);
        assert!(h.entries[1].resources.is_empty());
        assert_eq!(History::from_xml(&h.to_xml()).unwrap(), h);
    }

    #[test]
    fn errors_come_back_as_api_errors() {
        for status in [401, 403, 404] {
            let r = Response {
                status,
                headers: vec![],
                body: "no".into(),
            };
            assert!(ListResources(id()).decode(&r).is_err());
            assert!(MaxUsage {
                account: id(),
                range: range()
            }
            .decode(&r)
            .is_err());
        }
        assert!(matches!(
            ListResources(id()).decode(&ok("<total/>")),
            Err(ApiError::Malformed(_))
        ));
    }
}
