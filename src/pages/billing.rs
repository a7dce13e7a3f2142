//! `/billing`: how a region bills the partner, by invoice or by card.
//!
//! Card data is the most sensitive thing the portal touches. It is sent only to the region,
//! only over HTTPS (plain HTTP only to this machine; otherwise the page refuses and says
//! why), never written to storage, the URL, history, logs or drafts, and cleared from the
//! form after a successful save. Leaving the page drops it with the page.

use crate::browser::this_month;
use crate::components::enterprise::EnterpriseRegion;
use crate::components::field::{Bind, TextField};
use crate::components::form::{checked, Form, FormDone, FormError, Refused};
use crate::components::submit::SubmitButton;
use crate::state::use_transport;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::countries::COUNTRIES;
use partner_api::enterprise::billing::{Billing, Card, SetBilling};
use partner_api::fields::Secret;
use partner_api::validate::{card_display, CardBrand};
use partner_api::{Family, RegionId};

/// The fields a region's 400 may name.
const FIELDS: [&str; 10] = [
    "name",
    "address",
    "city",
    "state",
    "postal_code",
    "country",
    "card_number",
    "security_code",
    "expiration_month",
    "expiration_year",
];

#[component]
pub fn BillingPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Billing"</h1>
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <BillingForm region /> })}
    }
}

/// The billing address, as typed.
#[derive(Clone, Copy)]
struct Address {
    name: RwSignal<String>,
    lines: RwSignal<Vec<String>>,
    city: RwSignal<String>,
    state: RwSignal<String>,
    postal: RwSignal<String>,
    country: RwSignal<String>,
}

/// The card, as typed: in this page's memory only.
#[derive(Clone, Copy)]
struct CardFields {
    number: RwSignal<String>,
    code: RwSignal<String>,
    month: RwSignal<String>,
    year: RwSignal<String>,
}

impl CardFields {
    fn card(self) -> Card {
        Card {
            card_number: Secret(self.number.get_untracked()),
            security_code: Secret(self.code.get_untracked()),
            expiration_month: self.month.get_untracked().parse().unwrap_or(0),
            expiration_year: self.year.get_untracked().parse().unwrap_or(0),
        }
    }

    fn clear(self) {
        for s in [self.number, self.code, self.month, self.year] {
            s.set(String::new());
        }
    }

    /// The brand the number typed so far belongs to.
    fn brand(self) -> CardBrand {
        CardBrand::detect(
            &self
                .number
                .with(|n| n.chars().filter(char::is_ascii_digit).collect::<String>()),
        )
    }
}

#[component]
fn BillingForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let by_card = RwSignal::new(false);
    let text = || RwSignal::new(String::new());
    let address = Address {
        name: text(),
        lines: RwSignal::new(vec![String::new()]),
        city: text(),
        state: text(),
        postal: text(),
        country: text(),
    };
    let card = CardFields {
        number: text(),
        code: text(),
        month: text(),
        year: text(),
    };
    let form = Form::new(&FIELDS);
    let insecure = transport
        .secure(&region, Family::Enterprise)
        .err()
        .map(|e| e.to_string());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region) = (transport.clone(), region.clone());
        // Card data goes only where it travels encrypted, from a page that came encrypted:
        // the transport's one rule for every secret.
        let secure = transport.secure(&region, Family::Enterprise);
        form.submit(
            || {
                let card = by_card.get_untracked().then(|| card.card());
                if let (Some(_), Err(why)) = (&card, &secure) {
                    return Err(Refused::Form(why.clone()));
                }
                let billing = Billing {
                    name: address.name.get_untracked().trim().to_owned(),
                    address: address
                        .lines
                        .get_untracked()
                        .into_iter()
                        .map(|l| l.trim().to_owned())
                        .filter(|l| !l.is_empty())
                        .collect(),
                    city: address.city.get_untracked().trim().to_owned(),
                    state: address.state.get_untracked().trim().to_owned(),
                    postal_code: address.postal.get_untracked().trim().to_owned(),
                    country: address.country.get_untracked().trim().to_ascii_uppercase(),
                    card,
                };
                let found = billing.validate(this_month());
                checked(billing, found)
            },
            move |billing| {
                let masked = billing.card.is_some().then(|| billing.masked_card());
                async move {
                    transport.call(&region, &SetBilling(billing)).await?;
                    Ok(masked)
                }
            },
            move |answer| {
                match answer? {
                    Some(masked) => {
                        card.clear();
                        form.done.set(format!("Saved: the card {} will be charged. Its details are no longer in this page.", masked.unwrap_or_default()));
                    }
                    None => form.done.set("Saved: you will be billed by invoice.".into()),
                }
                Ok(())
            },
        );
    };

    view! {
        <datalist id="billing-countries">
            {COUNTRIES.iter().map(|(c, n)| view! { <option value=*c>{*n}</option> }).collect_view()}
        </datalist>
        <form class="new-account billing" on:submit=submit novalidate>
            <fieldset class="choices">
                <legend>"How to pay"</legend>
                <label class="choice" for="pay-invoice">
                    <input type="radio" id="pay-invoice" name="pay" prop:checked=move || !by_card.get() on:change=move |_| { by_card.set(false); card.clear(); } />
                    " By invoice"
                </label>
                <label class="choice" for="pay-card">
                    <input type="radio" id="pay-card" name="pay" prop:checked=move || by_card.get() on:change=move |_| by_card.set(true) />
                    " By card (prepaid)"
                </label>
            </fieldset>
            {address_fields(address, form)}
            <Show when=move || by_card.get()>
                {card_fieldset(card, form, insecure.clone())}
            </Show>
            <FormError form />
            <FormDone form />
            <div class="action-buttons">
                <SubmitButton pending=form.pending label="Save billing details" busy="Saving…" />
            </div>
        </form>
    }
}

