//! Typed errors a page can show without guessing.

use crate::fields::{field_problems, FieldProblem};
use crate::wire::request::Response;
use crate::wire::DecodeError;

/// Everything a call can end in other than success. `Display` gives a sentence a partner
/// understands; [`ApiError::is_retryable`] says whether offering "Try again" makes sense.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: no credentials, or wrong ones. Carries the region's own text.
    #[error("The region did not accept the sign-in: {0}")]
    Unauthorized(String),
    /// 403: signed in, but this role or scope may not do it.
    #[error("You do not have access to this: {0}")]
    Forbidden(String),
    /// 404.
    #[error("Not found: {0}")]
    NotFound(String),
    /// 409 with the region's text, and the fields it names where it names any (the
    /// Enterprise API's `{"reason", "conflicts"}`: `email`, `username`, `name`, `plan_id`,
    /// `group_id`, `avatars_over_quota`).
    #[error("Conflict: {message}")]
    Conflict {
        message: String,
        fields: Vec<String>,
    },
    /// 402 from the Enterprise API: the partner's storage pool cannot hold what was asked.
    /// `short_by` is how many bytes are missing, where the region says it.
    #[error("{}", no_storage_text(*short_by))]
    NoStorage {
        message: String,
        short_by: Option<u64>,
    },
    /// 400, with the fields the region named where it named any.
    #[error("The region rejected the request: {message}")]
    BadRequest {
        message: String,
        fields: Vec<String>,
    },
    /// 409 on a card: the processor declined it. `Display` explains the Paymentech code in
    /// words, or shows the region's reason for a code the portal does not know.
    #[error("{}", crate::paymentech::explain(code).map_or_else(|| format!("The card was declined: {reason} (code {code}). Try another card or call your bank."), str::to_owned))]
    CardDeclined { code: String, reason: String },
    /// 408, 429, 502, 503, 504: the region is busy or down; worth another try later.
    #[error("The region is unavailable right now (HTTP {status}). Try again in a moment.")]
    Unavailable {
        status: u16,
        /// Seconds from `Retry-After`, when sent.
        retry_after: Option<u32>,
    },
    /// Any other status.
    #[error("The region answered with an unexpected error (HTTP {status}): {message}")]
    Status { status: u16, message: String },
    /// A 2xx whose body is not what the call expects.
    #[error("The region sent an answer the portal could not read ({0}).")]
    Malformed(DecodeError),
    /// The request never got an answer: offline, DNS, refused, CORS.
    #[error("Could not reach the region: {0}. Check the connection and the region or proxy address, then try again.")]
    Network(String),
    /// The region's configuration does not offer what the call needs (an API family), or
    /// the partner is not signed in to it.
    #[error("{0}")]
    NotAvailable(String),
    /// No answer within the time limit.
    #[error("The region did not answer within {0} seconds. Try again; if it keeps happening the region may be overloaded.")]
    Timeout(u32),
    /// A create in doubt that the region does not list: it was not made, and sending it
    /// again is safe. Carries what went wrong (`accounts::once`).
    #[error("{0} The region does not list the account, so it was not created: it is safe to send it again.")]
    NotCreated(String),
    /// A create that may have been made (a 409, accepted but not listed, or not known): the
    /// sentence says how to check. Never sent again by the portal itself.
    #[error("{0}")]
    MayExist(String),
}

