//! `/users/{id}/tokens/`: an account's users (a person's login) and API keys.

use super::{accounts_get, opt_bool, opt_string, root, text, XML};
use crate::call::{decode_with, expect_success, write, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems, Secret};
use crate::ids::AccountId;
use crate::roles::{AccountKind, Role};
use crate::wire::request::{accounts_accept, encode_component, Family, Method, Request, Response};
use crate::wire::xml::{self, XmlWriter};
use crate::wire::DecodeError;

/// `GET /users/{id}/tokens/`: the account's users and API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTokens(pub AccountId);

impl Call for ListTokens {
    type Output = TokenList;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/tokens/", self.0))
    }
    fn decode(&self, r: &Response) -> Result<TokenList, ApiError> {
        decode_with(r, TokenList::from_xml)
    }
}

/// `POST /users/{id}/tokens/`: add a person's login or an API key. Answers the credentials,
/// shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateToken {
    pub account: AccountId,
    pub token: TokenCreate,
}

impl Call for CreateToken {
    type Output = NewCredentials;
    fn request(&self) -> Request {
        let mut request = write(
            Family::Accounts,
            Method::Post,
            format!("/users/{}/tokens/", self.account),
            XML,
            self.token.to_xml(),
            false,
        );
        // The documented example that generates credentials asks for v1 and gets them back;
        // without it a region may create the key and not say its password.
        request.headers.push(("Accept", accounts_accept(1)));
        request
    }
    fn decode(&self, r: &Response) -> Result<NewCredentials, ApiError> {
        expect_success(r)?;
        match NewCredentials::from_xml(&r.body) {
            Ok(c) => Ok(c),
            // A region that answers an empty 201 to chosen credentials: they are what was sent.
            Err(e) => match &self.token.secret {
                TokenSecret::Chosen { name, password } if r.body.trim().is_empty() => {
                    Ok(NewCredentials {
                        name: name.clone(),
                        password: password.clone(),
                    })
                }
                _ => Err(ApiError::Malformed(e)),
            },
        }
    }
}

/// `PUT /users/{id}/tokens/{aname}` with a `<token_update>`: a user's or key's role changed
/// (keepit.com/help/api-category/change-token-permissions-and-other-details; the region
/// answers 200 with a sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateToken {
    pub account: AccountId,
    pub name: String,
    pub role: Role,
}

impl Call for UpdateToken {
    type Output = ();
    fn request(&self) -> Request {
        let mut w = XmlWriter::new();
        w.open("token_update")
            .text("acl", self.role.as_str())
            .close();
        write(
            Family::Accounts,
            Method::Put,
            format!(
                "/users/{}/tokens/{}",
                self.account,
                encode_component(&self.name)
            ),
            XML,
            w.finish(),
            // The same role twice is the same state.
            true,
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

impl UpdateToken {
    /// Every problem, each on its field: a role must be chosen.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if self.role.as_str().trim().is_empty() {
            p.check::<()>("acl", Err("Choose a role.".into()));
        }
        p.0
    }

    /// The role a `<token_update>` body asks for (`None`: it changes no role; every element
    /// of the document is optional).
    pub fn role_from_xml(body: &str) -> Result<Option<Role>, DecodeError> {
        let e = root(body, "token_update", "a <token_update> document")?;
        Ok(e.child_text("acl").map(Role::parse))
    }
}

/// `HEAD /users/{id}/tokens?aname=NAME`: whether a user's or key's name is still free in
/// the region, asked before creating one (Keepit's PowerShell tools, `New-KeepitUser`:
/// 202 free, 409 taken). Answers `true` when the name is free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeTokenName {
    pub account: AccountId,
    pub name: String,
}

