//! When a transport may send a call again, and after how long. Pure: the caller passes the
//! attempt number, what came back and a random number for the jitter.

use crate::error::ApiError;
use crate::wire::request::{Request, Response};

/// How many times a call is sent at most (the first time included).
pub const MAX_ATTEMPTS: u32 = 3;
/// The first wait, doubled after each attempt.
pub const BASE_DELAY_MS: u32 = 300;
/// No wait is longer than this, whatever `Retry-After` says.
pub const MAX_DELAY_MS: u32 = 8_000;

/// Statuses that say "try again later".
pub fn is_transient(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

/// Whether attempt number `attempt` (1-based) of `request`, which ended in `outcome`, may be
/// sent again: only calls that cannot do harm twice (GET, whole replacements), only after a
/// passing failure, and only while attempts are left. A create is never sent again here;
/// the create flow looks in the parent's listing instead (`accounts::once`).
pub fn should_retry(request: &Request, attempt: u32, outcome: &Result<Response, ApiError>) -> bool {
    if !request.idempotent || attempt >= MAX_ATTEMPTS {
        return false;
    }
    match outcome {
        Ok(r) => is_transient(r.status),
        Err(ApiError::Network(_) | ApiError::Timeout(_)) => true,
        Err(_) => false,
    }
}

/// The wait before attempt `attempt + 1`: the server's `Retry-After` when it sent one,
/// else exponential backoff with full jitter (`random` in 0..1), capped.
pub fn delay_ms(attempt: u32, outcome: &Result<Response, ApiError>, random: f64) -> u32 {
    let retry_after = match outcome {
        Ok(r) => r
            .header("retry-after")
            .and_then(|v| v.trim().parse::<u32>().ok()),
        Err(_) => None,
    };
    if let Some(seconds) = retry_after {
        return seconds.saturating_mul(1000).min(MAX_DELAY_MS);
    }
    let ceiling = BASE_DELAY_MS
        .saturating_mul(1 << attempt.saturating_sub(1).min(10))
        .min(MAX_DELAY_MS);
    // Full jitter, but never less than half the step, so a retry is never instant.
    let r = random.clamp(0.0, 1.0);
    (f64::from(ceiling) * (0.5 + 0.5 * r)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::request::{Family, Method};

    fn get() -> Request {
        Request::get(Family::Accounts, "/users/".into())
    }

    fn status(n: u16, retry_after: Option<&str>) -> Result<Response, ApiError> {
        Ok(Response {
            status: n,
            headers: retry_after
                .map(|v| vec![("retry-after".to_string(), v.to_string())])
                .unwrap_or_default(),
            body: String::new(),
        })
    }

    #[test]
    fn only_safe_calls_after_passing_failures_while_attempts_last() {
        for s in [408, 429, 502, 503, 504] {
            assert!(should_retry(&get(), 1, &status(s, None)), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 409, 500] {
            assert!(!should_retry(&get(), 1, &status(s, None)), "{s}");
        }
        assert!(should_retry(&get(), 2, &Err(ApiError::Network("x".into()))));
        assert!(should_retry(&get(), 1, &Err(ApiError::Timeout(5))));
        assert!(!should_retry(
            &get(),
            1,
            &Err(ApiError::Forbidden("x".into()))
        ));
        assert!(!should_retry(&get(), MAX_ATTEMPTS, &status(503, None)));
        let post = Request {
            method: Method::Post,
            idempotent: false,
            ..get()
        };
        assert!(!should_retry(&post, 1, &status(503, None)));
    }

    #[test]
    fn waits_grow_honour_retry_after_and_stay_capped() {
        let e = Err(ApiError::Network("x".into()));
        assert_eq!(delay_ms(1, &e, 1.0), 300);
        assert_eq!(delay_ms(1, &e, 0.0), 150);
        assert_eq!(delay_ms(2, &e, 1.0), 600);
        assert_eq!(delay_ms(30, &e, 1.0), MAX_DELAY_MS);
        assert_eq!(delay_ms(1, &status(429, Some("2")), 0.3), 2000);
        assert_eq!(delay_ms(1, &status(429, Some("3600")), 0.3), MAX_DELAY_MS);
    }
}
