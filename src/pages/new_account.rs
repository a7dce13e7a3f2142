//! `/accounts/new?region=..&parent=..`: a partner or customer account under an account the
//! signed-in user manages. Every field of `user_create`; checked before anything is sent; the
//! region's 400 put back on the fields it names, and said whole beside the form when it names
//! none; created exactly once (see [`crate::state::create`]): a 409 is said with how to check,
//! never sent again; the draft survives a reload, without the password.

use crate::browser::focus;
use crate::components::field::TextField;
use crate::components::form::{checked, Form, FormError};
use crate::components::submit::SubmitButton;
use crate::links;
use crate::resource::Loaded;
use crate::state::account::use_details;
use crate::state::create::{create_once, new_external_id, since_now};
use crate::state::{drafts, use_session, use_transport};
use crate::tree::load::{reload_children_of, use_tree};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use partner_api::accounts::products::GetPortfolio;
use partner_api::accounts::users::UserCreate;
use partner_api::countries::COUNTRIES;
use partner_api::fields::Secret;
use partner_api::roles::roles_for;
use partner_api::{AccountId, AccountKind, RegionId, Role};
use serde::{Deserialize, Serialize};

/// The fields a 400 may name.
const FIELDS: [&str; 11] = [
    "login",
    "password",
    "email",
    "fullname",
    "companyname",
    "phone",
    "zipcode",
    "country",
    "language",
    "product",
    "acl",
];

/// What survives a reload: everything but the password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Draft {
    role: String,
    login: String,
    full_name: String,
    email: String,
    company: String,
    phone: String,
    zip: String,
    country: String,
    language: String,
    product: String,
    /// Kept with the draft: the partner's systems may know the account by it.
    external_id: String,
    /// When the first send of this draft began (less the clocks' difference), empty while
    /// it was never sent: a draft that was sent is looked for before it is sent again.
    #[serde(default)]
    since: String,
}

#[component]
pub fn NewAccountPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| links::region_and_account(q, "parent"));
    move || match target() {
        Some((region, parent)) if session.is_signed_in(&region) => {
            view! { <NewAccountForm region parent /> }.into_any()
        }
        _ => {
            let own = session
                .signed_in()
                .into_iter()
                .filter_map(|(r, login, a)| {
                    let a = a?;
                    Some(view! { <li><A href=links::new_account(&r, &a)>{format!("Under your own account in {r} ({login})")}</A></li> })
                })
                .collect_view();
            view! {
                <h1>"New account"</h1>
                <p>"Choose where the new account goes: open an account in the tree and use “New account here”, or start under your own account:"</p>
                <ul>{own}</ul>
            }
            .into_any()
        }
    }
}

/// The form's fields as typed: a draft's, plus the password, which is never kept.
#[derive(Clone, Copy)]
struct Fields {
    role: RwSignal<String>,
    login: RwSignal<String>,
    password: RwSignal<String>,
    full_name: RwSignal<String>,
    email: RwSignal<String>,
    company: RwSignal<String>,
    phone: RwSignal<String>,
    zip: RwSignal<String>,
    country: RwSignal<String>,
    language: RwSignal<String>,
    product: RwSignal<String>,
    external_id: RwSignal<String>,
    since: RwSignal<String>,
}

impl Fields {
    fn from(saved: Draft) -> Self {
        let s = RwSignal::new;
        Fields {
            role: s(saved.role),
            login: s(saved.login),
            password: s(String::new()),
            full_name: s(saved.full_name),
            email: s(saved.email),
            company: s(saved.company),
            phone: s(saved.phone),
            zip: s(saved.zip),
            country: s(saved.country),
            language: s(saved.language),
            product: s(saved.product),
            external_id: s(if saved.external_id.is_empty() {
                new_external_id()
            } else {
                saved.external_id
            }),
            since: s(saved.since),
        }
    }

    /// What a reload keeps; tracked.
    fn draft(self) -> Draft {
        Draft {
            role: self.role.get(),
            login: self.login.get(),
            full_name: self.full_name.get(),
            email: self.email.get(),
            company: self.company.get(),
            phone: self.phone.get(),
            zip: self.zip.get(),
            country: self.country.get(),
            language: self.language.get(),
            product: self.product.get(),
            external_id: self.external_id.get(),
            since: self.since.get(),
        }
    }

    /// The create to send.
    fn body(self) -> UserCreate {
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        UserCreate {
            login: self.login.get_untracked().trim().to_owned(),
            password: Some(self.password.get_untracked())
                .filter(|p| !p.is_empty())
                .map(Secret),
            external_id: Some(self.external_id.get_untracked()),
            acl: Some(self.role.get_untracked())
                .filter(|r| !r.is_empty())
                .map(|r| Role::parse(&r)),
            product: Some(self.product.get_untracked()).filter(|p| !p.is_empty()),
            full_name: text(self.full_name),
            email: text(self.email),
            company_name: text(self.company),
            zip_code: text(self.zip),
            phone: text(self.phone),
            country: Some(self.country.get_untracked().trim().to_ascii_uppercase())
                .filter(|v| !v.is_empty()),
            language: text(self.language),
            attributes: Vec::new(),
        }
    }

