//! The Accounts API's usage, expirations and monitoring calls: what an account's
//! connectors use, over a range and by day, which sub-accounts are over a limit, and how
//! their backups are doing. Read from each account's `connectors` (`world.rs`); decoded and
//! encoded with the core's `accounts::{usage, expirations, monitoring}`.

use crate::world::{Account, Connector, Region};
use crate::{clock, enter, xml_response, AppState, Fail};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use partner_api::accounts::expirations::{
    ExpirationFilter, ExpirationList, ExpiringAccount, ViolatingResource, ViolationGroup,
    WORKLOAD_GROUPS,
};
use partner_api::accounts::monitoring::{BackupSummaryList, DeviceSummary, Health};
use partner_api::accounts::usage::{
    History, HistoryEntry, HistoryResource, MaxUsageList, MaxUsageResource, PortfolioResource,
    PortfolioResources, Resource, ResourceList, UsageFilter, UsageTotal,
};
use partner_api::AccountKind;
use std::collections::{BTreeMap, HashMap};

type Answer = Result<Response, Fail>;

fn ok_xml(body: String) -> Answer {
    Ok(xml_response(StatusCode::OK, body))
}

/// The Microsoft workloads, which `history` sums into `m365-quadseats-full`.
const M365: [&str; 4] = ["o365-admin", "azuread", "dynamics365", "powerbi"];
const M365_TOTAL: &str = "m365-quadseats-full";

/// What a workload's seats are called in words.
pub fn readable(kind: &str) -> String {
    let name = match kind {
        "o365-admin" => "Microsoft 365",
        "gsuite" => "Google Workspace",
        "salesforce" => "Salesforce",
        "azuread" => "Entra ID",
        "azuredo" => "Azure DevOps",
        "dynamics365" => "Dynamics 365",
        "powerbi" => "Power BI",
        "zendesk" => "Zendesk",
        "okta" => "Okta",
        "jira" => "Jira",
        "confluence" => "Confluence",
        "bamboohr" => "BambooHR",
        "docusign" => "Docusign",
        "miro" => "Miro",
        other => other,
    };
    format!("{name} seats")
}

fn filter(body: &str) -> Result<(UsageFilter, i64, i64), Fail> {
    let f = UsageFilter::from_xml(body)
        .map_err(|e| Fail::BadRequest(format!("The body is not a usage filter: {e}")))?;
    let (from, to) = f
        .range
        .seconds()
        .ok_or_else(|| Fail::BadRequest("The range cannot be read.".into()))?;
    Ok((f, from.div_euclid(86_400), to.div_euclid(86_400)))
}

/// The account and every account below it.
fn subtree<'r>(r: &'r Region, account: &'r Account) -> Vec<&'r Account> {
    let mut out = vec![account];
    let mut stack: Vec<_> = account.children.iter().collect();
    while let Some(id) = stack.pop() {
        if let Some(a) = r.accounts.get(id) {
            out.push(a);
            stack.extend(a.children.iter());
        }
    }
    out
}

/// `GET /users/{id}/resources`: each connector's seats against its limit, and the
/// account's stored bytes.
pub async fn resources(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let evaluated = clock::iso(clock::unix_now().div_euclid(3_600) * 3_600);
    let mut resources: Vec<Resource> = a
        .connectors
        .iter()
        .map(|c| Resource {
            name: c.resource(),
            evaluated: Some(evaluated.clone()),
            kind: Some("integer".into()),
            limit: c.limit,
            usage: Some(c.seats),
            violated: Some(c.over_limit()),
            unit: None,
        })
        .collect();
    resources.push(Resource {
        name: "storage".into(),
        evaluated: Some(evaluated),
        kind: Some("integer".into()),
        limit: None,
        usage: Some(a.connectors.iter().map(|c| c.size).sum()),
        violated: Some(false),
        unit: Some("bytes".into()),
    });
    ok_xml(ResourceList { resources }.to_xml())
}

