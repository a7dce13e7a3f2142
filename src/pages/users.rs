//! `/users`: the brand's users in one region, searched, filtered, sorted and paged by the
//! region (`GET /users/` with `search`, `search_by`, `order_by`, `limit`, `offset`), with the
//! count of what matches; each links to its page. Also the way to add a user, and the
//! list as CSV.

use crate::browser::download;
use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::error_notice::ErrorNotice;
use crate::components::form::Form;
use crate::components::format::{human_bytes, unix_date_or_never};
use crate::links;
use crate::resource::Loaded;
use crate::state::people::{use_catalog, Catalog};
use crate::state::use_transport;
use leptos::prelude::*;
use leptos_router::components::A;
use partner_api::enterprise::plans::quota_text;
use partner_api::enterprise::users::{
    export_csv, CountUsers, ListUsers, SearchBy, User, UserOrder, UserQuery,
};
use partner_api::RegionId;

#[component]
pub fn UsersPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Users"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <UsersTable region /> })}
    }
}

/// How many users a page shows, by default.
const PAGE: u32 = 25;

#[component]
fn UsersTable(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let catalog = use_catalog(region.clone());
    let query = RwSignal::new(UserQuery {
        order_by: Some((UserOrder::Name, false)),
        limit: Some(PAGE),
        ..UserQuery::default()
    });
    let page = {
        let (transport, region) = (transport.clone(), region.clone());
        Loaded::new(move || {
            let (transport, region, q) = (transport.clone(), region.clone(), query.get());
            async move { transport.call(&region, &ListUsers(q)).await }
        })
    };
    let total = {
        let (transport, region) = (transport.clone(), region.clone());
        Loaded::new(move || {
            let (transport, region) = (transport.clone(), region.clone());
            // The count follows the search and filters, not the order or the page.
            let q = query.with(|q| UserQuery {
                order_by: None,
                limit: None,
                offset: None,
                ..q.clone()
            });
            async move { transport.call(&region, &CountUsers(q)).await }
        })
    };
    let cat = Signal::derive(move || catalog.get().and_then(Result::ok).unwrap_or_default());
    let body = {
        let region = region.clone();
        move || match page.get() {
            None => view! { <p role="status">"Loading users…"</p> }.into_any(),
            Some(Err(e)) => {
                view! { <ErrorNotice error=e retry=move |_| page.refetch() /> }.into_any()
            }
            Some(Ok(users)) => {
                let region = region.clone();
                view! { <Table region users query total cat /> }.into_any()
            }
        }
    };
    view! {
        <p class="action-buttons">
            <A href=links::new_user(&region) attr:class="button primary">"Add a user"</A>
            <ExportUsers region=region.clone() cat />
        </p>
        <Search query cat />
        {body}
    }
}

