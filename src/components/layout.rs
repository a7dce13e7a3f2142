//! The frame around every page: skip link, header with the brand, navigation and the
//! signed-in regions, the main landmark, and a footer with support and the theme. Inside a
//! PSA tool's frame the header is a compact bar with an "Open in a new tab" link, and the
//! host hears of every route change.

use crate::embed::use_embedding;
use crate::links::{self, with_query};
use crate::state::{use_config, use_session};
use crate::theme::{use_theme, ThemePicker};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use partner_api::config::Page;
use partner_api::embed::{FromHost, ToHost};
use wasm_bindgen::JsCast;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let config = use_config();
    let session = use_session();
    let navigate = use_navigate();
    let regions = move || session.signed_in();
    let location = use_location();
    let embedding = use_embedding();
    focus_follows_navigation();
    talk_to_host(&embedding, navigate.clone());
    expired_goes_to_sign_in(navigate.clone());
    let (online, back) = connection_status();
    let sign_out = move |_| {
        crate::state::sign_out_everywhere(session);
        navigate(links::SIGN_IN, Default::default());
    };
    let embedded = embedding.embedded;
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.class_list().toggle_with_force("embedded", embedded);
    }
    let links = [
        (None, links::ACCOUNTS, "Accounts"),
        (Some(Page::NewAccount), links::NEW_ACCOUNT, "New account"),
        (Some(Page::Billing), links::BILLING, "Billing"),
        (Some(Page::Settings), links::SETTINGS, "Settings"),
    ]
    .into_iter()
    .filter(|(page, _, _)| page.is_none_or(|p| config.shows(p)))
    .map(|(_, href, text)| view! { <li><A href=href>{text}</A></li> })
    .collect_view();
    // The same page outside the frame, without the compact chrome.
    let new_tab = move || {
        let search = location.search.get();
        let query: Vec<&str> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty() && *p != "embed=1")
            .collect();
        with_query(location.pathname.get(), &query.join("&"))
    };
    let brand = (!embedded).then(|| {
        view! {
            <a class="brand" href="/">
                {config.brand.logo.clone().map(|src| view! { <img src=src alt="" /> })}
                {config.brand.name.clone()}
            </a>
        }
    });
    let support = {
        let b = &config.brand;
        let email = b.support_email.clone().map(|e| {
            view! { <a href=format!("mailto:{e}")>{e.clone()}</a> }
        });
        let url = b
            .support_url
            .clone()
            .map(|u| view! { <a href=u rel="noopener" target="_blank">"Help centre"</a> });
        (email.is_some() || url.is_some()).then(|| {
            view! { <span class="support">"Help: " {email} {url.is_some().then_some(" · ")} {url}</span> }
        })
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class=if embedded { "top compact" } else { "top" }>
            {brand}
            <nav aria-label="Main">
                <ul>{links}</ul>
            </nav>
            <div class="who">
                <Show
                    when=move || !regions().is_empty()
                    fallback=|| view! { <A href=links::SIGN_IN>"Sign in"</A> }
                >
                    <span class="signed-in">
                        "Signed in: "
                        {move || {
                            regions()
                                .into_iter()
                                .map(|(region, login, _)| format!("{login} ({region})"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        }}
                    </span>
                    <span class="sign-out">
                        <button type="button" class="link" on:click=sign_out.clone() aria-describedby="sign-out-hint"
                            title="Signs out of every region and removes your drafts (unsent new accounts, imports, settings) from this browser.">
                            "Sign out"
                        </button>
                        <span id="sign-out-hint" class="sign-out-hint">"also removes drafts"</span>
                    </span>
                </Show>
                {embedded.then(|| view! {
                    <a class="new-tab" href=new_tab target="_blank" rel="noopener">"Open in a new tab"</a>
                })}
            </div>
        </header>
        <p class="connection" role="status">
            {move || if !online.get() {
                "You are offline. What you were doing is kept; the portal tries again once the connection is back."
            } else if back.get() {
                "Back online."
            } else {
                ""
            }}
        </p>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="bottom">
            <span>{config.brand.name.clone()}</span>
            {support}
            <ThemePicker />
        </footer>
    }
}

/// After a client-side navigation, focus goes to the new page's content, as it would after
/// a full page load, so keyboard and screen-reader users start at the new page.
fn focus_follows_navigation() {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_main();
        }
        path
    });
}

/// The host of a frame hears where the portal is, and may send it elsewhere or set the
/// theme.
fn talk_to_host(
    embedding: &crate::embed::Embedding,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
) {
    let location = use_location();
    let poster = embedding.clone();
    Effect::new(move |previous: Option<String>| {
        let path = with_query(location.pathname.get(), &location.search.get());
        if previous.as_ref().is_some_and(|p| *p != path) {
            poster.post(&ToHost::Route { path: path.clone() });
        }
        path
    });
    let theme = use_theme();
    embedding.connect(
        location.pathname.get_untracked(),
        move |message| match message {
            FromHost::Navigate { path } => navigate(&path, Default::default()),
            FromHost::SetTheme { theme: t } => theme.0.set(t),
        },
    );
}

/// A region that stopped taking the credentials: its sign-in, then back here.
fn expired_goes_to_sign_in(navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static) {
    let session = use_session();
    let location = use_location();
    Effect::new(move |_| {
        if let Some(region) = session.take_expired() {
            let here = with_query(
                location.pathname.get_untracked(),
                &location.search.get_untracked(),
            );
            navigate(&links::sign_in_again(&region, &here), Default::default());
        }
    });
}

/// Whether the browser is online, and whether it has just come back (for six seconds).
fn connection_status() -> (RwSignal<bool>, RwSignal<bool>) {
    let online = RwSignal::new(web_sys::window().is_none_or(|w| w.navigator().on_line()));
    let back = RwSignal::new(false);
    let _ = window_event_listener(leptos::ev::offline, move |_| {
        online.set(false);
        back.set(false);
    });
    let _ = window_event_listener(leptos::ev::online, move |_| {
        online.set(true);
        back.set(true);
        set_timeout(move || back.set(false), std::time::Duration::from_secs(6));
    });
    (online, back)
}

/// Focus to the new page's content, and its top into view. `preventScroll`: focusing inside
/// a frame would otherwise scroll the PSA tool's own page to the frame.
fn focus_main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let main = window
        .document()
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = main.focus_with_options(&options);
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}
