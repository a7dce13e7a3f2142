//! Paymentech response codes, which a region sends when the card processor declines a card
//! (`409 {"code": "05", "reason": "Do not honor"}`), in words a partner can act on.

/// What the code means for the partner and what to do next; `None` for codes this table does
/// not know (show the region's reason text then).
pub fn explain(code: &str) -> Option<&'static str> {
    Some(match code.trim() {
        "00" => "The payment was approved.",
        "01" => "The card issuer asks to be called before approving: call your bank, or use another card.",
        "02" => "The card issuer has special conditions for this card: call your bank, or use another card.",
        "03" => "The merchant account is not valid: this is a problem on the provider's side, contact support.",
        "04" => "The card issuer asks to keep this card: it cannot be used. Use another card and call your bank.",
        "05" => "The card issuer declined the payment: do not honor. Try another card or call your bank.",
        "06" => "The card processor reported an error: try again later, or use another card.",
        "12" => "The card processor rejected the type of transaction: contact support.",
        "13" => "The amount was not accepted: contact support.",
        "14" => "The card number is not valid: check it, or use another card.",
        "19" => "The card processor asks to try again: submit the details once more.",
        "30" => "The card processor found an invalid value in the details: check every field and try again.",
        "32" => "The card processor flagged this card's issuer (BIN alert): use another card.",
        "33" => "The card has expired: use a card that is still valid.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_have_words() {
        for code in [
            "00", "01", "02", "03", "04", "05", "06", "12", "13", "14", "19", "30", "32", "33",
        ] {
            assert!(explain(code).is_some(), "{code}");
        }
        assert!(explain("05").unwrap().contains("do not honor"));
        assert_eq!(explain("99"), None);
    }
}
