//! `/accounts/access?region=..&account=..`: add a person or an API account (for RMM, PSA and
//! reporting tools) to an account. The password is generated in the browser from its
//! cryptographic random source, unless the region generates both name and password. The
//! credentials are shown once, to copy or download, and kept nowhere: not in storage, not in
//! a draft, only in this page's memory until it is left.

use crate::browser::download;
use crate::components::copy_button::CopyButton;
use crate::components::field::TextField;
use crate::components::form::{checked, Form, FormError};
use crate::components::submit::SubmitButton;
use crate::links;
use crate::state::account::use_details;
use crate::state::create::new_password;
use crate::state::{use_config, use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::accounts::tokens::{CreateToken, NewCredentials, TokenCreate, TokenSecret};
use partner_api::fields::{FieldProblem, Secret};
use partner_api::roles::{api_roles_for, roles_for};
use partner_api::{AccountId, AccountKind, ApiError, RegionId, Role};

/// The fields a region's 400 may name.
const FIELDS: [&str; 4] = ["aname", "descr", "acl", "lifetime"];

#[component]
pub fn AccessPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| links::region_and_account(q, "account"));
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

/// What the form asks, as typed.
#[derive(Clone, Copy)]
struct Asked {
    /// A person (a login with a role) rather than software (an API key).
    person: RwSignal<bool>,
    name: RwSignal<String>,
    description: RwSignal<String>,
    role: RwSignal<String>,
    lifetime: RwSignal<String>,
    generated_by_region: RwSignal<bool>,
}

impl Asked {
    fn new() -> Self {
        Asked {
            person: RwSignal::new(false),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            role: RwSignal::new(String::new()),
            lifetime: RwSignal::new(String::new()),
            generated_by_region: RwSignal::new(false),
        }
    }

    /// The token to create, with a fresh password unless the region makes one, and the
    /// core's problems with what was typed (the generated password always passes).
    fn token(self) -> (TokenCreate, Vec<FieldProblem>) {
        let is_person = self.person.get_untracked();
        let secret = if self.generated_by_region.get_untracked() && !is_person {
            TokenSecret::Generated
        } else {
            TokenSecret::Chosen {
                name: self.name.get_untracked().trim().to_owned(),
                password: Secret(new_password()),
            }
        };
        let token = TokenCreate {
            role: Role::parse(&self.role.get_untracked()),
            description: self.description.get_untracked().trim().to_owned(),
            secret,
            lifetime: Some(self.lifetime.get_untracked()).filter(|l| !l.is_empty()),
            expires: None,
            primary: is_person,
            single_use: false,
            responsibilities: Vec::new(),
        };
        let found = token.validate();
        (token, found)
    }
}