impl ApiError {
    /// A 400's problems on the form's `fields` it names (by its field list, or by message
    /// lines that start with a field's name, as in `login: not an email`), and what is left
    /// of the error for the form as a whole. Any other error is left whole.
    pub fn on_fields(self, fields: &[&'static str]) -> (Vec<FieldProblem>, Option<ApiError>) {
        // Storage the pool lacks is said on the plan a form chooses, where it has one.
        if let ApiError::NoStorage { .. } = &self {
            if let Some(field) = fields.iter().copied().find(|f| *f == "plan_id") {
                let message = self.to_string();
                return (vec![FieldProblem { field, message }], None);
            }
        }
        if let ApiError::Conflict {
            message,
            fields: named,
        } = &self
        {
            // A 409 that names fields of the form is said on each of them, in words.
            let on: Vec<FieldProblem> = fields
                .iter()
                .copied()
                .filter(|f| named.iter().any(|n| n == f))
                .map(|field| FieldProblem {
                    field,
                    message: conflict_text(field, message),
                })
                .collect();
            return if on.is_empty() {
                (on, Some(self))
            } else {
                (on, None)
            };
        }
        let ApiError::BadRequest {
            message,
            fields: named,
        } = self
        else {
            return (Vec::new(), Some(self));
        };
        let by_list: Vec<FieldProblem> = fields
            .iter()
            .copied()
            .filter(|f| named.iter().any(|n| n == f))
            .map(|field| FieldProblem {
                field,
                message: message.clone(),
            })
            .collect();
        if !by_list.is_empty() {
            return (by_list, None);
        }
        let (by_line, other) = field_problems(&message, fields);
        let rest = if by_line.is_empty() {
            Some(ApiError::BadRequest {
                message,
                fields: named,
            })
        } else {
            (!other.is_empty()).then(|| ApiError::BadRequest {
                message: other.join(" "),
                fields: vec![],
            })
        };
        (by_line, rest)
    }

    /// Whether trying the same call again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Unavailable { .. }
                | ApiError::Network(_)
                | ApiError::Timeout(_)
                | ApiError::Malformed(_)
                | ApiError::Status { .. }
                | ApiError::NotCreated(_)
        )
    }

    /// The fields a 400 or a 409 named, if any.
    pub fn fields(&self) -> &[String] {
        match self {
            ApiError::BadRequest { fields, .. } | ApiError::Conflict { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Whether the partner must sign in again.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, ApiError::Unauthorized(_))
    }

    /// The error for a response outside 2xx. Reads plain-text bodies (Accounts API) and the
    /// JSON `{"reason", "conflicts"}` / `{"code", "reason"}` bodies (Enterprise API).
    pub fn from_response(response: &Response) -> ApiError {
        let (message, fields) = error_text(&response.body);
        let message = if message.is_empty() {
            default_text(response.status).to_owned()
        } else {
            message
        };
        match response.status {
            400 => ApiError::BadRequest { message, fields },
            401 => ApiError::Unauthorized(message),
            403 => ApiError::Forbidden(message),
            404 => ApiError::NotFound(message),
            409 => ApiError::Conflict { message, fields },
            402 => ApiError::NoStorage {
                message,
                short_by: short_by(&response.body),
            },
            408 | 429 | 502 | 503 | 504 => ApiError::Unavailable {
                status: response.status,
                retry_after: response
                    .header("retry-after")
                    .and_then(|v| v.trim().parse().ok()),
            },
            status => ApiError::Status { status, message },
        }
    }
}

/// What a 409 naming `field` means, in words; the region's own reason for a field the
/// portal does not know.
pub fn conflict_text(field: &str, reason: &str) -> String {
    match field {
        "username" => "Another user already has this username.".into(),
        "email" => "Another user already has this email address.".into(),
        "name" => "Another group already has this name.".into(),
        "plan_id" => "The region has no such plan.".into(),
        "group_id" => "The region has no such group.".into(),
        "avatars_over_quota" => {
            "This would put users of the group over their storage quota.".into()
        }
        _ => reason.to_owned(),
    }
}

fn no_storage_text(short_by: Option<u64>) -> String {
    match short_by {
        Some(n) => format!(
            "There is not enough storage left in your pool: {} more is needed. Free some, or ask for a larger pool.",
            crate::units::bytes(n)
        ),
        None => "There is not enough storage left in your pool for this. Free some, or ask for a larger pool.".into(),
    }
}

/// How many bytes a 402 says are missing: `bytes_needed`/`short_by` directly, or
/// `bytes_requested` less `bytes_available`.
fn short_by(body: &str) -> Option<u64> {
    let v: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    let n = |k: &str| v.get(k).and_then(serde_json::Value::as_u64);
    n("short_by")
        .or_else(|| n("bytes_needed"))
        .or_else(|| Some(n("bytes_requested")?.saturating_sub(n("bytes_available")?)))
}

fn default_text(status: u16) -> &'static str {
    match status {
        402 => "not enough storage left",
        400 => "invalid or missing parameters",
        401 => "the user name or password is not correct",
        403 => "this account or action is outside what your role may do",
        404 => "no such account or resource in this region",
        409 => "it conflicts with what exists already",
        _ => "no details were given",
    }
}

/// A short message from an error body, and field names it points at.
fn error_text(body: &str) -> (String, Vec<String>) {
    let body = body.trim();
    if body.starts_with('{') {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body)
        {
            let reason = map
                .get("reason")
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            let fields = map
                .get("conflicts")
                .or_else(|| map.get("fields"))
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            return (reason, fields);
        }
    }
    let text = if body.starts_with('<') {
        // An XML error body is said by its text; an HTML page (a proxy's, say) is not
        // something to show a partner at all.
        match crate::wire::xml::parse(body) {
            Ok(e) if !e.name.eq_ignore_ascii_case("html") => xml_text(&e),
            _ => return (String::new(), Vec::new()),
        }
    } else {
        body.to_owned()
    };
    // Whole, capped only so a stray page cannot flood the screen.
    let mut shown: String = text.chars().take(1000).collect();
    if text.chars().count() > 1000 {
        shown.push('…');
    }
    (shown, Vec::new())
}

