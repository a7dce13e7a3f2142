//! # partner-sandbox: the Partner API, served locally
//!
//! A native server that implements the contract in `docs/partner-api.md` for development,
//! demos and tests: both API families, seven regions, scope and role rules, faults on
//! demand. Regions are path prefixes (`/{region}/users/...`,
//! `/{region}/apis/accounts/v1/...`), which is also the shape of the portal's proxy template,
//! so the portal reaches the sandbox exactly as it reaches a proxy in production.
//!
//! Every document is produced and read by the `partner-api` crate's codecs, and every body is
//! validated by its validators, so the sandbox and the portal cannot drift.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let running = partner_sandbox::spawn("127.0.0.1:0", partner_sandbox::Seed::Demo).await?;
//! println!("dk-co lives at http://{}/dk-co", running.addr);
//! # Ok(()) }
//! ```

mod accounts;
pub mod audit;
pub mod clock;
pub mod dialect;
mod enterprise;
pub mod faults;
pub mod limits;
pub mod passwords;
pub mod people;
pub mod seed;
pub mod store;
mod usage;
pub mod world;

pub use dialect::Dialect;
pub use limits::Limits;
pub use seed::Seed;
pub use world::World;

use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use partner_api::fields::FieldProblem;
use partner_api::wire::auth::parse_basic_authorization;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;
use tower_http::cors::{AllowOrigin, CorsLayer};
use world::{Caller, Denied, Region};

/// The world, shared by every request (and readable by tests).
pub type Shared = Arc<RwLock<World>>;

/// The contract's plain-text 401 bodies.
pub const ANONYMOUS: &str = "Anonymous access denied - suggest authentication.";
pub const BAD_CREDENTIALS: &str = "User authentication error: Username or password is incorrect.";
/// The 401 body for a token whose `expires` has passed (the sandbox's words).
pub const EXPIRED: &str = "User authentication error: This user or key has expired.";

/// How the sandbox was started.
#[derive(Debug, Clone)]
pub struct Options {
    pub seed: Seed,
    /// Keep the state in this file across restarts.
    pub data: Option<PathBuf>,
    /// Serve `/_sandbox/faults` and `/_sandbox/reset`.
    pub faults: bool,
    /// Delay every API answer by this many milliseconds.
    pub latency_ms: u64,
    /// Where a real region may differ, which way this sandbox goes (documented by default).
    pub dialect: Dialect,
    /// Body size, calls in flight, time per call, and caps on what is created.
    pub limits: Limits,
    /// How long the saver waits after a change for more before it writes (`--data`).
    pub save_debounce: std::time::Duration,
}

impl Options {
    pub fn new(seed: Seed) -> Self {
        Options {
            seed,
            data: None,
            faults: false,
            latency_ms: 0,
            dialect: Dialect::default(),
            limits: Limits::default(),
            save_debounce: store::Saver::DEBOUNCE,
        }
    }
}

/// Everything a handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub world: Shared,
    pub options: Arc<Options>,
    pub faults: faults::Faults,
    /// Saves `--data FILE` off the async workers; `None` without a file.
    pub saver: Option<Arc<store::Saver>>,
    /// The calls in flight (`Limits::in_flight`), shared by every router of this state.
    in_flight: Arc<tokio::sync::Semaphore>,
    rng: Arc<Mutex<seed::Rng>>,
}

impl AppState {
    /// The state of a sandbox; with `options.data`, its saver thread starts (the file itself
    /// is read and first written by [`spawn_with`]).
    pub fn new(world: World, options: Options) -> Self {
        let mut seed = [0u8; 16];
        passwords::random_bytes(&mut seed);
        let world = Arc::new(RwLock::new(world));
        let saver = options
            .data
            .clone()
            .map(|path| store::Saver::start(path, &world, options.save_debounce));
        let in_flight = Arc::new(tokio::sync::Semaphore::new(options.limits.in_flight));
        AppState {
            world,
            in_flight,
            options: Arc::new(options),
            faults: faults::Faults::default(),
            saver,
            rng: Arc::new(Mutex::new(seed::Rng::new(&format!("{seed:?}")))),
        }
    }

