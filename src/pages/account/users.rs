//! The account's users and API keys, with adding and removing for roles that may.

use crate::components::error_notice::ErrorNotice;
use crate::components::form::{Form, FormError};
use crate::components::format::date_time;
use crate::links;
use crate::state::account::Details;
use crate::state::{use_config, use_transport};
use leptos::prelude::*;
use partner_api::accounts::tokens::{DeleteToken, Token, TokenKind, Validity};
use partner_api::config::Page;
use partner_api::{AccountId, RegionId, Role};

#[component]
pub(super) fn UsersSection(
    d: Details,
    region: RegionId,
    id: AccountId,
    role: Option<Role>,
    changed: Callback<()>,
    own_login: String,
) -> impl IntoView {
    let may = role.as_ref().is_some_and(|r| r.may_add_access(d.kind()));
    let offers_access = use_config().shows(Page::Access);
    let transport = use_transport();
    let confirming = RwSignal::new(None::<String>);
    let form = Form::new(&[]);
    let remove = {
        let (region, id) = (region.clone(), id.clone());
        Callback::new(move |name: String| {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            form.act(
                move || async move {
                    transport
                        .call(&region, &DeleteToken { account: id, name })
                        .await
                },
                move |answer| {
                    answer?;
                    confirming.set(None);
                    changed.run(());
                    Ok(())
                },
            );
        })
    };
    let body = match &d.tokens {
        Err(e) => view! {
            <p>"The users could not be loaded."</p>
            <ErrorNotice error=e.clone() region=region.clone() retry=move |_| changed.run(()) />
        }
        .into_any(),
        Ok(list) if list.tokens.is_empty() => view! { <p>"No users or API keys."</p> }.into_any(),
        Ok(list) => {
            let rows = list
                .tokens
                .iter()
                .map(|t| {
                    // Nobody removes themselves from here: they would lock themselves out.
                    let mine = t.name == own_login;
                    let removable = may && !mine;
                    let change = (removable && offers_access)
                        .then(|| links::access_role(&region, &id, &t.name));
                    token_row(t, mine, removable.then_some((confirming, remove)), change)
                })
                .collect_view();
            view! {
                <table class="users">
                    <caption>{format!("{} users and API keys", list.tokens.len())}</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Type"</th><th scope="col">"Role"</th>
                        <th scope="col">"Description"</th><th scope="col">"Created"</th><th scope="col">"Valid"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! {
        <section aria-labelledby="users-title">
            <h2 id="users-title">"Users and API keys"</h2>
            {body}
            <FormError form />
            {(may && offers_access).then(|| view! {
                <p><a class="button-link" href=links::access(&region, &id)>"Add a user or API account"</a></p>
            })}
        </section>
    }
}

/// What a token is, as far as the region says: a person, or a secondary token (a sign-in
/// session or an API key; Keepit lists both alike) of the login it belongs to.
fn kind_words(t: &Token) -> String {
    match t.kind() {
        TokenKind::Person => "Person".into(),
        TokenKind::Secondary { of: Some(login) } => format!("Secondary token of {login}"),
        TokenKind::Secondary { of: None } => "Secondary token".into(),
    }
}

/// How long it is valid: its lifetime or expiry, "Never" only when the region gives neither.
fn validity_words(t: &Token) -> String {
    match t.validity() {
        Validity::Lifetime(words) => format!("Lifetime {words}"),
        Validity::Until(when) => format!("Until {}", date_time(&when)),
        Validity::Unlimited => "Never".into(),
    }
}

/// One user or key; `remove` offers removing it, with a confirmation in place, and `change`
/// is where its role is changed. `mine` is the login the portal is signed in with.
fn token_row(
    t: &Token,
    mine: bool,
    remove: Option<(RwSignal<Option<String>>, Callback<String>)>,
    change: Option<String>,
) -> impl IntoView {
    let master = (t.role == Role::MasterAdmin)
        .then(|| view! { <span class="mark master">"Master admin"</span> });
    let signed_in =
        mine.then(|| view! { " " <span class="mark you">"You are signed in with this"</span> });
    let action =
        remove.map(|(confirming, remove)| remove_token(t.name.clone(), confirming, remove));
    let last_use = t
        .last_use
        .as_deref()
        .map(|when| view! { <br /> <span class="hint-inline">{format!("Last used {}", date_time(when))}</span> });
    view! {
        <tr>
            <th scope="row"><code>{t.name.clone()}</code> {signed_in}</th>
            <td>{kind_words(t)}</td>
            <td>{t.role.label().to_owned()} " " {master}</td>
            <td>{t.description.clone().unwrap_or_default()}</td>
            <td>{t.created.as_deref().map(date_time).unwrap_or_default()}</td>
            <td>{validity_words(t)} {last_use}</td>
            <td>
                {change.map(|href| view! { <a href=href>"Change role" <span class="visually-hidden">{format!(" of {}", t.name)}</span> "…"</a> " " })}
                {action}
            </td>
        </tr>
    }
}

/// "Remove…", then "Remove NAME?" with Remove and Cancel in its place.
fn remove_token(
    name: String,
    confirming: RwSignal<Option<String>>,
    remove: Callback<String>,
) -> impl IntoView {
    let asking = {
        let name = name.clone();
        move || confirming.get().as_deref() == Some(name.as_str())
    };
    let ask = {
        let name = name.clone();
        move || {
            let name = name.clone();
            view! { <button type="button" class="link" on:click=move |_| confirming.set(Some(name.clone()))>"Remove…"</button> }
        }
    };
    let (label, question) = (
        format!("Remove {name}?"),
        format!("Remove {name}? It can no longer sign in. "),
    );
    view! {
        <Show when=asking fallback=ask>
            <span class="confirm" role="group" aria-label=label.clone()>
                {question.clone()}
                <button type="button" class="danger" on:click={
                    let name = name.clone();
                    move |_| remove.run(name.clone())
                }>"Remove"</button>
                " "
                <button type="button" on:click=move |_| confirming.set(None)>"Cancel"</button>
            </span>
        </Show>
    }
}
