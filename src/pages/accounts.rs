//! `/accounts`: every signed-in region with the partner's own account.

use crate::links;
use crate::state::{use_config, use_session};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn AccountsPage() -> impl IntoView {
    let config = use_config();
    let session = use_session();
    view! {
        <h1>"Accounts"</h1>
        {move || {
            let signed_in = session.signed_in();
            if signed_in.is_empty() {
                return view! {
                    <p>"You are not signed in to any region yet. " <A href=links::SIGN_IN>"Sign in"</A></p>
                }
                    .into_any();
            }
            let rows = signed_in
                .into_iter()
                .map(|(region, login, account)| {
                    let name = config
                        .region(&region)
                        .map_or_else(|| region.to_string(), |r| r.name.clone());
                    let link = account
                        .map(|a| {
                            view! { <A href=links::account(&region, &a)>"Open your account"</A> }
                        });
                    view! {
                        <li>
                            <strong>{name}</strong>
                            " — signed in as "
                            {login}
                            " "
                            {link}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p>
                    "Choose an account in the tree to open its page. Use the arrow keys to move, "
                    "→ to open a level, ← to close it or go up, Enter to open the account, "
                    "* to open every account beside this one, and type a name to jump to it."
                </p>
                <ul class="regions">{rows}</ul>
                <p><A href=links::SIGN_IN>"Sign in to another region"</A></p>
            }
                .into_any()
        }}
    }
}
