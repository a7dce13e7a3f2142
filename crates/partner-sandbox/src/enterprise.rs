//! The Enterprise API (JSON): billing, password, quota, features, settings, shares, client
//! revisions. It belongs to the partner whose credentials call it.

use crate::world::{Caller, Denied, Enterprise, Region};
use crate::{clock, enter, enter_mut, AppState, Fail};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use partner_api::enterprise::account::{PartnerInfo, SettingsUpdate};
use partner_api::enterprise::billing::Billing;
use partner_api::{validate, AccountKind};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

type Answer = Result<Response, Fail>;

pub(crate) fn json_ok(value: &impl Serialize) -> Answer {
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(value).unwrap_or_default(),
    )
        .into_response())
}

pub(crate) fn bad(reason: impl Into<String>, conflicts: &[&str]) -> Fail {
    Fail::Json(
        StatusCode::BAD_REQUEST,
        json!({ "reason": reason.into(), "conflicts": conflicts }),
    )
}

pub(crate) fn invalid(problems: &[partner_api::fields::FieldProblem]) -> Result<(), Fail> {
    if problems.is_empty() {
        return Ok(());
    }
    let mut fields: Vec<&str> = problems.iter().map(|p| p.field).collect();
    fields.dedup();
    let reason = problems
        .iter()
        .map(|p| p.message.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Err(bad(reason, &fields))
}

/// The Enterprise API is for partner accounts: a customer's login gets the dialect's status
/// (403, or 401 as a region whose Enterprise API does not know the login).
pub(crate) fn partner(app: &AppState, r: &Region, caller: &Caller) -> Result<(), Fail> {
    if r.accounts.get(&caller.account).map(|a| a.kind()) == Some(AccountKind::Partner) {
        return Ok(());
    }
    match app.options.dialect.customer_enterprise_status {
        401 => Err(Denied::BadCredentials.into()),
        _ => Err(Denied::Role("The Enterprise API is for partner accounts.".into()).into()),
    }
}

/// A write's success: an empty 200 (the vendor's client reads no body then), or, in the
/// sandbox's old dialect, `body`.
pub(crate) fn done(app: &AppState, body: serde_json::Value) -> Answer {
    if app.options.dialect.status_bodies {
        json_ok(&body)
    } else {
        Ok(StatusCode::OK.into_response())
    }
}

pub(crate) fn read<T>(
    app: &AppState,
    region: &str,
    headers: &HeaderMap,
    f: impl FnOnce(&Enterprise) -> T,
) -> impl std::future::Future<Output = Result<T, Fail>> {
    let app = app.clone();
    let region = region.to_owned();
    let headers = headers.clone();
    async move {
        let world = app.world.read().await;
        let (r, caller) = enter(&world, &region, &headers)?;
        partner(&app, r, &caller)?;
        let fallback = Enterprise::default();
        Ok(f(r.enterprise.get(&caller.account).unwrap_or(&fallback)))
    }
}

pub async fn ping(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    // The credential check answers as the other calls would: a login they refuse, it refuses.
    partner(&app, r, &caller)?;
    json_ok(&"pong")
}

/// Test cards that the sandbox's card processor declines, with their Paymentech codes.
pub const DECLINING_CARDS: [(&str, &str, &str); 3] = [
    ("4000000000000002", "05", "Do not honor"),
    ("4000000000000069", "33", "Card expired"),
    ("4000000000000119", "14", "Invalid card number"),
];

/// `POST /partner/billing`. Card numbers are never logged or stored: only the brand and the
/// last four digits are kept.
pub async fn set_billing(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let billing: Billing = serde_json::from_str(&body)
        .map_err(|e| bad(format!("The body is not JSON billing details: {e}"), &[]))?;
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    partner(&app, r, &caller)?;
    caller.may_write()?;
    invalid(&billing.validate(clock::today()))?;
    let stored = match &billing.card {
        Some(card) => {
            let (digits, brand) = validate::card_number(card.card_number.expose())
                .map_err(|e| bad(e, &["card_number"]))?;
            if let Some((_, code, reason)) = DECLINING_CARDS.iter().find(|(n, _, _)| *n == digits) {
                return Err(Fail::Json(
                    StatusCode::CONFLICT,
                    json!({ "code": code, "reason": reason }),
                ));
            }
            json!({
                "name": billing.name, "address": billing.address, "city": billing.city,
                "state": billing.state, "postal_code": billing.postal_code, "country": billing.country,
                "card": { "brand": brand.label(), "last4": &digits[digits.len() - 4..],
                          "expiration_month": card.expiration_month, "expiration_year": card.expiration_year },
            })
        }
        None => serde_json::to_value(&billing).unwrap_or_default(),
    };
    r.enterprise_of(&caller.account).billing = Some(stored);
    app.persist(&world);
    done(
        &app,
        json!({ "status": "Billing information updated successfully." }),
    )
}

/// `POST /partner/password`: the body is a JSON string. Takes effect on the next request.
pub async fn set_password(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let password: String = serde_json::from_str(&body).map_err(|_| {
        bad(
            "The body must be the new password as a JSON string.",
            &["password"],
        )
    })?;
    validate::password(&password).map_err(|e| bad(e, &["password"]))?;
    let min = app.options.dialect.password_min;
    if password.chars().count() < min {
        // A region's own rule, in a sentence that names no field.
        return Err(Fail::Json(
            StatusCode::BAD_REQUEST,
            json!({ "reason": format!("The password does not meet this region's password policy: use at least {min} characters.") }),
        ));
    }
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    partner(&app, r, &caller)?;
    let account = r
        .accounts
        .get_mut(&caller.account)
        .expect("the caller's account exists");
    if let Some(t) = account
        .tokens
        .iter_mut()
        .find(|t| t.token.name == caller.name)
    {
        t.password = password.into();
    }
    app.persist(&world);
    done(&app, json!({ "status": "Password changed." }))
}

pub async fn quota(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    json_ok(&read(&app, &region, &headers, Enterprise::quota).await?)
}

pub async fn features(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    json_ok(&read(&app, &region, &headers, |e| e.features).await?)
}

/// `GET /partner/info`: the caller's company, and a brand identifier made from it (the
/// sandbox's choice: the documents do not say how a brand identifier is formed).
pub async fn info(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    let world = app.world.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    partner(&app, r, &caller)?;
    let company = r
        .accounts
        .get(&caller.account)
        .and_then(|a| a.company())
        .unwrap_or_default()
        .to_owned();
    let brand: String = company
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    json_ok(&PartnerInfo {
        company_name: company,
        brand_identifier: brand,
    })
}

pub async fn get_settings(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Answer {
    json_ok(&read(&app, &region, &headers, |e| e.settings.clone()).await?)
}

/// `POST /partner/settings` with any subset; every field validated, 400 naming them.
pub async fn update_settings(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    body: String,
) -> Answer {
    let raw: serde_json::Value =
        serde_json::from_str(&body).map_err(|e| bad(format!("The body is not JSON: {e}"), &[]))?;
    let Some(fields) = raw.as_object() else {
        return Err(bad("The body must be a JSON object of settings.", &[]));
    };
    // Try each setting on its own, so the answer names exactly the ones of the wrong type.
    let wrong: Vec<&str> = fields
        .iter()
        .filter(|(k, v)| {
            serde_json::from_value::<SettingsUpdate>(json!({ k.as_str(): v })).is_err()
        })
        .map(|(k, _)| k.as_str())
        .collect();
    if !wrong.is_empty() {
        return Err(bad(
            format!("These settings have the wrong type: {}.", wrong.join(", ")),
            &wrong,
        ));
    }
    let update: SettingsUpdate =
        serde_json::from_value(raw.clone()).map_err(|e| bad(e.to_string(), &[]))?;
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    partner(&app, r, &caller)?;
    caller.may_write()?;
    invalid(&update.validate())?;
    let e = r.enterprise_of(&caller.account);
    let mut update = update;
    if let Some(blocks) = &mut update.signup_network_restriction {
        for b in blocks.iter_mut() {
            *b = validate::cidr(b).unwrap_or_else(|_| b.clone());
        }
    }
    update.apply(&mut e.settings);
    // The history tests read is bounded: the oldest bodies go first.
    let keep = app.options.limits.settings_history;
    e.settings_posts.push(raw);
    if e.settings_posts.len() > keep {
        let extra = e.settings_posts.len() - keep;
        e.settings_posts.drain(..extra);
    }
    app.persist(&world);
    done(&app, json!({ "status": "Settings updated successfully." }))
}

fn int_param(q: &HashMap<String, String>, name: &'static str, default: i64) -> Result<i64, Fail> {
    match q.get(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|_| bad(format!("{name} must be a whole number."), &[name])),
    }
}

/// `POST /users/{user}/shares/{room_key}?action=enable|disable`: one user's share on or off.
pub async fn set_share(
    State(app): State<AppState>,
    Path((region, user, room_key)): Path<(String, String, String)>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let enabled = match q.get("action").map(String::as_str) {
        Some("enable") => true,
        Some("disable") => false,
        _ => return Err(bad("action must be enable or disable.", &["action"])),
    };
    let mut world = app.world.write().await;
    let (r, caller) = enter_mut(&mut world, &region, &headers)?;
    partner(&app, r, &caller)?;
    caller.may_write()?;
    let e = r.enterprise_of(&caller.account.clone());
    let share = e
        .shares
        .iter_mut()
        .filter(|o| o.email == user || o.username == user)
        .flat_map(|o| o.shares.iter_mut())
        .find(|s| s.room_key == room_key)
        .ok_or_else(|| Fail::NotFound(format!("{user} has no share {room_key}.")))?;
    share.enabled = enabled;
    app.persist(&world);
    done(&app, json!({}))
}

/// `GET /shares/?limit=&offset=`: users with their shares; `limit`/`offset` page the users.
pub async fn shares(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let limit = int_param(&q, "limit", -1)?;
    let offset = int_param(&q, "offset", 0)?;
    if offset < 0 {
        return Err(bad("offset cannot be negative.", &["offset"]));
    }
    let page = read(&app, &region, &headers, |e| {
        let rest = e.shares.iter().skip(offset as usize);
        if limit < 0 {
            rest.cloned().collect::<Vec<_>>()
        } else {
            rest.take(limit as usize).cloned().collect()
        }
    })
    .await?;
    json_ok(&page)
}

/// `GET /clientrevisions/?min_revision=&max_revision=&max_days_since_login=`.
pub async fn client_revisions(
    State(app): State<AppState>,
    Path(region): Path<String>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Answer {
    let min = int_param(&q, "min_revision", 0)?;
    let max = int_param(&q, "max_revision", -1)?;
    let days = int_param(&q, "max_days_since_login", -1)?;
    json_ok(&read(&app, &region, &headers, |e| e.revisions(min, max, days)).await?)
}
