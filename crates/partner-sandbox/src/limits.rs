//! What keeps one client from taking the sandbox down for everyone, when it is a shared demo
//! or integration target: a body limit (413), a limit on calls in flight (503 with
//! `Retry-After`, at once rather than queued), a time limit per call (408), and caps on what
//! one login, one account and one region may hold (403, said in a sentence). Every refusal
//! is in the API's own shape: a plain-text sentence for the Accounts API, `{"reason": …}`
//! for the Enterprise API.

use axum::body::Body;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The limits, with the defaults documented in `docs/partner-api.md`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest request body, in bytes (413 above it).
    pub body_bytes: usize,
    /// Calls being served at once; one more is a 503 with `Retry-After: 1`.
    pub in_flight: usize,
    /// How long a call may take, waiting for the world included (408 after it).
    pub timeout: Duration,
    /// Accounts one login may create (`POST /users/{id}/users`).
    pub accounts_per_login: u32,
    /// Users and keys one login may create (`POST /users/{id}/tokens/`).
    pub tokens_per_login: u32,
    /// Accounts a region may hold; creates beyond are refused, whoever asks.
    pub accounts_per_region: usize,
    /// Users and keys a region may hold.
    pub logins_per_region: usize,
    /// Contacts one account may have.
    pub contacts_per_account: usize,
    /// Users and keys one account may have.
    pub tokens_per_account: usize,
    /// Settings bodies kept per partner (the oldest go first).
    pub settings_history: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 64 * 1024,
            in_flight: 512,
            timeout: Duration::from_secs(10),
            accounts_per_login: 1_000,
            tokens_per_login: 200,
            accounts_per_region: 250_000,
            logins_per_region: 500_000,
            contacts_per_account: 20,
            tokens_per_account: 200,
            settings_history: 100,
        }
    }
}

/// An answer in the shape of the API `path` belongs to.
pub fn shaped(path: &str, status: StatusCode, sentence: &str) -> Response {
    if path.contains("/apis/accounts/v1") {
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "reason": sentence, "conflicts": [] }).to_string(),
        )
            .into_response()
    } else {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            sentence.to_owned(),
        )
            .into_response()
    }
}

/// Reads the whole body, at most `body_bytes`; a larger one is a 413 before the handler
/// sees it (from `Content-Length` when it is sent, else once the limit is passed).
pub async fn body_limit(State(max): State<usize>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let too_large = || {
        shaped(
            &path,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("The request body is larger than this sandbox takes ({max} bytes)."),
        )
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, max).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
    }
}

/// The answer when the load-shedding, concurrency or timeout layer refuses a call.
async fn refused(method: Method, uri: Uri, error: BoxError) -> Response {
    let path = uri.path();
    if error.is::<tower::timeout::error::Elapsed>() {
        return shaped(
            path,
            StatusCode::REQUEST_TIMEOUT,
            &format!("{method} {path} took longer than this sandbox allows; try again."),
        );
    }
    if error.is::<tower::load_shed::error::Overloaded>() {
        let mut r = shaped(
            path,
            StatusCode::SERVICE_UNAVAILABLE,
            "The sandbox is serving as many calls as it takes at once; try again in a second.",
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    }
    shaped(
        path,
        StatusCode::INTERNAL_SERVER_ERROR,
        &format!("The sandbox failed: {error}"),
    )
}

/// Wraps `api` in load shedding over the limit of calls in flight (`in_flight`, permits
/// shared by every route and every router made from one `AppState`), a time limit per call
/// (both answering as [`refused`] says), and the body limit.
pub fn apply<S: Clone + Send + Sync + 'static>(
    api: Router<S>,
    limits: &Limits,
    in_flight: Arc<Semaphore>,
) -> Router<S> {
    api.layer(axum::middleware::from_fn_with_state(
        limits.body_bytes,
        body_limit,
    ))
    .layer(
        tower::ServiceBuilder::new()
            .layer(HandleErrorLayer::new(refused))
            .load_shed()
            .layer(tower::limit::GlobalConcurrencyLimitLayer::with_semaphore(
                in_flight,
            ))
            .timeout(limits.timeout),
    )
}
