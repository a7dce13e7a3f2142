//! Usage, expirations, monitoring and the audit log: each call's success and error statuses,
//! against the demo seed, through the router, read with the core's decoders.

mod common;

use common::{call, call_with, demo, root_of, send};
use partner_api::accounts::audit::{mask_token, AuditFilter, AuditQuery};
use partner_api::accounts::expirations::{Expirations, Grace, WORKLOAD_GROUPS};
use partner_api::accounts::monitoring::{BackupSummary, DeviceHealth, Health};
use partner_api::accounts::usage::{
    ListPortfolioResources, ListResources, MaxUsage, MaxUsageTotal, UsageHistory,
};
use partner_api::accounts::users::{DeleteAccount, UpdateAccount, UserUpdate};
use partner_api::accounts::Range;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, ApiError};
use partner_sandbox::world::{AuditEntry, Connector, AUDIT_CAP};
use partner_sandbox::AppState;
use std::collections::BTreeSet;

const DIST: &str = "distributor@demo.example";
const PARTNER: &str = "partner@demo.example";
const MSP: &str = "msp@demo.example";
const READONLY: &str = "readonly@demo.example";

fn now() -> i64 {
    partner_sandbox::clock::unix_now()
}

fn last_days(n: i64) -> Range {
    let now = now();
    Range::new(
        partner_sandbox::clock::iso(now - (n - 1) * 86_400),
        partner_sandbox::clock::iso(now),
    )
}