impl Call for ProbeTokenName {
    type Output = bool;
    fn request(&self) -> Request {
        let mut r = Request {
            method: Method::Head,
            ..accounts_get(format!("/users/{}/tokens", self.account))
        };
        r.query = vec![("aname".into(), self.name.clone())];
        r
    }
    fn decode(&self, r: &Response) -> Result<bool, ApiError> {
        match r.status {
            202 => Ok(true),
            409 => Ok(false),
            _ => expect_success(r).and(Err(ApiError::Malformed(DecodeError {
                expected: "202 (the name is free) or 409 (it is taken)",
                detail: format!("the region answered {}", r.status),
            }))),
        }
    }
}

/// `DELETE /users/{id}/tokens/{aname}`: remove a user or key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteToken {
    pub account: AccountId,
    pub name: String,
}

impl Call for DeleteToken {
    type Output = ();
    fn request(&self) -> Request {
        Request {
            method: Method::Delete,
            idempotent: false,
            ..accounts_get(format!(
                "/users/{}/tokens/{}",
                self.account,
                encode_component(&self.name)
            ))
        }
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        expect_success(r)
    }
}

/// A user (a person's login, `primary = true`) or an API key on an account.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    pub name: String,
    pub description: Option<String>,
    pub created: Option<String>,
    pub primary: bool,
    pub role: Role,
    pub eacl: Option<String>,
    pub lifetime: Option<String>,
    pub expires: Option<String>,
    pub last_use: Option<String>,
    /// For a secondary token, the login it belongs to (Keepit lists sign-in sessions and API
    /// keys alike as secondary tokens with their `primary_aname`).
    #[serde(default)]
    pub primary_aname: Option<String>,
}

/// What is known of a token's kind from what the region says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind<'a> {
    /// A person's login (`primary = true`).
    Person,
    /// A secondary token: a sign-in session or an API key (the region does not say which),
    /// of the login named, when the region names it.
    Secondary { of: Option<&'a str> },
}

/// How long a token is valid, as the region says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Validity {
    /// A lifetime (an ISO 8601 period such as `PT48H`), in words where it reads.
    Lifetime(String),
    /// Until this timestamp.
    Until(String),
    /// Neither a lifetime nor an expiry: valid until removed.
    Unlimited,
}

impl Token {
    pub fn kind(&self) -> TokenKind<'_> {
        if self.primary {
            TokenKind::Person
        } else {
            TokenKind::Secondary {
                of: self.primary_aname.as_deref().filter(|a| !a.is_empty()),
            }
        }
    }

    /// The expiry when the region gives one, else the lifetime, else unlimited.
    pub fn validity(&self) -> Validity {
        match (&self.expires, &self.lifetime) {
            (Some(until), _) => Validity::Until(until.clone()),
            (None, Some(period)) => {
                Validity::Lifetime(period_words(period).unwrap_or_else(|| period.clone()))
            }
            (None, None) => Validity::Unlimited,
        }
    }
}

/// The units of an ISO 8601 period, in words and in seconds (a year counted as 365 days and
/// a month as 30: the calendar's own lengths vary, and a lifetime needs one figure).
const DATE_UNITS: [(char, &str, u64); 4] = [
    ('Y', "year", 365 * 86_400),
    ('M', "month", 30 * 86_400),
    ('W', "week", 7 * 86_400),
    ('D', "day", 86_400),
];
const TIME_UNITS: [(char, &str, u64); 3] = [
    ('H', "hour", 3_600),
    ('M', "minute", 60),
    ('S', "second", 1),
];

/// The parts of an ISO 8601 period (`P1Y2M3W4DT5H6M7S`): each count with its unit's name
/// and length in seconds. `None` for what is not such a period, or a count past `u64`.
fn period_parts(period: &str) -> Option<Vec<(u64, &'static str, u64)>> {
    let rest = period.trim().strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut parts = Vec::new();
    let mut read = |text: &str, units: &[(char, &'static str, u64)]| -> Option<()> {
        let mut number = String::new();
        for c in text.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let (_, name, seconds) = units.iter().find(|(u, _, _)| *u == c)?;
            // Digits past u64 are a count too big for any sum: saturated, so that the
            // length overflows and is refused as too long, never wrapped.
            let n: u64 = match number.parse() {
                Ok(n) => n,
                Err(_) if !number.is_empty() => u64::MAX,
                Err(_) => return None,
            };
            number.clear();
            parts.push((n, *name, *seconds));
        }
        number.is_empty().then_some(())
    };
    read(date, &DATE_UNITS)?;
    if let Some(t) = time {
        read(t, &TIME_UNITS)?;
    }
    (!parts.is_empty()).then_some(parts)
}

