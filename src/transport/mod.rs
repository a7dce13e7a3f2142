//! The one module that talks to regions: it alone knows URLs, the proxy template, the
//! `Authorization` header and gloo-net. Pages hand it typed calls from `partner-api` and get
//! typed results or an [`ApiError`] back.
//!
//! Every call has a timeout, and is aborted when the view that started it goes away
//! (`on_cleanup` + `AbortController`), so leaving a page cancels its calls.

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
use std::cell::Cell;
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
}

impl Transport {
    pub fn new(config: Arc<PortalConfig>, session: Session) -> Self {
        Transport {
            config,
            session,
            limiter: SendWrapper::new(Rc::new(Limiter::default())),
        }
    }

    /// Whether calls of `family` to `region` travel encrypted: HTTPS, or plain HTTP only to
    /// this machine. Card data is sent only when this is true.
    pub fn is_secure(&self, region: &RegionId, family: partner_api::Family) -> bool {
        let Some(base) = self
            .config
            .region(region)
            .and_then(|r| self.config.base_url(r, family))
        else {
            return false;
        };
        let url = resolve(&base);
        partner_api::config::check_endpoint(&url).is_ok()
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

    /// One request with the session's credentials for `region`, and its raw answer. A 401
    /// means the region no longer takes these credentials: back to its sign-in, keeping
    /// where the partner was.
    async fn answer(
        &self,
        region: &RegionId,
        request: partner_api::Request,
    ) -> Result<Response, ApiError> {
        let credentials = self
            .session
            .credentials(region)
            .ok_or_else(|| ApiError::NotAvailable(format!("You are not signed in to {region}.")))?;
        let family = request.family;
        let response = self
            .exchange_with_retries(region, &credentials, request)
            .await?;
        if response.status == 401 {
            return Err(self.refused(region, &credentials, family, &response).await);
        }
        Ok(response)
    }

    /// A 401. When the region no longer takes these credentials: back to its sign-in,
    /// keeping where the partner was. But an Enterprise API may refuse a login the Accounts
    /// API takes (a customer's, say): that is said where it happened, and the partner stays
    /// signed in.
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
        self.session.expire(region);
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

    /// One request to a region and its raw answer: URL, proxy, auth, queue, timeout and
    /// abort. Not generic, so the bundle holds it once, not once per kind of call.
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
        let _permit = self.limiter.acquire(region).await;

        let controller = web_sys::AbortController::new()
            .map_err(|_| ApiError::Network("the browser cannot make requests".into()))?;
        let signal = controller.signal();
        let controller = Rc::new(controller);

        // Leaving the view that asked aborts the call.
        let on_leave = SendWrapper::new(Rc::clone(&controller));
        on_cleanup(move || on_leave.abort());

        // The time limit aborts it too, and says so.
        let timed_out = Rc::new(Cell::new(false));
        let seconds = self.config.timeout_seconds;
        let timer = {
            let controller = Rc::clone(&controller);
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

        let mut builder = RequestBuilder::new(&url)
            .method(match request.method {
                Method::Get => HttpMethod::GET,
                Method::Post => HttpMethod::POST,
                Method::Put => HttpMethod::PUT,
                Method::Delete => HttpMethod::DELETE,
                Method::Head => HttpMethod::HEAD,
            })
            .abort_signal(Some(&signal))
            .header(
                "Authorization",
                &basic_authorization(&credentials.login, &credentials.password),
            );
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
            Err(e) => Err(ApiError::Network(describe_network_error(&e, &url))),
        }
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
