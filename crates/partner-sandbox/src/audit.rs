//! The audit log: one layer ([`layer`]) records every write the sandbox serves, on both
//! families, succeeded or refused, and [`filter`] answers `PUT /audit/filter/pretty`.
//! Queries sent as `PUT` (usage, history, expirations, the audit query itself) are not
//! writes and are not recorded. Each region keeps the last `AUDIT_CAP` records.

use crate::world::{AuditEntry, Region};
use crate::{clock, enter, xml_response, AppState, Fail};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use partner_api::accounts::audit::{AuditLog, AuditQuery, AuditRecord};
use partner_api::accounts::instant_seconds;
use partner_api::wire::auth::parse_basic_authorization;
use partner_api::AccountId;
use std::collections::HashMap;
use std::net::SocketAddr;

/// What a write is: the call's name (`acl`), its area, and what it does in words.
struct Described {
    acl: &'static str,
    area: &'static str,
    what: &'static str,
}

fn d(acl: &'static str, area: &'static str, what: &'static str) -> Option<Described> {
    Some(Described { acl, area, what })
}

/// The write a method and path (below the region) are; `None` for what is not a write.
fn describe(method: &Method, rest: &[&str]) -> Option<Described> {
    let m = method.as_str();
    match (m, rest) {
        ("GET" | "HEAD" | "OPTIONS", _) => None,
        (_, ["audit", ..]) => None,
        ("PUT", ["users", _, "resources", ..] | ["users", _, "expirations"]) => None,
        ("POST", ["users", _, "users"]) => d("CreateAccount", "accounts", "create a sub-account"),
        ("PUT", ["users", _]) => d("UpdateAccount", "accounts", "update the account"),
        ("DELETE", ["users", _]) => d("DeleteAccount", "accounts", "delete the account"),
        ("POST", ["users", _, "contacts"]) => d("AddContact", "contacts", "add a contact"),
        ("PUT", ["users", _, "contacts", _]) => d("UpdateContact", "contacts", "update a contact"),
        ("POST", ["users", _, "tokens"]) => d("CreateToken", "tokens", "create a user or key"),
        ("PUT", ["users", _, "tokens", _]) => d("UpdateToken", "tokens", "change a role"),
        ("DELETE", ["users", _, "tokens", _]) => d("DeleteToken", "tokens", "delete a user or key"),
        (_, ["apis", "accounts", "v1", e @ ..]) => match (m, e) {
            ("POST", ["partner", "billing"]) => d("SetBilling", "billing", "save billing details"),
            ("POST", ["partner", "password"]) => {
                d("SetPassword", "password", "change the password")
            }
            ("POST", ["partner", "settings"]) => d("UpdateSettings", "settings", "change settings"),
            ("POST", ["groups"]) => d("CreateGroup", "groups", "create a group"),
            ("POST", ["groups", _]) => d("EditGroup", "groups", "edit a group"),
            ("DELETE", ["groups", _]) => d("DeleteGroup", "groups", "delete a group"),
            ("POST", ["users"]) => d("CreateUser", "users", "create a user"),
            ("POST", ["users", _]) => d("EditUser", "users", "edit a user"),
            ("DELETE", ["users", _]) => d("DeleteUser", "users", "delete a user"),
            ("POST", ["users", _, "shares", _]) => d("SetShareEnabled", "shares", "change a share"),
            _ => d("EnterpriseWrite", "enterprise", "write"),
        },
        _ => d("AccountsWrite", "accounts", "write"),
    }
}

/// Records the write this request is, once it is answered: who (the login named in the
/// `Authorization` header, which the log shows even when it did not sign in), on which
/// account (the path's, else the caller's own), how it went.
pub async fn layer(
    State(app): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let Some((region, rest)) = segments.split_first() else {
        return next.run(request).await;
    };
    let rest: Vec<&str> = rest.iter().copied().filter(|s| !s.is_empty()).collect();
    let method = request.method().clone();
    let Some(what) = describe(&method, &rest) else {
        return next.run(request).await;
    };
    let region = region.to_string();
    let login = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(parse_basic_authorization)
        .map(|(name, _)| name);
    let client_ip = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "127.0.0.1".into());
    let target = match rest.as_slice() {
        ["users", id, ..] => AccountId::parse(id).ok(),
        _ => None,
    };
    // The target's ancestry before the write: a delete takes it away.
    let before = match &target {
        Some(t) => app
            .world
            .read()
            .await
            .region(&region)
            .map(|r| r.ancestry(t))
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let response = next.run(request).await;
    let status = response.status();

    let mut world = app.world.write().await;
    let Some(r) = world.region_mut(&region) else {
        return response;
    };
    let caller_account = login.as_deref().and_then(|l| r.account_of(l));
    let company = caller_account.and_then(|a| a.company()).map(str::to_owned);
    let account = target.or_else(|| caller_account.map(|a| a.id.clone()));
    let succeeded = status.is_success();
    let allowed = !matches!(status.as_u16(), 401 | 403);
    let message = if succeeded {
        let mut m = what.what.to_owned();
        m[..1].make_ascii_uppercase();
        format!("{m}: done")
    } else {
        format!(
            "Tried to {}: {} ({})",
            what.what,
            if allowed { "failed" } else { "refused" },
            status.as_u16()
        )
    };
    let now = clock::unix_now();
    let within = match &account {
        Some(a) if before.is_empty() => r.ancestry(a),
        _ => before,
    };
    let record = AuditRecord {
        time: clock::iso(now),
        account: account.as_ref().map(|a| a.to_string()).unwrap_or_default(),
        company,
        device: None,
        method: method.as_str().to_ascii_lowercase(),
        message,
        succeeded,
        allowed,
        acl: what.acl.into(),
        token: login.unwrap_or_default(),
        client_ip,
        area: Some(what.area.into()),
        metadata: vec![
            ("path".into(), path.clone()),
            ("status".into(), status.as_u16().to_string()),
        ],
    };
    r.record(AuditEntry {
        record,
        at: now,
        within,
    });
    app.persist(&world);
    response
}

