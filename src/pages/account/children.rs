//! The account's direct sub-accounts, as a table of links.

use crate::components::format::date_time;
use crate::links;
use leptos::prelude::*;
use leptos_router::components::A;
use partner_api::accounts::children::ChildList;
use partner_api::RegionId;

pub(super) fn children_table(region: &RegionId, list: ChildList) -> impl IntoView {
    // Rows the region sent that could not be read are said, never dropped without a word.
    let unreadable = list
        .unreadable_words()
        .map(|w| view! { <p class="warning" role="status">{w} " The region sent them without an account GUID this portal can read."</p> });
    if list.children.is_empty() {
        return match unreadable {
            Some(said) => said.into_any(),
            None => view! { <p>"This account has no sub-accounts."</p> }.into_any(),
        };
    }
    let count = list.children.len();
    let rows = list
        .children
        .into_iter()
        .map(|c| {
            let href = links::account(region, &c.id);
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
        {unreadable}
        <table class="children">
            <caption>{format!("{count} direct sub-account{}", if count == 1 { "" } else { "s" })}</caption>
            <thead><tr>
                <th scope="col">"Name"</th><th scope="col">"Email"</th><th scope="col">"GUID"</th><th scope="col">"Created"</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
