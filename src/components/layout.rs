//! The frame around every page: skip link, header with the brand, navigation and the
//! signed-in regions, and the main landmark.

use crate::state::{use_config, use_session};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let config = use_config();
    let session = use_session();
    let navigate = use_navigate();
    let regions = move || session.signed_in();
    // After a client-side navigation, focus goes to the new page's content, as it would after
    // a full page load, so keyboard and screen-reader users start at the new page.
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_main();
        }
        path
    });
    // A region that stopped taking the credentials: its sign-in, then back here.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if let Some(region) = session.take_expired() {
                let here = web_sys::window()
                    .and_then(|w| {
                        Some(format!(
                            "{}{}",
                            w.location().pathname().ok()?,
                            w.location().search().ok()?
                        ))
                    })
                    .unwrap_or_default();
                let next = partner_api::request::encode_component(&here);
                navigate(
                    &format!("/sign-in?region={region}&expired=1&next={next}"),
                    Default::default(),
                );
            }
        });
    }
    // Going offline and back is noticed and said.
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
    let sign_out = move |_| {
        session.sign_out_all();
        navigate("/sign-in", Default::default());
    };
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="top">
            <a class="brand" href="/">{config.brand.name.clone()}</a>
            <nav aria-label="Main">
                <ul>
                    <li><A href="/accounts">"Accounts"</A></li>
                    <li><A href="/accounts/new">"New account"</A></li>
                    <li><A href="/billing">"Billing"</A></li>
                    <li><A href="/settings">"Settings"</A></li>
                </ul>
            </nav>
            <div class="who">
                <Show
                    when=move || !regions().is_empty()
                    fallback=|| view! { <A href="/sign-in">"Sign in"</A> }
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
                    <button type="button" class="link" on:click=sign_out.clone()>
                        "Sign out"
                    </button>
                </Show>
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
    }
}

fn focus_main() {
    let main = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("main"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(main) = main {
        let _ = main.focus();
    }
}
