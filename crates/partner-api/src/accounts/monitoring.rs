//! `GET /users/{id}/monitoring/backup/summary`: each connector's (device's) last snapshot,
//! and `GET /users/{id}/devices/{d}/health`. The shapes are the vendor's own client's
//! (keepit-official/keepit-mcp). The summary has no status field: a device without a last
//! complete snapshot is still onboarding; the health call tells healthy from critical.

use super::{accounts_get, root, text};
use crate::call::{decode_with, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::wire::request::{encode_component, Request, Response};
use crate::wire::xml::XmlWriter;
use crate::wire::DecodeError;

/// `GET /users/{id}/monitoring/backup/summary?raw=&type=`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub account: AccountId,
    /// Sizes in bytes rather than in words.
    pub raw: bool,
    /// Only this connector type.
    pub kind: Option<String>,
}

impl Call for BackupSummary {
    type Output = BackupSummaryList;
    fn request(&self) -> Request {
        let mut r = accounts_get(format!("/users/{}/monitoring/backup/summary", self.account));
        r.query.push(("raw".into(), self.raw.to_string()));
        if let Some(k) = &self.kind {
            r.query.push(("type".into(), k.clone()));
        }
        r
    }
    fn decode(&self, r: &Response) -> Result<BackupSummaryList, ApiError> {
        decode_with(r, BackupSummaryList::from_xml)
    }
}

/// One device (connector) in the summary.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeviceSummary {
    pub guid: String,
    pub last_snapshot_time: Option<String>,
    pub last_complete_snapshot_time: Option<String>,
    /// Bytes with `raw=true`; as the region writes it otherwise.
    pub last_snapshot_size: Option<String>,
    pub size_change: Option<String>,
}

impl DeviceSummary {
    /// No complete snapshot yet.
    pub fn onboarding(&self) -> bool {
        self.last_complete_snapshot_time.is_none()
    }

    /// The last snapshot did not complete (it is not the last complete one).
    pub fn last_failed(&self) -> bool {
        match (&self.last_snapshot_time, &self.last_complete_snapshot_time) {
            (Some(last), Some(complete)) => last != complete,
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BackupSummaryList {
    pub devices: Vec<DeviceSummary>,
}

impl BackupSummaryList {
    const EXPECTED: &'static str = "a <backup-summary> of devices";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("backup-summary");
        for d in &self.devices {
            w.open("device")
                .text("guid", &d.guid)
                .opt_text("last-snapshot-time", d.last_snapshot_time.as_deref())
                .opt_text(
                    "last-complete-snapshot-time",
                    d.last_complete_snapshot_time.as_deref(),
                )
                .opt_text("last-snapshot-size", d.last_snapshot_size.as_deref())
                .opt_text("size-change", d.size_change.as_deref())
                .close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "backup-summary", Self::EXPECTED)?;
        Ok(BackupSummaryList {
            devices: e
                .children_named("device")
                .filter_map(|d| {
                    Some(DeviceSummary {
                        guid: text(d, &["guid"])?,
                        last_snapshot_time: text(d, &["last-snapshot-time"]),
                        last_complete_snapshot_time: text(d, &["last-complete-snapshot-time"]),
                        last_snapshot_size: text(d, &["last-snapshot-size"]),
                        size_change: text(d, &["size-change"]),
                    })
                })
                .collect(),
        })
    }
}

/// A device's health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    Healthy,
    Unhealthy,
    Critical,
    /// A word this crate does not know, kept.
    Other(String),
}

impl Health {
    pub fn parse(s: &str) -> Health {
        match s.trim().to_ascii_lowercase().as_str() {
            "healthy" => Health::Healthy,
            "unhealthy" => Health::Unhealthy,
            "critical" => Health::Critical,
            _ => Health::Other(s.trim().to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Health::Healthy => "healthy",
            Health::Unhealthy => "unhealthy",
            Health::Critical => "critical",
            Health::Other(s) => s,
        }
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("devhealth").text("health", self.as_str());
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        const EXPECTED: &str = "a <devhealth> with <health>";
        let e = root(body, "devhealth", EXPECTED)?;
        e.child_text("health")
            .map(Health::parse)
            .ok_or(DecodeError {
                expected: EXPECTED,
                detail: "<health> is missing".into(),
            })
    }
}

/// `GET /users/{id}/devices/{device}/health`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceHealth {
    pub account: AccountId,
    pub device: String,
}

impl Call for DeviceHealth {
    type Output = Health;
    fn request(&self) -> Request {
        accounts_get(format!(
            "/users/{}/devices/{}/health",
            self.account,
            encode_component(&self.device)
        ))
    }
    fn decode(&self, r: &Response) -> Result<Health, ApiError> {
        decode_with(r, Health::from_xml)
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

    #[test]
    fn summary_request_and_shape() {
        let call = BackupSummary {
            account: id(),
            raw: true,
            kind: Some("o365-admin".into()),
        };
        assert_eq!(
            call.request().path_and_query(),
            "/users/nq2v51-5mx23m-qb7sah/monitoring/backup/summary?raw=true&type=o365-admin"
        );
        let list = call
            .decode(&ok("<backup-summary><device><guid>d1</guid>\
                <last-snapshot-time>2024-12-20T11:58:30Z</last-snapshot-time>\
                <last-complete-snapshot-time>2024-12-19T11:58:30Z</last-complete-snapshot-time>\
                <last-snapshot-size>1000</last-snapshot-size><size-change>-5</size-change>\
                <status>ignored</status></device><device><guid>d2</guid>\
                <last-snapshot-time>2024-12-20T11:58:30Z</last-snapshot-time></device>\
                <device/></backup-summary>"))
            .unwrap();
        assert_eq!(list.devices.len(), 2);
        assert!(list.devices[0].last_failed() && !list.devices[0].onboarding());
        assert!(list.devices[1].onboarding() && !list.devices[1].last_failed());
        assert_eq!(BackupSummaryList::from_xml(&list.to_xml()).unwrap(), list);
        assert!(call
            .decode(&Response {
                status: 403,
                headers: vec![],
                body: "no".into()
            })
            .is_err());
    }

    #[test]
    fn health_reads_every_word() {
        let call = DeviceHealth {
            account: id(),
            device: "a b".into(),
        };
        assert_eq!(
            call.request().path,
            "/users/nq2v51-5mx23m-qb7sah/devices/a%20b/health"
        );
        for h in [Health::Healthy, Health::Unhealthy, Health::Critical] {
            assert_eq!(call.decode(&ok(&h.to_xml())).unwrap(), h);
        }
        assert_eq!(
            Health::from_xml("<devhealth><health>Odd</health></devhealth>").unwrap(),
            Health::Other("Odd".into())
        );
        assert!(Health::from_xml("<devhealth/>").is_err());
        assert!(call
            .decode(&Response {
                status: 404,
                headers: vec![],
                body: String::new()
            })
            .is_err());
    }
}
