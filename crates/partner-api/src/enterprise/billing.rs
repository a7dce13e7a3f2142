//! `/partner/billing`: invoice details, and a card for prepaid billing.

use super::json_post;
use crate::call::{expect_success, Call};
use crate::error::ApiError;
use crate::fields::{FieldProblem, Problems, Secret};
use crate::validate::{self, CardBrand};
use crate::wire::request::{Request, Response};
use serde::{Deserialize, Deserializer, Serialize};

/// `POST /partner/billing`. A declined card is [`ApiError::CardDeclined`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetBilling(pub Billing);

impl Call for SetBilling {
    type Output = ();
    fn request(&self) -> Request {
        json_post(
            "/partner/billing",
            serde_json::to_string(&self.0).unwrap_or_default(),
        )
    }
    fn decode(&self, r: &Response) -> Result<(), ApiError> {
        if r.status == 409 {
            if let Ok(d) = serde_json::from_str::<CardDecline>(&r.body) {
                return Err(ApiError::CardDeclined {
                    code: d.code,
                    reason: d.reason,
                });
            }
        }
        expect_success(r)
    }
}

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
    fn a_declined_card_is_explained() {
        let call = SetBilling(Billing::default());
        assert_eq!(
            call.decode(&resp(409, r#"{"code": "33", "reason": "Card expired"}"#)),
            Err(ApiError::CardDeclined {
                code: "33".into(),
                reason: "Card expired".into()
            })
        );
        assert!(
            matches!(call.decode(&resp(400, r#"{"reason": "bad", "conflicts": ["card_number"]}"#)),
            Err(ApiError::BadRequest { fields, .. }) if fields == ["card_number"])
        );
    }
}
