//! Routes whose pages arrive with later work. Each says plainly what will be here; none shows
//! invented data.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
fn Planned(
    title: &'static str,
    what: &'static str,
    items: &'static [&'static str],
) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        <p class="planned">
            <strong>"Not available yet. "</strong>
            {what}
        </p>
        <ul>{items.iter().map(|i| view! { <li>{*i}</li> }).collect_view()}</ul>
        <p><A href="/accounts">"Back to your accounts"</A></p>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Planned
            title="Settings"
            what="This page will show and edit your enterprise settings."
            items=&[
                "Support email, share link lifetime, auto-purge, purge hold, AD domain, sign-up network restrictions",
                "Quota and features, shares and client revisions",
                "The API password",
            ]
        />
    }
}
