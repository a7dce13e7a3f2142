//! Passwords at rest and generated secrets. A password is kept only as a salted SHA-256
//! ([`PasswordHash`]) and a presented one is compared with it in constant time. Generated
//! passwords, key names and salts come from the operating system's random source
//! (`getrandom`), never from the seeded generator that makes the demo tree.
//!
//! One SHA-256 and not a slow hash such as PBKDF2: every call of the API carries its
//! credentials (HTTP Basic), so a slow hash would be paid on every request. The passwords
//! this sandbox keeps are the demo's (`demo`, published) and generated ones (32 random
//! characters, past any brute force); the salt keeps equal passwords from looking equal in
//! the state file.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// A password as it is stored: a random salt and SHA-256(salt || password), both in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordHash {
    pub salt: String,
    pub sha256: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(salt: &str, password: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update([0]);
    h.update(password.as_bytes());
    h.finalize().into()
}

/// Whether `a` and `b` are equal, taking the same time wherever they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= std::hint::black_box(x ^ y);
    }
    std::hint::black_box(diff) == 0
}

/// A salt no other record has: 16 bytes from the OS once per process, and a counter mixed
/// into the last eight, so that hashing the 100,000 logins of a large seed costs no system
/// call per login.
fn salt() -> String {
    static BASE: OnceLock<[u8; 16]> = OnceLock::new();
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let mut s = *BASE.get_or_init(|| {
        let mut b = [0u8; 16];
        random_bytes(&mut b);
        b
    });
    let n = COUNT.fetch_add(1, Ordering::Relaxed).to_le_bytes();
    for (b, n) in s[8..].iter_mut().zip(n) {
        *b ^= n;
    }
    hex(&s)
}

impl PasswordHash {
    /// Hashes `password` with a fresh salt.
    pub fn new(password: &str) -> Self {
        let salt = salt();
        let sha256 = hex(&digest(&salt, password));
        PasswordHash { salt, sha256 }
    }

    /// Hashes `password`, or `None` for an empty one (a record that signs nothing in).
    pub fn of(password: &str) -> Option<Self> {
        (!password.is_empty()).then(|| PasswordHash::new(password))
    }

    /// Whether `password` is the one hashed, compared in constant time.
    pub fn verify(&self, password: &str) -> bool {
        let presented = hex(&digest(&self.salt, password));
        constant_time_eq(presented.as_bytes(), self.sha256.as_bytes())
    }
}

/// What a user or key signs in with, as stored: its password's hash, or nothing (a listed
/// sign-in session, which signs nothing in). Made from the password typed (`"demo".into()`),
/// which is hashed at once and never kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Password(pub Option<PasswordHash>);

impl Password {
    /// Whether `password` signs in: never for a record without one.
    pub fn verify(&self, password: &str) -> bool {
        self.0.as_ref().is_some_and(|h| h.verify(password))
    }

    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }
}

impl From<&str> for Password {
    fn from(password: &str) -> Self {
        Password(PasswordHash::of(password))
    }
}

impl From<String> for Password {
    fn from(password: String) -> Self {
        Password::from(password.as_str())
    }
}

impl From<&String> for Password {
    fn from(password: &String) -> Self {
        Password::from(password.as_str())
    }
}

/// Fills `buf` from the operating system's random source. Without one the sandbox cannot
/// make secrets, so it stops rather than make guessable ones.
pub fn random_bytes(buf: &mut [u8]) {
    getrandom::fill(buf).expect("the operating system's random source is available");
}

/// `len` characters from `alphabet`, from the OS's random source, by rejection sampling (no
/// modulo bias).
pub fn random_text(len: usize, alphabet: &[u8]) -> String {
    assert!(!alphabet.is_empty() && alphabet.len() <= 256);
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        random_bytes(&mut buf);
        for &b in &buf {
            if out.len() == len {
                break;
            }
            if (b as usize) < limit {
                out.push(alphabet[b as usize % alphabet.len()] as char);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only_and_salts_differ() {
        let a = PasswordHash::new("demo");
        let b = PasswordHash::new("demo");
        assert!(a.verify("demo"));
        assert!(!a.verify("demo "));
        assert!(!a.verify(""));
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.sha256, b.sha256, "equal passwords do not look equal");
        assert!(!a.sha256.contains("demo") && a.sha256.len() == 64);
        assert_eq!(PasswordHash::of(""), None);
    }

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn random_text_uses_the_alphabet() {
        let t = random_text(500, b"ab");
        assert_eq!(t.len(), 500);
        assert!(t.contains('a') && t.contains('b') && t.chars().all(|c| c == 'a' || c == 'b'));
        assert_ne!(
            random_text(32, b"0123456789"),
            random_text(32, b"0123456789")
        );
    }
}