    /// Counts a change for `--data FILE`; the saver writes it soon, and the write request is
    /// answered once it is on disk. Call it with the world's write lock held (`world` is that
    /// guard's world), after the change.
    pub fn persist(&self, _world: &World) {
        if let Some(saver) = &self.saver {
            saver.changed();
        }
    }

    /// A GUID not yet used in `region`.
    pub fn fresh_id(&self, region: &Region) -> partner_api::AccountId {
        let mut rng = self.rng.lock().expect("rng lock");
        loop {
            let id = rng.account_id();
            if !region.accounts.contains_key(&id) {
                return id;
            }
        }
    }

    /// Random text from `alphabet`, from the operating system's random source.
    pub fn random(&self, len: usize, alphabet: &[u8]) -> String {
        passwords::random_text(len, alphabet)
    }
}

/// What a handler answers when it cannot go on.
#[derive(Debug)]
pub enum Fail {
    Denied(Denied),
    UnknownRegion(String),
    /// 400 with a plain-text sentence (Accounts API).
    BadRequest(String),
    /// 400 naming the fields (Accounts API: plain text, one line per field).
    Invalid(Vec<FieldProblem>),
    /// 404 with a sentence.
    NotFound(String),
    /// 403: a cap on what a login, an account or a region may hold (`Limits`).
    Cap(String),
    /// 409 with a sentence.
    Conflict(String),
    /// Any status with a JSON body (Enterprise API).
    Json(StatusCode, serde_json::Value),
}

impl From<Denied> for Fail {
    fn from(d: Denied) -> Self {
        Fail::Denied(d)
    }
}

fn text(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        body,
    )
        .into_response()
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        match self {
            Fail::Denied(Denied::Anonymous) => text(StatusCode::UNAUTHORIZED, ANONYMOUS.into()),
            Fail::Denied(Denied::BadCredentials) => {
                text(StatusCode::UNAUTHORIZED, BAD_CREDENTIALS.into())
            }
            Fail::Denied(Denied::Expired) => text(StatusCode::UNAUTHORIZED, EXPIRED.into()),
            Fail::Denied(Denied::NoSuchAccount) => {
                text(StatusCode::NOT_FOUND, "No such account.".into())
            }
            Fail::Denied(Denied::OutOfScope) => text(
                StatusCode::FORBIDDEN,
                "Access denied: the account is outside your account's subtree.".into(),
            ),
            Fail::Denied(Denied::Role(why)) => text(StatusCode::FORBIDDEN, why),
            Fail::UnknownRegion(r) => text(
                StatusCode::NOT_FOUND,
                format!("The sandbox has no region “{r}”."),
            ),
            Fail::BadRequest(why) => text(StatusCode::BAD_REQUEST, why),
            Fail::Invalid(problems) => text(
                StatusCode::BAD_REQUEST,
                problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Fail::NotFound(why) => text(StatusCode::NOT_FOUND, why),
            Fail::Cap(why) => text(StatusCode::FORBIDDEN, why),
            Fail::Conflict(why) => text(StatusCode::CONFLICT, why),
            Fail::Json(status, body) => (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response(),
        }
    }
}

pub(crate) fn xml_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        body,
    )
        .into_response()
}

pub(crate) fn ok_text(body: &str) -> Response {
    text(StatusCode::OK, body.to_owned())
}

fn credentials(headers: &HeaderMap) -> Option<(String, String)> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()
        .and_then(parse_basic_authorization)
}

/// Finds the region and authenticates the caller in it.
pub(crate) fn enter<'w>(
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

/// The same, for a handler that changes the region.
pub(crate) fn enter_mut<'w>(
    world: &'w mut World,
    region: &str,
    headers: &HeaderMap,
) -> Result<(&'w mut Region, Caller), Fail> {
    let r = world
        .region_mut(region)
        .ok_or_else(|| Fail::UnknownRegion(region.to_owned()))?;
    let caller = r.authenticate(credentials(headers))?;
    Ok((r, caller))
}

async fn not_found() -> Response {
    text(
        StatusCode::NOT_FOUND,
        "The sandbox does not serve this path.".into(),
    )
}

