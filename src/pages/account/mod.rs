//! `/accounts/:region/:id`: one account. Works on reload and as a shared link: credentials
//! come back from this tab's session, and without them the page says which region to sign in
//! to and returns here afterwards.
//!
//! The page is its parts, side by side: the summary, what may be done to the account
//! ([`manage`], with its move and delete panels inside it), the export, the contacts, the users and
//! API keys, and the sub-accounts.

mod children;
mod contacts;
mod export;
mod manage;
mod summary;
mod users;

use crate::components::error_notice::ErrorNotice;
use crate::links;
use crate::resource::Loaded;
use crate::state::account::{use_ancestors, use_details};
use crate::state::{use_config, use_session, use_transport};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use partner_api::accounts::children::ListChildren;
use partner_api::{AccountId, RegionId, Role};

/// The route's parameters, checked.
fn target(region: Option<String>, id: Option<String>) -> Result<(RegionId, AccountId), String> {
    let region = RegionId::parse(&region.unwrap_or_default()).map_err(|e| e.to_string())?;
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
                <A href=links::ACCOUNTS>"Go to your accounts"</A>
            </p>
        }
        .into_any(),
        Ok((region, _)) if !session.is_signed_in(&region) => {
            let name = config
                .region(&region)
                .map(|r| r.name.clone())
                .unwrap_or_default();
            let href = links::sign_in(Some(&region), &crate::browser::location());
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

/// Who is looking at the account: decides what the page offers.
#[derive(Clone)]
struct Viewer {
    login: String,
    role: Option<Role>,
    /// The account is the one the partner signed in to.
    is_root: bool,
}

#[component]
fn AccountView(region: RegionId, id: AccountId) -> impl IntoView {
    let transport = use_transport();
    let region_name = use_config()
        .region(&region)
        .map(|r| r.name.clone())
        .unwrap_or_default();
    let own = use_session().credentials(&region);
    let viewer = Viewer {
        is_root: own.as_ref().and_then(|c| c.account.as_ref()) == Some(&id),
        login: own.as_ref().map(|c| c.login.clone()).unwrap_or_default(),
        role: own.and_then(|c| c.role),
    };

    let details = use_details(region.clone(), id.clone());
    let ancestors = use_ancestors(region.clone(), id.clone());
    let children = {
        let (region, id) = (region.clone(), id.clone());
        Loaded::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { transport.call(&region, &ListChildren(id)).await }
        })
    };
    reveal_in_tree(region.clone(), ancestors);
    let done = RwSignal::new(String::new());
    let refresh = Callback::new(move |_: ()| {
        details.refetch();
        ancestors.refetch();
        children.refetch();
    });

    let crumbs = {
        let (region, id) = (region.clone(), id.clone());
        move || {
            let id = id.clone();
            let list = ancestors.get().unwrap_or_default();
            (!list.is_empty()).then(|| {
                let items = list
                    .into_iter()
                    .map(|a| view! { <li><A href=links::account(&region, &a.id)>{a.name}</A></li> })
                    .collect_view();
                view! {
                    <nav class="breadcrumbs" aria-label="Where this account sits">
                        <ol>{items}<li aria-current="page">{move || details.get().and_then(|d| d.ok()).map(|d| d.name(&id))}</li></ol>
                    </nav>
                }
            })
        }
    };

    let details_view = {
        let (region, id) = (region.clone(), id.clone());
        move || {
            // The page has its heading while it loads, too.
            let Some(result) = details.get() else {
                return view! {
                    <h1>"Account " <code>{id.to_string()}</code></h1>
                    <p class="loading" role="status">"Loading the account…"</p>
                }
                .into_any();
            };
            let d =
                match result {
                    Err(error) => return view! {
                        <h1>"Account " <code>{id.to_string()}</code></h1>
                        <ErrorNotice error region=region.clone() retry=move |_| details.refetch() />
                    }
                    .into_any(),
                    Ok(d) => d,
                };
            let list = ancestors.get().unwrap_or_default();
            let tools = Tools {
                d: d.clone(),
                region: region.clone(),
                id: id.clone(),
                viewer: viewer.clone(),
                refresh,
                done,
            };
            view! {
                {summary::summary(&d, &list, &region, &region_name, &id, viewer.is_root, &viewer.login)}
                {crate::chunks::lazy(|| Box::pin(account_tools()), move |make| make(tools.clone()), "the account's tools", true)}
            }
            .into_any()
        }
    };

    let children_view = move || {
        let Some(result) = children.get() else {
            return view! { <p class="loading" role="status">"Loading sub-accounts…"</p> }
                .into_any();
        };
        match result {
            Err(error) => view! { <ErrorNotice error region=region.clone() retry=move |_| children.refetch() /> }.into_any(),
            Ok(list) => children::children_table(&region, list).into_any(),
        }
    };

    view! {
        <article class="account">
            {crumbs}
            <p role="status" class="action-done">{move || done.get()}</p>
            {details_view}
            <section aria-labelledby="children-title">
                <h2 id="children-title">"Sub-accounts"</h2>
                {children_view}
            </section>
        </article>
    }
}

/// What the account's tools need from the page.
#[derive(Clone)]
struct Tools {
    d: crate::state::account::Details,
    region: RegionId,
    id: AccountId,
    viewer: Viewer,
    refresh: Callback<()>,
    done: RwSignal<String>,
}

type MakeTools = fn(Tools) -> AnyView;

// What may be done to the account, its export, contacts, users and API keys: a chunk of its
// own in a release build, fetched once the account's details are here and the tree's first
// level is drawn, so the first screen (the tree, the summary, the sub-accounts) does not
// share the network with it.
crate::chunks::chunk!(
    account_tools,
    preload_account_tools,
    account_tools,
    MakeTools,
    tools_view
);

fn tools_view(t: Tools) -> AnyView {
    let Tools {
        d,
        region,
        id,
        viewer,
        refresh,
        done,
    } = t;
    let role = viewer.role.clone();
    view! {
        <manage::AccountActions
            region=region.clone()
            id=id.clone()
            details=d.clone()
            is_root=viewer.is_root
            role=role.clone()
            changed=refresh
            done
        />
        <export::ExportSubtree region=region.clone() id=id.clone() name=d.name(&id) />
        {contacts::contacts_section(&d, &region, &id, role.clone(), refresh)}
        <users::UsersSection d=d region id role changed=refresh own_login=viewer.login />
    }
    .into_any()
}

/// A shared link: opens the tree down to this account once the accounts above it are known.
fn reveal_in_tree(region: RegionId, ancestors: Loaded<Vec<crate::state::account::Ancestor>>) {
    let transport = use_transport();
    let store = crate::tree::load::use_tree();
    Effect::new(move |_| {
        if let Some(list) = ancestors.get() {
            let path: Vec<AccountId> = list.into_iter().map(|a| a.id).collect();
            if !path.is_empty() {
                // A tree load belongs to the tree on screen, not to this page.
                crate::tree::load::reveal(store, transport.clone(), region.clone(), path);
            }
        }
    });
}