/// `GET /users/{id}/portfolio/resources`: the same list for every account.
pub async fn portfolio_resources(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    r.visible(&caller, &id)?;
    let mut resources: Vec<PortfolioResource> = WORKLOAD_GROUPS
        .iter()
        .map(|g| PortfolioResource {
            name: format!("{g}-seats-total"),
            group: Some(g.to_string()),
            kind: Some("integer".into()),
            descr: Some(readable(g)),
            unit: Some("seats".into()),
            category: Some("seats".into()),
        })
        .collect();
    for (name, kind, descr, unit) in [
        ("storage", "integer", "Stored data", Some("bytes")),
        ("retention", "period", "How long backups are kept", None),
        ("contract-end", "date", "When the contract ends", None),
        ("archive", "boolean", "Long-term archive", None),
    ] {
        resources.push(PortfolioResource {
            name: name.into(),
            group: None,
            kind: Some(kind.into()),
            descr: Some(descr.into()),
            unit: unit.map(str::to_owned),
            category: Some("general".into()),
        });
    }
    ok_xml(PortfolioResources { resources }.to_xml())
}

/// `PUT /users/{id}/resources/max_usage`: per connector, the largest daily use in the
/// range (any length; the account's own connectors).
pub async fn max_usage(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let (_, from, to) = filter(&body)?;
    let resources = a
        .connectors
        .iter()
        .map(|c| MaxUsageResource {
            name: c.resource(),
            maximum_usage: c.max_seats(from, to),
            limit: c.limit,
        })
        .collect();
    ok_xml(MaxUsageList { resources }.to_xml())
}

/// `PUT /users/{id}/resources/max_usage/total`: the subtree's seats (each connector's
/// largest daily use in the range, summed) and connectors, perhaps of one type.
pub async fn max_usage_total(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let (f, from, to) = filter(&body)?;
    if let Some(kind) = f
        .connector_type
        .as_deref()
        .filter(|k| !WORKLOAD_GROUPS.contains(k))
    {
        return Err(Fail::BadRequest(format!(
            "connector-type: There is no connector type “{kind}”."
        )));
    }
    let connectors: Vec<&Connector> = subtree(r, a)
        .into_iter()
        .flat_map(|a| &a.connectors)
        .filter(|c| f.connector_type.as_deref().is_none_or(|k| k == c.kind))
        .collect();
    let total = UsageTotal {
        seats_count: connectors.iter().map(|c| c.max_seats(from, to)).sum(),
        connectors_count: connectors.len() as u64,
        account_type: f.include_account_type.filter(|&b| b).map(|_| {
            match a.kind() {
                AccountKind::Partner => "partner",
                AccountKind::Customer => "customer",
            }
            .to_owned()
        }),
    };
    ok_xml(total.to_xml())
}

/// `PUT /users/{id}/resources/history`: one entry per day of the range on which the
/// account had a connector (midnight UTC), each connector type's seats, and the Microsoft
/// workloads summed into `m365-quadseats-full` (with what it sums when asked). Every
/// seeded resource is billable, so `billable` changes nothing.
pub async fn history(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let (f, from, to) = filter(&body)?;
    let today = clock::unix_now().div_euclid(86_400);
    let first = a.connectors.iter().map(|c| c.history_from).min();
    let mut entries = Vec::new();
    if let Some(first) = first {
        for day in from.max(first).max(to - 400)..=to.min(today) {
            let mut resources = Vec::new();
            let mut m365 = Vec::new();
            for c in &a.connectors {
                let seats = c.seats_on(day);
                if M365.contains(&c.kind.as_str()) {
                    m365.push((c.resource(), seats));
                } else {
                    resources.push(HistoryResource {
                        name: c.resource(),
                        usage: seats,
                        aggregated_on: Vec::new(),
                    });
                }
            }
            if !m365.is_empty() {
                resources.insert(
                    0,
                    HistoryResource {
                        name: M365_TOTAL.into(),
                        usage: m365.iter().map(|(_, n)| n).sum(),
                        aggregated_on: if f.show_aggregations == Some(true) {
                            m365
                        } else {
                            Vec::new()
                        },
                    },
                );
            }
            entries.push(HistoryEntry {
                time: clock::iso(day * 86_400),
                resources,
            });
        }
    }
    ok_xml(History { entries }.to_xml())
}