/// CORS for a portal served from any other origin: preflights with `Authorization` pass, and
/// the headers the contract's clients read are exposed. No cookies are involved, so no
/// credentials mode is needed; `WWW-Authenticate` is never sent, so a browser never pops up
/// its own sign-in dialog over the portal.
pub fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([
            HeaderName::from_static("x-total-count"),
            HeaderName::from_static("next-offset"),
            header::LOCATION,
            header::RETRY_AFTER,
        ])
        .max_age(std::time::Duration::from_secs(600))
}

/// The whole API as an axum router.
pub fn router(app: AppState) -> Router {
    use accounts as a;
    use enterprise as e;
    use usage as u;
    let api = Router::new()
        .route("/{region}/users/", get(a::whoami))
        .route("/{region}/users", get(a::whoami))
        .route(
            "/{region}/users/{id}",
            get(a::get_account)
                .put(a::update_account)
                .delete(a::delete_account),
        )
        .route(
            "/{region}/users/{id}/users",
            get(a::list_children).post(a::create_account),
        )
        .route(
            "/{region}/users/{id}/users/",
            get(a::list_children).post(a::create_account),
        )
        .route(
            "/{region}/users/{id}/contacts",
            get(a::contact_types).post(a::add_contact),
        )
        .route(
            "/{region}/users/{id}/contacts/",
            get(a::contact_types).post(a::add_contact),
        )
        .route(
            "/{region}/users/{id}/contacts/{kind}",
            get(a::get_contact).put(a::update_contact),
        )
        .route(
            "/{region}/users/{id}/tokens/",
            get(a::list_tokens)
                .post(a::create_token)
                .head(a::probe_token_name),
        )
        .route(
            "/{region}/users/{id}/tokens",
            get(a::list_tokens)
                .post(a::create_token)
                .head(a::probe_token_name),
        )
        .route(
            "/{region}/users/{id}/tokens/{name}",
            axum::routing::delete(a::delete_token).put(a::update_token),
        )
        .route(
            "/{region}/users/{id}/permissions/roles/",
            get(a::list_roles),
        )
        .route("/{region}/users/{id}/permissions/roles", get(a::list_roles))
        .route("/{region}/users/{id}/product", get(a::get_product))
        .route("/{region}/users/{id}/portfolio", get(a::get_portfolio))
        .route("/{region}/users/{id}/resources", get(u::resources))
        .route(
            "/{region}/users/{id}/portfolio/resources",
            get(u::portfolio_resources),
        )
        .route(
            "/{region}/users/{id}/resources/max_usage",
            put(u::max_usage),
        )
        .route(
            "/{region}/users/{id}/resources/max_usage/total",
            put(u::max_usage_total),
        )
        .route("/{region}/users/{id}/resources/history", put(u::history))
        .route("/{region}/users/{id}/expirations", put(u::expirations))
        .route(
            "/{region}/users/{id}/monitoring/backup/summary",
            get(u::backup_summary),
        )
        .route(
            "/{region}/users/{id}/devices/{device}/health",
            get(u::device_health),
        )
        .route("/{region}/audit/filter/pretty", put(audit::filter))
        .route("/{region}/apis/accounts/v1/ping", get(e::ping))
        .route(
            "/{region}/apis/accounts/v1/partner/billing",
            post(e::set_billing),
        )
        .route(
            "/{region}/apis/accounts/v1/partner/password",
            post(e::set_password),
        )
        .route("/{region}/apis/accounts/v1/partner/quota", get(e::quota))
        .route("/{region}/apis/accounts/v1/partner/info", get(e::info))
        .route(
            "/{region}/apis/accounts/v1/partner/features",
            get(e::features),
        )
        .route(
            "/{region}/apis/accounts/v1/partner/settings",
            get(e::get_settings).post(e::update_settings),
        )
        .route("/{region}/apis/accounts/v1/plans", get(people::plans))
        .route("/{region}/apis/accounts/v1/plans/", get(people::plans))
        .route(
            "/{region}/apis/accounts/v1/groups/",
            get(people::groups).post(people::create_group),
        )
        .route(
            "/{region}/apis/accounts/v1/groups",
            get(people::groups).post(people::create_group),
        )
        .route(
            "/{region}/apis/accounts/v1/groups/{id}",
            get(people::get_group)
                .post(people::edit_group)
                .delete(people::delete_group),
        )
        .route(
            "/{region}/apis/accounts/v1/users/",
            get(people::users).post(people::create_user),
        )
        .route(
            "/{region}/apis/accounts/v1/users",
            get(people::users).post(people::create_user),
        )
        .route(
            "/{region}/apis/accounts/v1/users/{user}",
            get(people::get_user)
                .post(people::edit_user)
                .delete(people::delete_user),
        )
        .route(
            "/{region}/apis/accounts/v1/users/{user}/devices",
            get(people::devices),
        )
        .route(
            "/{region}/apis/accounts/v1/users/{user}/shares/",
            get(people::user_shares),
        )
        .route(
            "/{region}/apis/accounts/v1/users/{user}/shares",
            get(people::user_shares),
        )
        .route("/{region}/apis/accounts/v1/shares/", get(e::shares))
        .route("/{region}/apis/accounts/v1/shares", get(e::shares))
        .route(
            "/{region}/apis/accounts/v1/users/{user}/shares/{room_key}",
            get(people::user_share).post(e::set_share),
        )
        .route(
            "/{region}/apis/accounts/v1/clientrevisions/",
            get(e::client_revisions),
        )
        .route(
            "/{region}/apis/accounts/v1/clientrevisions",
            get(e::client_revisions),
        );
    let api = limits::apply(api, &app.options.limits, app.in_flight.clone());
    // Outside the limits, so that a write they refuse is recorded too; inside `durable`, so
    // that a write's record is saved with it.
    let api = api.layer(axum::middleware::from_fn_with_state(
        app.clone(),
        audit::layer,
    ));
    let api = api.layer(axum::middleware::from_fn_with_state(app.clone(), durable));
    let api = if app.options.faults || app.options.latency_ms > 0 {
        api.layer(axum::middleware::from_fn_with_state(
            app.clone(),
            faults::layer,
        ))
    } else {
        api
    };
    let api = if app.options.faults {
        api.merge(faults::control())
    } else {
        api
    };
    api.fallback(not_found).layer(cors()).with_state(app)
}

