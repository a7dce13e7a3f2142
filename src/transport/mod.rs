//! The one module that talks to regions: it alone knows URLs, the proxy template, the
//! `Authorization` header and gloo-net. Pages hand it typed calls from `partner-api` and get
//! typed results or an [`ApiError`] back.
//!
//! Every call has a timeout, and is aborted when the view that started it goes away: a call
//! whose future is dropped before its answer (its task belonged to a page that was left,
//! `crate::task`) aborts its request, and a call still queued or waiting to be retried is
//! never sent. A write the browser has already sent is the exception ([`Transport::exchange`]).
//!
//! Passwords, card data and new credentials go only where they travel encrypted, from a page
//! that was itself delivered encrypted ([`Transport::secure`]).

mod limiter;
mod session;
mod start;

pub use limiter::MAX_IN_FLIGHT_PER_REGION;
pub use session::{Credentials, Session, SESSION_KEY};
pub use start::{load_config, StartError, CONFIG_PATH};

use crate::browser::sleep;
use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use leptos::prelude::*;
use limiter::Limiter;
use partner_api::config::PortalConfig;
use partner_api::wire::auth::basic_authorization;
use partner_api::{ApiError, Call, Method, RegionId, Response};
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// `path` resolved against the document's base URL, so the portal works under any prefix.
fn resolve(path: &str) -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten());
    match base.and_then(|b| web_sys::Url::new_with_base(path, &b).ok()) {
        Some(url) => url.href(),
        None => format!("/{path}"),
    }
}

/// Sends typed calls to regions. Cheap to clone; provided as context.
#[derive(Clone)]
pub struct Transport {
    config: Arc<PortalConfig>,
    session: Session,
    limiter: SendWrapper<Rc<Limiter>>,
    /// Password changes on their way, per region: a 401 meanwhile waits to see which
    /// password the region takes.
    changing: SendWrapper<Rc<RefCell<BTreeMap<RegionId, u32>>>>,
}

impl Transport {
    pub fn new(config: Arc<PortalConfig>, session: Session) -> Self {
        Transport {
            config,
            session,
            limiter: SendWrapper::new(Rc::new(Limiter::default())),
            changing: SendWrapper::new(Rc::new(RefCell::new(BTreeMap::new()))),
        }
    }

    /// Whether secrets (a password, card data, API credentials to show) may go to `region`'s
    /// `family` from this page: only when both the page and the region's address travel
    /// encrypted. One rule for both, the core's `config::check_endpoint`: HTTPS, or plain
    /// http only to this machine (localhost, 127.x, [::1]), which is also what Chromium
    /// counts as a secure context. Otherwise the refusal, in words, for where it happened.
    pub fn secure(&self, region: &RegionId, family: partner_api::Family) -> Result<(), ApiError> {
        let page = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        if partner_api::config::check_endpoint(&page).is_err() {
            let origin = partner_api::config::origin_of(&page).unwrap_or(page);
            return Err(ApiError::NotAvailable(format!(
                "This page was opened over plain http ({origin}), so the portal does not send \
                 or show passwords, API credentials or card details from it: anyone on the \
                 network could read or change them. Open the portal at its https:// address, \
                 or ask whoever runs it to serve it over HTTPS."
            )));
        }
        let endpoint = self
            .config
            .region(region)
            .and_then(|r| self.config.base_url(r, family))
            .map(|base| resolve(&base));
        match endpoint {
            Some(url) if partner_api::config::check_endpoint(&url).is_ok() => Ok(()),
            _ => Err(ApiError::NotAvailable(format!(
                "{region}'s {} is configured with a plain http address, so the portal does not \
                 send passwords, API credentials or card details to it. Ask whoever runs this \
                 portal to use https.",
                family.label()
            ))),
        }
    }

    /// Whether `region` offers `family` in this portal's configuration.
    pub fn offers(&self, region: &RegionId, family: partner_api::Family) -> bool {
        self.config
            .region(region)
            .and_then(|r| self.config.base_url(r, family))
            .is_some()
    }

    /// The session this transport signs calls with.
    pub fn session(&self) -> Session {
        self.session
    }

    pub fn config(&self) -> &PortalConfig {
        &self.config
    }

    /// Sends `call` to `region` with the credentials the partner signed in with.
    pub async fn call<C: Call>(&self, region: &RegionId, call: &C) -> Result<C::Output, ApiError> {
        // Only building the request and decoding the answer are per call: the rest is
        // `answer`, in the bundle once.
        let response = self.answer(region, call.request()).await?;
        call.decode(&response)
    }