/// Every seeded account with connectors in `region`, with them.
async fn with_connectors(app: &AppState, region: &str) -> Vec<(AccountId, Vec<Connector>)> {
    let w = app.world.read().await;
    let mut v: Vec<_> = w.regions[region]
        .accounts
        .values()
        .filter(|a| !a.connectors.is_empty())
        .map(|a| (a.id.clone(), a.connectors.clone()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

async fn over_limit(app: &AppState, grace: Grace) -> AccountId {
    let now = now();
    with_connectors(app, "dk-co")
        .await
        .into_iter()
        .find(|(_, cs)| {
            cs.iter().any(|c| {
                c.over_limit()
                    && partner_api::accounts::expirations::ViolatingResource {
                        grace_expires: c.grace_expires.clone(),
                        ..Default::default()
                    }
                    .grace(now)
                        == grace
            })
        })
        .map(|(id, _)| id)
        .expect("the seed has one")
}

fn status(e: &ApiError) -> u16 {
    match e {
        ApiError::BadRequest { .. } => 400,
        ApiError::Unauthorized(_) => 401,
        ApiError::Forbidden(_) => 403,
        ApiError::NotFound(_) => 404,
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn the_seed_covers_every_connector_type_with_limits_grace_and_failures() {
    let app = demo();
    for region in partner_api::demo::DEMO_REGIONS {
        let all = with_connectors(&app, region).await;
        let kinds: BTreeSet<&str> = all
            .iter()
            .flat_map(|(_, cs)| cs.iter().map(|c| c.kind.as_str()))
            .collect();
        assert_eq!(kinds, WORKLOAD_GROUPS.iter().copied().collect(), "{region}");
        let cs: Vec<&Connector> = all.iter().flat_map(|(_, cs)| cs).collect();
        let over: Vec<_> = cs.iter().filter(|c| c.over_limit()).collect();
        assert_eq!(over.len(), 4, "{region}: two in grace, two expired");
        assert!(cs.iter().any(|c| c.last_complete.is_none()), "onboarding");
        assert!(cs.iter().any(|c| c.health == "critical"));
        assert!(cs.iter().all(|c| c.daily.len() == 60));
    }
    // Deterministic: the same seats and GUIDs on a second build.
    let again = demo();
    let a = with_connectors(&app, "dk-co").await;
    let b = with_connectors(&again, "dk-co").await;
    assert_eq!(
        a.iter()
            .map(|(i, c)| (i, c[0].seats, &c[0].guid))
            .collect::<Vec<_>>(),
        b.iter()
            .map(|(i, c)| (i, c[0].seats, &c[0].guid))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn resources_and_portfolio_resources() {
    let app = demo();
    let id = over_limit(&app, Grace::InGrace).await;
    let list = call(&app, "dk-co", DIST, &ListResources(id.clone()))
        .await
        .unwrap();
    assert!(list.resources.iter().any(|r| r.over_limit()));
    assert!(list.resources.iter().any(|r| r.name == "storage"));
    let p = call(
        &app,
        "dk-co",
        READONLY,
        &ListPortfolioResources(root_of(&app, "dk-co", READONLY).await),
    )
    .await
    .unwrap();
    assert!(p.resources.len() >= WORKLOAD_GROUPS.len());

    let root = root_of(&app, "dk-co", DIST).await;
    let e = call(&app, "dk-co", MSP, &ListResources(root.clone()))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    let e = call(&app, "dk-co", MSP, &ListPortfolioResources(root))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    let nobody = AccountId::parse("aaaaaa-bbbbbb-cccccc").unwrap();
    let e = call(&app, "dk-co", DIST, &ListResources(nobody))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 404);
    let e = call_with(&app, "dk-co", DIST, "wrong", &ListResources(id))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 401);
}

#[tokio::test]
async fn max_usage_any_range_and_totals_over_the_subtree() {
    let app = demo();
    let id = over_limit(&app, Grace::Expired).await;
    let m = call(
        &app,
        "dk-co",
        DIST,
        &MaxUsage {
            account: id.clone(),
            range: last_days(400),
        },
    )
    .await
    .unwrap();
    assert!(m
        .seats()
        .any(|r| r.limit.is_some_and(|l| r.maximum_usage > l)));
    // Bare dates, as the vendor's client sends them, and a range before any history.
    let old = Range::new("2001-01-01", "2001-01-02");
    let m = call(
        &app,
        "dk-co",
        DIST,
        &MaxUsage {
            account: id.clone(),
            range: old.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(m.seats().count(), 0);

    let root = root_of(&app, "dk-co", DIST).await;
    let total = |connector_type: Option<&str>, account: &AccountId| MaxUsageTotal {
        account: account.clone(),
        range: last_days(30),
        connector_type: connector_type.map(str::to_owned),
    };
    let t = call(&app, "dk-co", DIST, &total(None, &root))
        .await
        .unwrap();
    let all = with_connectors(&app, "dk-co").await;
    assert_eq!(
        t.connectors_count,
        all.iter().map(|(_, c)| c.len() as u64).sum::<u64>()
    );
    assert!(
        t.seats_count
            >= all
                .iter()
                .flat_map(|(_, c)| c)
                .map(|c| c.seats)
                .sum::<u64>()
    );
    assert_eq!(t.account_type.as_deref(), Some("partner"));
    let o = call(&app, "dk-co", DIST, &total(Some("o365-admin"), &root))
        .await
        .unwrap();
    assert!(o.connectors_count >= 1 && o.connectors_count < t.connectors_count);
    let c = call(&app, "dk-co", DIST, &total(None, &id)).await.unwrap();
    assert_eq!(c.account_type.as_deref(), Some("customer"));

    let e = call(&app, "dk-co", DIST, &total(Some("fax"), &root))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 400);
    let e = call(&app, "dk-co", MSP, &total(None, &root))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    let auth = basic_authorization(DIST, "demo");
    let bad = send(
        &app,
        "PUT",
        &format!("/dk-co/users/{id}/resources/max_usage"),
        &[("authorization", &auth)],
        Some("<filter><range><from>2024-12-21</from><to>2024-12-20</to></range></filter>".into()),
    )
    .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn history_by_day_with_aggregations() {
    let app = demo();
    let all = with_connectors(&app, "dk-co").await;
    let (id, cs) = all
        .iter()
        .find(|(_, cs)| cs.iter().any(|c| c.kind == "o365-admin"))
        .unwrap();
    let h = call(
        &app,
        "dk-co",
        DIST,
        &UsageHistory {
            account: id.clone(),
            range: last_days(90),
        },
    )
    .await
    .unwrap();
    assert_eq!(h.entries.len(), 60, "sixty days are kept");
    let last = h.entries.last().unwrap();
    let quad = last
        .resources
        .iter()
        .find(|r| r.name == "m365-quadseats-full")
        .unwrap();
    let o365 = cs.iter().find(|c| c.kind == "o365-admin").unwrap();
    assert!(quad.aggregated_on.contains(&(o365.resource(), o365.seats)));
    assert_eq!(
        quad.usage,
        quad.aggregated_on.iter().map(|(_, n)| n).sum::<u64>()
    );
    assert!(h.entries[0].time.ends_with("T00:00:00Z"));
    let e = call(
        &app,
        "dk-co",
        MSP,
        &UsageHistory {
            account: root_of(&app, "dk-co", DIST).await,
            range: last_days(2),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(status(&e), 403);
}

#[tokio::test]
async fn expirations_over_the_subtree_in_grace_and_expired() {
    let app = demo();
    let root = root_of(&app, "dk-co", DIST).await;
    let list = call(&app, "dk-co", DIST, &Expirations::all(root.clone()))
        .await
        .unwrap();
    assert_eq!(list.accounts.len(), 4);
    let now = now();
    let states: BTreeSet<_> = list
        .accounts
        .iter()
        .flat_map(|a| a.groups.iter().flat_map(|g| &g.resources))
        .map(|r| format!("{:?}", r.grace(now)))
        .collect();
    assert_eq!(
        states,
        ["Expired".to_string(), "InGrace".to_string()].into()
    );
    assert!(list
        .accounts
        .iter()
        .all(|a| a.company_name.is_some() && a.kind.as_deref() == Some("customer")));
    // One group only, and a narrower scope.
    let group = list.accounts[0].groups[0].name.clone();
    let one = call(
        &app,
        "dk-co",
        DIST,
        &Expirations {
            account: root.clone(),
            groups: vec![group.clone()],
        },
    )
    .await
    .unwrap();
    assert!(one
        .accounts
        .iter()
        .all(|a| a.groups.iter().all(|g| g.name == group)));
    let msp = root_of(&app, "dk-co", MSP).await;
    let mine = call(&app, "dk-co", MSP, &Expirations::all(msp))
        .await
        .unwrap();
    assert!(mine.accounts.len() < list.accounts.len());
    let e = call(&app, "dk-co", MSP, &Expirations::all(root.clone()))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    let auth = basic_authorization(DIST, "demo");
    let bad = send(
        &app,
        "PUT",
        &format!("/dk-co/users/{root}/expirations"),
        &[("authorization", &auth)],
        Some("<nope/>".into()),
    )
    .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn backup_summaries_and_device_health() {
    let app = demo();
    let all = with_connectors(&app, "dk-co").await;
    let (id, cs) = all
        .iter()
        .find(|(_, cs)| cs.iter().any(|c| c.last_complete.is_none()))
        .unwrap();
    let s = call(
        &app,
        "dk-co",
        DIST,
        &BackupSummary {
            account: id.clone(),
            raw: true,
            kind: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(s.devices.len(), cs.len());
    assert!(s.devices.iter().any(|d| d.onboarding()));
    assert_eq!(
        s.devices[0].last_snapshot_size,
        Some(cs[0].size.to_string())
    );
    let words = call(
        &app,
        "dk-co",
        DIST,
        &BackupSummary {
            account: id.clone(),
            raw: false,
            kind: Some(cs[0].kind.clone()),
        },
    )
    .await
    .unwrap();
    assert_eq!(words.devices.len(), 1);
    assert!(words.devices[0]
        .last_snapshot_size
        .as_deref()
        .unwrap()
        .ends_with('B'));

    let (cid, ccs) = all
        .iter()
        .find(|(_, cs)| cs.iter().any(|c| c.health == "critical"))
        .unwrap();
    let critical = ccs.iter().find(|c| c.health == "critical").unwrap();
    let h = call(
        &app,
        "dk-co",
        DIST,
        &DeviceHealth {
            account: cid.clone(),
            device: critical.guid.clone(),
        },
    )
    .await
    .unwrap();
    assert_eq!(h, Health::Critical);
    let e = call(
        &app,
        "dk-co",
        DIST,
        &DeviceHealth {
            account: cid.clone(),
            device: "nope".into(),
        },
    )
    .await
    .unwrap_err();
    assert_eq!(status(&e), 404);
    let root = root_of(&app, "dk-co", DIST).await;
    let e = call(
        &app,
        "dk-co",
        MSP,
        &BackupSummary {
            account: root,
            raw: true,
            kind: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(status(&e), 403);
    let auth = basic_authorization(DIST, "demo");
    let bad = send(
        &app,
        "GET",
        &format!("/dk-co/users/{id}/monitoring/backup/summary?raw=maybe"),
        &[("authorization", &auth)],
        None,
    )
    .await;
    assert_eq!(bad.status, 400);
}

fn audit(account: &AccountId, recursive: bool, limit: u32, offset: u64) -> AuditFilter {
    AuditFilter {
        query: AuditQuery {
            account: account.clone(),
            from: "2000-01-01".into(),
            to: partner_sandbox::clock::iso(now() + 60),
            recursive: Some(recursive),
        },
        limit: Some(limit),
        offset,
    }
}

async fn audit_len(app: &AppState) -> usize {
    app.world.read().await.regions["dk-co"].audit.len()
}

#[tokio::test]
async fn every_write_is_audited_succeeded_or_refused_and_queries_are_not() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    assert_eq!(audit_len(&app).await, 0);
    let update = |subscribed| UpdateAccount {
        id: partner.clone(),
        update: UserUpdate {
            subscribed: Some(subscribed),
            ..UserUpdate::default()
        },
    };
    call(&app, "dk-co", PARTNER, &update(false)).await.unwrap();
    let e = call(&app, "dk-co", READONLY, &update(true))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    let e = call_with(&app, "dk-co", PARTNER, "wrong", &update(true))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 401);
    // An Enterprise write the sandbox refuses as invalid.
    let auth = basic_authorization(DIST, "demo");
    let r = send(
        &app,
        "POST",
        "/dk-co/apis/accounts/v1/groups/",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        Some("{}".into()),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(audit_len(&app).await, 4);

    // Reads and PUT queries are not writes.
    let root = root_of(&app, "dk-co", DIST).await;
    call(&app, "dk-co", DIST, &Expirations::all(root.clone()))
        .await
        .unwrap();
    call(
        &app,
        "dk-co",
        DIST,
        &MaxUsage {
            account: root.clone(),
            range: last_days(2),
        },
    )
    .await
    .unwrap();
    let page = call(&app, "dk-co", PARTNER, &audit(&partner, false, 10, 0))
        .await
        .unwrap();
    assert_eq!(audit_len(&app).await, 4, "the audit query is not recorded");

    // Newest first: the 401, the 403, the update.
    assert_eq!(page.records.len(), 3);
    assert_eq!(page.next_offset, None);
    let [unauth, refused, done] = &page.records[..] else {
        panic!()
    };
    assert_eq!(done.acl, "UpdateAccount");
    assert_eq!(done.method, "put");
    assert!(done.succeeded && done.allowed);
    assert_eq!(done.token, PARTNER);
    assert_eq!(done.masked_token(), mask_token(PARTNER));
    assert_eq!(done.area.as_deref(), Some("accounts"));
    assert!(done.company.is_some());
    assert_eq!(done.account, partner.as_str());
    assert!(!refused.succeeded && !refused.allowed && refused.token == READONLY);
    assert!(refused.message.contains("refused (403)"));
    assert!(!unauth.allowed);
    let enterprise = call(&app, "dk-co", DIST, &audit(&root, false, 10, 0))
        .await
        .unwrap();
    assert_eq!(enterprise.records[0].acl, "CreateGroup");
    assert!(!enterprise.records[0].succeeded && enterprise.records[0].allowed);
}

#[tokio::test]
async fn audit_pages_scope_and_errors() {
    let app = demo();
    let partner = root_of(&app, "dk-co", PARTNER).await;
    let root = root_of(&app, "dk-co", DIST).await;
    for s in [false, true, false] {
        let u = UpdateAccount {
            id: partner.clone(),
            update: UserUpdate {
                subscribed: Some(s),
                ..UserUpdate::default()
            },
        };
        call(&app, "dk-co", DIST, &u).await.unwrap();
    }
    let first = call(&app, "dk-co", DIST, &audit(&partner, false, 2, 0))
        .await
        .unwrap();
    assert_eq!((first.records.len(), first.next_offset), (2, Some(2)));
    let second = call(&app, "dk-co", DIST, &audit(&partner, false, 2, 2))
        .await
        .unwrap();
    assert_eq!((second.records.len(), second.next_offset), (1, None));
    // Only the account itself, or its whole subtree with `recursive`.
    assert!(call(&app, "dk-co", DIST, &audit(&root, false, 10, 0))
        .await
        .unwrap()
        .records
        .is_empty());
    assert_eq!(
        call(&app, "dk-co", DIST, &audit(&root, true, 10, 0))
            .await
            .unwrap()
            .records
            .len(),
        3
    );

    // A deleted account's records are still found below its ancestor.
    let customer = with_connectors(&app, "dk-co")
        .await
        .into_iter()
        .map(|(id, _)| id)
        .find(|id| {
            let w = app.world.try_read().unwrap();
            w.regions["dk-co"].is_within(&partner, id)
                && w.regions["dk-co"].accounts[id].retention_days.is_none()
        })
        .unwrap();
    call(&app, "dk-co", PARTNER, &DeleteAccount(customer.clone()))
        .await
        .unwrap();
    let below = call(&app, "dk-co", PARTNER, &audit(&partner, true, 10, 0))
        .await
        .unwrap();
    assert_eq!(below.records[0].acl, "DeleteAccount");
    assert_eq!(below.records[0].account, customer.as_str());

    let e = call(&app, "dk-co", MSP, &audit(&root, true, 10, 0))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 403);
    let e = call_with(&app, "dk-co", DIST, "wrong", &audit(&root, true, 10, 0))
        .await
        .unwrap_err();
    assert_eq!(status(&e), 401);
    let auth = basic_authorization(DIST, "demo");
    for (q, body) in [
        ("limit=x", audit(&root, true, 1, 0).query.to_xml()),
        ("", "<filter><account>nope</account></filter>".to_string()),
    ] {
        let r = send(
            &app,
            "PUT",
            &format!("/dk-co/audit/filter/pretty?{q}"),
            &[("authorization", &auth)],
            Some(body),
        )
        .await;
        assert_eq!(r.status, 400);
    }
}

#[tokio::test]
async fn the_log_is_bounded() {
    let app = demo();
    let mut w = app.world.write().await;
    let r = w.region_mut("dk-co").unwrap();
    for i in 0..AUDIT_CAP + 5 {
        r.record(AuditEntry {
            record: partner_api::accounts::audit::AuditRecord {
                message: i.to_string(),
                ..Default::default()
            },
            at: i as i64,
            within: Vec::new(),
        });
    }
    assert_eq!(r.audit.len(), AUDIT_CAP);
    assert_eq!(r.audit[0].record.message, "5");
}
