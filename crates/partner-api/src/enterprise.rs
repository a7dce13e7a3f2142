//! The Enterprise API's JSON documents: billing, quota, features, settings, shares and client
//! revisions. Decoding is tolerant: unknown fields are ignored, missing ones take defaults.

use crate::fields::{FieldProblem, Problems, Secret};
use crate::validate::{self, CardBrand};
use serde::{Deserialize, Deserializer, Serialize};

/// `POST /partner/billing`: invoice details, plus a card for prepaid billing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Billing {
    /// On invoices; for a card, the name on the card.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address: Vec<String>,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub country: String,
    #[serde(
        flatten,
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "card_if_any"
    )]
    pub card: Option<Card>,
}

/// Card details. Never stored, logged or kept in a draft; `Debug` shows none of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub card_number: Secret,
    pub security_code: Secret,
    pub expiration_month: i64,
    pub expiration_year: i64,
}

/// Like `Card`, every field optional: what a request actually carried.
#[derive(Deserialize)]
struct PartialCard {
    card_number: Option<Secret>,
    security_code: Option<Secret>,
    expiration_month: Option<i64>,
    expiration_year: Option<i64>,
}

/// A card is present when any card field is; missing ones become empty and fail validation
/// on their own field instead of failing the whole document.
fn card_if_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Card>, D::Error> {
    let p = PartialCard::deserialize(d)?;
    if p.card_number.is_none()
        && p.security_code.is_none()
        && p.expiration_month.is_none()
        && p.expiration_year.is_none()
    {
        return Ok(None);
    }
    Ok(Some(Card {
        card_number: p.card_number.unwrap_or_default(),
        security_code: p.security_code.unwrap_or_default(),
        expiration_month: p.expiration_month.unwrap_or(0),
        expiration_year: p.expiration_year.unwrap_or(0),
    }))
}

impl Billing {
    /// Every problem, each on its field. `today` is (year, month) for the expiry check.
    pub fn validate(&self, today: (i32, u32)) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        let required = |v: &str, what: &str| {
            if v.trim().is_empty() {
                Err(format!("Enter the {what}."))
            } else {
                Ok(())
            }
        };
        let name_what = if self.card.is_some() {
            "name on the card"
        } else {
            "name to show on invoices"
        };
        p.check("name", required(&self.name, name_what));
        if self.address.iter().all(|l| l.trim().is_empty()) {
            p.check::<()>("address", Err("Enter at least one address line.".into()));
        }
        p.check("city", required(&self.city, "city"));
        p.check("postal_code", required(&self.postal_code, "postal code"));
        p.check("country", validate::country(&self.country));
        if let Some(card) = &self.card {
            let brand = p
                .check(
                    "card_number",
                    validate::card_number(card.card_number.expose()),
                )
                .map(|(_, b)| b);
            p.check(
                "security_code",
                validate::security_code(
                    card.security_code.expose(),
                    brand.unwrap_or(CardBrand::Unknown),
                ),
            );
            if let Err(e) = validate::expiry(card.expiration_month, card.expiration_year, today) {
                let field = if e.contains("month") {
                    "expiration_month"
                } else {
                    "expiration_year"
                };
                p.check::<()>(field, Err(e));
            }
        }
        p.0
    }

    /// The card number's digits with all but the last four hidden, for messages and logs.
    pub fn masked_card(&self) -> Option<String> {
        let digits: String = self
            .card
            .as_ref()?
            .card_number
            .expose()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        let last = digits.len().saturating_sub(4);
        Some(format!("•••• {}", &digits[last..]))
    }
}

/// `409` on a card: the processor's Paymentech code and reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardDecline {
    pub code: String,
    #[serde(default)]
    pub reason: String,
}

/// `{"reason": "...", "conflicts": [...]}`: a 400's body, naming the fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub conflicts: Vec<String>,
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().map(|f| f.max(0.0) as u64))
            .unwrap_or(0),
        _ => 0,
    })
}

fn lenient_opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64(),
        _ => None,
    })
}

/// `GET /partner/quota`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Quota {
    /// `None` (null) or 0 mean unlimited.
    #[serde(default, deserialize_with = "lenient_opt_u64")]
    pub bytes_available: Option<u64>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes_allocated: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub bytes_used: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub share_count: u64,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub device_count: u64,
}

