//! Any path the portal does not know.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"The portal has no page at this address. " <A href=crate::links::ACCOUNTS>"Go to your accounts"</A></p>
    }
}
