//! `/accounts/:region/:id`: one account and its direct children. Works on reload and as a
//! shared link: credentials come back from this tab's session, and without them the page
//! says which region to sign in to and returns here afterwards.

use crate::components::copy_button::CopyButton;
use crate::components::error_notice::ErrorNotice;
use crate::components::format::date_time;
use crate::state::{use_config, use_session, use_transport};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use partner_api::calls::{GetAccount, GetContact, ListChildren, ListTokens};
use partner_api::model::{AccountSettings, ChildList, Contact, TokenList, PRIMARY_CONTACT};
use partner_api::{AccountId, ApiError, RegionId};

/// Everything the page shows about the account itself.
#[derive(Debug, Clone)]
struct Details {
    settings: AccountSettings,
    tokens: Result<TokenList, ApiError>,
    contact: Option<Contact>,
}

/// The route's parameters, checked.
fn target(region: Option<String>, id: Option<String>) -> Result<(RegionId, AccountId), String> {
    let region = region.unwrap_or_default();
    let region = RegionId::parse(&region).map_err(|e| e.to_string())?;
    let id = AccountId::parse(&id.unwrap_or_default()).map_err(|e| e.to_string())?;
    Ok((region, id))
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let params = use_params_map();
    let config = use_config();
    let session = use_session();

    let route = Memo::new(move |_| params.with(|p| target(p.get("region"), p.get("id"))));

    move || match route.get() {
        Err(problem) => view! {
            <h1>"Account"</h1>
            <p role="alert">{problem}</p>
        }
        .into_any(),
        Ok((region, _)) if config.region(&region).is_none() => view! {
            <h1>"Account"</h1>
            <p role="alert">
                "This portal does not offer the region “" {region.to_string()} "”. "
                <A href="/accounts">"Go to your accounts"</A>
            </p>
        }
        .into_any(),
        Ok((region, _)) if !session.is_signed_in(&region) => {
            let name = config
                .region(&region)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let next = web_sys::window()
                .and_then(|w| w.location().pathname().ok())
                .unwrap_or_default();
            let href = format!(
                "/sign-in?region={region}&next={}",
                partner_api::request::encode_component(&next)
            );
            view! {
                <h1>"Account"</h1>
                <p>
                    "This account is in " {name} ", where you are not signed in. "
                    <A href=href>"Sign in to " {region.to_string()}</A>
                </p>
            }
            .into_any()
        }
        Ok((region, id)) => view! { <AccountView region id /> }.into_any(),
    }
}

#[component]
fn AccountView(region: RegionId, id: AccountId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let region_name = use_config()
        .region(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let own = session.credentials(&region);
    let is_root = own.as_ref().and_then(|c| c.account.as_ref()) == Some(&id);
    let own_login = own.map(|c| c.login).unwrap_or_default();

    let details = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        LocalResource::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move {
                let contact_call = GetContact {
                    account: id.clone(),
                    kind: PRIMARY_CONTACT.into(),
                };
                let account_call = GetAccount(id.clone());
                let tokens_call = ListTokens(id.clone());
                let (settings, tokens, contact) = futures::join!(
                    transport.call(&region, &account_call),
                    transport.call(&region, &tokens_call),
                    transport.call(&region, &contact_call),
                );
                Ok::<_, ApiError>(Details {
                    settings: settings?,
                    tokens,
                    contact: contact.ok(),
                })
            }
        })
    };
    let children = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        LocalResource::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { transport.call(&region, &ListChildren(id)).await }
        })
    };

    let details_view = {
        let (region, id, region_name) = (region.clone(), id.clone(), region_name.clone());
        move || {
            let Some(result) = details.get() else {
                return view! { <p class="loading" role="status">"Loading the account…"</p> }
                    .into_any();
            };
            match result {
                Err(error) => view! {
                    <h1>"Account " <code>{id.to_string()}</code></h1>
                    <ErrorNotice error region=region.clone() retry=move |_| details.refetch() />
                }
                .into_any(),
                Ok(d) => summary(&d, &region, &region_name, &id, is_root, &own_login).into_any(),
            }
        }
    };

    let children_view = {
        let region = region.clone();
        move || {
            let Some(result) = children.get() else {
                return view! { <p class="loading" role="status">"Loading sub-accounts…"</p> }
                    .into_any();
            };
            match result {
                Err(error) => view! {
                    <ErrorNotice error region=region.clone() retry=move |_| children.refetch() />
                }
                .into_any(),
                Ok(list) => children_table(&region, list).into_any(),
            }
        }
    };

    view! {
        <article class="account">
            {details_view}
            <section aria-labelledby="children-title">
                <h2 id="children-title">"Sub-accounts"</h2>
                {children_view}
            </section>
        </article>
    }
}

