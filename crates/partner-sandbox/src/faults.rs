//! Faults for tests, only when started with `--faults`: `POST /_sandbox/faults` makes the next
//! `count` matching calls fail in a chosen way, `POST /_sandbox/reset` restores the seed.
//! `--latency-ms N` delays every API answer.

use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a stalled call hangs: past any sane client timeout, yet bounded.
pub const STALL: Duration = Duration::from_secs(300);

/// What happens to a matching call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Answer with `status` (and `Retry-After` when `retry_after` is set).
    Status,
    /// Hang for five minutes before answering.
    Stall,
    /// Send the headers, then drop the connection mid-body.
    Drop,
    /// Answer 200 with a body that is not what the call expects.
    Malformed,
}

/// One rule, as posted to `/_sandbox/faults`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// Only this method (`GET`, `POST`...); any when absent.
    #[serde(default)]
    pub method: Option<String>,
    /// Calls whose path starts with this, e.g. `/dk-co/users`.
    #[serde(default)]
    pub path_prefix: String,
    /// How many matching calls fail (default 1).
    #[serde(default = "one")]
    pub count: u32,
    pub fault: FaultKind,
    /// For `status` (default 503).
    #[serde(default)]
    pub status: Option<u16>,
    /// Seconds for `Retry-After`, with `status`.
    #[serde(default)]
    pub retry_after: Option<u32>,
    /// The body for `status` (JSON when it starts with `{`), e.g. a vendor's 400 naming
    /// fields; a sentence by default.
    #[serde(default)]
    pub body: Option<String>,
}

fn one() -> u32 {
    1
}

/// The rules in force.
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<Vec<FaultRule>>>);

impl Faults {
    pub fn add(&self, rule: FaultRule) {
        self.0.lock().expect("faults lock").push(rule);
    }

    pub fn clear(&self) {
        self.0.lock().expect("faults lock").clear();
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.0.lock().expect("faults lock").clone()
    }

    /// Takes one use of the first rule matching the call, if any.
    fn take(&self, method: &Method, path: &str) -> Option<FaultRule> {
        let mut rules = self.0.lock().expect("faults lock");
        let i = rules.iter().position(|r| {
            r.count > 0
                && path.starts_with(&r.path_prefix)
                && r.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
        })?;
        let rule = rules[i].clone();
        rules[i].count -= 1;
        if rules[i].count == 0 {
            rules.remove(i);
        }
        Some(rule)
    }
}

/// The middleware in front of the API.
pub async fn layer(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    if app.options.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(app.options.latency_ms)).await;
    }
    let Some(rule) = app.faults.take(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    match rule.fault {
        FaultKind::Status => {
            let status = StatusCode::from_u16(rule.status.unwrap_or(503))
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let body = rule
                .body
                .clone()
                .unwrap_or_else(|| format!("Sandbox fault: HTTP {}.", status.as_u16()));
            let kind = if body.starts_with('{') {
                "application/json"
            } else {
                "text/plain; charset=utf-8"
            };
            let mut response = (status, [(header::CONTENT_TYPE, kind)], body).into_response();
            if let Some(s) = rule.retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(s));
            }
            response
        }
        FaultKind::Stall => {
            tokio::time::sleep(STALL).await;
            next.run(request).await
        }
        FaultKind::Drop => {
            let broken = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::other(
                    "sandbox fault: connection dropped",
                ))
            });
            Response::builder()
                .status(StatusCode::OK)
                .header(header::CONTENT_TYPE, "application/xml")
                .body(Body::from_stream(broken))
                .unwrap_or_default()
        }
        FaultKind::Malformed => {
            let real = next.run(request).await;
            let json = real
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.contains("json"));
            let (mut parts, _) = real.into_parts();
            parts.status = StatusCode::OK;
            parts.headers.remove(header::CONTENT_LENGTH);
            let body = if json {
                "{\"truncated\": [1, 2,"
            } else {
                "<users><user><id>truncated"
            };
            Response::from_parts(parts, Body::from(body))
        }
    }
}

async fn add_fault(State(app): State<AppState>, Json(rule): Json<FaultRule>) -> Response {
    app.faults.add(rule);
    (StatusCode::CREATED, Json(app.faults.list())).into_response()
}

async fn list_faults(State(app): State<AppState>) -> Response {
    Json(app.faults.list()).into_response()
}

async fn clear_faults(State(app): State<AppState>) -> Response {
    app.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn reset(State(app): State<AppState>) -> Response {
    app.faults.clear();
    let mut world = app.world.write().await;
    *world = app.options.seed.build();
    app.persist(&world);
    (StatusCode::OK, "The sandbox is back at its seed.").into_response()
}

/// `/_sandbox/faults` (GET lists, POST adds, DELETE clears) and `/_sandbox/reset`.
pub fn control() -> Router<AppState> {
    Router::new()
        .route(
            "/_sandbox/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/_sandbox/reset", post(reset))
}