    /// Empty again, as a new create with a new external_id.
    fn clear(self) {
        for s in [
            self.role,
            self.login,
            self.password,
            self.full_name,
            self.email,
            self.company,
            self.phone,
            self.zip,
            self.country,
            self.language,
            self.product,
            self.since,
        ] {
            s.set(String::new());
        }
        self.external_id.set(new_external_id());
    }
}

/// Keeps the draft (never the password) as it changes, until it is sent.
fn keep_draft(fields: Fields, key: String, sent: StoredValue<bool>) {
    Effect::new(move |_| {
        let d = fields.draft();
        if sent.get_value() {
            return;
        }
        let empty = Draft {
            external_id: d.external_id.clone(),
            ..Draft::default()
        };
        if d == empty {
            drafts::discard(&key);
        } else {
            drafts::save(&key, &d);
        }
    });
}

#[component]
fn NewAccountForm(region: RegionId, parent: AccountId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let store = use_tree();
    let navigate = use_navigate();
    let creator = session
        .credentials(&region)
        .and_then(|c| c.role)
        .unwrap_or(Role::Other(String::new()));
    let kinds: Vec<AccountKind> = creator.may_create().to_vec();
    if kinds.is_empty() {
        return view! {
            <h1>"New account"</h1>
            <p role="alert">"Your role may not create accounts in this region."</p>
        }
        .into_any();
    }
    // The draft is this login's in this region, and goes when it signs out.
    let draft_key = drafts::key(&session, &region, &format!("new-account.{parent}"));
    let parent_details = use_details(region.clone(), parent.clone());
    let saved: Draft = drafts::load(&draft_key).unwrap_or_default();
    let restored = saved != Draft::default();
    let fields = Fields::from(saved);
    let sent = StoredValue::new(false);
    keep_draft(fields, draft_key.clone(), sent);
    let form = Form::new(&FIELDS);

    let send: Callback<()> = {
        let (region, parent) = (region.clone(), parent.clone());
        Callback::new(move |_| {
            let (transport, region, parent, navigate, key) = (
                transport.clone(),
                region.clone(),
                parent.clone(),
                navigate.clone(),
                draft_key.clone(),
            );
            let (to, under) = (region.clone(), parent.clone());
            form.submit(
                || {
                    let account = fields.body();
                    let found = account.validate_for(&creator);
                    if let Some(first) = found.first() {
                        focus_field(first.field);
                    }
                    checked(account, found)
                },
                move |account| {
                    let transport = transport.clone();
                    // Kept with the draft before anything is sent: a draft sent before is
                    // looked for before it is sent again.
                    let mut since = fields.since.get_untracked();
                    let sent_before = !since.is_empty();
                    if !sent_before {
                        since = since_now();
                        fields.since.set(since.clone());
                    }
                    async move {
                        let id =
                            create_once(&transport, &to, &under, &account, &since, sent_before)
                                .await?;
                        Ok((transport, id))
                    }
                },
                move |answer| {
                    match answer {
                        Ok((transport, id)) => {
                            sent.set_value(true);
                            drafts::discard(&key);
                            fields.password.set(String::new());
                            reload_children_of(store, transport, &region, &parent);
                            navigate(&links::account(&region, &id), Default::default());
                        }
                        Err(e) => {
                            form.fail(e);
                            if let Some(first) =
                                form.problems.with_untracked(|p| p.first().map(|p| p.field))
                            {
                                focus_field(first);
                            }
                        }
                    }
                    Ok(())
                },
            );
        })
    };

    let discard = {
        let key = drafts::key(&session, &region, &format!("new-account.{parent}"));
        move |_| {
            drafts::discard(&key);
            fields.clear();
            form.problems.set(Vec::new());
            form.error.set(None);
        }
    };

    let parent_name = {
        let parent = parent.clone();
        move || {
            parent_details.get().map(|d| match d {
                Ok(d) => d.name(&parent),
                Err(_) => parent.to_string(),
            })
        }
    };
    let parent_is_customer = move || {
        parent_details
            .get()
            .and_then(|d| d.ok())
            .and_then(|d| d.kind())
            == Some(AccountKind::Customer)
    };

    view! {
        <h1>"New account"</h1>
        <p>"Under " <strong>{parent_name}</strong> " in " {region.to_string()} "."</p>
        {restored.then(|| view! { <p class="draft-note" role="status">"Your unsent draft is back (without the password)."</p> })}
        <Show when=parent_is_customer>
            <p role="alert">"Customer accounts have no sub-accounts. Choose a partner account."</p>
        </Show>
        <datalist id="countries">
            {COUNTRIES.iter().map(|(code, name)| view! { <option value=*code>{*name}</option> }).collect_view()}
        </datalist>
        <form class="new-account" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); send.run(()); } novalidate>
            {kind_choice(kinds, fields.role, form)}
            {account_fields(fields, form)}
            {product_choice(region, parent, fields.product)}
            <FormError form retry=send />
            <div class="action-buttons">
                <SubmitButton pending=form.pending label="Create account" busy="Creating…" />
                <button type="button" on:click=discard>"Discard draft"</button>
            </div>
        </form>
    }
    .into_any()
}

