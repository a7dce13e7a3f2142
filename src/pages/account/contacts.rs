//! The account's contacts, each a card, with an inline form to edit it for roles that may.

use crate::components::error_notice::ErrorNotice;
use crate::components::field::{Bind, TextField};
use crate::components::form::{checked, Form, FormError};
use crate::components::submit::SubmitButton;
use crate::state::account::Details;
use crate::state::use_transport;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::accounts::contacts::{Contact, UpdateContact};
use partner_api::{AccountId, RegionId, Role};

pub(super) fn contacts_section(
    d: &Details,
    region: &RegionId,
    id: &AccountId,
    role: Option<Role>,
    changed: Callback<()>,
) -> impl IntoView {
    let may_edit = role.is_some_and(|r| !r.is_read_only());
    let cards = d
        .contacts
        .iter()
        .map(|c| view! { <ContactCard region=region.clone() account=id.clone() contact=c.clone() may_edit changed /> })
        .collect_view();
    view! {
        <section aria-labelledby="contacts-title">
            <h2 id="contacts-title">"Contacts"</h2>
            {match &d.contacts_error {
                // Said, never shown as "no contacts".
                Some(e) => Some(view! { <ErrorNotice error=e.clone() region=region.clone() retry=move |_| changed.run(()) /> }.into_any()),
                None if d.contacts.is_empty() => Some(view! { <p>"This account has no contacts."</p> }.into_any()),
                None => None,
            }}
            <div class="contacts">{cards}</div>
        </section>
    }
}

/// What a contact's kind is called.
fn kind_label(kind: &str) -> String {
    match kind {
        "p" => "Primary contact".to_owned(),
        "c" => "Company contact".to_owned(),
        "b" => "Billing contact".to_owned(),
        "t" => "Technical contact".to_owned(),
        other => format!("Contact “{other}”"),
    }
}

/// The contact's facts that are set, as a definition list's rows.
fn facts(c: &Contact) -> impl IntoView {
    let address = [&c.street1, &c.street2, &c.zip, &c.city, &c.state]
        .into_iter()
        .flatten()
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let rows: Vec<(&str, Option<String>)> = vec![
        ("Name", c.full_name.clone()),
        ("Company", c.company_name.clone()),
        ("Email", c.email.clone()),
        ("Phone", c.phone.clone()),
        ("Address", Some(address).filter(|a| !a.is_empty())),
        (
            "Country",
            c.country.as_deref().map(|code| {
                partner_api::validate::country_name(code)
                    .map_or_else(|| code.to_owned(), |n| format!("{n} ({code})"))
            }),
        ),
        ("Language", c.language.clone()),
        ("VAT number", c.vat_number.clone()),
    ];
    rows.into_iter()
        .filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd>{v}</dd> }))
        .collect_view()
}

#[component]
fn ContactCard(
    region: RegionId,
    account: AccountId,
    contact: Contact,
    may_edit: bool,
    changed: Callback<()>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let title = kind_label(&contact.kind);
    view! {
        <div class="contact-card">
            <h3>{title}</h3>
            {move || if editing.get() {
                view! { <ContactForm region=region.clone() account=account.clone() contact=contact.clone() editing changed /> }.into_any()
            } else {
                view! {
                    <dl class="facts">{facts(&contact)}</dl>
                    {may_edit.then(|| view! { <button type="button" on:click=move |_| editing.set(true)>"Edit contact"</button> })}
                }.into_any()
            }}
        </div>
    }
}

/// The contact's fields: label, wire name, and where each lives in a [`Contact`].
type ContactField = (
    &'static str,
    &'static str,
    fn(&Contact) -> Option<String>,
    fn(&mut Contact, Option<String>),
);

const FIELDS: [ContactField; 11] = [
    (
        "Full name",
        "fullname",
        |c| c.full_name.clone(),
        |c, v| c.full_name = v,
    ),
    (
        "Company",
        "companyname",
        |c| c.company_name.clone(),
        |c, v| c.company_name = v,
    ),
    ("Email", "email", |c| c.email.clone(), |c, v| c.email = v),
    ("Phone", "phone", |c| c.phone.clone(), |c, v| c.phone = v),
    (
        "Street",
        "street1",
        |c| c.street1.clone(),
        |c, v| c.street1 = v,
    ),
    (
        "Street, second line",
        "street2",
        |c| c.street2.clone(),
        |c, v| c.street2 = v,
    ),
    ("Postal code", "zip", |c| c.zip.clone(), |c, v| c.zip = v),
    ("City", "city", |c| c.city.clone(), |c, v| c.city = v),
    (
        "State or province",
        "state",
        |c| c.state.clone(),
        |c, v| c.state = v,
    ),
    (
        "Country (two-letter code)",
        "country",
        |c| c.country.clone(),
        |c, v| c.country = v,
    ),
    (
        "Language (like en-GB)",
        "language",
        |c| c.language.clone(),
        |c, v| c.language = v,
    ),
];

/// The wire names a 400 may put a problem on: those of [`FIELDS`].
const WIRE_NAMES: [&str; FIELDS.len()] = {
    let mut names = [""; FIELDS.len()];
    let mut i = 0;
    while i < FIELDS.len() {
        names[i] = FIELDS[i].1;
        i += 1;
    }
    names
};

#[component]
fn ContactForm(
    region: RegionId,
    account: AccountId,
    contact: Contact,
    editing: RwSignal<bool>,
    changed: Callback<()>,
) -> impl IntoView {
    let transport = use_transport();
    let draft = RwSignal::new(contact);
    let form = Form::new(&WIRE_NAMES);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
        form.submit(
            || {
                let c = draft.get_untracked();
                let found = c.validate();
                checked(c, found)
            },
            move |contact| async move {
                transport
                    .call(&region, &UpdateContact { account, contact })
                    .await
            },
            move |answer| {
                answer?;
                editing.set(false);
                changed.run(());
                Ok(())
            },
        );
    };
    let fields = FIELDS
        .iter()
        .map(|&(label, wire, get, set)| {
            let value = Bind::new(
                move || draft.with(|d| get(d).unwrap_or_default()),
                move |v: String| draft.update(|d| set(d, (!v.trim().is_empty()).then_some(v))),
            );
            view! { <TextField id=format!("contact-{wire}") label value problem=form.problem(wire) /> }
        })
        .collect_view();
    view! {
        <form class="contact-form" on:submit=submit novalidate>
            {fields}
            <FormError form />
            <div class="action-buttons">
                <SubmitButton pending=form.pending label="Save contact" busy="Saving…" />
                <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}