impl Quota {
    pub fn is_unlimited(&self) -> bool {
        matches!(self.bytes_available, None | Some(0))
    }
}

/// `GET /partner/features`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Features {
    #[serde(default)]
    pub netkes: bool,
    #[serde(default)]
    pub ldap: bool,
    #[serde(default)]
    pub group_permissions: bool,
    #[serde(default)]
    pub signup_restrictions: bool,
    #[serde(default)]
    pub email_as_username: bool,
}

/// `GET /partner/settings`: all seven settings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub omva_url: Option<String>,
    #[serde(default)]
    pub support_email: Option<String>,
    /// Minutes.
    #[serde(default)]
    pub share_link_ttl: Option<i64>,
    /// Days; 0 or null disables.
    #[serde(default)]
    pub autopurge_interval: Option<i64>,
    /// Seconds.
    #[serde(default)]
    pub purgehold_duration: Option<i64>,
    /// Null disables domain checking.
    #[serde(default)]
    pub ad_domain: Option<String>,
    #[serde(default)]
    pub signup_network_restriction: Vec<String>,
}

/// Absent (leave as is), `null` (clear), or a value.
fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /partner/settings`: only the settings that change. `Some(None)` sends `null`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SettingsUpdate {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub omva_url: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub support_email: Option<Option<String>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub share_link_ttl: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub autopurge_interval: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub purgehold_duration: Option<Option<i64>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "double_option"
    )]
    pub ad_domain: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup_network_restriction: Option<Vec<String>>,
}

impl SettingsUpdate {
    /// The update that turns `old` into `new`: only what differs.
    pub fn between(old: &Settings, new: &Settings) -> SettingsUpdate {
        fn diff<T: PartialEq + Clone>(a: &Option<T>, b: &Option<T>) -> Option<Option<T>> {
            (a != b).then(|| b.clone())
        }
        SettingsUpdate {
            omva_url: diff(&old.omva_url, &new.omva_url),
            support_email: diff(&old.support_email, &new.support_email),
            share_link_ttl: diff(&old.share_link_ttl, &new.share_link_ttl),
            autopurge_interval: diff(&old.autopurge_interval, &new.autopurge_interval),
            purgehold_duration: diff(&old.purgehold_duration, &new.purgehold_duration),
            ad_domain: diff(&old.ad_domain, &new.ad_domain),
            signup_network_restriction: (old.signup_network_restriction
                != new.signup_network_restriction)
                .then(|| new.signup_network_restriction.clone()),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == SettingsUpdate::default()
    }

    /// Applies the update to `settings`.
    pub fn apply(&self, settings: &mut Settings) {
        fn set<T: Clone>(target: &mut Option<T>, v: &Option<Option<T>>) {
            if let Some(v) = v {
                *target = v.clone();
            }
        }
        set(&mut settings.omva_url, &self.omva_url);
        set(&mut settings.support_email, &self.support_email);
        set(&mut settings.share_link_ttl, &self.share_link_ttl);
        set(&mut settings.autopurge_interval, &self.autopurge_interval);
        set(&mut settings.purgehold_duration, &self.purgehold_duration);
        set(&mut settings.ad_domain, &self.ad_domain);
        if let Some(v) = &self.signup_network_restriction {
            settings.signup_network_restriction = v.clone();
        }
    }

    /// Every problem, each on its field.
    pub fn validate(&self) -> Vec<FieldProblem> {
        let mut p = Problems::default();
        if let Some(Some(u)) = &self.omva_url {
            p.check("omva_url", validate::url(u));
        }
        if let Some(Some(e)) = &self.support_email {
            p.check("support_email", validate::email(e));
        }
        for (field, value, what) in [
            (
                "share_link_ttl",
                &self.share_link_ttl,
                "The share link lifetime",
            ),
            (
                "autopurge_interval",
                &self.autopurge_interval,
                "The auto-purge interval",
            ),
            (
                "purgehold_duration",
                &self.purgehold_duration,
                "The purge hold",
            ),
        ] {
            if let Some(Some(v)) = value {
                p.check(field, validate::non_negative(*v, what));
            }
        }
        if let Some(Some(d)) = &self.ad_domain {
            let ok = !d.trim().is_empty()
                && d.split('.')
                    .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
            if !ok {
                p.check::<()>(
                    "ad_domain",
                    Err(format!(
                        "“{d}” is not a domain name: use the form corp.example.com."
                    )),
                );
            }
        }
        if let Some(blocks) = &self.signup_network_restriction {
            for b in blocks {
                p.check("signup_network_restriction", validate::cidr(b));
            }
        }
        p.0
    }
}

fn id_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    })
}

/// One share in `GET /shares/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    #[serde(deserialize_with = "id_text")]
    pub share_id: String,
    #[serde(default, deserialize_with = "id_text")]
    pub room_key: String,
    #[serde(default)]
    pub name: String,
    /// The owner's username.
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub enabled: bool,
}

