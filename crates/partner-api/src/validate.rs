//! Validation shared by the portal (before anything is sent) and the sandbox (what a region
//! refuses with a 400). Every failure is a sentence a person can act on.
//!
//! Nothing here reads a clock: checks that depend on today take it as an argument.

use crate::countries::COUNTRIES;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An email address as accounts and logins use it: `local@domain.tld`, no spaces, at most
/// 254 characters. Returns it trimmed.
pub fn email(text: &str) -> Result<String, String> {
    let t = text.trim();
    let fail = || {
        Err(format!(
            "“{t}” is not an email address: use the form name@example.com."
        ))
    };
    if t.is_empty() {
        return Err("Enter an email address.".into());
    }
    if t.len() > 254 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail();
    }
    let Some((local, domain)) = t.rsplit_once('@') else {
        return fail();
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
        return fail();
    }
    Ok(t.to_owned())
}

/// An ISO 3166-1 alpha-2 country code, in any case; returns it in upper case.
pub fn country(text: &str) -> Result<&'static str, String> {
    let t = text.trim();
    COUNTRIES
        .iter()
        .find(|(code, _)| code.eq_ignore_ascii_case(t))
        .map(|(code, _)| *code)
        .ok_or_else(|| {
            format!("“{t}” is not a country code: use the two-letter ISO 3166 code, like DK or US.")
        })
}

/// The English name of an ISO 3166-1 alpha-2 code.
pub fn country_name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code.trim()))
        .map(|(_, name)| *name)
}

/// An RFC 1766 language tag: a primary tag of 1 to 8 letters, then subtags of 1 to 8 letters
/// or digits separated by `-` (`en`, `en-GB`, `de-CH-1996`).
pub fn language_tag(text: &str) -> Result<String, String> {
    let t = text.trim();
    let mut parts = t.split('-');
    let primary = parts.next().unwrap_or_default();
    let ok = (1..=8).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if ok {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "“{t}” is not a language tag: use a code like en, en-GB or de-CH."
        ))
    }
}

/// Card brands the portal recognises from the number's first digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardBrand {
    Visa,
    Mastercard,
    Amex,
    Discover,
    Jcb,
    Diners,
    Unknown,
}

impl CardBrand {
    /// The brand a (partial) number belongs to, as soon as its first digits tell.
    pub fn detect(digits: &str) -> CardBrand {
        let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
        match (prefix(1), prefix(2), prefix(3), prefix(4), prefix(6)) {
            (Some(4), ..) => CardBrand::Visa,
            (_, Some(34 | 37), ..) => CardBrand::Amex,
            (_, Some(51..=55), ..) => CardBrand::Mastercard,
            (_, _, _, Some(2221..=2720), _) => CardBrand::Mastercard,
            (_, _, _, Some(6011), _) | (_, Some(65), ..) => CardBrand::Discover,
            (_, _, Some(644..=649), ..) => CardBrand::Discover,
            (_, _, _, _, Some(622126..=622925)) => CardBrand::Discover,
            (_, _, _, Some(3528..=3589), _) => CardBrand::Jcb,
            (_, Some(36 | 38 | 39), ..) | (_, _, Some(300..=305), ..) => CardBrand::Diners,
            _ => CardBrand::Unknown,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CardBrand::Visa => "Visa",
            CardBrand::Mastercard => "Mastercard",
            CardBrand::Amex => "American Express",
            CardBrand::Discover => "Discover",
            CardBrand::Jcb => "JCB",
            CardBrand::Diners => "Diners Club",
            CardBrand::Unknown => "Card",
        }
    }

    /// The lengths a number of this brand may have.
    pub fn lengths(self) -> &'static [usize] {
        match self {
            CardBrand::Visa => &[13, 16, 19],
            CardBrand::Mastercard => &[16],
            CardBrand::Amex => &[15],
            CardBrand::Discover | CardBrand::Jcb => &[16, 17, 18, 19],
            CardBrand::Diners => &[14, 15, 16, 17, 18, 19],
            CardBrand::Unknown => &[12, 13, 14, 15, 16, 17, 18, 19],
        }
    }

    /// How many digits the security code has.
    pub fn security_code_length(self) -> usize {
        if self == CardBrand::Amex {
            4
        } else {
            3
        }
    }

    /// Where a number of this brand is spaced for reading: Amex 4-6-5, others in fours.
    pub fn groups(self) -> &'static [usize] {
        if self == CardBrand::Amex {
            &[4, 6, 5]
        } else {
            &[4, 4, 4, 4, 3]
        }
    }
}

