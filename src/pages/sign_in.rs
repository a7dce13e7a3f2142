//! `/sign-in?region=..&next=..`: pick a region, enter a login, and go where you were headed.

use crate::components::error_notice::ErrorNotice;
use crate::components::field::TextField;
use crate::components::submit::SubmitButton;
use crate::pages::safe_next;
use crate::state::{use_config, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use partner_api::demo::{DEMO_LOGINS, DEMO_PASSWORD};
use partner_api::{ApiError, RegionId};

#[component]
pub fn SignInPage() -> impl IntoView {
    let config = use_config();
    let transport = use_transport();
    let query = use_query_map();
    let navigate = use_navigate();

    let first = query
        .with_untracked(|q| q.get("region"))
        .and_then(|r| config.region_by_str(&r).map(|r| r.id.clone()))
        .unwrap_or_else(|| config.first_region().id.clone());
    let region = RwSignal::new(first);
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login_problem = RwSignal::new(None::<&'static str>);
    let password_problem = RwSignal::new(None::<&'static str>);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let sandbox = {
        let config = config.clone();
        move || region.with(|r| config.region(r).is_some_and(|r| r.sandbox))
    };

    // A field's problem goes as soon as the partner changes the field.
    Effect::new(move |_| {
        login.track();
        login_problem.set(None);
    });
    Effect::new(move |_| {
        password.track();
        password_problem.set(None);
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let l = login.get_untracked();
        let p = password.get_untracked();
        login_problem.set(
            l.trim()
                .is_empty()
                .then_some("Enter your login (usually your email)."),
        );
        password_problem.set(p.is_empty().then_some("Enter your password."));
        if l.trim().is_empty() || p.is_empty() {
            return;
        }
        error.set(None);
        pending.set(true);
        let transport = transport.clone();
        let navigate = navigate.clone();
        let r = region.get_untracked();
        let next = safe_next(query.with_untracked(|q| q.get("next")));
        spawn_local(async move {
            match transport.sign_in(&r, &l, &p).await {
                Ok(account) => {
                    password.set(String::new());
                    let to = next.unwrap_or_else(|| format!("/accounts/{r}/{account}"));
                    navigate(&to, Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };

    let regions = config
        .regions
        .iter()
        .map(|r| {
            let id = r.id.clone();
            let value = id.to_string();
            let selected = move || region.with(|cur| cur == &id);
            view! {
                <option value=value selected=selected>
                    {r.name.clone()}
                    {r.sandbox.then_some(" (sandbox)")}
                </option>
            }
        })
        .collect_view();

    let expired = query.with_untracked(|q| q.get("expired").is_some()).then(|| {
        let name = region.with_untracked(|r| config.region(r).map_or_else(|| r.to_string(), |c| c.name.clone()));
        view! {
            <p role="alert" class="expired">
                {format!("Your session in {name} has ended: the region no longer accepts the password the portal had. ")}
                "Sign in again to continue where you were."
            </p>
        }
    });
    view! {
        <section class="sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            {expired}
            <p>
                "Each region (data center) has its own accounts and logins. "
                "Sign in to every region where you have partners or customers."
            </p>
            <form on:submit=submit novalidate>
                <div class="field">
                    <label for="region">"Region"</label>
                    <select
                        id="region"
                        name="region"
                        on:change=move |ev| {
                            if let Ok(r) = RegionId::parse(&event_target_value(&ev)) {
                                region.set(r);
                            }
                        }
                    >
                        {regions}
                    </select>
                </div>
                <TextField id="login" label="Login" value=login kind="email" autocomplete="username" required=true
                    problem=Signal::derive(move || login_problem.get().map(str::to_owned)) />
                <TextField id="password" label="Password" value=password kind="password" autocomplete="current-password" required=true
                    problem=Signal::derive(move || password_problem.get().map(str::to_owned)) />
                <SubmitButton pending label="Sign in" busy="Signing in…" />
            </form>
            {move || {
                error
                    .get()
                    .map(|e| {
                        view! { <ErrorNotice error=e region=region.get_untracked() /> }
                    })
            }}
            <Show when=sandbox>
                <DemoLogins login password />
            </Show>
        </section>
    }
}

/// The sandbox's demo logins, offered only for regions the configuration marks as a sandbox.
#[component]
pub fn DemoLogins(login: RwSignal<String>, password: RwSignal<String>) -> impl IntoView {
    view! {
        <section class="demo-logins" aria-labelledby="demo-title">
            <h2 id="demo-title">"Demo logins for this sandbox region"</h2>
            <p>"Every demo login has the password " <code>{DEMO_PASSWORD}</code> "."</p>
            <ul>
                {DEMO_LOGINS
                    .iter()
                    .map(|d| {
                        let fill = move |_| {
                            login.set(d.login.to_owned());
                            password.set(DEMO_PASSWORD.to_owned());
                        };
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="link"
                                    on:click=fill
                                    aria-label=format!("Use {}", d.login)
                                >
                                    <code>{d.login}</code>
                                </button>
                                " "
                                {d.what}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
