//! `/billing`: how a region bills the partner, by invoice or by card.
//!
//! Card data is the most sensitive thing the portal touches. It is sent only to the region,
//! only over HTTPS (plain HTTP only to this machine; otherwise the page refuses and says
//! why), never written to storage, the URL, history, logs or drafts, and cleared from the
//! form after a successful save. Leaving the page drops it with the page.

use crate::components::error_notice::ErrorNotice;
use crate::components::field::TextField;
use crate::components::submit::SubmitButton;
use crate::state::use_transport;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use partner_api::calls::SetBilling;
use partner_api::countries::COUNTRIES;
use partner_api::enterprise::{Billing, Card};
use partner_api::validate::{card_display, CardBrand};
use partner_api::writes::{FieldProblem, Secret};
use partner_api::{ApiError, Family, RegionId};

/// Today's (year, month) from the browser's clock, for the expiry check.
fn today() -> (i32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_full_year() as i32, d.get_month() + 1)
}

#[component]
pub fn BillingPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Billing"</h1>
        <super::settings::EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <BillingForm region /> })}
    }
}

#[component]
fn BillingForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let secure = transport.is_secure(&region, Family::Enterprise);
    let by_card = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let address = RwSignal::new(vec![String::new()]);
    let city = RwSignal::new(String::new());
    let state = RwSignal::new(String::new());
    let postal = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let number = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let problem = move |field: &'static str| crate::components::field::problem_for(problems, field);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let brand = move || {
        CardBrand::detect(
            &number.with(|n| n.chars().filter(char::is_ascii_digit).collect::<String>()),
        )
    };
    let clear_card = move || {
        number.set(String::new());
        code.set(String::new());
        month.set(String::new());
        year.set(String::new());
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let card = by_card.get_untracked().then(|| Card {
            card_number: Secret(number.get_untracked()),
            security_code: Secret(code.get_untracked()),
            expiration_month: month.get_untracked().parse().unwrap_or(0),
            expiration_year: year.get_untracked().parse().unwrap_or(0),
        });
        if card.is_some() && !secure {
            error.set(Some(ApiError::NotAvailable(
                "Card details are sent only over HTTPS, and this region is configured with a plain http address. Ask whoever runs this portal to use https.".into(),
            )));
            return;
        }
        let billing = Billing {
            name: name.get_untracked().trim().to_owned(),
            address: address
                .get_untracked()
                .into_iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect(),
            city: city.get_untracked().trim().to_owned(),
            state: state.get_untracked().trim().to_owned(),
            postal_code: postal.get_untracked().trim().to_owned(),
            country: country.get_untracked().trim().to_ascii_uppercase(),
            card,
        };
        let found = billing.validate(today());
        problems.set(found.clone());
        done.set(String::new());
        if !found.is_empty() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (transport, region) = (transport.clone(), region.clone());
        spawn_local(async move {
            let was_card = billing.card.is_some();
            let masked = billing.masked_card();
            match transport.call(&region, &SetBilling(billing)).await {
                Ok(()) => {
                    if was_card {
                        clear_card();
                        done.set(format!("Saved: the card {} will be charged. Its details are no longer in this page.", masked.unwrap_or_default()));
                    } else {
                        done.set("Saved: you will be billed by invoice.".into());
                    }
                }
                Err(ApiError::BadRequest { message, fields }) => {
                    let named: Vec<FieldProblem> = fields
                        .iter()
                        .filter_map(|f| {
                            [
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
                            ]
                            .into_iter()
                            .find(|x| x == f)
                            .map(|field| FieldProblem {
                                field,
                                message: message.clone(),
                            })
                        })
                        .collect();
                    if named.is_empty() {
                        error.set(Some(ApiError::BadRequest { message, fields }));
                    }
                    problems.set(named);
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    let address_lines = move || {
        let n = address.with(Vec::len);
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
                            prop:value=move || address.with(|a| a.get(i).cloned().unwrap_or_default())
                            on:input=move |ev| address.update(|a| if let Some(l) = a.get_mut(i) { *l = event_target_value(&ev) })
                        />
                        {(n > 1).then(|| view! {
                            <button type="button" class="link" aria-label=format!("Remove address line {}", i + 1)
                                on:click=move |_| address.update(|a| { if a.len() > 1 { a.remove(i); } })>"Remove"</button>
                        })}
                    </div>
                }
            })
            .collect_view()
    };

    let (this_year, _) = today();
    view! {
        <datalist id="billing-countries">
            {COUNTRIES.iter().map(|(c, n)| view! { <option value=*c>{*n}</option> }).collect_view()}
        </datalist>
        <form class="new-account billing" on:submit=submit novalidate>
            <fieldset class="choices">
                <legend>"How to pay"</legend>
                <label class="choice" for="pay-invoice">
                    <input type="radio" id="pay-invoice" name="pay" prop:checked=move || !by_card.get() on:change=move |_| { by_card.set(false); clear_card(); } />
                    " By invoice"
                </label>
                <label class="choice" for="pay-card">
                    <input type="radio" id="pay-card" name="pay" prop:checked=move || by_card.get() on:change=move |_| by_card.set(true) />
                    " By card (prepaid)"
                </label>
            </fieldset>
            <TextField id="name" label="Name" value=name problem=problem("name") required=true autocomplete="organization"
                hint="The name shown on invoices; for a card, the name on the card." />
            <fieldset class="address" aria-describedby="address-problem">
                <legend>"Address"</legend>
                {address_lines}
                <button type="button" on:click=move |_| address.update(|a| a.push(String::new()))>"Add an address line"</button>
                <p id="address-problem" class="field-problem">{move || problem("address").get()}</p>
            </fieldset>
            <TextField id="city" label="City" value=city problem=problem("city") required=true autocomplete="address-level2" />
            <TextField id="state" label="State or province" value=state problem=problem("state") autocomplete="address-level1" />
            <TextField id="postal_code" label="Postal code" value=postal problem=problem("postal_code") required=true autocomplete="postal-code" />
            <TextField id="country" label="Country" value=country problem=problem("country") required=true list="billing-countries"
                hint="The two-letter code; start typing the country's name or code to choose it." />
            <Show when=move || by_card.get()>
                <fieldset class="card">
                    <legend>"Card"</legend>
                    {(!secure).then(|| view! { <p role="alert">"This region is configured with a plain http address: card details will not be sent."</p> })}
                    <div class="field">
                        <label for="card_number">"Card number"</label>
                        <p id="card-brand" class="hint" aria-live="polite">{move || format!("{} — spaced for reading as you type.", brand().label())}</p>
                        <input id="card_number" type="text" inputmode="numeric" autocomplete="cc-number"
                            aria-invalid=move || problem("card_number").get().is_some().to_string()
                            aria-describedby="card-brand card_number-problem"
                            prop:value=move || card_display(&number.get())
                            on:input=move |ev| number.set(event_target_value(&ev)) />
                        <p id="card_number-problem" class="field-problem">{move || problem("card_number").get()}</p>
                    </div>
                    <div class="field">
                        <label for="security_code">{move || format!("Security code ({} digits)", brand().security_code_length())}</label>
                        <input id="security_code" type="password" inputmode="numeric" autocomplete="cc-csc"
                            aria-invalid=move || problem("security_code").get().is_some().to_string()
                            aria-describedby="security_code-problem"
                            prop:value=code on:input=move |ev| code.set(event_target_value(&ev)) />
                        <p id="security_code-problem" class="field-problem">{move || problem("security_code").get()}</p>
                    </div>
                    <div class="expiry">
                        <div class="field">
                            <label for="expiration_month">"Expiration month"</label>
                            <select id="expiration_month" autocomplete="cc-exp-month" on:change=move |ev| month.set(event_target_value(&ev))
                                aria-describedby="expiration_month-problem">
                                <option value="" selected=move || month.get().is_empty()>"Month"</option>
                                {(1..=12).map(|m| view! { <option value=m.to_string() selected=move || month.get() == m.to_string()>{format!("{m:02}")}</option> }).collect_view()}
                            </select>
                            <p id="expiration_month-problem" class="field-problem">{move || problem("expiration_month").get()}</p>
                        </div>
                        <div class="field">
                            <label for="expiration_year">"Expiration year"</label>
                            <select id="expiration_year" autocomplete="cc-exp-year" on:change=move |ev| year.set(event_target_value(&ev))
                                aria-describedby="expiration_year-problem">
                                <option value="" selected=move || year.get().is_empty()>"Year"</option>
                                {(this_year..this_year + 16).map(|y| view! { <option value=y.to_string() selected=move || year.get() == y.to_string()>{y}</option> }).collect_view()}
                            </select>
                            <p id="expiration_year-problem" class="field-problem">{move || problem("expiration_year").get()}</p>
                        </div>
                    </div>
                </fieldset>
            </Show>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <p role="status" class="action-done">{move || done.get()}</p>
            <div class="action-buttons">
                <SubmitButton pending label="Save billing details" busy="Saving…" />
            </div>
        </form>
    }
}
