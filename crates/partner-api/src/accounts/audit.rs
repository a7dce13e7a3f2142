//! `PUT /audit/filter/pretty?limit=&offset=`: the audit log of an account (and with
//! `recursive`, its subtree), a page at a time. The shape and the paging are the vendor's own
//! client's (keepit-official/keepit-mcp): it sends `Accept: application/vnd.keepit.v3+xml`,
//! and the response header `next-offset` is the absolute offset of the next page, absent or 0
//! at the end. [`mask_token`] is how a token is shown; `crate::csv::audit_csv` exports
//! records.

use super::{root, text, XML};
use crate::call::{decode_with, write, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::wire::request::{accounts_accept, Family, Method, Request, Response};
use crate::wire::xml::{self, XmlWriter};
use crate::wire::DecodeError;
use serde::{Deserialize, Serialize};

/// `<filter><account/><from/><to/><recursive/>?</filter>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub account: AccountId,
    pub from: String,
    pub to: String,
    /// The account's whole subtree, not only the account itself.
    pub recursive: Option<bool>,
}

impl AuditQuery {
    const EXPECTED: &'static str = "a <filter> with <account>, <from> and <to>";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("filter")
            .text("account", self.account.as_str())
            .text("from", &self.from)
            .text("to", &self.to);
        if let Some(r) = self.recursive {
            w.boolean("recursive", r);
        }
        w.finish()
    }

    /// Reads a filter: the account must be a GUID, and `from`/`to` ISO-8601 times or dates.
    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "filter", Self::EXPECTED)?;
        let bad = |detail: String| DecodeError {
            expected: Self::EXPECTED,
            detail,
        };
        let account = super::required_id(&e, "account", Self::EXPECTED)?;
        let time = |name: &str| -> Result<String, DecodeError> {
            let t = e
                .child_text(name)
                .ok_or_else(|| bad(format!("<{name}> is missing")))?;
            super::instant_seconds(t)
                .map(|_| t.to_owned())
                .ok_or_else(|| bad(format!("<{name}> “{t}” is not an ISO-8601 UTC time")))
        };
        Ok(AuditQuery {
            account,
            from: time("from")?,
            to: time("to")?,
            recursive: e.child_text("recursive").and_then(xml::parse_bool),
        })
    }
}

/// One page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFilter {
    pub query: AuditQuery,
    pub limit: Option<u32>,
    pub offset: u64,
}

/// The `Accept` the vendor's client sends for partners' audit.
pub fn audit_accept() -> String {
    accounts_accept(3)
}

impl Call for AuditFilter {
    type Output = AuditPage;
    fn request(&self) -> Request {
        let mut r = write(
            Family::Accounts,
            Method::Put,
            "/audit/filter/pretty".into(),
            XML,
            self.query.to_xml(),
            true,
        )
        .header("Accept", audit_accept());
        if let Some(l) = self.limit {
            r.query.push(("limit".into(), l.to_string()));
        }
        r.query.push(("offset".into(), self.offset.to_string()));
        r
    }
    fn decode(&self, r: &Response) -> Result<AuditPage, ApiError> {
        let log = decode_with(r, AuditLog::from_xml)?;
        Ok(AuditPage {
            records: log.records,
            next_offset: next_offset(r.header("next-offset"), self.offset),
        })
    }
}

/// The next page's offset from a `next-offset` header: `None` at the end (absent, 0,
/// unreadable, or not past `current`, where the vendor's client also stops).
pub fn next_offset(header: Option<&str>, current: u64) -> Option<u64> {
    header
        .and_then(|h| h.trim().parse::<u64>().ok())
        .filter(|&n| n > 0 && n > current)
}

/// A page of records, and where the next one starts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditPage {
    pub records: Vec<AuditRecord>,
    pub next_offset: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AuditRecord {
    pub time: String,
    /// The account acted on.
    pub account: String,
    /// The caller's company.
    pub company: Option<String>,
    pub device: Option<String>,
    /// Lowercase: `put`, `post`, `delete`.
    pub method: String,
    /// What was done, in words.
    pub message: String,
    pub succeeded: bool,
    pub allowed: bool,
    /// The call's name (`AuditFilter`, `CreateAccount`).
    pub acl: String,
    /// The caller's login or token name; shown masked ([`mask_token`]).
    pub token: String,
    pub client_ip: String,
    pub area: Option<String>,
    pub metadata: Vec<(String, String)>,
}

impl AuditRecord {
    /// The token as the portal shows it.
    pub fn masked_token(&self) -> String {
        mask_token(&self.token)
    }
}

/// A token as shown: its first 4 and last 4 characters around `***`, or `***` alone when it
/// has 8 characters or fewer (so nothing of a short one shows).
pub fn mask_token(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() <= 8 {
        return "***".into();
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}***{tail}")
}

/// `<audit><record>…</record>*</audit>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditLog {
    pub records: Vec<AuditRecord>,
}

