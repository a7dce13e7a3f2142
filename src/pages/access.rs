//! `/accounts/access?region=..&account=..`: add a person or an API account (for RMM, PSA and
//! reporting tools) to an account. The password is generated in the browser from its
//! cryptographic random source, unless the region generates both name and password. The
//! credentials are shown once, to copy or download, and kept nowhere: not in storage, not in
//! a draft, only in this page's memory until it is left.

use crate::components::copy_button::CopyButton;
use crate::components::error_notice::ErrorNotice;
use crate::components::field::TextField;
use crate::components::submit::SubmitButton;
use crate::create::new_password;
use crate::pages::account::load_details;
use crate::state::{use_config, use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::calls::CreateToken;
use partner_api::writes::{
    api_roles_for, roles_for, FieldProblem, NewCredentials, Secret, TokenCreate, TokenSecret,
};
use partner_api::{AccountId, AccountKind, ApiError, RegionId, Role};

#[component]
pub fn AccessPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| super::region_and_account(q, "account"));
    move || match target() {
        Some((region, account)) if session.is_signed_in(&region) => {
            view! { <AccessForm region account /> }.into_any()
        }
        _ => view! {
            <h1>"Add a user or API account"</h1>
            <p>"Open an account, then use “Add a user or API account” in its users section."</p>
        }
        .into_any(),
    }
}