/// The text of an XML document, its elements' texts joined by spaces.
fn xml_text(e: &crate::wire::xml::Element) -> String {
    let mut parts = vec![e.text.trim().to_owned()];
    parts.extend(e.children.iter().map(xml_text));
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_400_goes_back_onto_the_fields_it_names() {
        let fields = &["name", "email"];
        let listed = ApiError::BadRequest {
            message: "invalid".into(),
            fields: vec!["email".into(), "other".into()],
        };
        let (named, rest) = listed.on_fields(fields);
        assert_eq!((named[0].field, rest), ("email", None));
        let lines = ApiError::BadRequest {
            message: "name: too long\nsomething else".into(),
            fields: vec![],
        };
        let (named, rest) = lines.on_fields(fields);
        assert_eq!(named[0].field, "name");
        assert!(rest.unwrap().to_string().contains("something else"));
        let unnamed = ApiError::BadRequest {
            message: "nope".into(),
            fields: vec![],
        };
        assert!(matches!(unnamed.on_fields(fields), (n, Some(_)) if n.is_empty()));
        let unnamed = ApiError::Conflict {
            message: "x".into(),
            fields: vec![],
        };
        assert!(matches!(
            unnamed.on_fields(fields),
            (n, Some(ApiError::Conflict { .. })) if n.is_empty()
        ));
        let named = ApiError::Conflict {
            message: "The following fields conflict with an existing account".into(),
            fields: vec!["email".into()],
        };
        let (on, rest) = named.on_fields(fields);
        assert_eq!(rest, None);
        assert_eq!(on[0].field, "email");
        assert_eq!(
            on[0].message,
            "Another user already has this email address."
        );
    }

    #[test]
    fn a_402_says_how_much_storage_is_missing_where_the_region_says_it() {
        let e = ApiError::from_response(&resp(
            402,
            r#"{"reason": "Not enough storage", "bytes_requested": 3000000000, "bytes_available": 1000000000}"#,
        ));
        assert!(matches!(
            e,
            ApiError::NoStorage {
                short_by: Some(2_000_000_000),
                ..
            }
        ));
        assert!(e.to_string().contains("2.0 GB more is needed"), "{e}");
        let (on, rest) = e.clone().on_fields(&["name", "plan_id"]);
        assert_eq!((on[0].field, rest), ("plan_id", None));
        let bare = ApiError::from_response(&resp(402, ""));
        assert!(matches!(bare, ApiError::NoStorage { short_by: None, .. }));
        assert!(bare.to_string().contains("not enough storage"));
    }

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("retry-after".into(), "7".into())],
            body: body.into(),
        }
    }

    #[test]
    fn maps_statuses_and_bodies() {
        let e = ApiError::from_response(&resp(
            401,
            "User authentication error: Username or password is incorrect.",
        ));
        assert!(e.needs_sign_in());
        assert!(e.to_string().contains("Username or password is incorrect"));

        let e = ApiError::from_response(&resp(
            400,
            r#"{"reason": "invalid settings", "conflicts": ["share_link_ttl"]}"#,
        ));
        assert_eq!(
            e,
            ApiError::BadRequest {
                message: "invalid settings".into(),
                fields: vec!["share_link_ttl".into()]
            }
        );
        assert_eq!(
            ApiError::from_response(&resp(503, "")),
            ApiError::Unavailable {
                status: 503,
                retry_after: Some(7)
            }
        );
        let e = ApiError::from_response(&resp(404, "<html>nope</html>"));
        assert!(e.to_string().contains("no such account"));
        // An XML error body the portal cannot map is said by its whole text.
        let e = ApiError::from_response(&resp(
            400,
            "<error><code>E_POLICY</code><message>Password &amp; login rules: see policy</message></error>",
        ));
        assert_eq!(
            e,
            ApiError::BadRequest {
                message: "E_POLICY Password & login rules: see policy".into(),
                fields: vec![]
            }
        );
        assert!(!ApiError::from_response(&resp(403, "")).is_retryable());
        let declined = ApiError::CardDeclined {
            code: "05".into(),
            reason: "Do not honor".into(),
        };
        assert_eq!(
            declined.to_string(),
            "The card issuer declined the payment: do not honor. Try another card or call your bank."
        );
        let unknown = ApiError::CardDeclined {
            code: "77".into(),
            reason: "Odd".into(),
        };
        assert!(unknown.to_string().contains("Odd (code 77)"));
    }
}