impl AuditLog {
    const EXPECTED: &'static str = "an <audit> list of records";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("audit");
        for r in &self.records {
            w.open("record")
                .text("time", &r.time)
                .text("account", &r.account)
                .opt_text("company", r.company.as_deref())
                .opt_text("device", r.device.as_deref())
                .text("method", &r.method)
                .text("message", &r.message)
                .boolean("succeeded", r.succeeded)
                .boolean("allowed", r.allowed)
                .text("acl", &r.acl)
                .text("token", &r.token)
                .text("client-ip", &r.client_ip)
                .opt_text("area", r.area.as_deref())
                .open("metadata");
            for (k, v) in &r.metadata {
                w.open("parameter").text("key", k).text("value", v).close();
            }
            w.close().close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "audit", Self::EXPECTED)?;
        let s = |r: &xml::Element, n: &str| text(r, &[n]).unwrap_or_default();
        let b =
            |r: &xml::Element, n: &str| r.child_text(n).and_then(xml::parse_bool).unwrap_or(false);
        Ok(AuditLog {
            records: e
                .children_named("record")
                .map(|r| AuditRecord {
                    time: s(r, "time"),
                    account: s(r, "account"),
                    company: text(r, &["company"]),
                    device: text(r, &["device"]),
                    method: s(r, "method").to_ascii_lowercase(),
                    message: s(r, "message"),
                    succeeded: b(r, "succeeded"),
                    allowed: b(r, "allowed"),
                    acl: s(r, "acl"),
                    token: s(r, "token"),
                    client_ip: s(r, "client-ip"),
                    area: text(r, &["area"]),
                    metadata: r
                        .children_named("metadata")
                        .flat_map(|m| m.children_named("parameter"))
                        .filter_map(|p| Some((text(p, &["key"])?, s(p, "value"))))
                        .collect(),
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query() -> AuditQuery {
        AuditQuery {
            account: AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap(),
            from: "2024-12-01T00:00:00Z".into(),
            to: "2024-12-20T11:58:30.000Z".into(),
            recursive: Some(true),
        }
    }

    fn record() -> AuditRecord {
        AuditRecord {
            time: "2024-12-20T11:58:30Z".into(),
            account: "nq2v51-5mx23m-qb7sah".into(),
            company: Some("Berg & Co".into()),
            method: "put".into(),
            message: "Updated the account".into(),
            succeeded: true,
            allowed: true,
            acl: "UpdateAccount".into(),
            token: "admin@nordic.example".into(),
            client_ip: "127.0.0.1".into(),
            area: Some("accounts".into()),
            metadata: vec![("enabled".into(), "false".into())],
            ..AuditRecord::default()
        }
    }

    #[test]
    fn the_request_is_the_vendors() {
        let r = AuditFilter {
            query: query(),
            limit: Some(50),
            offset: 100,
        }
        .request();
        assert_eq!(r.method, Method::Put);
        assert_eq!(
            r.path_and_query(),
            "/audit/filter/pretty?limit=50&offset=100"
        );
        assert!(r
            .headers
            .contains(&("Accept", "application/vnd.keepit.v3+xml".into())));
        assert_eq!(
            AuditQuery::from_xml(r.body.as_deref().unwrap()).unwrap(),
            query()
        );
        assert!(AuditQuery::from_xml("<filter><account>x</account></filter>").is_err());
        assert!(AuditQuery::from_xml(
            "<filter><account>nq2v51-5mx23m-qb7sah</account><from>later</from><to>2024-12-01</to></filter>"
        )
        .unwrap_err()
        .detail
        .contains("from"));
    }

    #[test]
    fn pages_follow_next_offset_and_stop() {
        let call = AuditFilter {
            query: query(),
            limit: Some(1),
            offset: 10,
        };
        let body = AuditLog {
            records: vec![record()],
        }
        .to_xml();
        let page = |h: Option<&str>| {
            call.decode(&Response {
                status: 200,
                headers: h
                    .map(|v| vec![("next-offset".to_string(), v.to_string())])
                    .unwrap_or_default(),
                body: body.clone(),
            })
            .unwrap()
        };
        let p = page(Some("11"));
        assert_eq!(p.next_offset, Some(11));
        assert_eq!(p.records, vec![record()]);
        assert_eq!(page(None).next_offset, None);
        assert_eq!(page(Some("0")).next_offset, None);
        assert_eq!(
            page(Some("10")).next_offset,
            None,
            "not past the current one"
        );
        assert_eq!(page(Some("junk")).next_offset, None);
        for status in [400, 401, 403] {
            assert!(call
                .decode(&Response {
                    status,
                    headers: vec![],
                    body: "no".into()
                })
                .is_err());
        }
    }

    #[test]
    fn records_decode_tolerantly() {
        let log = AuditLog::from_xml(
            "<audit><record><time>t</time><method>PUT</method><succeeded>false</succeeded>\
             <allowed>true</allowed><acl>AuditFilter</acl><unknown/><metadata><parameter>\
             <key>k</key><value>v</value></parameter></metadata></record></audit>",
        )
        .unwrap();
        let r = &log.records[0];
        assert_eq!(r.method, "put");
        assert!(!r.succeeded && r.allowed);
        assert_eq!(r.metadata, [("k".to_string(), "v".to_string())]);
        assert_eq!(r.company, None);
        assert_eq!(AuditLog::from_xml(&log.to_xml()).unwrap(), log);
    }

    #[test]
    fn tokens_are_masked() {
        assert_eq!(mask_token("admin@nordic.example"), "admi***mple");
        assert_eq!(mask_token("12345678"), "***");
        assert_eq!(mask_token("123456789"), "1234***6789");
        assert_eq!(mask_token(""), "***");
        assert_eq!(mask_token("ææææøøøøå"), "ææææ***øøøå");
    }
}
