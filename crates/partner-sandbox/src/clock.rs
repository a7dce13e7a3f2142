//! UTC dates for the sandbox without a date crate: ISO-8601 timestamps and today's month.

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since 1970-01-01 UTC.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub use partner_api::units::{civil_from_days, iso};

pub fn now_iso() -> String {
    iso(unix_now())
}

/// Today's (year, month), for card expiry checks.
pub fn today() -> (i32, u32) {
    let (y, m, _) = civil_from_days(unix_now().div_euclid(86_400));
    (y as i32, m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso(1_795_000_000), "2026-11-18T11:06:40Z");
        assert!(today().0 >= 2026);
    }
}
