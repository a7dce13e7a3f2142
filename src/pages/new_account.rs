//! `/accounts/new?region=..&parent=..`: a partner or customer account under an account the
//! signed-in user manages. Every field of `user_create`; checked before anything is sent; the
//! region's 400 and 409 put back on the fields; created exactly once (see [`crate::create`]);
//! the draft survives a reload, without the password.

use crate::components::error_notice::ErrorNotice;
use crate::components::field::TextField;
use crate::components::submit::SubmitButton;
use crate::create::{create_account, new_external_id};
use crate::pages::account::load_details;
use crate::state::{drafts, use_session, use_transport};
use crate::tree::load::{reload_children_of, use_tree};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use partner_api::calls::GetPortfolio;
use partner_api::countries::COUNTRIES;
use partner_api::writes::{field_problems, roles_for, FieldProblem, Secret, UserCreate};
use partner_api::{AccountId, AccountKind, ApiError, RegionId, Role};
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
    /// Kept with the draft, so a send after a reload is recognised as the same create.
    external_id: String,
}

#[component]
pub fn NewAccountPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| super::region_and_account(q, "parent"));
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
                    Some(view! { <li><A href=format!("/accounts/new?region={r}&parent={a}")>{format!("Under your own account in {r} ({login})")}</A></li> })
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