/// Name and address, as invoices and the card processor need them.
fn address_fields(address: Address, form: Form) -> impl IntoView {
    let lines = address.lines;
    let count = Memo::new(move |_| lines.with(Vec::len));
    let address_lines = move || {
        let n = count.get();
        (0..n)
            .map(|i| {
                let id = format!("address-{i}");
                let for_id = id.clone();
                view! {
                    <div class="address-line">
                        <label for=for_id>{format!("Address line {}", i + 1)}</label>
                        <input
                            id=id
                            type="text"
                            autocomplete=if i == 0 { "address-line1" } else { "address-line2" }
                            prop:value=move || lines.with(|a| a.get(i).cloned().unwrap_or_default())
                            on:input=move |ev| lines.update(|a| if let Some(l) = a.get_mut(i) { *l = event_target_value(&ev) })
                        />
                        {(n > 1).then(|| view! {
                            <button type="button" class="link" aria-label=format!("Remove address line {}", i + 1)
                                on:click=move |_| lines.update(|a| { if a.len() > 1 { a.remove(i); } })>"Remove"</button>
                        })}
                    </div>
                }
            })
            .collect_view()
    };
    let address_problem = form.problem("address");
    view! {
        <TextField id="name" label="Name" value=address.name problem=form.problem("name") required=true autocomplete="organization"
            hint="The name shown on invoices; for a card, the name on the card." />
        <fieldset class="address" aria-describedby="address-problem">
            <legend>"Address"</legend>
            {address_lines}
            <button type="button" on:click=move |_| lines.update(|a| a.push(String::new()))>"Add an address line"</button>
            <p id="address-problem" class="field-problem">{move || address_problem.get()}</p>
        </fieldset>
        <TextField id="city" label="City" value=address.city problem=form.problem("city") required=true autocomplete="address-level2" />
        <TextField id="state" label="State or province" value=address.state problem=form.problem("state") autocomplete="address-level1" />
        <TextField id="postal_code" label="Postal code" value=address.postal problem=form.problem("postal_code") required=true autocomplete="postal-code" />
        <TextField id="country" label="Country" value=address.country problem=form.problem("country") required=true list="billing-countries"
            hint="The two-letter code; start typing the country's name or code to choose it." />
    }
}

/// The card: number (spaced as it is typed, its brand said), security code and expiry.
fn card_fieldset(card: CardFields, form: Form, insecure: Option<String>) -> impl IntoView {
    let (this_year, _) = this_month();
    let CardFields {
        number,
        month,
        year,
        ..
    } = card;
    let shown_number = Bind::new(move || card_display(&number.get()), move |v| number.set(v));
    let (month_problem, year_problem) = (
        form.problem("expiration_month"),
        form.problem("expiration_year"),
    );
    view! {
        <fieldset class="card">
            <legend>"Card"</legend>
            {insecure.map(|why| view! { <p role="alert">"Card details will not be sent from here. " {why}</p> })}
            <TextField id="card_number" label="Card number" value=shown_number problem=form.problem("card_number")
                inputmode="numeric" autocomplete="cc-number" live_hint=true
                hint=move || format!("{} — spaced for reading as you type.", card.brand().label()) />
            <TextField id="security_code" label=move || format!("Security code ({} digits)", card.brand().security_code_length())
                value=card.code problem=form.problem("security_code") kind="password" inputmode="numeric" autocomplete="cc-csc" />
            <div class="expiry">
                <div class="field">
                    <label for="expiration_month">"Expiration month"</label>
                    <select id="expiration_month" autocomplete="cc-exp-month" on:change=move |ev| month.set(event_target_value(&ev))
                        aria-describedby="expiration_month-problem">
                        <option value="" selected=move || month.get().is_empty()>"Month"</option>
                        {(1..=12).map(|m| view! { <option value=m.to_string() selected=move || month.get() == m.to_string()>{format!("{m:02}")}</option> }).collect_view()}
                    </select>
                    <p id="expiration_month-problem" class="field-problem">{move || month_problem.get()}</p>
                </div>
                <div class="field">
                    <label for="expiration_year">"Expiration year"</label>
                    <select id="expiration_year" autocomplete="cc-exp-year" on:change=move |ev| year.set(event_target_value(&ev))
                        aria-describedby="expiration_year-problem">
                        <option value="" selected=move || year.get().is_empty()>"Year"</option>
                        {(this_year..this_year + 16).map(|y| view! { <option value=y.to_string() selected=move || year.get() == y.to_string()>{y}</option> }).collect_view()}
                    </select>
                    <p id="expiration_year-problem" class="field-problem">{move || year_problem.get()}</p>
                </div>
            </div>
        </fieldset>
    }
}
