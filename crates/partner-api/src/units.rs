//! Quantities in words, the same on every page and in the core's own sentences.

/// Bytes in decimal units, to a tenth: "1.5 TB", "999 bytes". Integer arithmetic only, so
/// the wasm bundle carries no float formatting.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["bytes", "KB", "MB", "GB", "TB", "PB"];
    let mut unit = 1u64;
    let mut u = 0;
    while n / unit >= 1000 && u < UNITS.len() - 1 {
        unit *= 1000;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        let tenths = (u128::from(n) * 10 + u128::from(unit) / 2) / u128::from(unit);
        format!("{}.{} {}", tenths / 10, tenths % 10, UNITS[u])
    }
}

/// (year, month, day) of a count of days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An ISO-8601 UTC timestamp for seconds since 1970, as CSV exports write times.
pub fn iso(unix: i64) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    let s = unix.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_seconds_as_iso() {
        assert_eq!(super::iso(0), "1970-01-01T00:00:00Z");
        assert_eq!(super::iso(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(super::iso(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn bytes_in_words() {
        assert_eq!(super::bytes(999), "999 bytes");
        assert_eq!(super::bytes(1_500_000_000_000), "1.5 TB");
        assert_eq!(super::bytes(u64::MAX), "18446.7 PB");
    }
}
