//! `/accounts/access?region=..&account=..`: add a person or an API account (for RMM, PSA and
//! reporting tools) to an account. The password is generated in the browser from its
//! cryptographic random source, unless the region generates both name and password. The
//! credentials are shown once, to copy or download, and kept nowhere: not in storage, not in
//! a draft, only in this page's memory until it is left.
//!
//! With `&token=NAME`, the page changes that user's or key's role instead. Either way the
//! roles offered are the ones the region lists for the account, its own included, and the
//! documented ones when it lists none (`partner_api::roles::offered_roles`).

use crate::browser::download;
use crate::components::copy_button::CopyButton;
use crate::components::field::TextField;
use crate::components::form::{checked, Form, FormDone, FormError, Refused};
use crate::components::submit::SubmitButton;
use crate::links;
use crate::resource::Loaded;
use crate::state::account::{use_details, Details};
use crate::state::create::new_password;
use crate::state::{use_config, use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::accounts::permissions::ListRoles;
use partner_api::accounts::tokens::{
    CreateToken, NewCredentials, ProbeTokenName, TokenCreate, TokenSecret, UpdateToken,
};
use partner_api::fields::{FieldProblem, Secret};
use partner_api::roles::offered_roles;
use partner_api::{AccountId, ApiError, RegionId, Role};

/// The fields a region's 400 may name.
const FIELDS: [&str; 4] = ["aname", "descr", "acl", "lifetime"];

#[component]
pub fn AccessPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| links::region_and_account(q, "account"));
    move || match target() {
        Some((region, account)) if session.is_signed_in(&region) => {
            match query.with(|q| q.get("token")) {
                Some(name) => role_form(region, account, name).into_any(),
                None => view! { <AccessForm region account /> }.into_any(),
            }
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
    let offer = offer(
        &region,
        &account,
        details,
        my_role.unwrap_or(Role::MasterAdmin),
    );
    let asked = Asked::new();
    let offered = Signal::derive(move || offer(asked.person.get()));
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
            // New credentials are shown on this page: refused at once on one that is not
            // encrypted (the transport refuses to send them too).
            let secure = transport.secure(&region, partner_api::Family::Accounts);
            form.submit(
                || {
                    secure.map_err(Refused::Form)?;
                    let (token, found) = asked.token();
                    checked(token, found)
                },
                move |token| async move {
                    // Whether the name is free is asked first (HEAD .../tokens?aname=), so a
                    // taken one is said in these words before anything is created.
                    if let TokenSecret::Chosen { name, .. } = &token.secret {
                        let probe = ProbeTokenName {
                            account: account.clone(),
                            name: name.clone(),
                        };
                        if transport.call(&region, &probe).await == Ok(false) {
                            return Err(ApiError::Conflict {
                                message: format!(
                                    "“{}” is already taken in this region: choose another name.",
                                    probe.name
                                ),
                                fields: vec![],
                            });
                        }
                    }
                    // New credentials are shown on this page: only from an encrypted one.
                    transport
                        .call_secret(&region, &CreateToken { account, token })
                        .await
                },
                move |answer| {
                    match answer {
                        Ok(c) => credentials.set(Some(c)),
                        Err(ApiError::Conflict { message, .. }) => form.put("aname", message),
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
                {role_choice(asked.role, offered, form)}
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

/// The roles the region lists for the account (`None` until both they and the account's
/// kind are known; the documented ones when the region lists none or the call fails), for
/// a person or for software, that `giver` may give.
fn offer(
    region: &RegionId,
    account: &AccountId,
    details: Loaded<Result<Details, ApiError>>,
    giver: Role,
) -> impl Fn(bool) -> Option<Vec<Role>> + Clone + Send + Sync + 'static {
    let transport = use_transport();
    let (region, account) = (region.clone(), account.clone());
    let listed = Loaded::new(move || {
        let (transport, region, call) = (
            transport.clone(),
            region.clone(),
            ListRoles(account.clone()),
        );
        async move { transport.call(&region, &call).await.ok().map(|l| l.names()) }
    });
    move |person| {
        let kind = details.get()?.ok()?.kind()?;
        Some(offered_roles(
            listed.get()?.as_deref(),
            kind,
            person,
            &giver,
        ))
    }
}

/// The roles on offer, with what each may do; a role of the region's own by its name.
fn role_choice(
    role: RwSignal<String>,
    offered: Signal<Option<Vec<Role>>>,
    form: Form,
) -> impl IntoView {
    let options = move || {
        offered
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let wire = r.as_str().to_owned();
                let id = format!(
                    "role-{}",
                    wire.to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric(), "-")
                );
                let for_id = id.clone();
                let checked = {
                    let wire = wire.clone();
                    move || role.get() == wire
                };
                let note = match r {
                    Role::Other(_) => " — a role of this region's own",
                    _ if r.is_read_only() => " — reads only",
                    _ => " — may change accounts",
                };
                view! {
                    <label class="choice" for=for_id>
                        <input type="radio" id=id name="role" value=wire.clone() prop:checked=checked on:change=move |_| role.set(wire.clone()) />
                        " " {r.label().to_owned()} <span class="hint-inline">{note}</span>
                    </label>
                }
            })
            .collect_view()
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

/// `&token=NAME`: change the role of one user or key, with the result said beside the
/// button and the region's errors above it.
fn role_form(region: RegionId, account: AccountId, name: String) -> impl IntoView {
    let session = use_session();
    let transport = use_transport();
    let me = session.credentials(&region);
    let giver = me.as_ref().and_then(|c| c.role.clone());
    let heading = format!("Change the role of {name}");
    let back = links::account(&region, &account);
    let Some(giver) = giver.filter(|r| !r.is_read_only()) else {
        return view! { <h1>{heading}</h1> <p role="alert">"Your role may only look at this account."</p> }.into_any();
    };
    if me.is_some_and(|c| c.login == name) {
        return view! {
            <h1>{heading}</h1>
            <p role="alert">"This is the login you are signed in with: another administrator can change its role."</p>
            <p><A href=back>"Back to the account"</A></p>
        }
        .into_any();
    }
    let details = use_details(region.clone(), account.clone());
    let offer = offer(&region, &account, details, giver);
    // A person's login gets a person's roles, once the account's users are loaded.
    let offered = Signal::derive({
        let name = name.clone();
        move || {
            let d = details.get()?.ok()?;
            offer(d.tokens.as_ref().ok()?.find(&name)?.primary)
        }
    });
    let role = RwSignal::new(String::new());
    let form = Form::new(&["acl"]);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region) = (transport.clone(), region.clone());
        let update = UpdateToken {
            account: account.clone(),
            name: name.clone(),
            role: Role::parse(&role.get_untracked()),
        };
        form.submit(
            || {
                let found = update.validate();
                checked(update, found)
            },
            move |update| async move {
                let said = format!("{} now has the role {}.", update.name, update.role.label());
                transport.call(&region, &update).await.map(|()| said)
            },
            move |answer| {
                form.done.set(answer?);
                Ok(())
            },
        );
    };
    view! {
        <h1>{heading}</h1>
        <form class="new-account" on:submit=submit novalidate>
            {role_choice(role, offered, form)}
            <FormError form />
            <div class="action-buttons">
                <SubmitButton pending=form.pending label="Save the role" busy="Saving…" />
                <A href=back>"Back to the account"</A>
            </div>
            <FormDone form />
        </form>
    }
    .into_any()
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
