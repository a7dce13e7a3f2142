//! What a partner can do to an account, each offered only to roles that may do it: disable and
//! re-enable, move under another account chosen in a picker, delete (with what goes with it
//! said and the name typed), and edit contacts.
//!
//! Every action shows that it is under way and cannot be sent twice while it is.

use super::account::Details;
use crate::components::error_notice::ErrorNotice;
use crate::components::submit::SubmitButton;
use crate::state::use_transport;
use crate::transport::Transport;
use crate::tree::load::{refresh_account, reload_children_of, reload_parent_of, use_tree};
use crate::tree::model::{Children, NodeKind};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use partner_api::calls::{
    DeleteAccount, GetAccount, ListChildren, ListTokens, UpdateAccount, UpdateContact,
};
use partner_api::config::Page;
use partner_api::model::Contact;
use partner_api::writes::UserUpdate;
use partner_api::{AccountId, AccountKind, ApiError, RegionId, Role};

/// Stop counting descendants past this many; the confirmation then says "more than".
const COUNT_LIMIT: usize = 10_000;

/// How many accounts lie below `id`, level by level (the transport caps calls in flight).
async fn count_below(
    transport: &Transport,
    region: &RegionId,
    id: &AccountId,
) -> Result<(usize, bool), ApiError> {
    let mut level = vec![id.clone()];
    let mut total = 0;
    while !level.is_empty() {
        let calls: Vec<ListChildren> = level.drain(..).map(ListChildren).collect();
        let lists =
            futures::future::join_all(calls.iter().map(|c| transport.call(region, c))).await;
        for list in lists {
            let list = list?;
            total += list.children.len();
            level.extend(list.children.into_iter().map(|c| c.id));
        }
        if total > COUNT_LIMIT {
            return Ok((total, true));
        }
    }
    Ok((total, false))
}