#[component]
fn AccessForm(region: RegionId, account: AccountId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let config = use_config();
    let my_role: Option<Role> = session.credentials(&region).and_then(|c| c.role);
    if my_role.as_ref().is_none_or(Role::is_read_only) {
        return view! {
            <h1>"Add a user or API account"</h1>
            <p role="alert">"Your role may only look at this account."</p>
        }
        .into_any();
    }
    let details = use_details(region.clone(), account.clone());
    let kind = Signal::derive(move || details.get().and_then(|d| d.ok()).and_then(|d| d.kind()));
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
    let region_name = config
        .region(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();

    let asked = Asked::new();
    let form = Form::new(&FIELDS);
    let credentials = RwSignal::new(None::<NewCredentials>);
    let submit = {
        let (region, account) = (region.clone(), account.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            // Shown once: a second create from this page would be a second key.
            if credentials.with_untracked(Option::is_some) {
                return;
            }
            let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
            form.submit(
                || {
                    let (token, found) = asked.token();
                    checked(token, found)
                },
                move |token| async move {
                    transport
                        .call(&region, &CreateToken { account, token })
                        .await
                },
                move |answer| {
                    match answer {
                        Ok(c) => credentials.set(Some(c)),
                        Err(ApiError::Conflict(m)) => form.put("aname", m),
                        Err(e) => return Err(e),
                    }
                    Ok(())
                },
            );
        }
    };

    let back = links::account(&region, &account);
    let back_after = back.clone();
    let shown = {
        let (region_name, region) = (region_name.clone(), region.clone());
        move || {
            credentials
                .get()
                .map(|c| shown_credentials(c, region_name.clone(), &region))
        }
    };
    view! {
        <h1>"Add a user or API account"</h1>
        <p class="scope">
            "On " <strong>{name_of_account.clone()}</strong> " in " {region_name} ". "
            "It will see " <strong>{name_of_account}</strong>
            " and every account below it, and nothing above or beside it."
        </p>
        <Show when=move || credentials.with(Option::is_none) fallback=shown>
            <form class="new-account" on:submit=submit.clone() novalidate>
                {who_fields(asked, form)}
                <TextField id="descr" label="What it is for" value=asked.description problem=form.problem("descr") required=true
                    hint="Shown in the list of users and keys, like “ConnectWise sync”." />
                {role_choice(asked, kind, form)}
                <div class="field">
                    <label for="lifetime">"Valid for"</label>
                    <select id="lifetime" on:change=move |ev| asked.lifetime.set(event_target_value(&ev))>
                        <option value="">"No end"</option>
                        <option value="P30D">"30 days"</option>
                        <option value="P90D">"90 days"</option>
                        <option value="P365D">"1 year"</option>
                    </select>
                </div>
                <p class="hint">"The password is generated in this browser: 28 characters that cannot be confused with one another."</p>
                <FormError form />
                <div class="action-buttons">
                    <SubmitButton pending=form.pending label="Create" busy="Creating…" />
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

/// Who will use it (software or a person), and for software whether the region names it.
fn who_fields(asked: Asked, form: Form) -> impl IntoView {
    let Asked {
        person,
        generated_by_region,
        role,
        ..
    } = asked;
    view! {
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
            <TextField id="aname" label=if person.get_untracked() { "Login (an email address)" } else { "Name" } value=asked.name problem=form.problem("aname") required=true
                hint="For software, a name that says what it is for, like mypartnership-api. For a person, their email address." />
        </Show>
    }
}

/// The roles on offer for the kind of account and of user, with what each may do.
fn role_choice(asked: Asked, kind: Signal<Option<AccountKind>>, form: Form) -> impl IntoView {
    let Asked { person, role, .. } = asked;
    let options = move || {
        let Some(k) = kind.get() else {
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
    let problem = form.problem("acl");
    view! {
        <fieldset class="choices" aria-describedby="acl-problem">
            <legend>"Role (required)"</legend>
            {options}
            <p id="acl-problem" class="field-problem">{move || problem.get()}</p>
        </fieldset>
    }
}

/// The new credentials, shown this once, to copy or download.
fn shown_credentials(
    credentials: NewCredentials,
    region_name: String,
    region: &RegionId,
) -> impl IntoView {
    let c = credentials;
    let region_label = region.to_string();
    let text = format!(
        "Region: {region_name} ({region_label})\nName: {}\nPassword: {}\n",
        c.name,
        c.password.expose()
    );
    let json = serde_json::json!({ "region": region_label, "name": c.name, "password": c.password.expose() }).to_string();
    let file = c
        .name
        .replace(|ch: char| !ch.is_ascii_alphanumeric() && ch != '-', "_");
    let (text_file, json_file) = (format!("{file}.txt"), format!("{file}.json"));
    view! {
        <section class="credentials" aria-labelledby="credentials-title">
            <h2 id="credentials-title">"Credentials: shown this once"</h2>
            <p role="alert" class="warning">
                "Copy or download them now. The password cannot be shown again; the portal keeps no copy."
            </p>
            <dl class="facts">
                <dt>"Region"</dt><dd>{region_name} " (" {region_label} ")"</dd>
                <dt>"Name"</dt><dd><code class="cred-name">{c.name.clone()}</code> " " <CopyButton text=c.name.clone() label="name" /></dd>
                <dt>"Password"</dt><dd><code class="cred-password">{c.password.expose().to_owned()}</code> " " <CopyButton text=c.password.expose().to_owned() label="password" /></dd>
            </dl>
            <div class="action-buttons">
                <button type="button" on:click=move |_| download(&text_file, "text/plain", &text)>"Download as text"</button>
                <button type="button" on:click=move |_| download(&json_file, "application/json", &json)>"Download as JSON"</button>
            </div>
        </section>
    }
}
