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

#[cfg(test)]
mod tests {
    #[test]
    fn bytes_in_words() {
        assert_eq!(super::bytes(999), "999 bytes");
        assert_eq!(super::bytes(1_500_000_000_000), "1.5 TB");
        assert_eq!(super::bytes(u64::MAX), "18446.7 PB");
    }
}
