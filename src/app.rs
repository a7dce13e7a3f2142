//! The root: configuration problems, or the portal with its routes.

use crate::chunks::{lazy_page, page_chunk, PageFuture, Preload};
use crate::components::layout::Layout;
use crate::pages::{account::AccountPage, accounts::AccountsPage, not_found::NotFound};
use crate::state::Config;
use crate::transport::{Session, StartError, Transport};
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes, A};
use leptos_router::path;
use partner_api::config::{Page, PortalConfig};
use std::sync::Arc;

/// The app as `main` mounts it: the outcome of reading `config.json`.
#[component]
pub fn App(config: Result<PortalConfig, StartError>) -> impl IntoView {
    match config {
        Ok(config) => view! { <Portal config=Arc::new(config) /> }.into_any(),
        Err(problem) => view! { <StartProblem problem /> }.into_any(),
    }
}

/// Says in words why the portal cannot start, instead of a blank page.
#[component]
pub fn StartProblem(problem: StartError) -> impl IntoView {
    let (summary, details) = match problem {
        StartError::Unreachable(why) => (
            "The portal could not read its configuration file.",
            vec![why],
        ),
        StartError::Invalid(e) => ("The portal's configuration file has problems.", e.problems),
    };
    view! {
        <main id="main" class="start-problem">
            <h1>"Partner Portal cannot start"</h1>
            <div role="alert">
                <p>{summary}</p>
                <ul>{details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            </div>
            <p>
                "Whoever runs this portal needs to fix config.json next to index.html; "
                "the README's “Configuration” section describes it. Reload the page afterwards."
            </p>
        </main>
    }
}

/// The portal for a valid configuration: provides the contexts and the routes.
#[component]
pub fn Portal(config: Arc<PortalConfig>) -> impl IntoView {
    let session = Session::restore(&config);
    provide_context(Config(config.clone()));
    provide_context(session);
    provide_context(Transport::new(config.clone(), session));
    provide_context(crate::tree::load::TreeStore::new());
    crate::theme::provide(&config);
    provide_context(crate::embed::Embedding::detect(
        &config.embed.allowed_origins,
    ));
    crate::chunks::preload_on_intent(chunk_of);
    view! {
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=|| lazy_page(|| Box::pin(chunk::sign_in())) />
                    <ParentRoute path=path!("/accounts") view=AccountsShell>
                        <Route path=path!("") view=AccountsPage />
                        <Route path=path!("new") view=|| offered(Page::NewAccount, || Box::pin(chunk::new_account())) />
                        <Route path=path!("access") view=|| offered(Page::Access, || Box::pin(chunk::access())) />
                        <Route path=path!("import") view=|| offered(Page::Import, || Box::pin(chunk::import())) />
                        <Route path=path!(":region/:id") view=AccountPage />
                    </ParentRoute>
                    <Route path=path!("/billing") view=|| offered(Page::Billing, || Box::pin(chunk::billing())) />
                    <Route path=path!("/settings") view=|| offered(Page::Settings, || Box::pin(chunk::settings())) />
                    <Route path=path!("/shares") view=|| offered(Page::Shares, || Box::pin(chunk::shares())) />
                    <Route path=path!("/revisions") view=|| offered(Page::Revisions, || Box::pin(chunk::revisions())) />
                    <Route path=path!("/users") view=|| offered(Page::Users, || Box::pin(chunk::users())) />
                    <Route path=path!("/users/new") view=|| offered(Page::Users, || Box::pin(chunk::new_user())) />
                    <Route path=path!("/users/:region/:user") view=|| offered(Page::Users, || Box::pin(chunk::user())) />
                    <Route path=path!("/groups") view=|| offered(Page::Groups, || Box::pin(chunk::groups())) />
                    <Route path=path!("/plans") view=|| offered(Page::Plans, || Box::pin(chunk::plans())) />
                </Routes>
            </Layout>
        </Router>
    }
}

/// The chunk of the page at `path`, for fetching it when a link to it is pointed at.
fn chunk_of(path: &str) -> Option<Preload> {
    use crate::links;
    Some(match path {
        links::SIGN_IN => || Box::pin(chunk::preload_sign_in()),
        links::NEW_ACCOUNT => || Box::pin(chunk::preload_new_account()),
        links::ACCESS => || Box::pin(chunk::preload_access()),
        links::IMPORT => || Box::pin(chunk::preload_import()),
        links::BILLING => || Box::pin(chunk::preload_billing()),
        links::SETTINGS => || Box::pin(chunk::preload_settings()),
        links::SHARES => || Box::pin(chunk::preload_shares()),
        links::REVISIONS => || Box::pin(chunk::preload_revisions()),
        links::USERS => || Box::pin(chunk::preload_users()),
        links::NEW_USER => || Box::pin(chunk::preload_new_user()),
        links::GROUPS => || Box::pin(chunk::preload_groups()),
        links::PLANS => || Box::pin(chunk::preload_plans()),
        _ => return None,
    })
}

/// A page this deployment may hide (`hide_pages` in config.json): the page, or a sentence
/// saying it is not offered here.
fn offered(page: Page, load: fn() -> PageFuture) -> AnyView {
    if crate::state::use_config().shows(page) {
        lazy_page(load).into_any()
    } else {
        view! {
            <h1>"Not offered here"</h1>
            <p>"This portal does not offer this page. " <A href=crate::links::ACCOUNTS>"Go to your accounts"</A></p>
        }
        .into_any()
    }
}

/// `/accounts/...`: the tree beside the page, once signed in somewhere. The tree stays
/// while the page beside it changes.
#[component]
fn AccountsShell() -> impl IntoView {
    let session = crate::state::use_session();
    view! {
        <Show when=move || !session.signed_in().is_empty() fallback=|| view! { <Outlet /> }>
            <div class="accounts-layout">
                <aside class="tree-panel" aria-label="Account hierarchy">
                    <crate::tree::view::AccountTree />
                </aside>
                <div class="detail">
                    <Outlet />
                </div>
            </div>
        </Show>
    }
}

/// `/`: the accounts when signed in somewhere, else the sign-in page.
#[component]
fn Home() -> impl IntoView {
    let session = crate::state::use_session();
    move || {
        if session.signed_in().is_empty() {
            view! { <Redirect path=crate::links::SIGN_IN /> }
        } else {
            view! { <Redirect path=crate::links::ACCOUNTS /> }
        }
    }
}

/// The pages a partner opens less often than the tree and an account, in chunks of a release
/// build (`crate::chunks`) by what they are for: signing in; creating accounts, access and
/// imports; billing; the enterprise settings pages; the enterprise people pages. Pages used together share a chunk: fewer files, and
/// code they share is fetched once.
pub mod chunk {
    use super::page_chunk;
    use crate::pages;

    page_chunk!(
        sign_in,
        preload_sign_in,
        sign_in,
        pages::sign_in::SignInPage
    );
    page_chunk!(
        new_account,
        preload_new_account,
        creating,
        pages::new_account::NewAccountPage
    );
    page_chunk!(access, preload_access, creating, pages::access::AccessPage);
    page_chunk!(import, preload_import, creating, pages::import::ImportPage);
    page_chunk!(
        billing,
        preload_billing,
        billing,
        pages::billing::BillingPage
    );
    page_chunk!(
        settings,
        preload_settings,
        enterprise,
        pages::settings::SettingsPage
    );
    page_chunk!(
        shares,
        preload_shares,
        enterprise,
        pages::shares::SharesPage
    );
    page_chunk!(
        revisions,
        preload_revisions,
        enterprise,
        pages::revisions::RevisionsPage
    );
    // The people who back up: their pages are used together, so they share a chunk.
    page_chunk!(users, preload_users, people, pages::users::UsersPage);
    page_chunk!(
        new_user,
        preload_new_user,
        people,
        pages::new_user::NewUserPage
    );
    page_chunk!(user, preload_user, people, pages::user::UserPage);
    page_chunk!(groups, preload_groups, people, pages::groups::GroupsPage);
    page_chunk!(plans, preload_plans, people, pages::plans::PlansPage);
}