/// Whether the digits pass the Luhn check.
pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return false;
        }
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    !digits.is_empty() && sum % 10 == 0
}

/// A card number as typed (spaces and dashes allowed): returns the digits and the brand.
pub fn card_number(text: &str) -> Result<(String, CardBrand), String> {
    let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.is_empty() {
        return Err("Enter the card number.".into());
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("A card number has digits only (spaces are fine).".into());
    }
    let brand = CardBrand::detect(&digits);
    if !brand.lengths().contains(&digits.len()) {
        let lengths = brand
            .lengths()
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(" or ");
        return Err(format!(
            "{} numbers have {lengths} digits; this one has {}.",
            brand.label(),
            digits.len()
        ));
    }
    if !luhn(&digits) {
        return Err("This card number is not valid: check it for a mistyped digit.".into());
    }
    Ok((digits, brand))
}

/// Spaces a (partial) card number for reading as it is typed: `4111 1111 1111 1111`.
pub fn card_display(text: &str) -> String {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let brand = CardBrand::detect(&digits);
    let mut out = String::with_capacity(digits.len() + 4);
    let mut rest = digits.as_str();
    for &g in brand.groups() {
        if rest.is_empty() {
            break;
        }
        let (head, tail) = rest.split_at(g.min(rest.len()));
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(head);
        rest = tail;
    }
    if !rest.is_empty() {
        out.push(' ');
        out.push_str(rest);
    }
    out
}

/// A security code for `brand`: 3 digits, 4 for American Express.
pub fn security_code(text: &str, brand: CardBrand) -> Result<String, String> {
    let t = text.trim();
    let n = brand.security_code_length();
    if t.len() == n && t.bytes().all(|b| b.is_ascii_digit()) {
        Ok(t.to_owned())
    } else {
        Err(format!(
            "The security code of a {} card has {n} digits.",
            brand.label()
        ))
    }
}

/// An expiry month and year that is not in the past, given today's year and month.
pub fn expiry(month: i64, year: i64, today: (i32, u32)) -> Result<(u32, u32), String> {
    if !(1..=12).contains(&month) {
        return Err("The expiration month is a number from 1 to 12.".into());
    }
    let year = if (0..100).contains(&year) {
        2000 + year
    } else {
        year
    };
    if !(2000..=2100).contains(&year) {
        return Err("Enter the expiration year with four digits, like 2028.".into());
    }
    let (ty, tm) = (i64::from(today.0), i64::from(today.1));
    if year < ty || (year == ty && month < tm) {
        return Err(format!(
            "This card expired in {month:02}/{year}: use a card that is still valid."
        ));
    }
    Ok((month as u32, year as u32))
}

/// An IPv4 or IPv6 netblock in CIDR form (`192.0.2.0/24`, `2001:db8::/32`). Returns it in
/// canonical form. Host bits must be zero, and the message offers the block that was meant.
pub fn cidr(text: &str) -> Result<String, String> {
    let t = text.trim();
    let bad =
        || format!("“{t}” is not a netblock: use CIDR form, like 192.0.2.0/24 or 2001:db8::/32.");
    let (addr, prefix) = t.split_once('/').ok_or_else(bad)?;
    let addr: IpAddr = addr.parse().map_err(|_| bad())?;
    let prefix: u8 = prefix.parse().map_err(|_| bad())?;
    let (bits, max) = match addr {
        IpAddr::V4(a) => (u128::from(u32::from(a)) << 96, 32u8),
        IpAddr::V6(a) => (u128::from(a), 128u8),
    };
    if prefix > max {
        return Err(format!(
            "“{t}”: the prefix length of an IPv{} block is at most {max}.",
            if max == 32 { 4 } else { 6 }
        ));
    }
    // IPv4 sits in the top 32 bits, so for both families the prefix covers the top bits.
    let mask: u128 = if prefix == 0 {
        0
    } else {
        !0u128 << (128 - u32::from(prefix))
    };
    let network = bits & mask;
    let canonical_addr = match addr {
        IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::from((network >> 96) as u32)),
        IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::from(network)),
    };
    if network != bits {
        return Err(format!(
            "“{t}” has host bits set: the block is {canonical_addr}/{prefix}."
        ));
    }
    Ok(format!("{canonical_addr}/{prefix}"))
}

