//! Generating credentials and idempotency keys from randomness the caller supplies (the
//! portal passes the browser's `crypto.getRandomValues`): this crate has no random source
//! of its own, so it stays sans-IO and testable.

/// Characters that cannot be mistaken for one another when read or typed: no `0/O`, `1/l/I`,
/// no quotes, backslashes or spaces.
pub const UNAMBIGUOUS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789!#%+-=?@_";

/// The length of a generated password.
pub const PASSWORD_LENGTH: usize = 28;

/// A password of `length` characters from [`UNAMBIGUOUS`], using one random byte per
/// character by rejection sampling (no modulo bias). Returns `None` when `random` runs out
/// before the password is complete; pass at least `2 * length` bytes.
pub fn password(random: &[u8], length: usize) -> Option<String> {
    let n = UNAMBIGUOUS.len();
    // The largest multiple of n below 256: bytes at or above it are thrown away.
    let limit = 256 - 256 % n;
    let mut out = String::with_capacity(length);
    for &b in random {
        if out.len() == length {
            break;
        }
        if (b as usize) < limit {
            out.push(UNAMBIGUOUS[b as usize % n] as char);
        }
    }
    (out.len() == length).then_some(out)
}

/// An `external_id` for a create, from 16 random bytes: `pp-` and 32 hex digits.
pub fn external_id(random: &[u8; 16]) -> String {
    let mut out = String::from("pp-");
    for b in random {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_use_only_unambiguous_characters_and_the_whole_length() {
        let random: Vec<u8> = (0..=255u8).cycle().take(200).collect();
        let p = password(&random, PASSWORD_LENGTH).unwrap();
        assert_eq!(p.len(), PASSWORD_LENGTH);
        assert!(p.bytes().all(|b| UNAMBIGUOUS.contains(&b)));
        for bad in ['0', 'O', '1', 'l', 'I', '"', '\'', '\\', ' '] {
            assert!(!UNAMBIGUOUS.contains(&(bad as u8)), "{bad}");
        }
        assert_eq!(password(&[1, 2, 3], PASSWORD_LENGTH), None);
        // Bytes in the biased tail are skipped, not folded.
        let limit = (256 - 256 % UNAMBIGUOUS.len()) as u8;
        assert_eq!(password(&[limit, 255, 0], 1).as_deref(), Some("A"));
    }

    #[test]
    fn external_ids_are_hex() {
        assert_eq!(external_id(&[0xab; 16]), format!("pp-{}", "ab".repeat(16)));
    }
}