#[component]
fn NewAccountForm(region: RegionId, parent: AccountId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let store = use_tree();
    let navigate = use_navigate();
    let my_role: Option<Role> = session.credentials(&region).and_then(|c| c.role);
    let kinds: Vec<AccountKind> = my_role
        .as_ref()
        .map(|r| r.may_create().to_vec())
        .unwrap_or_default();
    let draft_key = format!("new-account.{region}.{parent}");

    let parent_details = {
        let (transport, region, parent) = (transport.clone(), region.clone(), parent.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, parent) = (transport.clone(), region.clone(), parent.clone());
            async move { load_details(&transport, &region, &parent).await }
        })
    };
    let portfolio = {
        let (transport, region, parent) = (transport.clone(), region.clone(), parent.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, parent) = (transport.clone(), region.clone(), parent.clone());
            async move { transport.call(&region, &GetPortfolio(parent)).await }
        })
    };

    // The draft: restored, and saved as it changes (never the password).
    let saved: Draft = drafts::load(&draft_key).unwrap_or_default();
    let restored = saved != Draft::default();
    let role = RwSignal::new(saved.role.clone());
    let login = RwSignal::new(saved.login.clone());
    let password = RwSignal::new(String::new());
    let full_name = RwSignal::new(saved.full_name.clone());
    let email = RwSignal::new(saved.email.clone());
    let company = RwSignal::new(saved.company.clone());
    let phone = RwSignal::new(saved.phone.clone());
    let zip = RwSignal::new(saved.zip.clone());
    let country = RwSignal::new(saved.country.clone());
    let language = RwSignal::new(saved.language.clone());
    let product = RwSignal::new(saved.product.clone());
    let external_id = RwSignal::new(if saved.external_id.is_empty() {
        new_external_id()
    } else {
        saved.external_id.clone()
    });
    let draft = move || Draft {
        role: role.get(),
        login: login.get(),
        full_name: full_name.get(),
        email: email.get(),
        company: company.get(),
        phone: phone.get(),
        zip: zip.get(),
        country: country.get(),
        language: language.get(),
        product: product.get(),
        external_id: external_id.get(),
    };
    let sent = StoredValue::new(false);
    {
        let key = draft_key.clone();
        Effect::new(move |_| {
            let d = draft();
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

    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let problem = move |field: &'static str| crate::components::field::problem_for(problems, field);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let body = move || UserCreate {
        login: login.get_untracked().trim().to_owned(),
        password: Some(password.get_untracked())
            .filter(|p| !p.is_empty())
            .map(Secret),
        external_id: Some(external_id.get_untracked()),
        acl: Some(role.get_untracked())
            .filter(|r| !r.is_empty())
            .map(|r| Role::parse(&r)),
        product: Some(product.get_untracked()).filter(|p| !p.is_empty()),
        full_name: Some(full_name.get_untracked()).filter(|v| !v.trim().is_empty()),
        email: Some(email.get_untracked()).filter(|v| !v.trim().is_empty()),
        company_name: Some(company.get_untracked()).filter(|v| !v.trim().is_empty()),
        zip_code: Some(zip.get_untracked()).filter(|v| !v.trim().is_empty()),
        phone: Some(phone.get_untracked()).filter(|v| !v.trim().is_empty()),
        country: Some(country.get_untracked().trim().to_ascii_uppercase())
            .filter(|v| !v.is_empty()),
        language: Some(language.get_untracked()).filter(|v| !v.trim().is_empty()),
        attributes: Vec::new(),
    };

    let send: Callback<()> = {
        let (transport, region, parent, navigate, key) = (
            transport.clone(),
            region.clone(),
            parent.clone(),
            navigate.clone(),
            draft_key.clone(),
        );
        let kinds = kinds.clone();
        Callback::new(move |_| {
            if pending.get_untracked() {
                return;
            }
            let account = body();
            let mut found = account.validate();
            let allowed = kinds
                .iter()
                .flat_map(|k| roles_for(*k))
                .any(|r| Some(r) == account.acl.as_ref());
            if !allowed {
                found.insert(
                    0,
                    FieldProblem {
                        field: "acl",
                        message: "Choose the kind of account.".into(),
                    },
                );
            }
            problems.set(found.clone());
            if let Some(first) = found.first() {
                focus_field(first.field);
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region, parent, navigate, key) = (
                transport.clone(),
                region.clone(),
                parent.clone(),
                navigate.clone(),
                key.clone(),
            );
            spawn_local(async move {
                match create_account(&transport, &region, &parent, &account).await {
                    Ok(id) => {
                        sent.set_value(true);
                        drafts::discard(&key);
                        password.set(String::new());
                        reload_children_of(store, transport.clone(), &region, &parent);
                        navigate(&format!("/accounts/{region}/{id}"), Default::default());
                    }
                    Err(ApiError::BadRequest { message, .. }) => {
                        let (named, other) = field_problems(&message, &FIELDS);
                        if let Some(first) = named.first() {
                            focus_field(first.field);
                        }
                        problems.set(named);
                        if !other.is_empty() {
                            error.set(Some(ApiError::BadRequest {
                                message: other.join(" "),
                                fields: vec![],
                            }));
                        }
                    }
                    Err(ApiError::Conflict(m)) if m.contains("login") => {
                        problems.set(vec![FieldProblem {
                            field: "login",
                            message: m,
                        }]);
                        focus_field("login");
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        })
    };

    let discard = {
        let key = draft_key.clone();
        move |_| {
            drafts::discard(&key);
            for s in [
                role, login, password, full_name, email, company, phone, zip, country, language,
                product,
            ] {
                s.set(String::new());
            }
            external_id.set(new_external_id());
            problems.set(Vec::new());
            error.set(None);
        }
    };

    let kind_options = kinds
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

    let product_options = move || match portfolio.get() {
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

    let parent_name = move || {
        parent_details.get().map(|d| match d {
            Ok(d) => d.name(&parent),
            Err(_) => parent.to_string(),
        })
    };
    let parent_is_customer = move || {
        parent_details
            .get()
            .and_then(|d| d.ok())
            .and_then(|d| d.kind())
            == Some(AccountKind::Customer)
    };

    if kinds.is_empty() {
        return view! {
            <h1>"New account"</h1>
            <p role="alert">"Your role may not create accounts in this region."</p>
        }
        .into_any();
    }

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
            <fieldset class="choices" aria-describedby="acl-problem" aria-invalid=move || problem("acl").get().is_some().to_string()>
                <legend>"Kind of account (required)"</legend>
                {kind_options}
                <p id="acl-problem" class="field-problem">{move || problem("acl").get()}</p>
            </fieldset>
            <TextField id="login" label="Login of the first user" value=login problem=problem("login") kind="email" required=true
                hint="An email address; the account's first user signs in with it." />
            <TextField id="password" label="Password" value=password problem=problem("password") kind="password" autocomplete="new-password"
                hint="Optional. Without one, the region sends an activation email to the login." />
            <TextField id="fullname" label="Full name" value=full_name problem=problem("fullname") autocomplete="name" />
            <TextField id="email" label="Contact email" value=email problem=problem("email") kind="email" hint="If empty, the login is used." />
            <TextField id="companyname" label="Company" value=company problem=problem("companyname") autocomplete="organization" />
            <TextField id="phone" label="Phone" value=phone problem=problem("phone") kind="tel" autocomplete="tel" />
            <TextField id="zipcode" label="Postal code" value=zip problem=problem("zipcode") autocomplete="postal-code" />
            <TextField id="country" label="Country" value=country problem=problem("country") list="countries"
                hint="The two-letter code; start typing the country's name or code to choose it." />
            <TextField id="language" label="Language" value=language problem=problem("language") hint="Like en-GB, da-DK or de-DE." />
            <div class="field">
                <label for="product">"Product"</label>
                <select id="product" on:change=move |ev| product.set(event_target_value(&ev))>
                    <option value="" selected=move || product.get().is_empty()>"None: inherit from the account above"</option>
                    {product_options}
                </select>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e retry=move |_| send.run(()) /> })}
            <div class="action-buttons">
                <SubmitButton pending label="Create account" busy="Creating…" />
                <button type="button" on:click=discard>"Discard draft"</button>
            </div>
        </form>
    }
    .into_any()
}

/// Moves focus to a field the partner has to fix.
fn focus_field(id: &str) {
    use wasm_bindgen::JsCast;
    let target = if id == "acl" {
        "kind-".to_owned()
    } else {
        id.to_owned()
    };
    let el = web_sys::window().and_then(|w| w.document()).and_then(|d| {
        if id == "acl" {
            d.query_selector("input[name=kind]").ok().flatten()
        } else {
            d.get_element_by_id(&target)
        }
    });
    if let Some(el) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}
