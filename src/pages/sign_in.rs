//! `/sign-in?region=..&next=..`: pick a region, enter a login, and go where you were headed.

use crate::components::error_notice::ErrorNotice;
use crate::components::field::TextField;
use crate::components::form::{checked, refuse, Form};
use crate::components::submit::SubmitButton;
use crate::links;
use crate::state::{use_config, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use partner_api::accounts::users::sign_in_problems;
use partner_api::demo::{DEMO_LOGINS, DEMO_PASSWORD};
use partner_api::{Family, RegionId};

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
    let form = Form::new(&[]);

    let sandbox = {
        let config = config.clone();
        move || region.with(|r| config.region(r).is_some_and(|r| r.sandbox))
    };

    // A field's problem goes as soon as the partner changes the field.
    Effect::new(move |_| {
        login.track();
        form.problems.update(|p| p.retain(|p| p.field != "login"));
    });
    Effect::new(move |_| {
        password.track();
        form.problems
            .update(|p| p.retain(|p| p.field != "password"));
    });

    // A password goes only from an encrypted page to an encrypted address (the transport's
    // rule): said before anything is typed, and the form refuses to send.
    let insecure = {
        let transport = transport.clone();
        Memo::new(move |_| {
            region.with(|r| {
                transport
                    .secure(r, Family::Accounts)
                    .err()
                    .map(|e| e.to_string())
            })
        })
    };

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, navigate) = (transport.clone(), navigate.clone());
        let r = region.get_untracked();
        let next = links::safe_next(query.with_untracked(|q| q.get("next")));
        form.submit(
            || {
                if insecure.get_untracked().is_some() {
                    return refuse(
                        "Your password was not sent: this page is not encrypted (see above).",
                    );
                }
                let (l, p) = (login.get_untracked(), password.get_untracked());
                let found = sign_in_problems(&l, &p);
                checked((l, p), found)
            },
            {
                let r = r.clone();
                move |(l, p): (String, String)| async move { transport.sign_in(&r, &l, &p).await }
            },
            move |answer| {
                let account = answer?;
                password.set(String::new());
                let to = next.unwrap_or_else(|| links::account(&r, &account));
                navigate(&to, Default::default());
                Ok(())
            },
        );
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
            {move || insecure.get().map(|why| view! {
                <p role="alert" class="insecure">
                    <strong>"Not an encrypted page. "</strong>
                    {why}
                </p>
            })}
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
                    problem=form.problem("login") />
                <TextField id="password" label="Password" value=password kind="password" autocomplete="current-password" required=true
                    problem=form.problem("password") />
                <SubmitButton pending=form.pending label="Sign in" busy="Signing in…" />
            </form>
            {move || {
                form.error
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