/// With `--data`, a write that changed the world is answered once the change is on disk, so
/// an acknowledged write survives a crash. The saver writes many calls' changes at once.
async fn durable(
    axum::extract::State(app): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(saver) = app.saver.clone() else {
        return next.run(request).await;
    };
    // Reads change nothing, and a refused write changed nothing either: neither waits for a
    // save of other calls' changes.
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let path = request.uri().path().to_owned();
    let before = saver.generation();
    let response = next.run(request).await;
    let after = saver.generation();
    if after == before || !response.status().is_success() {
        return response;
    }
    match saver.saved(after).await {
        Ok(()) => response,
        Err(e) => limits::shaped(
            &path,
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("The change was made but the sandbox could not save it: {e}"),
        ),
    }
}

/// A sandbox running in this process.
pub struct Running {
    pub addr: SocketAddr,
    /// The world, for tests to read and change.
    pub state: Shared,
    pub app: AppState,
    pub task: tokio::task::JoinHandle<()>,
}

/// Binds `listen` (port 0 for any free port), seeds the world and serves it on the current
/// tokio runtime.
pub async fn spawn(listen: &str, seed: Seed) -> std::io::Result<Running> {
    spawn_with(listen, Options::new(seed)).await
}

/// Like [`spawn`], with every option. With `data`, the saved state is loaded when the file
/// exists, and otherwise the seed is built and saved.
pub async fn spawn_with(listen: &str, options: Options) -> std::io::Result<Running> {
    let world = match &options.data {
        Some(path) => match store::load_migrating(path)? {
            Some((w, migrated)) => {
                if migrated {
                    // The old format kept passwords as typed: hashed now, and written back.
                    store::save(path, &w)?;
                }
                w
            }
            None => {
                let w = options.seed.build();
                store::save(path, &w)?;
                w
            }
        },
        None => options.seed.build(),
    };
    let app = AppState::new(world, options);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let router = router(app.clone());
    let task = tokio::spawn(async move {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        if let Err(e) = axum::serve(listener, service).await {
            eprintln!("partner-sandbox: server stopped: {e}");
        }
    });
    Ok(Running {
        addr,
        state: app.world.clone(),
        app,
        task,
    })
}
