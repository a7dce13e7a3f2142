//! Faults for tests, only when started with `--faults`: `POST /_sandbox/faults` makes the next
//! `count` matching calls fail in a chosen way (or carries them out and loses the answer), `GET /_sandbox/faults/fired` says how many
//! calls each rule has actually faulted, `GET /_sandbox/requests` lists every API call that
//! came in and whether it was answered or dropped by the client before its answer (so a test
//! can count what the portal aborted), `POST /_sandbox/reset` restores the seed.
//! `--latency-ms N` delays every API answer.

use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
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
    /// Hold the call until the rules are cleared (`DELETE /_sandbox/faults`), at most five
    /// minutes, then carry it out: a call kept in flight while a test does something else.
    Hold,
    /// Send the headers, then drop the connection mid-body.
    Drop,
    /// Answer 200 with a body that is not what the call expects.
    Malformed,
    /// Carry the call out, then lose its answer: `status` when set (a gateway's 504 after
    /// the region did the work), else the connection breaks mid-body. A create whose answer
    /// is lost this way exists, and the client cannot know it from the answer.
    Lost,
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

/// A rule as it was added, and how many calls it has faulted so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fired {
    #[serde(flatten)]
    pub rule: FaultRule,
    /// Calls this rule faulted (at most the rule's `count`).
    pub fired: u32,
}

/// What `GET /_sandbox/faults/fired` answers: how many calls were faulted in all, and by
/// which rule, in the order the rules were added (spent and cleared rules included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiredReport {
    pub fired: u64,
    pub rules: Vec<Fired>,
}

/// One API call as the sandbox saw it (`GET /_sandbox/requests`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub outcome: Outcome,
}

/// What became of a call that came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still being handled (a latency, a stall or a hold).
    InFlight,
    /// Handled to the end: its answer went out.
    Answered,
    /// The client went away first (an aborted request): the handler was dropped unfinished.
    Dropped,
}

/// What `GET /_sandbox/requests` answers: every API call since the start (or the last
/// reset), in the order they came in, and how many ended each way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestsReport {
    pub answered: u64,
    pub dropped: u64,
    pub in_flight: u64,
    pub calls: Vec<Seen>,
}

#[derive(Debug, Default)]
struct Inner {
    /// Every API call that came in, with what became of it.
    seen: Vec<Seen>,
    /// The rules in force, each with its place in `history`.
    rules: Vec<(usize, FaultRule)>,
    /// Every rule added since the start (or the last reset), with its fired count.
    history: Vec<Fired>,
}

/// The rules in force, how often each rule added has fired, and the calls seen.
#[derive(Debug, Clone, Default)]
pub struct Faults(Arc<Mutex<Inner>>, Arc<tokio::sync::Notify>);

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().expect("faults lock")
    }

    pub fn add(&self, rule: FaultRule) {
        let mut inner = self.lock();
        let at = inner.history.len();
        inner.history.push(Fired {
            rule: rule.clone(),
            fired: 0,
        });
        inner.rules.push((at, rule));
    }

    /// Removes the rules in force and lets held calls go on; what fired stays counted.
    pub fn clear(&self) {
        self.lock().rules.clear();
        self.1.notify_waiters();
    }

    /// Removes the rules in force and forgets what fired and what was seen (`POST
    /// /_sandbox/reset`).
    pub fn reset(&self) {
        *self.lock() = Inner::default();
        self.1.notify_waiters();
    }

    /// Every API call seen since the start (or the last reset), with how each ended.
    pub fn requests(&self) -> RequestsReport {
        let seen = self.lock().seen.clone();
        let count = |o: Outcome| seen.iter().filter(|s| s.outcome == o).count() as u64;
        RequestsReport {
            answered: count(Outcome::Answered),
            dropped: count(Outcome::Dropped),
            in_flight: count(Outcome::InFlight),
            calls: seen,
        }
    }

    /// Notes a call coming in; the guard notes how it ended.
    fn arrived(&self, method: &Method, path: &str) -> Arrival {
        let mut inner = self.lock();
        inner.seen.push(Seen {
            method: method.as_str().to_owned(),
            path: path.to_owned(),
            outcome: Outcome::InFlight,
        });
        Arrival {
            faults: self.clone(),
            at: inner.seen.len() - 1,
            answered: false,
        }
    }

    /// The rules still in force, with the uses they have left.
    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().rules.iter().map(|(_, r)| r.clone()).collect()
    }

    /// How many calls were faulted since the start (or the last reset), by every rule.
    pub fn fired(&self) -> u64 {
        self.lock().history.iter().map(|h| u64::from(h.fired)).sum()
    }

    /// Every rule added since the start (or the last reset), as added, with its count.
    pub fn history(&self) -> Vec<Fired> {
        self.lock().history.clone()
    }

    pub fn report(&self) -> FiredReport {
        FiredReport {
            fired: self.fired(),
            rules: self.history(),
        }
    }

    /// Takes one use of the first rule matching the call, if any, and counts it as fired.
    fn take(&self, method: &Method, path: &str) -> Option<FaultRule> {
        let mut inner = self.lock();
        let i = inner.rules.iter().position(|(_, r)| {
            r.count > 0
                && path.starts_with(&r.path_prefix)
                && r.method
                    .as_deref()
                    .is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()))
        })?;
        let (at, rule) = inner.rules[i].clone();
        inner.rules[i].1.count -= 1;
        if inner.rules[i].1.count == 0 {
            inner.rules.remove(i);
        }
        inner.history[at].fired += 1;
        Some(rule)
    }
}