    /// [`Transport::call`] for a call that carries a secret, or answers one (a password,
    /// card data, new API credentials): refused unless [`Transport::secure`].
    pub async fn call_secret<C: Call>(
        &self,
        region: &RegionId,
        call: &C,
    ) -> Result<C::Output, ApiError> {
        let request = call.request();
        self.secure(region, request.family)?;
        let response = self.answer(region, request).await?;
        call.decode(&response)
    }

    /// Changes the API password of the signed-in login in `region` (`call` sets it to
    /// `password`). The session switches to the new password as soon as the region takes
    /// it, whether or not the page that asked is still there: this runs to its end on its
    /// own, so a partner who leaves mid-change is not left holding a password the region
    /// no longer takes.
    pub async fn change_password<C: Call + 'static>(
        &self,
        region: &RegionId,
        call: C,
        password: String,
    ) -> Result<C::Output, ApiError>
    where
        C::Output: 'static,
    {
        let request = call.request();
        self.secure(region, request.family)?;
        let (tx, rx) = futures::channel::oneshot::channel();
        let (this, region) = (self.clone(), region.clone());
        *this
            .changing
            .borrow_mut()
            .entry(region.clone())
            .or_default() += 1;
        leptos::task::spawn_local(async move {
            let family = request.family;
            let outcome = match this.session.credentials(&region) {
                None => Err(ApiError::NotAvailable(format!(
                    "You are not signed in to {region}."
                ))),
                Some(held) => {
                    // Not through `answer`: a 401 here must not wait for this very change.
                    let answer = match this.exchange_with_retries(&region, &held, request).await {
                        Ok(r) if r.status == 401 => {
                            Err(this.refused(&region, &held, family, &r).await)
                        }
                        other => other,
                    };
                    let outcome = answer.and_then(|r| call.decode(&r));
                    if outcome.is_ok() {
                        this.session
                            .sign_in(region.clone(), Credentials { password, ..held });
                    }
                    outcome
                }
            };
            if let Some(n) = this.changing.borrow_mut().get_mut(&region) {
                *n -= 1;
            }
            let _ = tx.send(outcome);
        });
        rx.await
            .unwrap_or_else(|_| Err(ApiError::Network("the password change was lost".into())))
    }

    /// One request with the session's credentials for `region`, and its raw answer. A 401
    /// means the region no longer takes these credentials: back to its sign-in, keeping
    /// where the partner was. But a 401 to credentials the session no longer holds (the
    /// password changed while the call was out) says nothing about the session now: the
    /// call goes again, once, with the credentials held now.
    async fn answer(
        &self,
        region: &RegionId,
        request: partner_api::Request,
    ) -> Result<Response, ApiError> {
        let mut credentials = self
            .session
            .credentials(region)
            .ok_or_else(|| ApiError::NotAvailable(format!("You are not signed in to {region}.")))?;
        let family = request.family;
        let mut again = true;
        loop {
            let response = self
                .exchange_with_retries(region, &credentials, request.clone())
                .await?;
            if response.status != 401 {
                return Ok(response);
            }
            self.password_settled(region).await;
            match self.session.credentials(region) {
                Some(now) if again && !now.same_secret(&credentials) => {
                    credentials = now;
                    again = false;
                }
                _ => return Err(self.refused(region, &credentials, family, &response).await),
            }
        }
    }

    /// Waits while a password change in `region` is on its way (at most the call timeout):
    /// until it is answered, a 401 cannot tell an old password from the one held.
    async fn password_settled(&self, region: &RegionId) {
        let mut waited = 0;
        let limit = self.config.timeout_seconds.saturating_mul(1000) as i32;
        while waited < limit && self.changing.borrow().get(region).is_some_and(|n| *n > 0) {
            sleep(50).await;
            waited += 50;
        }
    }

    /// A 401. When the region no longer takes these credentials: back to its sign-in,
    /// keeping where the partner was. But an Enterprise API may refuse a login the Accounts
    /// API takes (a customer's, say): that is said where it happened, and the partner stays
    /// signed in. The session ends only when the credentials refused are the ones it holds.
    async fn refused(
        &self,
        region: &RegionId,
        credentials: &Credentials,
        family: partner_api::Family,
        response: &Response,
    ) -> ApiError {
        let why = match ApiError::from_response(response) {
            ApiError::Unauthorized(why) => why,
            other => other.to_string(),
        };
        if family == partner_api::Family::Enterprise
            && self
                .send(
                    region,
                    credentials,
                    &partner_api::accounts::users::GetWhoAmI,
                )
                .await
                .is_ok()
        {
            return ApiError::Forbidden(format!(
                "the region's Enterprise API does not accept this login ({why})"
            ));
        }
        self.session.expire_if_held(region, credentials);
        ApiError::Unauthorized(why)
    }

    /// Checks a login against `region` (`GET /users/`) and, when the region accepts it, keeps
    /// the credentials for this browser tab.
    pub async fn sign_in(
        &self,
        region: &RegionId,
        login: &str,
        password: &str,
    ) -> Result<partner_api::AccountId, ApiError> {
        // The password goes to both families: each must travel encrypted.
        self.secure(region, partner_api::Family::Accounts)?;
        if self.offers(region, partner_api::Family::Enterprise) {
            self.secure(region, partner_api::Family::Enterprise)?;
        }
        let credentials = Credentials {
            login: login.trim().to_owned(),
            password: password.to_owned(),
            account: None,
            role: None,
            enterprise: None,
        };
        let me = self
            .send(
                region,
                &credentials,
                &partner_api::accounts::users::GetWhoAmI,
            )
            .await?;
        // The role decides what the portal offers; without it, it offers reading only. The
        // Enterprise API's own check (`GET /ping`) runs beside it: a login the Accounts API
        // takes may still be one the Enterprise API refuses (a customer's, say).
        let role = async {
            self.send(
                region,
                &credentials,
                &partner_api::accounts::tokens::ListTokens(me.id.clone()),
            )
            .await
            .ok()
            .and_then(|t| t.find(&credentials.login).map(|t| t.role.clone()))
        };
        let enterprise = async {
            if !self.offers(region, partner_api::Family::Enterprise) {
                return None;
            }
            match self
                .send(
                    region,
                    &credentials,
                    &partner_api::enterprise::account::Ping,
                )
                .await
            {
                Ok(_) => Some(true),
                Err(ApiError::Unauthorized(_) | ApiError::Forbidden(_)) => Some(false),
                Err(_) => None,
            }
        };
        let (role, enterprise) = futures::future::join(role, enterprise).await;
        self.session.sign_in(
            region.clone(),
            Credentials {
                account: Some(me.id.clone()),
                role,
                enterprise,
                ..credentials
            },
        );
        Ok(me.id)
    }

    /// Sends a typed call: only building the request and decoding the answer depend on
    /// the call's type; everything else is [`Transport::exchange`], compiled once.
    async fn send<C: Call>(
        &self,
        region: &RegionId,
        credentials: &Credentials,
        call: &C,
    ) -> Result<C::Output, ApiError> {
        let response = self
            .exchange_with_retries(region, credentials, call.request())
            .await?;
        call.decode(&response)
    }

    /// [`Transport::exchange`] again after a passing failure, for calls that cannot do harm
    /// twice (`partner_api::retry`), with backoff and jitter, honouring `Retry-After`.
    async fn exchange_with_retries(
        &self,
        region: &RegionId,
        credentials: &Credentials,
        request: partner_api::Request,
    ) -> Result<Response, ApiError> {
        let mut attempt = 1;
        loop {
            let outcome = self.exchange(region, credentials, request.clone()).await;
            if !partner_api::retry::should_retry(&request, attempt, &outcome) {
                return outcome;
            }
            sleep(partner_api::retry::delay_ms(attempt, &outcome, js_sys::Math::random()) as i32)
                .await;
            attempt += 1;
        }
    }

    /// One request to a region and its raw answer: URL, proxy, auth, queue, and which way
    /// it is aborted. Not generic, so the bundle holds it once.
    async fn exchange(
        &self,
        region: &RegionId,
        credentials: &Credentials,
        request: partner_api::Request,
    ) -> Result<Response, ApiError> {
        let region_config = self.config.region(region).ok_or_else(|| {
            ApiError::NotAvailable(format!("No region “{region}” is configured."))
        })?;
        let base = self
            .config
            .base_url(region_config, request.family)
            .ok_or_else(|| {
                ApiError::NotAvailable(format!(
                    "{} does not offer the {} in this portal's configuration.",
                    region_config.name,
                    request.family.label()
                ))
            })?;
        let url = resolve(&format!("{base}{}", request.path_and_query()));
        // Dropped while queued (its page was left), a call is never sent.
        let permit = self.limiter.acquire(region).await;
        let authorization = basic_authorization(&credentials.login, &credentials.password);
        let seconds = self.config.timeout_seconds;
        let controller = Rc::new(
            web_sys::AbortController::new()
                .map_err(|_| ApiError::Network("the browser cannot make requests".into()))?,
        );
        if matches!(request.method, Method::Get | Method::Head) {
            // A read is aborted when the view that asked goes: a page's resource cleans up
            // (`on_cleanup`), or a page's task is dropped where it waits (`AbortOnDrop`).
            let on_leave = SendWrapper::new(Rc::clone(&controller));
            on_cleanup(move || on_leave.abort());
            let _abort = AbortOnDrop(Rc::clone(&controller));
            let answer = fetch(&url, request, &authorization, &controller, seconds).await;
            drop(permit);
            return answer;
        }
        // A write the browser is about to send is never aborted by leaving its page: an
        // abort cannot take back what the region may already have done, it only loses the
        // answer. A create would then be in doubt (`partner_api::accounts::once` has to look
        // in the listing), a move or a delete unknown to the tree, a password change unknown
        // to the session. So from here on it runs to its end (within the timeout) on its
        // own; a page that went meanwhile just does not hear the answer. A write still
        // queued above, or waiting for its turn, goes with its page and is never sent.
        let (tx, rx) = futures::channel::oneshot::channel();
        leptos::task::spawn_local(async move {
            let answer = fetch(&url, request, &authorization, &controller, seconds).await;
            drop(permit);
            let _ = tx.send(answer);
        });
        rx.await
            .unwrap_or_else(|_| Err(ApiError::Network("the answer was lost".into())))
    }
}

