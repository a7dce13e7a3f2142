//! The Enterprise API's calls, typed (until they move to `enterprise/`). Each is a small
//! struct: `request()` says what to send, `decode()` reads the answer.

use crate::call::{decode_with, expect_success, write, Call};
use crate::enterprise::{
    Billing, CardDecline, ClientRevision, Features, Quota, Settings, SettingsUpdate, Share,
};
use crate::error::ApiError;
use crate::fields::Secret;
use crate::wire::request::{Family, Method, Request, Response};
use crate::wire::DecodeError;

/// Enterprise API `GET /ping`: a credential check answered with the JSON string "pong".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ping;

impl Call for Ping {
    type Output = ();
    fn request(&self) -> Request {
        Request::get(Family::Enterprise, "/ping".into()).header("Accept", "application/json")
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        decode_with(r, |body| match serde_json::from_str::<String>(body) {
            Ok(s) if s == "pong" => Ok(()),
            _ => Err(DecodeError {
                expected: "the JSON string \"pong\"",
                detail: format!("got {:?}", body.chars().take(40).collect::<String>()),
            }),
        })
    }
}

const JSON: &str = "application/json";

fn json_get(path: &str) -> Request {
    Request::get(Family::Enterprise, path.into()).header("Accept", JSON)
}

fn json_post(path: &str, body: String) -> Request {
    let mut r = write(
        Family::Enterprise,
        Method::Post,
        path.into(),
        JSON,
        body,
        false,
    );
    r.headers.push(("Accept", JSON.to_owned()));
    r
}

fn decode_json<T: serde::de::DeserializeOwned>(
    r: &Response,
    expected: &'static str,
) -> Result<T, ApiError> {
    decode_with(r, |body| {
        serde_json::from_str(body).map_err(|e| DecodeError {
            expected,
            detail: e.to_string(),
        })
    })
}

/// `POST /partner/billing`. A declined card is [`ApiError::CardDeclined`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetBilling(pub Billing);

impl Call for SetBilling {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/billing",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        if r.status == 409 {
            if let Ok(d) = serde_json::from_str::<CardDecline>(&r.body) {
                return Err(ApiError::CardDeclined {
                    code: d.code,
                    reason: d.reason,
                });
            }
        }
        expect_success(r)
    }
}

/// `POST /partner/password`: the body is the new password as a JSON string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetPassword(pub Secret);

impl Call for SetPassword {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/password",
            serde_json::to_string(self.0.expose()).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `GET /partner/quota`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetQuota;

impl Call for GetQuota {
    type Output = Quota;
    fn request(&self) -> Request {
        json_get("/partner/quota")
    }
    fn decode(&self, r: &Response) -> Result<Quota, ApiError> {
        decode_json(r, "the quota as JSON")
    }
}

/// `GET /partner/features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetFeatures;

impl Call for GetFeatures {
    type Output = Features;
    fn request(&self) -> Request {
        json_get("/partner/features")
    }
    fn decode(&self, r: &Response) -> Result<Features, ApiError> {
        decode_json(r, "the features as JSON")
    }
}

/// `GET /partner/settings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GetSettings;

impl Call for GetSettings {
    type Output = Settings;
    fn request(&self) -> Request {
        json_get("/partner/settings")
    }
    fn decode(&self, r: &Response) -> Result<Settings, ApiError> {
        decode_json(r, "the enterprise settings as JSON")
    }
}

/// `POST /partner/settings` with only the changed settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateSettings(pub SettingsUpdate);

impl Call for UpdateSettings {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/settings",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// `GET /shares/?limit=&offset=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListShares {
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

impl Call for ListShares {
    type Output = Vec<Share>;
    fn request(&self) -> Request {
        let mut r = json_get("/shares/");
        r.query = [("limit", self.limit), ("offset", self.offset)]
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
            .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<Share>, ApiError> {
        decode_json(r, "a JSON list of shares")
    }
}

/// `GET /clientrevisions/`: devices per client revision. `None` leaves a filter at its default
/// (min 0, max and days unbounded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListClientRevisions {
    pub min_revision: Option<i64>,
    pub max_revision: Option<i64>,
    pub max_days_since_login: Option<i64>,
}

impl Call for ListClientRevisions {
    type Output = Vec<ClientRevision>;
    fn request(&self) -> Request {
        let mut r = json_get("/clientrevisions/");
        r.query = [
            ("min_revision", self.min_revision),
            ("max_revision", self.max_revision),
            ("max_days_since_login", self.max_days_since_login),
        ]
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?.to_string())))
        .collect();
        r
    }
    fn decode(&self, r: &Response) -> Result<Vec<ClientRevision>, ApiError> {
        decode_json(r, "a JSON list of client revisions")
    }
}

#[cfg(test)]
mod write_tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn a_declined_card_is_explained() {
        let call = SetBilling(Billing::default());
        assert_eq!(
            call.decode(&resp(409, r#"{"code": "33", "reason": "Card expired"}"#)),
            Err(ApiError::CardDeclined {
                code: "33".into(),
                reason: "Card expired".into()
            })
        );
        assert!(
            matches!(call.decode(&resp(400, r#"{"reason": "bad", "conflicts": ["card_number"]}"#)),
            Err(ApiError::BadRequest { fields, .. }) if fields == ["card_number"])
        );
    }
}