#[component]
pub fn AccountActions(
    region: RegionId,
    id: AccountId,
    details: Details,
    /// The signed-in account itself: it cannot be disabled, moved or deleted from here.
    is_root: bool,
    /// The signed-in user's role.
    role: Option<Role>,
    /// Called after a change, to reload the page.
    changed: Callback<()>,
    /// Where the outcome of an action is said; it lives on the page, so a reload after the
    /// change does not wipe it.
    done: RwSignal<String>,
) -> impl IntoView {
    let manages = role
        .as_ref()
        .is_some_and(|r| !r.is_read_only() && r.is_partner());
    let may_create_here = details.kind() == Some(AccountKind::Partner)
        && role.as_ref().is_some_and(|r| !r.may_create().is_empty());
    let config = crate::state::use_config();
    let new_here = may_create_here.then(|| {
        view! {
            <p>
                {config.shows(Page::NewAccount).then(|| view! {
                    <a class="button-link" href=format!("/accounts/new?region={region}&parent={id}")>
                        "New account here"
                    </a>
                    " "
                })}
                {config.shows(Page::Import).then(|| view! {
                    <a class="button-link" href=format!("/accounts/import?region={region}&parent={id}")>
                        "Import customers from CSV"
                    </a>
                })}
            </p>
        }
    });
    if !manages || is_root {
        let why = if is_root {
            "This is the account you are signed in to: it is managed from the account above it."
        } else {
            "Your role may only look at this account."
        };
        return view! { {new_here} <p class="actions-note">{why}</p> }.into_any();
    }
    let transport = use_transport();
    let store = use_tree();
    let navigate = use_navigate();
    let name = details.name(&id);
    let enabled = details.settings.enabled && details.settings.deletion.is_none();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let open = RwSignal::new(None::<&'static str>);

    let toggle_enabled = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        move |_| {
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            spawn_local(async move {
                let call = UpdateAccount {
                    id: id.clone(),
                    update: UserUpdate {
                        enabled: Some(!enabled),
                        ..UserUpdate::default()
                    },
                };
                match transport.call(&region, &call).await {
                    Ok(()) => {
                        done.set(if enabled {
                            "The account is disabled.".into()
                        } else {
                            "The account is enabled again.".into()
                        });
                        let (sc, tc) = (GetAccount(id.clone()), ListTokens(id.clone()));
                        let (s, t) = futures::join!(
                            transport.call(&region, &sc),
                            transport.call(&region, &tc)
                        );
                        if let (Ok(s), Ok(t)) = (s, t) {
                            refresh_account(store, &region, &id, &s, &t);
                        }
                        changed.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };

    let toggle_label = if enabled {
        "Disable account"
    } else {
        "Enable account"
    };
    let panel = {
        let (region, id, name) = (region.clone(), id.clone(), name.clone());
        let navigate = navigate.clone();
        move || {
            match open.get() {
            Some("move") => view! { <MovePanel region=region.clone() id=id.clone() current_parent=details.settings.parent.clone() open changed done /> }.into_any(),
            Some("delete") => view! { <DeletePanel region=region.clone() id=id.clone() name=name.clone() parent=details.settings.parent.clone() open changed navigate=navigate.clone() /> }.into_any(),
            _ => ().into_any(),
        }
        }
    };
    let _ = transport;
    view! {
        <section class="actions" aria-labelledby="actions-title">
            <h2 id="actions-title">"Manage"</h2>
            {new_here}
            <div class="action-buttons">
                <button type="button" on:click=toggle_enabled aria-disabled=move || pending.get().to_string()>
                    {move || if pending.get() { "Saving…" } else { toggle_label }}
                </button>
                <button type="button" aria-expanded=move || (open.get() == Some("move")).to_string() aria-controls="action-panel"
                    on:click=move |_| open.update(|o| *o = if *o == Some("move") { None } else { Some("move") })>
                    "Move…"
                </button>
                <button type="button" class="danger" aria-expanded=move || (open.get() == Some("delete")).to_string() aria-controls="action-panel"
                    on:click=move |_| open.update(|o| *o = if *o == Some("delete") { None } else { Some("delete") })>
                    "Delete…"
                </button>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div id="action-panel">{panel}</div>
        </section>
    }
    .into_any()
}

/// Picks a new parent among the partner accounts loaded in the tree, never in the account's
/// own subtree, never by pasting an id.
#[component]
fn MovePanel(
    region: RegionId,
    id: AccountId,
    /// Where the account is now (from the region, not the tree, which may not have it).
    current_parent: Option<AccountId>,
    open: RwSignal<Option<&'static str>>,
    changed: Callback<()>,
    done: RwSignal<String>,
) -> impl IntoView {
    let store = use_tree();
    let transport = use_transport();
    let filter = RwSignal::new(String::new());
    let choice = RwSignal::new(None::<AccountId>);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);

    let candidates = {
        let (region, id) = (region.clone(), id.clone());
        Memo::new(move |_| {
            let needle = filter.get().trim().to_lowercase();
            store.tree.with(|t| {
                let me = t.find(&region, &id);
                t.nodes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| {
                        let NodeKind::Account(r, a) = &n.kind else {
                            return None;
                        };
                        let inside = me.is_some_and(|m| t.path(i).contains(&m));
                        let partner = n.account_kind == Some(AccountKind::Partner)
                            || matches!(n.children, Children::Loaded(ref c) if !c.is_empty());
                        (r == &region
                            && a != &id
                            && !inside
                            && Some(a) != current_parent.as_ref()
                            && partner
                            && (needle.is_empty() || n.matches(&needle)))
                        .then(|| (a.clone(), n.name.clone(), t.path(i).len()))
                    })
                    .take(200)
                    .collect::<Vec<_>>()
            })
        })
    };

    let submit = {
        let (region, id) = (region.clone(), id.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let Some(target) = choice.get_untracked() else {
                error.set(Some(ApiError::NotAvailable(
                    "Choose the account to move it under.".into(),
                )));
                return;
            };
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            spawn_local(async move {
                let call = UpdateAccount {
                    id: id.clone(),
                    update: UserUpdate {
                        parent: Some(target.clone()),
                        ..UserUpdate::default()
                    },
                };
                match transport.call(&region, &call).await {
                    Ok(()) => {
                        reload_parent_of(store, transport.clone(), &region, &id);
                        reload_children_of(store, transport.clone(), &region, &target);
                        open.set(None);
                        done.set("The account has moved.".into());
                        changed.run(());
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };

    let options = move || {
        let list = candidates.get();
        if list.is_empty() {
            return view! { <p>"No account matches. Open more levels in the tree to offer more places."</p> }.into_any();
        }
        list.into_iter()
            .map(|(a, name, depth)| {
                let value = a.to_string();
                let checked = {
                    let a = a.clone();
                    move || choice.get().as_ref() == Some(&a)
                };
                view! {
                    <label class="choice" style=format!("padding-left: {}px", depth.saturating_sub(2) * 12)>
                        <input type="radio" name="move-target" value=value prop:checked=checked on:change=move |_| choice.set(Some(a.clone())) />
                        " " {name}
                    </label>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <form class="panel" on:submit=submit aria-labelledby="move-title">
            <h3 id="move-title">"Move under another account"</h3>
            <p>"Only partner accounts outside this account's own subtree are offered. The account keeps everything below it."</p>
            <label for="move-filter">"Filter places"</label>
            <input id="move-filter" type="search" autocomplete="off" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev)) />
            <fieldset class="choices">
                <legend>"New parent"</legend>
                {options}
            </fieldset>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="action-buttons">
                <SubmitButton pending label="Move here" busy="Moving…" />
                <button type="button" on:click=move |_| open.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}

/// Says what goes with the account and asks for its name before deleting.
#[component]
fn DeletePanel(
    region: RegionId,
    id: AccountId,
    name: String,
    parent: Option<AccountId>,
    open: RwSignal<Option<&'static str>>,
    changed: Callback<()>,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static,
) -> impl IntoView {
    let store = use_tree();
    let transport = use_transport();
    let typed = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let below = {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        crate::resource::Loaded::new(move || {
            let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
            async move { count_below(&transport, &region, &id).await }
        })
    };
    let consequence = move || match below.get() {
        None => "Counting the accounts below it…".to_owned(),
        Some(Err(e)) => format!(
            "The accounts below it could not be counted ({e}); all of them are deleted with it."
        ),
        Some(Ok((0, _))) => "It has no accounts below it.".to_owned(),
        Some(Ok((n, true))) => format!(
            "More than {n} accounts below it are deleted with it, with their users and data."
        ),
        Some(Ok((n, false))) => format!(
            "The {n} account{} below it {} deleted with it, with their users and data.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "is" } else { "are" }
        ),
    };
    let matches = {
        let name = name.clone();
        move || typed.get().trim() == name.trim()
    };
    let submit = {
        let (region, id, matches) = (region.clone(), id.clone(), matches.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if !matches() {
                error.set(Some(ApiError::NotAvailable(
                    "Type the account's name exactly as shown to confirm.".into(),
                )));
                return;
            }
            if pending.get_untracked() {
                return;
            }
            pending.set(true);
            error.set(None);
            let (transport, region, id, parent, navigate) = (
                transport.clone(),
                region.clone(),
                id.clone(),
                parent.clone(),
                navigate.clone(),
            );
            spawn_local(async move {
                match transport.call(&region, &DeleteAccount(id.clone())).await {
                    Ok(()) => {
                        open.set(None);
                        // A region may only schedule the deletion: then the account is still there.
                        let still_there =
                            transport.call(&region, &GetAccount(id.clone())).await.ok();
                        reload_parent_of(store, transport.clone(), &region, &id);
                        match (still_there, parent) {
                            (Some(_), _) => changed.run(()),
                            (None, Some(p)) => {
                                navigate(&format!("/accounts/{region}/{p}"), Default::default())
                            }
                            (None, None) => navigate("/accounts", Default::default()),
                        }
                    }
                    Err(e) => error.set(Some(e)),
                }
                pending.set(false);
            });
        }
    };
    view! {
        <form class="panel danger-zone" on:submit=submit aria-labelledby="delete-title">
            <h3 id="delete-title">"Delete " {name.clone()}</h3>
            <p><strong>{consequence}</strong> " The region may keep it for a retention period before it is gone for good."</p>
            <label for="delete-confirm">"Type the account's name to confirm: " <strong>{name.clone()}</strong></label>
            <input id="delete-confirm" type="text" autocomplete="off" prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="action-buttons">
                <SubmitButton pending label="Delete for good" busy="Deleting…" class="danger" blocked=Signal::derive(move || !matches()) />
                <button type="button" on:click=move |_| open.set(None)>"Cancel"</button>
            </div>
        </form>
    }
}

/// One contact, with an inline form to edit it for roles that may.
#[component]
pub fn ContactCard(
    region: RegionId,
    account: AccountId,
    contact: Contact,
    may_edit: bool,
    changed: Callback<()>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let kind_label = match contact.kind.as_str() {
        "p" => "Primary contact".to_owned(),
        "c" => "Company contact".to_owned(),
        "b" => "Billing contact".to_owned(),
        "t" => "Technical contact".to_owned(),
        other => format!("Contact “{other}”"),
    };
    let shown = contact.clone();
    let facts = move || {
        let c = &shown;
        let rows: Vec<(&str, Option<String>)> = vec![
            ("Name", c.full_name.clone()),
            ("Company", c.company_name.clone()),
            ("Email", c.email.clone()),
            ("Phone", c.phone.clone()),
            (
                "Address",
                Some(
                    [
                        c.street1.clone(),
                        c.street2.clone(),
                        c.zip.clone(),
                        c.city.clone(),
                        c.state.clone(),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", "),
                )
                .filter(|a| !a.is_empty()),
            ),
            (
                "Country",
                c.country.as_deref().map(|code| {
                    partner_api::validate::country_name(code)
                        .map_or_else(|| code.to_owned(), |n| format!("{n} ({code})"))
                }),
            ),
            ("Language", c.language.clone()),
            ("VAT number", c.vat_number.clone()),
        ];
        rows.into_iter()
            .filter_map(|(k, v)| v.map(|v| view! { <dt>{k}</dt><dd>{v}</dd> }))
            .collect_view()
    };
    view! {
        <div class="contact-card">
            <h3>{kind_label}</h3>
            {move || if editing.get() {
                view! { <ContactForm region=region.clone() account=account.clone() contact=contact.clone() editing changed /> }.into_any()
            } else {
                view! {
                    <dl class="facts">{facts.clone()}</dl>
                    {may_edit.then(|| view! { <button type="button" on:click=move |_| editing.set(true)>"Edit contact"</button> })}
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn ContactForm(
    region: RegionId,
    account: AccountId,
    contact: Contact,
    editing: RwSignal<bool>,
    changed: Callback<()>,
) -> impl IntoView {
    let transport = use_transport();
    let draft = RwSignal::new(contact.clone());
    let problems = RwSignal::new(Vec::<partner_api::writes::FieldProblem>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let field = move |label: &'static str,
                      wire: &'static str,
                      get: fn(&Contact) -> Option<String>,
                      set: fn(&mut Contact, Option<String>)| {
        let id = format!("contact-{wire}");
        let problem_id = format!("{id}-problem");
        let problem = move || {
            problems.with(|p| {
                p.iter()
                    .find(|p| p.field == wire)
                    .map(|p| p.message.clone())
            })
        };
        view! {
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    type="text"
                    prop:value=move || draft.with(|d| get(d).unwrap_or_default())
                    aria-invalid=move || problem().is_some().to_string()
                    aria-describedby=problem_id.clone()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        draft.update(|d| set(d, (!v.trim().is_empty()).then_some(v)));
                    }
                />
                <p id=problem_id class="field-problem">{problem}</p>
            </div>
        }
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let c = draft.get_untracked();
        let found = c.validate();
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (transport, region, account) = (transport.clone(), region.clone(), account.clone());
        spawn_local(async move {
            match transport
                .call(
                    &region,
                    &UpdateContact {
                        account,
                        contact: c,
                    },
                )
                .await
            {
                Ok(()) => {
                    editing.set(false);
                    changed.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            pending.set(false);
        });
    };
    view! {
        <form class="contact-form" on:submit=submit novalidate>
            {field("Full name", "fullname", |c| c.full_name.clone(), |c, v| c.full_name = v)}
            {field("Company", "companyname", |c| c.company_name.clone(), |c, v| c.company_name = v)}
            {field("Email", "email", |c| c.email.clone(), |c, v| c.email = v)}
            {field("Phone", "phone", |c| c.phone.clone(), |c, v| c.phone = v)}
            {field("Street", "street1", |c| c.street1.clone(), |c, v| c.street1 = v)}
            {field("Street, second line", "street2", |c| c.street2.clone(), |c, v| c.street2 = v)}
            {field("Postal code", "zip", |c| c.zip.clone(), |c, v| c.zip = v)}
            {field("City", "city", |c| c.city.clone(), |c, v| c.city = v)}
            {field("State or province", "state", |c| c.state.clone(), |c, v| c.state = v)}
            {field("Country (two-letter code)", "country", |c| c.country.clone(), |c, v| c.country = v)}
            {field("Language (like en-GB)", "language", |c| c.language.clone(), |c, v| c.language = v)}
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="action-buttons">
                <SubmitButton pending label="Save contact" busy="Saving…" />
                <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
            </div>
        </form>
    }
}

/// Exports the account and everything below it as CSV: id, kind, name, email, company,
/// created, status, region, parent. Open to every role: it only reads.
#[component]
pub fn ExportSubtree(region: RegionId, id: AccountId, name: String) -> impl IntoView {
    let transport = use_transport();
    let state = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let export = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let (transport, region, id, name) =
            (transport.clone(), region.clone(), id.clone(), name.clone());
        spawn_local(async move {
            match export_rows(&transport, &region, &id, &name, state).await {
                Ok(rows) => {
                    let n = rows.len() - 1;
                    super::access::download(
                        &format!("accounts-{region}-{id}.csv"),
                        "text/csv",
                        &partner_api::csv::write(&rows),
                    );
                    state.set(format!("Exported {n} accounts."));
                }
                Err(e) => state.set(format!("The export stopped: {e}")),
            }
            pending.set(false);
        });
    };
    view! {
        <p class="export">
            <button type="button" on:click=export aria-disabled=move || pending.get().to_string()>
                {move || if pending.get() { "Exporting…" } else { "Export this account and everything below it (CSV)" }}
            </button>
            " "
            <span role="status">{move || state.get()}</span>
        </p>
    }
}

async fn export_rows(
    transport: &Transport,
    region: &RegionId,
    root: &AccountId,
    root_name: &str,
    state: RwSignal<String>,
) -> Result<Vec<Vec<String>>, ApiError> {
    use partner_api::model::ChildSummary;
    let settings = transport.call(region, &GetAccount(root.clone())).await?;
    let mut pending: Vec<(ChildSummary, Option<AccountId>)> = vec![(
        ChildSummary {
            company_name: Some(root_name.to_owned()),
            created: settings.created.clone(),
            ..ChildSummary::bare(root.clone())
        },
        settings.parent.clone(),
    )];
    let mut all = Vec::new();
    let mut level = vec![root.clone()];
    while !level.is_empty() {
        let calls: Vec<ListChildren> = level.drain(..).map(ListChildren).collect();
        for list in futures::future::join_all(calls.iter().map(|c| transport.call(region, c))).await
        {
            for c in list?.children {
                level.push(c.id.clone());
                let parent = c.parent_id.clone();
                pending.push((c, parent));
            }
        }
        state.set(format!("Found {} accounts…", pending.len()));
    }
    let mut rows = vec![partner_api::csv::EXPORT_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()];
    let lookups = pending.iter().map(|(c, _)| {
        let (sc, tc) = (GetAccount(c.id.clone()), ListTokens(c.id.clone()));
        async move {
            let (s, t) = futures::join!(transport.call(region, &sc), transport.call(region, &tc));
            (s, t)
        }
    });
    let details = futures::future::join_all(lookups).await;
    for ((c, parent), (s, t)) in pending.into_iter().zip(details) {
        let s = s?;
        let kind = t
            .map(|t| t.account_kind().label().to_owned())
            .unwrap_or_default();
        let status = if s.deletion.is_some() {
            "deletion scheduled"
        } else if s.enabled {
            "enabled"
        } else {
            "disabled"
        };
        let name = c.display_name().to_owned();
        all.push(vec![
            c.id.to_string(),
            kind,
            name,
            c.email.unwrap_or_default(),
            c.company_name.unwrap_or_default(),
            c.created.unwrap_or_default(),
            status.to_owned(),
            region.to_string(),
            // Empty for the signed-in account: the region does not name what is above it.
            parent.map(|p| p.to_string()).unwrap_or_default(),
        ]);
    }
    rows.extend(all);
    Ok(rows)
}