/// Aborts a request when dropped (a finished request ignores it).
struct AbortOnDrop(Rc<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One request and its raw answer: the fetch itself, its timeout and its abort signal. Not
/// generic, so the bundle holds it once, not once per kind of call.
async fn fetch(
    url: &str,
    request: partner_api::Request,
    authorization: &str,
    controller: &Rc<web_sys::AbortController>,
    seconds: u32,
) -> Result<Response, ApiError> {
    let signal = controller.signal();
    // The time limit aborts it, and says so.
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let controller = Rc::clone(controller);
        let timed_out = Rc::clone(&timed_out);
        Closure::once(move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let window = web_sys::window();
    let timer_id = window.as_ref().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(
            timer.as_ref().unchecked_ref(),
            (seconds * 1000) as i32,
        )
        .ok()
    });

    let mut builder = RequestBuilder::new(url)
        .method(match request.method {
            Method::Get => HttpMethod::GET,
            Method::Post => HttpMethod::POST,
            Method::Put => HttpMethod::PUT,
            Method::Delete => HttpMethod::DELETE,
            Method::Head => HttpMethod::HEAD,
        })
        .abort_signal(Some(&signal))
        .header("Authorization", authorization);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let sent = match request.body {
        Some(body) => match builder.body(body) {
            Ok(r) => r.send().await,
            Err(e) => Err(e),
        },
        None => builder.send().await,
    };

    let result = match sent {
        Ok(response) => {
            let status = response.status();
            let headers = ["retry-after", "x-total-count", "location", "content-type"]
                .iter()
                .filter_map(|h| response.headers().get(h).map(|v| (h.to_string(), v)))
                .collect();
            // Bytes, not a JS string: a copy and a UTF-8 check instead of transcoding
            // UTF-16, which matters for a 2.6 MB list of 10,000 accounts.
            match response.binary().await {
                Ok(bytes) => Ok(Response {
                    status,
                    headers,
                    body: String::from_utf8(bytes)
                        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                }),
                Err(e) => Err(e),
            }
        }
        Err(e) => Err(e),
    };
    if let (Some(w), Some(id)) = (window, timer_id) {
        w.clear_timeout_with_handle(id);
    }
    drop(timer);

    match result {
        Ok(response) => Ok(response),
        Err(_) if timed_out.get() => Err(ApiError::Timeout(seconds)),
        Err(e) => Err(ApiError::Network(describe_network_error(&e, url))),
    }
}

/// Words for a request that got no answer. Browsers deliberately say little ("Failed to
/// fetch"), so name the likely causes.
fn describe_network_error(error: &gloo_net::Error, url: &str) -> String {
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    if !online {
        format!("this browser is offline ({error})")
    } else {
        format!(
            "no answer from {origin}: the region may be down, the address or proxy may be wrong, \
             or it does not allow this site (CORS)"
        )
    }
}
