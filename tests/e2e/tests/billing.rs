//! Billing in real Chromium: an invoice saved, every documented test card ending in the right
//! words, and no card number left anywhere in the browser.

use partner_e2e::seed::{PARTNER, PASSWORD, REGION};
use partner_e2e::{Harness, PortalConfig};

async fn fill(h: &Harness, css: &str, text: &str) {
    let el = h.find(css).await;
    el.clear().await.unwrap();
    el.send_keys(text).await.unwrap();
}

async fn invoice_fields(h: &Harness) {
    // Billed to the partner's own company, as the sandbox has it.
    let company = h.company_of(REGION, PARTNER).await;
    fill(h, "#name", &company).await;
    fill(h, "#address-0", "Havnegade 12").await;
    fill(h, "#city", "Aarhus").await;
    fill(h, "#postal_code", "8000").await;
    fill(h, "#country", "DK").await;
}

async fn card(h: &Harness, number: &str, code: &str) {
    fill(h, "#card_number", number).await;
    fill(h, "#security_code", code).await;
    h.choose("#expiration_month", "12").await;
    let year = h
        .js("return document.querySelector('#expiration_year option:last-child').value")
        .await;
    h.find("#expiration_year")
        .await
        .select_by_value(year.as_str().unwrap())
        .await
        .unwrap();
}

/// Every form a card number may take on a page: the digits alone; grouped the way the brand
/// groups them (4-6-5 for American Express, else fours) with spaces, no-break spaces or
/// dashes; the first six beside the last four; the last four after a mask.
fn card_forms(number: &str) -> Vec<String> {
    let groups: &[usize] = if number.starts_with("34") || number.starts_with("37") {
        &[4, 6, 5]
    } else {
        &[4, 4, 4, 4, 4]
    };
    let mut parts = Vec::new();
    let mut rest = number;
    for &g in groups {
        if rest.is_empty() {
            break;
        }
        let (a, b) = rest.split_at(g.min(rest.len()));
        parts.push(a);
        rest = b;
    }
    let last4 = &number[number.len() - 4..];
    let mut forms = vec![number.to_owned()];
    for sep in [" ", "\u{a0}", "-"] {
        forms.push(parts.join(sep));
    }
    forms.push(format!("{}{last4}", &number[..6]));
    for mask in ["•", "*", "x", "X"] {
        for space in ["", " "] {
            forms.push(format!("{}{space}{last4}", mask.repeat(4)));
        }
    }
    forms.push(format!("ending in {last4}"));
    forms
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invoice_and_every_test_card_end_in_the_right_words_and_leave_no_trace() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open(&format!("/sign-in?region={REGION}&next=/billing"))
        .await;
    h.sign_in(REGION, PARTNER, PASSWORD).await;
    h.wait_text("h1", "Billing").await;
    invoice_fields(&h).await;
    h.assert_accessible("the billing form").await;
    h.click_button("Save billing details").await;
    h.wait_text(".action-done", "billed by invoice").await;
    {
        let w = h.state.read().await;
        let r = &w.regions[REGION];
        let saved = r.enterprise[&r.logins[PARTNER]].billing.clone().unwrap();
        assert_eq!(saved["city"], "Aarhus");
    }

    h.find("#pay-card").await.click().await.unwrap();
    h.wait_text("#card_number-hint", "Card").await;
    let cases = [
        ("4000000000000002", "123", "do not honor"),
        ("4000000000000069", "123", "The card has expired"),
        ("4000000000000119", "123", "The card number is not valid"),
        ("4111111111111112", "123", "mistyped digit"),
        ("378282246310005", "1234", "will be charged"),
    ];
    for (number, code, words) in cases {
        card(&h, number, code).await;
        if number.starts_with('3') {
            h.wait_text("#card_number-hint", "American Express").await;
            assert_eq!(
                h.find("#card_number")
                    .await
                    .prop("value")
                    .await
                    .unwrap()
                    .as_deref(),
                Some("3782 822463 10005")
            );
        }
        h.click_button("Save billing details").await;
        h.wait_text("main form", words).await;
    }
    // After the approved card the form no longer holds it.
    assert_eq!(
        h.find("#card_number")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("")
    );
    h.assert_accessible("the billing form after a decline and a save")
        .await;
    // No card number anywhere the browser keeps things, in any form it was shown or typed
    // in: the digits alone, spaced or dashed as the brand groups them, the first six with the
    // last four, or the last four after a mask.
    let kept = h
        .js("return JSON.stringify({ local: JSON.stringify(localStorage), session: JSON.stringify(sessionStorage), \
             href: location.href, state: JSON.stringify(history.state), length: history.length, cookie: document.cookie, \
             urls: performance.getEntries().map(e => e.name) })")
        .await;
    let kept = kept.as_str().unwrap().to_owned();
    for (number, _, _) in cases {
        for form in card_forms(number) {
            assert!(!kept.contains(&form), "{number} kept as {form:?}: {kept}");
        }
    }
    // And the sandbox kept only the brand and the last four digits.
    let w = h.state.read().await;
    let r = &w.regions[REGION];
    let saved = r.enterprise[&r.logins[PARTNER]]
        .billing
        .clone()
        .unwrap()
        .to_string();
    assert!(
        saved.contains("0005") && !saved.contains("378282246310005"),
        "{saved}"
    );
    drop(w);
    h.finish().await;
}