/// An ISO 8601 period in words: `PT48H` is "48 hours", `P1Y` "1 year", `P1DT12H` "1 day
/// 12 hours". `None` for what is not such a period.
pub fn period_words(period: &str) -> Option<String> {
    let parts = period_parts(period)?;
    Some(
        parts
            .iter()
            .map(|(n, name, _)| format!("{n} {name}{}", if *n == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The longest lifetime a user or key may be given: 100 years.
pub const MAX_LIFETIME_SECONDS: u64 = 36_525 * 86_400;

/// An ISO 8601 period in seconds (a year as 365 days, a month as 30), with checked
/// arithmetic: `None` for what is not such a period and for one whose length does not fit
/// in a `u64` (`P99999999999999999999D`).
pub fn period_seconds(period: &str) -> Option<u64> {
    period_parts(period)?
        .iter()
        .try_fold(0u64, |sum, (n, _, unit)| {
            sum.checked_add(n.checked_mul(*unit)?)
        })
}

/// Why `lifetime` cannot be a token's lifetime, if it cannot: it must be an ISO 8601 period
/// of at most [`MAX_LIFETIME_SECONDS`] and more than nothing.
pub fn check_lifetime(lifetime: &str) -> Result<u64, String> {
    match period_seconds(lifetime) {
        None if period_parts(lifetime).is_some() => Err(format!(
            "“{lifetime}” is longer than a lifetime can be: at most 100 years (P36525D)."
        )),
        None => Err(format!(
            "“{lifetime}” is not an ISO-8601 period: use a form like P90D or P1Y."
        )),
        Some(0) => Err("A lifetime must be longer than nothing.".into()),
        Some(s) if s > MAX_LIFETIME_SECONDS => Err(format!(
            "“{lifetime}” is longer than a lifetime can be: at most 100 years (P36525D)."
        )),
        Some(s) => Ok(s),
    }
}

/// Seconds since 1970 of an ISO 8601 UTC timestamp as the regions write them
/// (`2026-11-24T09:30:00Z`, fractions and a `+hh:mm` offset read too); `None` otherwise.
pub fn timestamp_seconds(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, time) = t.split_once(['T', ' '])?;
    let mut d = date.splitn(3, '-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: i64 = d.next()?.parse().ok()?;
    let day: i64 = d.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (clock, offset) = if let Some(c) = time.strip_suffix('Z') {
        (c, 0)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (c, o) = time.split_at(i);
        let sign = if o.starts_with('-') { -1 } else { 1 };
        let (h, m) = o[1..].split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        if h > 23 || m > 59 {
            return None;
        }
        (c, sign * (h * 3_600 + m * 60))
    } else {
        return None;
    };
    let clock = clock.split_once('.').map_or(clock, |(whole, fraction)| {
        if fraction.chars().all(|c| c.is_ascii_digit()) {
            whole
        } else {
            ""
        }
    });
    let mut c = clock.splitn(3, ':');
    let h: i64 = c.next()?.parse().ok()?;
    let m: i64 = c.next()?.parse().ok()?;
    let s: i64 = c.next()?.parse().ok()?;
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3_600 + m * 60 + s - offset)
}

/// `GET /users/{id}/tokens/`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TokenList {
    pub tokens: Vec<Token>,
}

impl TokenList {
    const EXPECTED: &'static str = "a <tokens> list of users and API keys";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "tokens", Self::EXPECTED)?;
        Ok(TokenList {
            tokens: e
                .children_named("token")
                .filter_map(|t| {
                    Some(Token {
                        name: opt_string(t, &["aname"])?,
                        description: opt_string(t, &["descr"]),
                        created: opt_string(t, &["created"]),
                        primary: opt_bool(t, "primary").unwrap_or(false),
                        role: Role::parse(t.child_text("acl").unwrap_or_default()),
                        eacl: opt_string(t, &["eacl"]),
                        lifetime: opt_string(t, &["lifetime"]),
                        expires: opt_string(t, &["expires"]),
                        last_use: opt_string(t, &["lastuse"]),
                        primary_aname: opt_string(t, &["primary_aname"]),
                    })
                })
                .collect(),
        })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("tokens");
        for t in &self.tokens {
            w.open("token")
                .text("aname", &t.name)
                .opt_text("descr", t.description.as_deref())
                .opt_text("created", t.created.as_deref())
                .boolean("primary", t.primary)
                .text("acl", t.role.as_str())
                .opt_text("eacl", t.eacl.as_deref())
                .opt_text("lifetime", t.lifetime.as_deref())
                .opt_text("expires", t.expires.as_deref())
                .opt_text("lastuse", t.last_use.as_deref())
                .opt_text("primary_aname", t.primary_aname.as_deref())
                .close();
        }
        w.finish()
    }

    /// The account's kind: partner when a person on it has a partner role.
    pub fn account_kind(&self) -> AccountKind {
        if self.tokens.iter().any(|t| t.primary && t.role.is_partner()) {
            AccountKind::Partner
        } else {
            AccountKind::Customer
        }
    }

    /// The account owner's role: the first person's.
    pub fn owner_role(&self) -> Option<&Role> {
        self.tokens.iter().find(|t| t.primary).map(|t| &t.role)
    }

    /// The token signed in as `name`.
    pub fn find(&self, name: &str) -> Option<&Token> {
        self.tokens.iter().find(|t| t.name == name)
    }
}

/// How a new token gets its name and password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSecret {
    /// The region generates both (`<sessionkey>`).
    Generated,
    /// The caller chooses them.
    Chosen { name: String, password: Secret },
}