/// The search box, what it searches in, and the filters; a search starts at the first page.
#[component]
fn Search(query: RwSignal<UserQuery>, cat: Signal<Catalog>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let by = RwSignal::new(SearchBy::Any);
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        query.update(|q| {
            q.search = Some(text.get_untracked()).filter(|t| !t.trim().is_empty());
            q.search_by = by.get_untracked();
            q.offset = None;
        });
    };
    let set_filter = move |f: fn(&mut UserQuery, Option<i64>), v: String| {
        query.update(|q| {
            f(q, v.parse().ok());
            q.offset = None;
        });
    };
    let by_name = |b: SearchBy| match b {
        SearchBy::Any => "Name, email or username",
        SearchBy::Name => "Name",
        SearchBy::Email => "Email",
        SearchBy::Username => "Username",
    };
    view! {
        <form role="search" class="user-search" on:submit=search>
            <div class="field">
                <label for="user-search">"Find users"</label>
                <input id="user-search" type="search" autocomplete="off"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="user-search-by">"Search in"</label>
                <select id="user-search-by" on:change=move |ev| {
                    by.set(SearchBy::from_param(&event_target_value(&ev)).unwrap_or_default());
                }>
                    {SearchBy::ALL.into_iter().map(|b| {
                        view! { <option value=b.param().unwrap_or_default()>{by_name(b)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">"Search"</button>
            <div class="field">
                <label for="user-group">"Group"</label>
                <select id="user-group" on:change=move |ev| set_filter(|q, v| q.group_id = v, event_target_value(&ev))>
                    <option value="">"All groups"</option>
                    {move || cat.get().groups.into_iter().map(|g| view! { <option value=g.group_id.to_string()>{g.name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="user-status">"Status"</label>
                <select id="user-status" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    query.update(|q| { q.enabled = match v.as_str() { "1" => Some(true), "0" => Some(false), _ => None }; q.offset = None; });
                }>
                    <option value="">"Enabled and disabled"</option>
                    <option value="1">"Enabled"</option>
                    <option value="0">"Disabled"</option>
                </select>
            </div>
        </form>
    }
}

/// One page of users, its count, sortable columns and the pager.
#[component]
fn Table(
    region: RegionId,
    users: Vec<User>,
    query: RwSignal<UserQuery>,
    total: Loaded<Result<u64, partner_api::ApiError>>,
    cat: Signal<Catalog>,
) -> impl IntoView {
    let q = query.get_untracked();
    let (from, size) = (q.offset.unwrap_or(0), q.limit.unwrap_or(PAGE));
    let shown = users.len() as u32;
    let count = move || match total.get() {
        Some(Ok(n)) => Some(n),
        _ => None,
    };
    let caption = move || {
        let searched =
            query.with(|q| q.search.is_some() || q.group_id.is_some() || q.enabled.is_some());
        match (shown, count()) {
            (0, _) if searched => "No users match.".to_owned(),
            (0, _) => "No users on this page.".to_owned(),
            (_, Some(n)) => format!("Users {} to {} of {n}", from + 1, from + shown),
            (_, None) => format!("Users {} to {}", from + 1, from + shown),
        }
    };
    let more = move || count().map_or(shown == size, |n| u64::from(from + shown) < n);
    let header = move |order: UserOrder, label: &'static str| {
        let sorted =
            move || query.with(|q| q.order_by.filter(|(o, _)| *o == order).map(|(_, d)| d));
        let aria = move || match sorted() {
            Some(false) => "ascending",
            Some(true) => "descending",
            None => "none",
        };
        let click = move |_| {
            query.update(|q| {
                let descending = q.order_by == Some((order, false));
                q.order_by = Some((order, descending));
                q.offset = None;
            });
        };
        view! {
            <th scope="col" aria-sort=aria>
                <button type="button" class="sort" on:click=click>
                    {label}
                    <span aria-hidden="true">{move || match sorted() { Some(false) => " ▲", Some(true) => " ▼", None => "" }}</span>
                </button>
            </th>
        }
    };
    let rows = users
        .into_iter()
        .map(|u| user_row(&region, u, cat))
        .collect_view();
    view! {
        <table class="users people">
            <caption>{caption}</caption>
            <thead><tr>
                {header(UserOrder::Name, "Name")}
                {header(UserOrder::Email, "Email")}
                {header(UserOrder::Username, "Username")}
                <th scope="col">"Group"</th>
                <th scope="col">"Plan"</th>
                {header(UserOrder::BytesStored, "Stored")}
                <th scope="col">"Status"</th>
                {header(UserOrder::LastLogin, "Last sign-in")}
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <div class="action-buttons pager">
            <button type="button" disabled=from == 0
                on:click=move |_| query.update(|q| q.offset = Some(from.saturating_sub(size)).filter(|o| *o > 0))>"Previous page"</button>
            <button type="button" disabled=move || !more()
                on:click=move |_| query.update(|q| q.offset = Some(from + size))>"Next page"</button>
            <label for="user-page-size">"Users per page"</label>
            <select id="user-page-size" on:change=move |ev| {
                let n = event_target_value(&ev).parse().unwrap_or(PAGE);
                query.update(|q| { q.limit = Some(n); q.offset = None; });
            }>
                {[10u32, 25, 50, 100].into_iter().map(|n| view! { <option value=n.to_string() selected=n == size>{n}</option> }).collect_view()}
            </select>
        </div>
    }
}

fn user_row(region: &RegionId, u: User, cat: Signal<Catalog>) -> impl IntoView {
    let href = links::user(region, u.key());
    let name = if u.name.is_empty() {
        u.key().to_owned()
    } else {
        u.name.clone()
    };
    let (group, plan) = (u.group_id, u.plan_id);
    let stored = format!(
        "{} of {}",
        human_bytes(u.bytes_stored),
        quota_text(u.storage_bytes)
    );
    let over = u.storage_bytes > 0 && u.bytes_stored > u.storage_bytes;
    let last = unix_date_or_never(u.last_login);
    view! {
        <tr>
            <th scope="row"><A href=href>{name}</A></th>
            <td>{u.email.clone()}</td>
            <td>{u.username.clone()}</td>
            <td>{move || cat.with(|c| c.group_name(group))}</td>
            <td>{move || cat.with(|c| c.plan_label(plan))}</td>
            <td class:over=over>{stored}{over.then_some(" (over quota)")}</td>
            <td>{if u.enabled { "Enabled" } else { "Disabled" }}</td>
            <td>{last}</td>
        </tr>
    }
}

/// Every user of the region as CSV, a page of 500 at a time.
#[component]
fn ExportUsers(region: RegionId, cat: Signal<Catalog>) -> impl IntoView {
    let transport = use_transport();
    let form = Form::new(&[]);
    let export = move |_| {
        let (transport, region) = (transport.clone(), region.clone());
        let file = format!("users-{region}.csv");
        form.act(
            move || async move {
                let mut all = Vec::new();
                loop {
                    let q = UserQuery {
                        order_by: Some((UserOrder::Username, false)),
                        limit: Some(500),
                        offset: Some(all.len() as u32),
                        ..UserQuery::default()
                    };
                    let page = transport.call(&region, &ListUsers(q)).await?;
                    let n = page.len();
                    all.extend(page);
                    if form
                        .done
                        .try_set(format!("Found {} users…", all.len()))
                        .is_some()
                    {
                        return Ok(all);
                    }
                    if n < 500 {
                        return Ok(all);
                    }
                }
            },
            move |answer| {
                match answer {
                    Ok(users) => {
                        let c = cat.get_untracked();
                        download(&file, "text/csv", &export_csv(&users, &c.groups, &c.plans));
                        form.done.set(format!("Exported {} users.", users.len()));
                    }
                    Err(e) => form.done.set(format!("The export stopped: {e}")),
                }
                Ok(())
            },
        );
    };
    view! {
        <button type="button" on:click=export aria-disabled=move || form.pending.get().to_string()>
            {move || if form.pending.get() { "Exporting…" } else { "Export users (CSV)" }}
        </button>
        " "
        <span role="status">{move || form.done.get()}</span>
    }
}