/// Offers a text as a file to save, through a temporary object URL.
pub fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[component]
fn AccessForm(region: RegionId, account: AccountId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let config = use_config();
    let my_role: Option<Role> = session.credentials(&region).and_then(|c| c.role);
    let may = my_role.as_ref().is_some_and(|r| !r.is_read_only());
    let details = {
        let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
            async move { load_details(&transport, &region, &account).await }
        })
    };
    let kind = move || details.get().and_then(|d| d.ok()).and_then(|d| d.kind());
    let name_of_account = {
        let account = account.clone();
        move || {
            details
                .get()
                .and_then(|d| d.ok())
                .map(|d| d.name(&account))
                .unwrap_or_else(|| account.to_string())
        }
    };

    let person = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let lifetime = RwSignal::new(String::new());
    let generated_by_region = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<FieldProblem>::new());
    let problem = move |field: &'static str| crate::components::field::problem_for(problems, field);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let credentials = RwSignal::new(None::<NewCredentials>);

    let submit = {
        let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() || credentials.with_untracked(Option::is_some) {
                return;
            }
            let is_person = person.get_untracked();
            let secret = if generated_by_region.get_untracked() && !is_person {
                TokenSecret::Generated
            } else {
                TokenSecret::Chosen {
                    name: name.get_untracked().trim().to_owned(),
                    password: Secret(new_password()),
                }
            };
            let token = TokenCreate {
                role: Role::parse(&role.get_untracked()),
                description: description.get_untracked().trim().to_owned(),
                secret,
                lifetime: Some(lifetime.get_untracked()).filter(|l| !l.is_empty()),
                expires: None,
                primary: is_person,
                single_use: false,
                responsibilities: Vec::new(),
            };
            let mut found = token.validate();
            if role.get_untracked().is_empty() {
                found.retain(|p| p.field != "acl");
                found.insert(
                    0,
                    FieldProblem {
                        field: "acl",
                        message: "Choose a role.".into(),
                    },
                );
            }
            if is_person {
                if let Err(e) = partner_api::validate::email(&name.get_untracked()) {
                    found.retain(|p| p.field != "aname");
                    found.insert(
                        0,
                        FieldProblem {
                            field: "aname",
                            message: e,
                        },
                    );
                }
            }
            // The generated password is always long enough; only the other fields count.
            found.retain(|p| p.field != "apass");
            problems.set(found.clone());
            if !found.is_empty() {
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
            spawn_local(async move {
                match transport
                    .call(&region, &CreateToken { account, token })
                    .await
                {
                    Ok(c) => credentials.set(Some(c)),
                    Err(ApiError::Conflict(m)) => problems.set(vec![FieldProblem {
                        field: "aname",
                        message: m,
                    }]),
                    Err(ApiError::BadRequest { message, .. }) => {
                        let (named, other) = partner_api::writes::field_problems(
                            &message,
                            &["aname", "descr", "acl", "lifetime"],
                        );
                        problems.set(named);
                        if !other.is_empty() {
                            error.set(Some(ApiError::BadRequest {
                                message: other.join(" "),
                                fields: vec![],
                            }));
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };

    let role_options = move || {
        let Some(k) = kind() else {
            return ().into_any();
        };
        let roles: &[Role] = if person.get() {
            roles_for(k)
        } else {
            api_roles_for(k)
        };
        roles
            .iter()
            .map(|r| {
                let wire = r.as_str().to_owned();
                let id = format!("role-{}", wire.to_lowercase());
                let for_id = id.clone();
                let checked = {
                    let wire = wire.clone();
                    move || role.get() == wire
                };
                let note = if r.is_read_only() { " — reads only" } else { " — may change accounts" };
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" id=id name="role" value=wire.clone() prop:checked=checked on:change=move |_| role.set(wire.clone()) />
                        " " {r.label().to_owned()} <span class="hint-inline">{note}</span>
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };

    let region_name = config
        .region(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let region_label = region.to_string();
    let shown = {
        let (region_name, region_label) = (region_name.clone(), region_label.clone());
        move || {
            credentials.get().map(|c| {
                let text = format!(
                    "Region: {region_name} ({region_label})\nName: {}\nPassword: {}\n",
                    c.name,
                    c.password.expose()
                );
                let json = serde_json::json!({ "region": region_label, "name": c.name, "password": c.password.expose() }).to_string();
                let file = c.name.replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '-', "_");
                let (text_file, json_file) = (format!("{file}.txt"), format!("{file}.json"));
                view! {
                    <section class="credentials" aria-labelledby="credentials-title">
                        <h2 id="credentials-title">"Credentials: shown this once"</h2>
                        <p role="alert" class="warning">
                            "Copy or download them now. The password cannot be shown again; the portal keeps no copy."
                        </p>
                        <dl class="facts">
                            <dt>"Region"</dt><dd>{region_name.clone()} " (" {region_label.clone()} ")"</dd>
                            <dt>"Name"</dt><dd><code class="cred-name">{c.name.clone()}</code> " " <CopyButton text=c.name.clone() label="name" /></dd>
                            <dt>"Password"</dt><dd><code class="cred-password">{c.password.expose().to_owned()}</code> " " <CopyButton text=c.password.expose().to_owned() label="password" /></dd>
                        </dl>
                        <div class="action-buttons">
                            <button type="button" on:click=move |_| download(&text_file, "text/plain", &text)>"Download as text"</button>
                            <button type="button" on:click=move |_| download(&json_file, "application/json", &json)>"Download as JSON"</button>
                        </div>
                    </section>
                }
            })
        }
    };

    if !may {
        return view! {
            <h1>"Add a user or API account"</h1>
            <p role="alert">"Your role may only look at this account."</p>
        }
        .into_any();
    }

    let back = format!("/accounts/{region}/{account}");
    let back_after = back.clone();
    view! {
        <h1>"Add a user or API account"</h1>
        <p class="scope">
            "On " <strong>{name_of_account.clone()}</strong> " in " {region_name.clone()} ". "
            "It will see " <strong>{name_of_account}</strong>
            " and every account below it, and nothing above or beside it."
        </p>
        <Show when=move || credentials.with(Option::is_none) fallback=shown.clone()>
            <form class="new-account" on:submit=submit.clone() novalidate>
                <fieldset class="choices">
                    <legend>"Who will use it"</legend>
                    <label class="choice" for="who-api">
                        <input type="radio" id="who-api" name="who" prop:checked=move || !person.get() on:change=move |_| { person.set(false); role.set(String::new()); } />
                        " Software: an API account for an RMM, PSA or reporting tool (no notifications)"
                    </label>
                    <label class="choice" for="who-person">
                        <input type="radio" id="who-person" name="who" prop:checked=move || person.get() on:change=move |_| { person.set(true); role.set(String::new()); } />
                        " A person: a login with a role on this account"
                    </label>
                </fieldset>
                <Show when=move || !person.get()>
                    <label class="choice" for="region-generates">
                        <input type="checkbox" id="region-generates" prop:checked=generated_by_region on:change=move |ev| generated_by_region.set(event_target_checked(&ev)) />
                        " Let the region choose the name and the password"
                    </label>
                </Show>
                <Show when=move || person.get() || !generated_by_region.get()>
                    <TextField id="aname" label=if person.get_untracked() { "Login (an email address)" } else { "Name" } value=name problem=problem("aname") required=true
                        hint="For software, a name that says what it is for, like mypartnership-api. For a person, their email address." />
                </Show>
                <TextField id="descr" label="What it is for" value=description problem=problem("descr") required=true
                    hint="Shown in the list of users and keys, like “ConnectWise sync”." />
                <fieldset class="choices" aria-describedby="acl-problem">
                    <legend>"Role (required)"</legend>
                    {role_options}
                    <p id="acl-problem" class="field-problem">{move || problem("acl").get()}</p>
                </fieldset>
                <div class="field">
                    <label for="lifetime">"Valid for"</label>
                    <select id="lifetime" on:change=move |ev| lifetime.set(event_target_value(&ev))>
                        <option value="">"No end"</option>
                        <option value="P30D">"30 days"</option>
                        <option value="P90D">"90 days"</option>
                        <option value="P365D">"1 year"</option>
                    </select>
                </div>
                <p class="hint">"The password is generated in this browser: 28 characters that cannot be confused with one another."</p>
                {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                <div class="action-buttons">
                    <SubmitButton pending label="Create" busy="Creating…" />
                    <A href=back.clone()>"Cancel"</A>
                </div>
            </form>
        </Show>
        <Show when=move || credentials.with(Option::is_some)>
            <p><A href=back_after.clone()>"Done: back to the account"</A></p>
        </Show>
    }
    .into_any()
}

/// Whether the signed-in role may add users on an account of `kind`.
pub fn may_add_access(role: Option<&Role>, kind: Option<AccountKind>) -> bool {
    role.is_some_and(|r| !r.is_read_only()) && kind.is_some()
}