/// The responsibilities a person can carry on an account.
pub const RESPONSIBILITIES: [&str; 5] = [
    "Emergency",
    "Technical",
    "Financial",
    "Invoicing",
    "Protection",
];

/// The body of `POST /users/{id}/tokens/`: a person's login or an API key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCreate {
    pub role: Role,
    pub description: String,
    pub secret: TokenSecret,
    /// ISO-8601 period (`P90D`); none means no end.
    pub lifetime: Option<String>,
    pub expires: Option<String>,
    /// `true` for a person's login, `false` (the default) for an API key.
    pub primary: bool,
    pub single_use: bool,
    pub responsibilities: Vec<String>,
}

impl TokenCreate {
    const EXPECTED: &'static str = "a <token> document";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("token")
            .text("acl", self.role.as_str())
            .text("descr", &self.description);
        match &self.secret {
            TokenSecret::Generated => {
                w.boolean("sessionkey", true);
            }
            TokenSecret::Chosen { name, password } => {
                w.text("aname", name).text("apass", password.expose());
            }
        }
        w.opt_text("lifetime", self.lifetime.as_deref())
            .opt_text("expires", self.expires.as_deref())
            .boolean("primary", self.primary)
            .boolean("singleuse", self.single_use);
        if !self.responsibilities.is_empty() {
            w.open("responsibilities");
            for r in &self.responsibilities {
                w.text("name", r);
            }
            w.close();
        }
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "token", Self::EXPECTED)?;
        let secret = match (text(&e, &["aname"]), e.child("sessionkey")) {
            (Some(name), _) => TokenSecret::Chosen {
                name,
                password: Secret(text(&e, &["apass"]).unwrap_or_default()),
            },
            (None, _) => TokenSecret::Generated,
        };
        Ok(TokenCreate {
            role: Role::parse(e.child_text("acl").unwrap_or_default()),
            description: text(&e, &["descr"]).unwrap_or_default(),
            secret,
            lifetime: text(&e, &["lifetime"]),
            expires: text(&e, &["expires"]),
            primary: e
                .child_text("primary")
                .and_then(xml::parse_bool)
                .unwrap_or(false),
            single_use: e
                .child_text("singleuse")
                .and_then(xml::parse_bool)
                .unwrap_or(false),
            responsibilities: e
                .child("responsibilities")
                .map(|r| {
                    r.children_named("name")
                        .map(|n| n.text.trim().to_owned())
                        .filter(|n| !n.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Every problem, each on its field.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if matches!(self.role, Role::Other(ref r) if r.is_empty()) {
            p.check::<()>("acl", Err("Choose a role.".into()));
        }
        if self.description.trim().is_empty() {
            p.check::<()>(
                "descr",
                Err("Describe what this user or key is for.".into()),
            );
        }
        if let TokenSecret::Chosen { name, password } = &self.secret {
            if self.primary {
                // A person signs in with their email address.
                p.check("aname", crate::validate::email(name));
            } else if name.trim().is_empty()
                || name.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                p.check::<()>(
                    "aname",
                    Err("A name has no spaces, like mypartnership-api.".into()),
                );
            }
            if password.0.chars().count() < 12 {
                p.check::<()>(
                    "apass",
                    Err("A password for a user or key has at least 12 characters.".into()),
                );
            }
        }
        if let Some(l) = &self.lifetime {
            p.check("lifetime", check_lifetime(l));
        }
        if let Some(e) = &self.expires {
            if timestamp_seconds(e).is_none() {
                p.check::<()>(
                    "expires",
                    Err(format!(
                        "“{e}” is not a UTC time: use a form like 2026-12-31T23:59:59Z."
                    )),
                );
            }
        }
        for r in &self.responsibilities {
            if !RESPONSIBILITIES.contains(&r.as_str()) {
                p.check::<()>(
                    "responsibilities",
                    Err(format!(
                        "“{r}” is not a responsibility: use {}.",
                        RESPONSIBILITIES.join(", ")
                    )),
                );
            }
        }
        p.0
    }
}

/// The answer to a token creation: the name and password, shown once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCredentials {
    pub name: String,
    pub password: Secret,
}

impl NewCredentials {
    const EXPECTED: &'static str = "a <credentials> document with <aname> and <apass>";

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("credentials")
            .text("aname", &self.name)
            .text("apass", self.password.expose());
        w.finish()
    }

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "credentials", Self::EXPECTED)?;
        // A generated password may start or end with punctuation or spaces: keep it whole.
        let raw = |n: &str| e.child(n).map(|c| c.text.clone()).filter(|t| !t.is_empty());
        match (raw("aname"), raw("apass")) {
            (Some(name), Some(password)) => Ok(NewCredentials {
                name: name.trim().to_owned(),
                password: Secret(password),
            }),
            _ => Err(DecodeError {
                expected: Self::EXPECTED,
                detail: "<aname> or <apass> is missing".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![],
            body: body.into(),
        }
    }

    #[test]
    fn lifetimes_are_counted_with_checked_arithmetic() {
        assert_eq!(period_seconds("P90D"), Some(90 * 86_400));
        assert_eq!(period_seconds("PT48H"), Some(48 * 3_600));
        assert_eq!(period_seconds("P1Y"), Some(365 * 86_400));
        assert_eq!(
            period_seconds("P1DT12H30M"),
            Some(86_400 + 12 * 3_600 + 30 * 60)
        );
        assert_eq!(check_lifetime("P365D"), Ok(365 * 86_400));
        assert_eq!(check_lifetime("P36525D"), Ok(MAX_LIFETIME_SECONDS));
        // Too long, however it is too long: never a wrapped sum or a panic.
        for long in [
            "P36526D",
            "P99999999999D",
            "P213503982334601D",
            "P99999999999999999999D",
            "P18446744073709551615Y",
            "P9999999999999999999Y9999999999999999999M",
            "PT99999999999999999999999999S",
        ] {
            let e = check_lifetime(long).unwrap_err();
            assert!(e.contains("at most 100 years"), "{long}: {e}");
        }
        assert_eq!(period_seconds("P99999999999999999999D"), None);
        for bad in ["", "P", "PT", "90 days", "P1X", "P-1D", "PD", "P1.5D"] {
            assert!(
                check_lifetime(bad)
                    .unwrap_err()
                    .contains("not an ISO-8601 period"),
                "{bad}"
            );
        }
        assert!(check_lifetime("P0D").is_err());
    }

    #[test]
    fn timestamps_are_read_as_seconds_since_1970() {
        assert_eq!(timestamp_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(timestamp_seconds("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(
            timestamp_seconds("2026-11-18T11:06:40Z"),
            Some(1_795_000_000)
        );
        assert_eq!(
            timestamp_seconds("2026-11-18T11:06:40.250Z"),
            Some(1_795_000_000)
        );
        assert_eq!(
            timestamp_seconds("2026-11-18T12:06:40+01:00"),
            Some(1_795_000_000)
        );
        for bad in [
            "",
            "tomorrow",
            "2026-13-01T00:00:00Z",
            "2026-11-18",
            "2026-11-18T11:06:40",
            "2026-11-18T25:00:00Z",
        ] {
            assert_eq!(timestamp_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn periods_read_as_words() {
        assert_eq!(period_words("PT48H").as_deref(), Some("48 hours"));
        assert_eq!(period_words("P1Y").as_deref(), Some("1 year"));
        assert_eq!(period_words("P90D").as_deref(), Some("90 days"));
        assert_eq!(
            period_words("P1DT12H30M").as_deref(),
            Some("1 day 12 hours 30 minutes")
        );
        for bad in ["", "P", "48H", "PT", "P1X", "PT4"] {
            assert_eq!(period_words(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_secondary_token_is_not_claimed_to_be_an_api_key() {
        let list = TokenList::from_xml(
            "<tokens><token><aname>s1</aname><primary>false</primary><acl>MasterAdmin</acl>\
             <primary_aname>jo@example.com</primary_aname><lifetime>PT48H</lifetime></token>\
             <token><aname>jo@example.com</aname><primary>true</primary><acl>MasterAdmin</acl></token>\
             <token><aname>k2</aname><acl>MasterAdmin</acl><expires>2030-01-01T00:00:00Z</expires></token></tokens>",
        )
        .unwrap();
        let [session, person, key] = &list.tokens[..] else {
            panic!("three tokens")
        };
        assert_eq!(
            session.kind(),
            TokenKind::Secondary {
                of: Some("jo@example.com")
            }
        );
        assert_eq!(session.validity(), Validity::Lifetime("48 hours".into()));
        assert_eq!(person.kind(), TokenKind::Person);
        assert_eq!(person.validity(), Validity::Unlimited);
        assert_eq!(key.kind(), TokenKind::Secondary { of: None });
        assert_eq!(
            key.validity(),
            Validity::Until("2030-01-01T00:00:00Z".into())
        );
        // Written back the same way (the sandbox lists tokens with this).
        assert_eq!(TokenList::from_xml(&list.to_xml()).unwrap(), list);
    }

    #[test]
    fn a_name_is_probed_with_head_202_free_409_taken() {
        let call = ProbeTokenName {
            account: AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap(),
            name: "jo+rmm@example.com".into(),
        };
        let r = call.request();
        assert_eq!(r.method, Method::Head);
        assert_eq!(
            r.path_and_query(),
            "/users/nq2v51-5mx23m-qb7sah/tokens?aname=jo%2Brmm%40example.com"
        );
        assert_eq!(call.decode(&resp(202, "")), Ok(true));
        let update = UpdateToken {
            account: call.account.clone(),
            name: "k".into(),
            role: Role::parse(""),
        };
        assert_eq!(update.validate()[0].field, "acl");
        let update = UpdateToken {
            role: Role::BackupAdmin,
            ..update
        };
        assert!(update.validate().is_empty());
        assert_eq!(call.decode(&resp(409, "")), Ok(false));
        assert!(matches!(
            call.decode(&resp(403, "")),
            Err(ApiError::Forbidden(_))
        ));
        assert!(matches!(
            call.decode(&resp(200, "")),
            Err(ApiError::Malformed(_))
        ));
    }

    #[test]
    fn a_key_is_created_asking_for_v1_so_its_credentials_come_back() {
        let call = CreateToken {
            account: AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap(),
            token: TokenCreate {
                role: Role::MasterAdmin,
                description: "RMM".into(),
                secret: TokenSecret::Generated,
                lifetime: None,
                expires: None,
                primary: false,
                single_use: false,
                responsibilities: vec![],
            },
        };
        let request = call.request();
        assert!(request
            .headers
            .iter()
            .any(|(k, v)| *k == "Accept" && v == "application/vnd.keepit.v1+xml"));
    }

    #[test]
    fn tokens_and_credentials() {
        let t = TokenCreate {
            role: Role::ReadOnlyMspPartner,
            description: "RMM tool".into(),
            secret: TokenSecret::Generated,
            lifetime: Some("P1Y".into()),
            expires: None,
            primary: false,
            single_use: false,
            responsibilities: vec!["Technical".into()],
        };
        assert_eq!(TokenCreate::from_xml(&t.to_xml()).unwrap(), t);
        let creds = NewCredentials {
            name: "key-1".into(),
            password: Secret(" <&>!'\" ".into()),
        };
        assert_eq!(NewCredentials::from_xml(&creds.to_xml()).unwrap(), creds);
        let bad = TokenCreate {
            secret: TokenSecret::Chosen {
                name: "has space".into(),
                password: Secret("short".into()),
            },
            lifetime: Some("90 days".into()),
            responsibilities: vec!["Boss".into()],
            ..t
        };
        let fields: Vec<_> = bad.validate().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec!["aname", "apass", "lifetime", "responsibilities"]
        );
        // A person's login is an email address; software's name is not.
        let person = |name: &str| TokenCreate {
            secret: TokenSecret::Chosen {
                name: name.into(),
                password: Secret("long-enough-password".into()),
            },
            primary: true,
            role: Role::MasterAdmin,
            ..bad.clone()
        };
        let problems = |t: TokenCreate| -> Vec<&'static str> {
            t.validate()
                .iter()
                .map(|p| p.field)
                .filter(|f| *f == "aname")
                .collect()
        };
        assert_eq!(problems(person("mypartnership-api")), ["aname"]);
        assert!(problems(person("jo@example.com")).is_empty());
        let unchosen = TokenCreate {
            role: Role::parse(""),
            ..person("jo@example.com")
        };
        assert_eq!(unchosen.validate()[0].field, "acl");
    }

    #[test]
    fn created_credentials_are_read_or_echoed() {
        let id = AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap();
        let mut token = TokenCreate {
            role: Role::ReadOnlySupport,
            description: "RMM".into(),
            secret: TokenSecret::Generated,
            lifetime: None,
            expires: None,
            primary: false,
            single_use: false,
            responsibilities: vec![],
        };
        let call = CreateToken {
            account: id.clone(),
            token: token.clone(),
        };
        let creds = call
            .decode(&resp(
                201,
                "<credentials><aname>k1</aname><apass>p&amp;w</apass></credentials>",
            ))
            .unwrap();
        assert_eq!(
            (creds.name.as_str(), creds.password.expose()),
            ("k1", "p&w")
        );
        assert!(matches!(
            call.decode(&resp(201, "")),
            Err(ApiError::Malformed(_))
        ));
        token.secret = TokenSecret::Chosen {
            name: "mine".into(),
            password: Secret("a-long-password".into()),
        };
        let echoed = CreateToken {
            account: id.clone(),
            token,
        }
        .decode(&resp(201, ""))
        .unwrap();
        assert_eq!(echoed.name, "mine");
        assert!(matches!(
            CreateToken {
                account: id,
                token: call.token
            }
            .decode(&resp(409, "Token name exists")),
            Err(ApiError::Conflict { .. })
        ));
    }
}