/// `PUT /users/{id}/expirations`: every account below `{id}` (the whole subtree, not the
/// account itself) with a connector of an asked group over its limit.
pub async fn expirations(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let f = ExpirationFilter::from_xml(&body)
        .map_err(|e| Fail::BadRequest(format!("The body is not an expirations filter: {e}")))?;
    let asked = |k: &str| f.groups.is_empty() || f.groups.iter().any(|g| g == k);
    let mut accounts = Vec::new();
    for sub in subtree(r, a).into_iter().skip(1) {
        let mut groups: BTreeMap<&str, Vec<ViolatingResource>> = BTreeMap::new();
        for c in sub
            .connectors
            .iter()
            .filter(|c| c.over_limit() && asked(&c.kind))
        {
            groups.entry(&c.kind).or_default().push(ViolatingResource {
                name: c.resource(),
                readable_name: Some(readable(&c.kind)),
                limit: c.limit,
                usage: Some(c.seats),
                grace_expires: c.grace_expires.clone(),
            });
        }
        if groups.is_empty() {
            continue;
        }
        let contact = sub.primary_contact();
        accounts.push(ExpiringAccount {
            guid: sub.id.clone(),
            email: contact.and_then(|c| c.email.clone()),
            company_name: sub.company().map(str::to_owned),
            kind: Some(
                match sub.kind() {
                    AccountKind::Partner => "partner",
                    AccountKind::Customer => "customer",
                }
                .into(),
            ),
            groups: groups
                .into_iter()
                .map(|(name, resources)| ViolationGroup {
                    name: name.to_owned(),
                    resources,
                })
                .collect(),
        });
    }
    ok_xml(
        ExpirationList {
            accounts,
            unreadable: 0,
        }
        .to_xml(),
    )
}

/// `GET /users/{id}/monitoring/backup/summary?raw=&type=`: the account's connectors as
/// devices. With `raw=true` sizes are bytes; otherwise in words (`1.5 TB`, `+2.0 MB`).
pub async fn backup_summary(
    State(app): State<AppState>,
    Path((region, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let raw = match q.get("raw").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(Fail::BadRequest(format!(
                "raw: “{other}” is neither true nor false."
            )))
        }
    };
    let kind = q.get("type").filter(|t| !t.is_empty());
    let devices = a
        .connectors
        .iter()
        .filter(|c| kind.is_none_or(|k| *k == c.kind))
        .map(|c| DeviceSummary {
            guid: c.guid.clone(),
            last_snapshot_time: c.last_snapshot.map(clock::iso),
            last_complete_snapshot_time: c.last_complete.map(clock::iso),
            last_snapshot_size: Some(if raw {
                c.size.to_string()
            } else {
                partner_api::units::bytes(c.size)
            }),
            size_change: Some(if raw {
                c.size_change.to_string()
            } else {
                let sign = if c.size_change < 0 { "-" } else { "+" };
                format!(
                    "{sign}{}",
                    partner_api::units::bytes(c.size_change.unsigned_abs())
                )
            }),
        })
        .collect();
    ok_xml(BackupSummaryList { devices }.to_xml())
}

/// `GET /users/{id}/devices/{device}/health`: 404 for a device the account does not have.
pub async fn device_health(
    State(app): State<AppState>,
    Path((region, id, device)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let a = r.visible(&caller, &id)?;
    let c = a
        .connectors
        .iter()
        .find(|c| c.guid == device)
        .ok_or_else(|| Fail::NotFound("The account has no such device.".into()))?;
    ok_xml(Health::parse(&c.health).to_xml())
}