/// One row of `GET /clientrevisions/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientRevision {
    pub revision: i64,
    #[serde(default)]
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_billing_examples() {
        let invoice: Billing = serde_json::from_str(
            r#"{"name": "Internet Widgets, Inc.", "address": ["123 Rue St."], "city": "Hogtown",
                "state": "FL", "postal_code": "10101", "country": "US"}"#,
        )
        .unwrap();
        assert_eq!(invoice.card, None);
        assert!(invoice.validate((2026, 11)).is_empty());
        assert!(!serde_json::to_string(&invoice)
            .unwrap()
            .contains("card_number"));

        let card: Billing = serde_json::from_str(
            r#"{"name": "Acme Internet Services, Ltd.", "address": ["1 Speed Way", "Suite 103"],
                "city": "Sitka", "state": "AL", "postal_code": "99099", "country": "US",
                "card_number": "378282246310005", "security_code": "1234",
                "expiration_month": 8, "expiration_year": 2016}"#,
        )
        .unwrap();
        let problems = card.validate((2026, 11));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, "expiration_year");
        assert_eq!(card.masked_card().unwrap(), "•••• 0005");
        assert!(!format!("{card:?}").contains("378282246310005"));
        let json = serde_json::to_string(&card).unwrap();
        assert!(json.contains("\"card_number\":\"378282246310005\""));
    }

    #[test]
    fn a_partial_card_fails_on_its_fields() {
        let b: Billing = serde_json::from_str(
            r#"{"name": "X", "address": ["1"], "city": "C", "postal_code": "1", "country": "DK",
                "card_number": "4111111111111111"}"#,
        )
        .unwrap();
        let fields: Vec<_> = b.validate((2026, 11)).iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["security_code", "expiration_month"]);
    }

    #[test]
    fn settings_updates_send_only_changes_and_nulls() {
        let old = Settings {
            share_link_ttl: Some(60),
            ad_domain: Some("corp.example".into()),
            ..Settings::default()
        };
        let mut new = old.clone();
        new.share_link_ttl = Some(120);
        new.ad_domain = None;
        let u = SettingsUpdate::between(&old, &new);
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"share_link_ttl":120,"ad_domain":null}"#
        );
        let back: SettingsUpdate =
            serde_json::from_str(r#"{"share_link_ttl":120,"ad_domain":null}"#).unwrap();
        assert_eq!(back, u);
        let mut applied = old.clone();
        back.apply(&mut applied);
        assert_eq!(applied, new);
        assert!(SettingsUpdate::between(&old, &old).is_empty());
    }

    #[test]
    fn settings_validation_names_fields() {
        let u = SettingsUpdate {
            omva_url: Some(Some("omva".into())),
            support_email: Some(Some("x".into())),
            share_link_ttl: Some(Some(-1)),
            ad_domain: Some(Some("a b".into())),
            signup_network_restriction: Some(vec!["10.0.0.0/8".into(), "10.1.0.1/16".into()]),
            ..SettingsUpdate::default()
        };
        let fields: Vec<_> = u.validate().iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                "omva_url",
                "support_email",
                "share_link_ttl",
                "ad_domain",
                "signup_network_restriction"
            ]
        );
    }

    #[test]
    fn tolerant_reads() {
        let q: Quota =
            serde_json::from_str(r#"{"bytes_available": null, "bytes_used": 5, "extra": 1}"#)
                .unwrap();
        assert!(q.is_unlimited());
        assert_eq!(q.bytes_used, 5);
        let s: Share = serde_json::from_str(r#"{"share_id": 17, "room_key": "r", "name": "n", "owner": "o", "enabled": true, "x": []}"#).unwrap();
        assert_eq!(s.share_id, "17");
        let f: Features = serde_json::from_str(r#"{"ldap": true}"#).unwrap();
        assert!(f.ldap && !f.netkes);
    }
}