/// The kinds of account this user may create, each with its first user's role.
fn kind_choice(kinds: Vec<AccountKind>, role: RwSignal<String>, form: Form) -> impl IntoView {
    let options = kinds
        .iter()
        .flat_map(|k| roles_for(*k).iter().map(move |r| (*k, r.clone())))
        .map(|(kind, r)| {
            let wire = r.as_str().to_owned();
            let id = format!("kind-{}", wire.to_lowercase());
            let checked = {
                let wire = wire.clone();
                move || role.get() == wire
            };
            let text = match kind {
                AccountKind::Partner => format!("Partner: {}", r.label()),
                AccountKind::Customer => "Customer: an organisation that backs up its data".to_owned(),
            };
            let for_id = id.clone();
            view! {
                <label class="choice" for=for_id>
                    <input type="radio" id=id name="kind" value=wire.clone() prop:checked=checked on:change=move |_| role.set(wire.clone()) />
                    " " {text}
                </label>
            }
        })
        .collect_view();
    let problem = form.problem("acl");
    view! {
        <fieldset class="choices" aria-describedby="acl-problem" aria-invalid=move || problem.get().is_some().to_string()>
            <legend>"Kind of account (required)"</legend>
            {options}
            <p id="acl-problem" class="field-problem">{move || problem.get()}</p>
        </fieldset>
    }
}

/// The first user's login and password, and the account's contact details.
fn account_fields(fields: Fields, form: Form) -> impl IntoView {
    let p = move |field: &'static str| form.problem(field);
    view! {
        <TextField id="login" label="Login of the first user" value=fields.login problem=p("login") kind="email" required=true
            hint="An email address; the account's first user signs in with it." />
        <TextField id="password" label="Password" value=fields.password problem=p("password") kind="password" autocomplete="new-password"
            hint="Optional. Without one, the region sends an activation email to the login." />
        <TextField id="fullname" label="Full name" value=fields.full_name problem=p("fullname") autocomplete="name" />
        <TextField id="email" label="Contact email" value=fields.email problem=p("email") kind="email" hint="If empty, the login is used." />
        <TextField id="companyname" label="Company" value=fields.company problem=p("companyname") autocomplete="organization" />
        <TextField id="phone" label="Phone" value=fields.phone problem=p("phone") kind="tel" autocomplete="tel" />
        <TextField id="zipcode" label="Postal code" value=fields.zip problem=p("zipcode") autocomplete="postal-code" />
        <TextField id="country" label="Country" value=fields.country problem=p("country") list="countries"
            hint="The two-letter code; start typing the country's name or code to choose it." />
        <TextField id="language" label="Language" value=fields.language problem=p("language") hint="Like en-GB, da-DK or de-DE." />
    }
}

/// The product, among those the parent's portfolio offers; none inherits from above.
fn product_choice(region: RegionId, parent: AccountId, product: RwSignal<String>) -> impl IntoView {
    let transport = use_transport();
    let portfolio = Loaded::new(move || {
        let (transport, region, parent) = (transport.clone(), region.clone(), parent.clone());
        async move { transport.call(&region, &GetPortfolio(parent)).await }
    });
    let options = move || match portfolio.get() {
        Some(Ok(p)) => p
            .products
            .into_iter()
            .map(|p| {
                let id = p.id.clone();
                let selected = move || product.get() == id;
                view! { <option value=p.id.clone() selected=selected>{p.name}</option> }
            })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    view! {
        <div class="field">
            <label for="product">"Product"</label>
            <select id="product" on:change=move |ev| product.set(event_target_value(&ev))>
                <option value="" selected=move || product.get().is_empty()>"None: inherit from the account above"</option>
                {options}
            </select>
        </div>
    }
}

/// Moves focus to a field the partner has to fix (the kind: its first choice).
fn focus_field(id: &str) {
    if id == "acl" {
        focus("input[name=kind]");
    } else {
        focus(&format!("#{id}"));
    }
}