/// A call being handled: when dropped before [`Arrival::answered`], the client went away
/// first (hyper drops a handler whose connection closed).
struct Arrival {
    faults: Faults,
    at: usize,
    answered: bool,
}

impl Arrival {
    fn answered(mut self) {
        self.answered = true;
    }
}

impl Drop for Arrival {
    fn drop(&mut self) {
        let outcome = if self.answered {
            Outcome::Answered
        } else {
            Outcome::Dropped
        };
        // A reset in between forgot the call: nothing to note.
        if let Some(seen) = self.faults.lock().seen.get_mut(self.at) {
            seen.outcome = outcome;
        }
    }
}

/// The middleware in front of the API.
pub async fn layer(State(app): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let arrival = app.faults.arrived(request.method(), request.uri().path());
    let response = faulted(&app, request, next).await;
    arrival.answered();
    response
}

/// The call with its latency and fault, if any.
async fn faulted(app: &AppState, request: Request, next: Next) -> Response {
    if app.options.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(app.options.latency_ms)).await;
    }
    // Listening before the rule is taken: a clear from now on releases a held call.
    let notify = Arc::clone(&app.faults.1);
    let released = notify.notified();
    let Some(rule) = app.faults.take(request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    match rule.fault {
        FaultKind::Status => status_answer(&rule),
        FaultKind::Stall => {
            tokio::time::sleep(STALL).await;
            next.run(request).await
        }
        FaultKind::Hold => {
            let _ = tokio::time::timeout(STALL, released).await;
            next.run(request).await
        }
        FaultKind::Drop => dropped(),
        FaultKind::Lost => {
            let _carried_out = next.run(request).await;
            if rule.status.is_some() {
                status_answer(&rule)
            } else {
                dropped()
            }
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

/// The rule's status (default 503) with its body (JSON when it starts with `{`, XML with
/// `<`, else plain text) and `Retry-After` when set.
fn status_answer(rule: &FaultRule) -> Response {
    let status =
        StatusCode::from_u16(rule.status.unwrap_or(503)).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let body = rule
        .body
        .clone()
        .unwrap_or_else(|| format!("Sandbox fault: HTTP {}.", status.as_u16()));
    let kind = if body.starts_with('{') {
        "application/json"
    } else if body.starts_with('<') {
        "application/xml"
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

/// Headers, then a connection that breaks off mid-body.
fn dropped() -> Response {
    let broken = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("sandbox fault: connection dropped"))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/xml")
        .body(Body::from_stream(broken))
        .unwrap_or_default()
}

async fn add_fault(State(app): State<AppState>, Json(rule): Json<FaultRule>) -> Response {
    app.faults.add(rule);
    (StatusCode::CREATED, Json(app.faults.list())).into_response()
}

async fn list_faults(State(app): State<AppState>) -> Response {
    Json(app.faults.list()).into_response()
}

async fn fired_faults(State(app): State<AppState>) -> Response {
    Json(app.faults.report()).into_response()
}

async fn requests(State(app): State<AppState>) -> Response {
    Json(app.faults.requests()).into_response()
}

async fn clear_faults(State(app): State<AppState>) -> Response {
    app.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn reset(State(app): State<AppState>) -> Response {
    app.faults.reset();
    let mut world = app.world.write().await;
    *world = app.options.seed.build();
    app.persist(&world);
    (StatusCode::OK, "The sandbox is back at its seed.").into_response()
}

/// `/_sandbox/faults` (GET lists, POST adds, DELETE clears), `/_sandbox/faults/fired` (GET:
/// how many calls each rule faulted), `/_sandbox/requests` (GET: every call seen and how it
/// ended) and `/_sandbox/reset`.
pub fn control() -> Router<AppState> {
    Router::new()
        .route(
            "/_sandbox/faults",
            post(add_fault).get(list_faults).delete(clear_faults),
        )
        .route("/_sandbox/faults/fired", get(fired_faults))
        .route("/_sandbox/requests", get(requests))
        .route("/_sandbox/reset", post(reset))
}