fn summary(
    d: &Details,
    region: &RegionId,
    region_name: &str,
    id: &AccountId,
    is_root: bool,
    own_login: &str,
) -> impl IntoView {
    let name = d
        .contact
        .as_ref()
        .and_then(Contact::display_name)
        .map_or_else(|| id.to_string(), str::to_owned);
    let (kind, role) = match &d.tokens {
        Ok(t) => (
            t.account_kind().label().to_owned(),
            t.owner_role().map_or_else(
                || "No person on this account".to_owned(),
                |r| format!("{} ({})", r.label(), r.as_str()),
            ),
        ),
        Err(e) => (format!("Unknown: {e}"), format!("Unknown: {e}")),
    };
    let you = is_root.then(|| {
        let role = d
            .tokens
            .as_ref()
            .ok()
            .and_then(|t| t.find(own_login))
            .map(|t| t.role.as_str().to_owned())
            .unwrap_or_default();
        view! {
            <p class="you">
                "This is your own account: you are signed in as " <strong>{own_login.to_owned()}</strong>
                {(!role.is_empty()).then(|| format!(" with the role {role}"))} "."
            </p>
        }
    });
    let status = if d.settings.deletion.is_some() {
        "Deletion scheduled"
    } else if d.settings.enabled {
        "Enabled"
    } else {
        "Disabled"
    };
    let parent = (!is_root)
        .then(|| d.settings.parent.clone())
        .flatten()
        .map(|p| {
            view! {
                <dt>"Parent"</dt>
                <dd><A href=format!("/accounts/{region}/{p}")><code>{p.to_string()}</code></A></dd>
            }
        });
    let contact = d.contact.as_ref().map(|c| {
        let who = [c.full_name.clone(), c.email.clone(), c.phone.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · ");
        view! {
            <dt>"Primary contact"</dt>
            <dd>{who}</dd>
        }
    });
    view! {
        <h1>{name}</h1>
        {you}
        <dl class="facts">
            <dt>"GUID"</dt>
            <dd>
                <code class="guid">{id.to_string()}</code>
                " "
                <CopyButton text=id.to_string() label="GUID" />
            </dd>
            <dt>"Kind"</dt>
            <dd class="kind">{kind}</dd>
            <dt>"Role"</dt>
            <dd class="role">{role}</dd>
            <dt>"Status"</dt>
            <dd class="status">{status}</dd>
            <dt>"Region"</dt>
            <dd>{region_name.to_owned()}</dd>
            <dt>"Created"</dt>
            <dd>{d.settings.created.as_deref().map_or_else(|| "—".into(), date_time)}</dd>
            <dt>"Product"</dt>
            <dd>{d.settings.product.clone().unwrap_or_else(|| "None assigned to this account".into())}</dd>
            {parent}
            {contact}
        </dl>
    }
}

fn children_table(region: &RegionId, list: ChildList) -> impl IntoView {
    if list.children.is_empty() {
        return view! { <p>"This account has no sub-accounts."</p> }.into_any();
    }
    let count = list.children.len();
    let rows = list
        .children
        .into_iter()
        .map(|c| {
            let href = format!("/accounts/{region}/{}", c.id);
            let name = c.display_name().to_owned();
            view! {
                <tr>
                    <th scope="row"><A href=href>{name}</A></th>
                    <td>{c.email.unwrap_or_default()}</td>
                    <td><code>{c.id.to_string()}</code></td>
                    <td>{c.created.as_deref().map(date_time).unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="children">
            <caption>{format!("{count} direct sub-account{}", if count == 1 { "" } else { "s" })}</caption>
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Email"</th>
                    <th scope="col">"GUID"</th>
                    <th scope="col">"Created"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