/// An absolute http or https URL with a host.
pub fn url(text: &str) -> Result<String, String> {
    let t = text.trim();
    let bad = || format!("“{t}” is not a web address: use the form https://host/path.");
    let (scheme, rest) = t.split_once("://").ok_or_else(bad)?;
    if !matches!(scheme, "http" | "https") {
        return Err(bad());
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || t.chars().any(char::is_whitespace) {
        return Err(bad());
    }
    Ok(t.to_owned())
}

/// A whole number that is zero or more.
pub fn non_negative(value: i64, what: &str) -> Result<u64, String> {
    u64::try_from(value).map_err(|_| format!("{what} cannot be negative."))
}

/// The shortest password a person may choose.
pub const MIN_PASSWORD_LENGTH: usize = 8;

/// A password a person chose (for a login, or the API password).
pub fn password(text: &str) -> Result<(), String> {
    if text.chars().count() < MIN_PASSWORD_LENGTH {
        Err(format!(
            "A password has at least {MIN_PASSWORD_LENGTH} characters."
        ))
    } else {
        Ok(())
    }
}

/// How strong a new password looks, said as the partner types it. A hint, not a rule: only
/// [`password`] refuses.
pub fn password_strength(text: &str) -> String {
    let classes = [
        text.chars().any(|c| c.is_ascii_lowercase()),
        text.chars().any(|c| c.is_ascii_uppercase()),
        text.chars().any(|c| c.is_ascii_digit()),
        text.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|b| **b)
    .count();
    match (text.chars().count(), classes) {
        (0, _) => String::new(),
        (n, _) if n < MIN_PASSWORD_LENGTH => {
            format!("Too short: at least {MIN_PASSWORD_LENGTH} characters.")
        }
        (n, c) if n >= 16 && c >= 3 => "Strong.".into(),
        (n, c) if n >= 12 && c >= 2 => "Fair: longer is stronger.".into(),
        _ => "Weak: use more characters and mix letters, digits and symbols.".into(),
    }
}

/// Reads a whole number typed into a field.
pub fn whole_number(text: &str, what: &str) -> Result<i64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("{what} must be a whole number."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_strength_hints_follow_the_rule() {
        assert_eq!(password_strength(""), "");
        let short = password_strength("short");
        assert!(short.starts_with("Too short"));
        assert!(short.contains(&MIN_PASSWORD_LENGTH.to_string()));
        // Long enough for the rule is never "too short".
        assert!(password(&"a".repeat(MIN_PASSWORD_LENGTH)).is_ok());
        assert!(password_strength(&"a".repeat(MIN_PASSWORD_LENGTH)).starts_with("Weak"));
        assert!(password_strength("correct-Horse-9-battery").starts_with("Strong"));
        assert!(password_strength("abcdefgh1234").starts_with("Fair"));
    }

    #[test]
    fn emails() {
        for ok in ["a@b.example", " Ann.Berg+x@mail.b-c.example ", "ø@æ.dk"] {
            assert!(email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "a@.b",
            "a b@c.example",
            "@c.example",
            "a@b..c",
            "a@-b.c",
        ] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert_eq!(email("").unwrap_err(), "Enter an email address.");
    }

    #[test]
    fn countries_and_languages() {
        assert_eq!(country("dk"), Ok("DK"));
        assert_eq!(country_name("gb"), Some("United Kingdom"));
        assert!(country("XX").unwrap_err().contains("two-letter ISO 3166"));
        assert!(country("DNK").is_err());
        assert_eq!(COUNTRIES.len(), 249);
        for ok in ["en", "en-GB", "de-CH-1996", "i-klingon", "x-private"] {
            assert!(language_tag(ok).is_ok(), "{ok}");
        }
        for bad in ["", "e n", "en_GB", "toolongtag", "en--GB", "en-", "1en"] {
            assert!(language_tag(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cards() {
        for (n, brand) in [
            ("4111 1111 1111 1111", CardBrand::Visa),
            ("5555-5555-5555-4444", CardBrand::Mastercard),
            ("378282246310005", CardBrand::Amex),
            ("6011111111111117", CardBrand::Discover),
            ("3530111333300000", CardBrand::Jcb),
            ("2223003122003222", CardBrand::Mastercard),
        ] {
            assert_eq!(card_number(n).map(|(_, b)| b), Ok(brand), "{n}");
        }
        assert!(card_number("4111111111111112")
            .unwrap_err()
            .contains("mistyped"));
        assert!(card_number("37828224631000")
            .unwrap_err()
            .contains("American Express numbers have 15"));
        assert!(card_number("4111x").unwrap_err().contains("digits only"));
        assert_eq!(card_number("").unwrap_err(), "Enter the card number.");
        assert_eq!(card_display("378282246310005"), "3782 822463 10005");
        assert_eq!(card_display("41111111"), "4111 1111");
        assert_eq!(
            card_display("4111111111111111999"),
            "4111 1111 1111 1111 999"
        );
        assert_eq!(security_code("1234", CardBrand::Amex), Ok("1234".into()));
        assert!(security_code("123", CardBrand::Amex)
            .unwrap_err()
            .contains("4 digits"));
        assert!(security_code("12a", CardBrand::Visa).is_err());
    }

    #[test]
    fn expiry_dates() {
        let today = (2026, 11);
        assert_eq!(expiry(11, 2026, today), Ok((11, 2026)));
        assert_eq!(expiry(1, 27, today), Ok((1, 2027)));
        assert!(expiry(10, 2026, today)
            .unwrap_err()
            .contains("expired in 10/2026"));
        assert!(expiry(13, 2030, today).unwrap_err().contains("1 to 12"));
        assert!(expiry(1, 123, today).unwrap_err().contains("four digits"));
    }

    #[test]
    fn netblocks() {
        assert_eq!(cidr("192.0.2.0/24"), Ok("192.0.2.0/24".into()));
        assert_eq!(cidr(" 10.0.0.0/8 "), Ok("10.0.0.0/8".into()));
        assert_eq!(cidr("0.0.0.0/0"), Ok("0.0.0.0/0".into()));
        assert_eq!(cidr("203.0.113.7/32"), Ok("203.0.113.7/32".into()));
        assert_eq!(cidr("2001:DB8::/32"), Ok("2001:db8::/32".into()));
        assert_eq!(cidr("::/0"), Ok("::/0".into()));
        assert_eq!(cidr("2001:db8::1/128"), Ok("2001:db8::1/128".into()));
        assert!(cidr("10.0.0.1/8")
            .unwrap_err()
            .contains("the block is 10.0.0.0/8"));
        assert!(cidr("2001:db8::1/32")
            .unwrap_err()
            .contains("2001:db8::/32"));
        assert!(cidr("10.0.0.0/33").unwrap_err().contains("at most 32"));
        for bad in [
            "",
            "10.0.0.0",
            "10.0.0/8",
            "x/8",
            "10.0.0.0/-1",
            "10.0.0.0/8/1",
        ] {
            assert!(cidr(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls_and_numbers() {
        assert!(url("https://omva.example/x?y").is_ok());
        for bad in ["", "omva.example", "ftp://x", "https://", "https://a b"] {
            assert!(url(bad).is_err(), "{bad}");
        }
        assert_eq!(non_negative(5, "Share link lifetime"), Ok(5));
        assert_eq!(
            non_negative(-1, "Share link lifetime").unwrap_err(),
            "Share link lifetime cannot be negative."
        );
        assert!(whole_number("1.5", "Days")
            .unwrap_err()
            .contains("whole number"));
    }
}