/// How many records a page holds at most, and without `limit`.
pub const PAGE_MAX: usize = 1_000;
pub const PAGE_DEFAULT: usize = 100;

fn number(q: &HashMap<String, String>, name: &str) -> Result<Option<usize>, Fail> {
    q.get(name)
        .map(|v| {
            v.trim().parse::<usize>().map_err(|_| {
                Fail::BadRequest(format!("{name}: “{v}” is not a non-negative whole number."))
            })
        })
        .transpose()
}

/// The records a query selects, newest first.
fn select<'r>(r: &'r Region, q: &AuditQuery, from: i64, to: i64) -> Vec<&'r AuditRecord> {
    r.audit
        .iter()
        .rev()
        .filter(|e| e.at >= from && e.at <= to)
        .filter(|e| {
            if q.recursive == Some(true) {
                e.within.contains(&q.account)
            } else {
                e.record.account == q.account.as_str()
            }
        })
        .map(|e| &e.record)
        .collect()
}

/// `PUT /audit/filter/pretty?limit=&offset=`: the records of `<account>` (with
/// `recursive`, of its subtree, accounts since deleted included) between `<from>` and
/// `<to>`, newest first; `next-offset` names the next page's offset while one remains.
pub async fn filter(
    State(app): State<AppState>,
    Path(region): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: String,
) -> Result<Response, Fail> {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let query = AuditQuery::from_xml(&body)
        .map_err(|e| Fail::BadRequest(format!("The body is not an audit filter: {e}")))?;
    r.visible_id(&caller, query.account.as_str())?;
    let limit = number(&q, "limit")?
        .unwrap_or(PAGE_DEFAULT)
        .clamp(1, PAGE_MAX);
    let offset = number(&q, "offset")?.unwrap_or(0);
    let (from, to) = (
        instant_seconds(&query.from).unwrap_or(i64::MIN),
        instant_seconds(&query.to).unwrap_or(i64::MAX),
    );
    let all = select(r, &query, from, to);
    let page: Vec<AuditRecord> = all
        .iter()
        .skip(offset)
        .take(limit)
        .map(|r| (*r).clone())
        .collect();
    let next = offset + page.len();
    let mut response = xml_response(StatusCode::OK, AuditLog { records: page }.to_xml());
    if next < all.len() {
        response.headers_mut().insert(
            HeaderName::from_static("next-offset"),
            HeaderValue::from(next),
        );
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(method: Method, path: &str) -> Option<&'static str> {
        let rest: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        describe(&method, &rest).map(|d| d.acl)
    }

    #[test]
    fn writes_are_named_and_queries_are_not_writes() {
        let id = "nq2v51-5mx23m-qb7sah";
        assert_eq!(
            acl(Method::POST, &format!("users/{id}/users/")),
            Some("CreateAccount")
        );
        assert_eq!(
            acl(Method::PUT, &format!("users/{id}")),
            Some("UpdateAccount")
        );
        assert_eq!(
            acl(Method::DELETE, &format!("users/{id}/tokens/k")),
            Some("DeleteToken")
        );
        assert_eq!(
            acl(Method::POST, "apis/accounts/v1/users/a@b.example"),
            Some("EditUser")
        );
        assert_eq!(
            acl(Method::POST, "apis/accounts/v1/partner/password"),
            Some("SetPassword")
        );
        assert_eq!(
            acl(Method::PUT, "apis/accounts/v1/somewhere"),
            Some("EnterpriseWrite")
        );
        for (m, p) in [
            (Method::GET, format!("users/{id}")),
            (Method::HEAD, format!("users/{id}/tokens")),
            (Method::PUT, "audit/filter/pretty".to_string()),
            (Method::PUT, format!("users/{id}/resources/max_usage")),
            (Method::PUT, format!("users/{id}/resources/max_usage/total")),
            (Method::PUT, format!("users/{id}/resources/history")),
            (Method::PUT, format!("users/{id}/expirations")),
        ] {
            assert_eq!(acl(m.clone(), &p), None, "{m} {p}");
        }
    }
}
