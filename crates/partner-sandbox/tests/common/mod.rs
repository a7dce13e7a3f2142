//! Helpers shared by the sandbox's HTTP tests: requests through the real router (no socket),
//! answers read with the core crate's decoders, as the portal reads them.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use partner_api::accounts::users::GetWhoAmI;
use partner_api::wire::auth::basic_authorization;
use partner_api::{AccountId, ApiError, Call, Response};
use partner_sandbox::{router, AppState, Options, Seed};
use tower::ServiceExt;

pub fn demo() -> AppState {
    AppState::new(Seed::Demo.build(), Options::new(Seed::Demo))
}

pub fn with_faults() -> AppState {
    let mut o = Options::new(Seed::Demo);
    o.faults = true;
    AppState::new(Seed::Demo.build(), o)
}

/// Sends one request and returns the answer as the core's `Response`.
pub async fn send(
    app: &AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Response {
    try_send(app, method, uri, headers, body)
        .await
        .expect("the body arrives whole")
}

/// Like `send`, but a body that breaks off (a dropped connection) is an `Err`.
pub async fn try_send(
    app: &AppState,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
) -> Result<Response, String> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = router(app.clone())
        .oneshot(req.body(body.map(Body::from).unwrap_or_default()).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let bytes = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(Response {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

/// Sends a typed call from the core as `login`/`password`, the way the portal does.
pub async fn call_with<C: Call>(
    app: &AppState,
    region: &str,
    login: &str,
    password: &str,
    c: &C,
) -> Result<C::Output, ApiError> {
    let r = c.request();
    let auth = basic_authorization(login, password);
    let mut headers: Vec<(&str, &str)> = vec![("authorization", &auth)];
    for (k, v) in &r.headers {
        headers.push((k, v));
    }
    let uri = format!("/{region}{}{}", r.family.root_path(), r.path_and_query());
    c.decode(&send(app, r.method.as_str(), &uri, &headers, r.body.clone()).await)
}

/// The same with the demo password.
pub async fn call<C: Call>(
    app: &AppState,
    region: &str,
    login: &str,
    c: &C,
) -> Result<C::Output, ApiError> {
    call_with(app, region, login, "demo", c).await
}

pub async fn root_of(app: &AppState, region: &str, login: &str) -> AccountId {
    call(app, region, login, &GetWhoAmI).await.unwrap().id
}
