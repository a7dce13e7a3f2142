//! # partner-sandbox: the Partner API, served locally
//!
//! A native server that implements the contract in `docs/partner-api.md` for development,
//! demos and tests. Regions are path prefixes (`/{region}/users/...`,
//! `/{region}/apis/accounts/v1/...`), which is also the shape of the portal's proxy template,
//! so the portal reaches the sandbox exactly as it reaches a proxy in production.
//!
//! Every document is produced by the `partner-api` crate's encoders, so the sandbox and the
//! portal speak the same types.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let running = partner_sandbox::spawn("127.0.0.1:0", partner_sandbox::Seed::Demo).await?;
//! println!("dk-co lives at http://{}/dk-co", running.addr);
//! # Ok(()) }
//! ```

pub mod seed;
pub mod world;

pub use seed::Seed;
pub use world::World;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use partner_api::auth::parse_basic_authorization;
use partner_api::model::{ContactTypes, TokenList, WhoAmI};
use partner_api::request::accept_version;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::sync::RwLock;
use tower_http::cors::{AllowOrigin, CorsLayer};
use world::{Caller, Denied, Region};

/// The sandbox's state, shared by every request (and readable by tests).
pub type Shared = Arc<RwLock<World>>;

/// The contract's plain-text 401 bodies.
pub const ANONYMOUS: &str = "Anonymous access denied - suggest authentication.";
pub const BAD_CREDENTIALS: &str = "User authentication error: Username or password is incorrect.";

/// What a handler answers when it cannot go on.
#[derive(Debug)]
pub enum Fail {
    Denied(Denied),
    UnknownRegion(String),
}

impl From<Denied> for Fail {
    fn from(d: Denied) -> Self {
        Fail::Denied(d)
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let (status, text) = match self {
            Fail::Denied(Denied::Anonymous) => (StatusCode::UNAUTHORIZED, ANONYMOUS.to_owned()),
            Fail::Denied(Denied::BadCredentials) => {
                (StatusCode::UNAUTHORIZED, BAD_CREDENTIALS.to_owned())
            }
            Fail::Denied(Denied::NoSuchAccount) => {
                (StatusCode::NOT_FOUND, "No such account.".to_owned())
            }
            Fail::Denied(Denied::OutOfScope) => (
                StatusCode::FORBIDDEN,
                "Access denied: the account is outside your account's subtree.".to_owned(),
            ),
            Fail::UnknownRegion(r) => (
                StatusCode::NOT_FOUND,
                format!("The sandbox has no region “{r}”."),
            ),
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    }
}

fn xml(body: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()
        .and_then(parse_basic_authorization)
}

/// Finds the region and authenticates the caller in it.
fn enter<'w>(
    world: &'w World,
    region: &str,
    headers: &HeaderMap,
) -> Result<(&'w Region, Caller), Fail> {
    let r = world
        .region(region)
        .ok_or_else(|| Fail::UnknownRegion(region.to_owned()))?;
    let caller = r.authenticate(credentials(headers))?;
    Ok((r, caller))
}

async fn whoami(
    State(state): State<Shared>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    let (_, caller) = enter(&world, &region, &headers)?;
    Ok(xml(WhoAmI { id: caller.account }.to_xml()))
}

async fn get_account(
    State(state): State<Shared>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    Ok(xml(r.visible(&caller, &id)?.settings().to_xml()))
}

async fn list_children(
    State(state): State<Shared>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    let list = r.children(account);
    let version = accept_version(headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()));
    let body = if version >= 1 {
        list.to_xml_v1()
    } else {
        list.to_xml_v0()
    };
    let mut response = xml(body);
    response.headers_mut().insert(
        HeaderName::from_static("x-total-count"),
        HeaderValue::from(list.children.len()),
    );
    Ok(response)
}

async fn contact_types(
    State(state): State<Shared>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    Ok(xml(ContactTypes {
        types: account.contacts.iter().map(|c| c.kind.clone()).collect(),
    }
    .to_xml()))
}

async fn get_contact(
    State(state): State<Shared>,
    Path((region, id, kind)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    match account.contacts.iter().find(|c| c.kind == kind) {
        Some(c) => Ok(xml(c.to_xml())),
        None => Ok((
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("The account has no contact of type “{kind}”."),
        )
            .into_response()),
    }
}

async fn list_tokens(
    State(state): State<Shared>,
    Path((region, id)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    let (r, caller) = enter(&world, &region, &headers)?;
    let account = r.visible(&caller, &id)?;
    Ok(xml(TokenList {
        tokens: account.tokens.iter().map(|t| t.token.clone()).collect(),
    }
    .to_xml()))
}

async fn ping(
    State(state): State<Shared>,
    Path(region): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let world = state.read().await;
    enter(&world, &region, &headers)?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        "\"pong\"",
    )
        .into_response())
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "The sandbox does not serve this path.",
    )
        .into_response()
}

/// CORS for a portal served from any other origin: preflights with `Authorization` pass, and
/// the headers the contract's clients read are exposed. No cookies are involved, so no
/// credentials mode is needed; `WWW-Authenticate` is never sent, so a browser never pops up
/// its own sign-in dialog over the portal.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([HeaderName::from_static("x-total-count"), header::LOCATION])
        .max_age(std::time::Duration::from_secs(600))
}

/// The whole API as an axum router over `state`.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/{region}/users/", get(whoami))
        .route("/{region}/users", get(whoami))
        .route("/{region}/users/{id}", get(get_account))
        .route("/{region}/users/{id}/users", get(list_children))
        .route("/{region}/users/{id}/users/", get(list_children))
        .route("/{region}/users/{id}/contacts", get(contact_types))
        .route("/{region}/users/{id}/contacts/", get(contact_types))
        .route("/{region}/users/{id}/contacts/{kind}", get(get_contact))
        .route("/{region}/users/{id}/tokens/", get(list_tokens))
        .route("/{region}/users/{id}/tokens", get(list_tokens))
        .route("/{region}/apis/accounts/v1/ping", get(ping))
        .fallback(not_found)
        .layer(cors())
        .with_state(state)
}

/// A sandbox running in this process.
pub struct Running {
    pub addr: SocketAddr,
    pub state: Shared,
    pub task: tokio::task::JoinHandle<()>,
}

/// Binds `listen` (use port 0 for any free port), seeds the world and serves it on the
/// current tokio runtime.
pub async fn spawn(listen: &str, seed: Seed) -> std::io::Result<Running> {
    let state: Shared = Arc::new(RwLock::new(seed.build()));
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("partner-sandbox: server stopped: {e}");
        }
    });
    Ok(Running { addr, state, task })
}
