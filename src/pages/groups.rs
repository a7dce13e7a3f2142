//! `/groups`: the brand's groups in one region: found by name, each with its plan, its
//! flags and how many users it has; a new group; a group renamed, moved to another plan
//! (with "force" offered when that would put users over quota) or deleted, its users moved
//! to a group chosen from the list.

use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::error_notice::ErrorNotice;
use crate::components::field::{Bind, SelectField, Switch, TextField};
use crate::components::form::{checked, refuse, Form, FormDone, FormError};
use crate::components::submit::SubmitButton;
use crate::resource::Loaded;
use crate::state::people::{use_catalog, Catalog};
use crate::state::{use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::enterprise::groups::{
    group_name, needs_force, CreateGroup, DeleteGroup, EditGroup, Group, GroupEdit, ListGroups,
    NewGroup,
};
use partner_api::enterprise::users::{CountUsers, UserQuery};
use partner_api::fields::FieldProblem;
use partner_api::{ApiError, RegionId};

const FIELDS: &[&str] = &["name", "plan_id", "move_to"];

#[component]
pub fn GroupsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Groups"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <Groups region /> })}
    }
}

/// A group with how many users it has (`None`: not known).
#[derive(Clone, Debug, PartialEq)]
struct Counted {
    group: Group,
    users: Option<u64>,
}

#[component]
fn Groups(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let writes = use_session()
        .credentials(&region)
        .and_then(|c| c.role)
        .is_some_and(|r| !r.is_read_only());
    let catalog = use_catalog(region.clone());
    let cat = Signal::derive(move || catalog.get().and_then(Result::ok).unwrap_or_default());
    let search = RwSignal::new(String::new());
    let typed = RwSignal::new(String::new());
    let list = {
        let (transport, region) = (transport.clone(), region.clone());
        Loaded::new(move || {
            let (transport, region) = (transport.clone(), region.clone());
            let search = Some(search.get()).filter(|s| !s.trim().is_empty());
            async move {
                let groups = transport.call(&region, &ListGroups { search }).await?;
                let mut out = Vec::new();
                for group in groups {
                    let q = UserQuery {
                        group_id: Some(group.group_id),
                        ..UserQuery::default()
                    };
                    let users = transport.call(&region, &CountUsers(q)).await.ok();
                    out.push(Counted { group, users });
                }
                Ok::<_, ApiError>(out)
            }
        })
    };
    let chosen = RwSignal::new(None::<i64>);
    let changed = Callback::new(move |()| {
        list.refetch();
        catalog.refetch();
    });
    let table = move || {
        match list.get() {
        None => view! { <p role="status">"Loading groups…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| list.refetch() /> }.into_any(),
        Some(Ok(groups)) if groups.is_empty() => view! { <p role="status">"No groups match."</p> }.into_any(),
        Some(Ok(groups)) => view! {
            <table class="users groups">
                <caption>{format!("{} groups", groups.len())}</caption>
                <thead><tr>
                    <th scope="col">"Name"</th><th scope="col">"Plan"</th><th scope="col">"Users"</th>
                    <th scope="col">"Web and mobile access"</th><th scope="col">"Domain check"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>{groups.into_iter().map(|c| {
                    let (id, name, plan) = (c.group.group_id, c.group.name.clone(), c.group.plan_id);
                    let manage = writes.then(|| view! {
                        <button type="button" aria-label=format!("Change {name}") aria-expanded=move || (chosen.get() == Some(id)).to_string()
                            on:click=move |_| chosen.update(|c| *c = if *c == Some(id) { None } else { Some(id) })>"Change"</button>
                    });
                    view! {
                        <tr>
                            <th scope="row">{c.group.name.clone()}</th>
                            <td>{move || cat.with(|k| k.plan_label(Some(plan)))}</td>
                            <td>{c.users.map_or_else(|| "?".to_owned(), |n| n.to_string())}</td>
                            <td>{if c.group.webapi_enable { "Allowed" } else { "Not allowed" }}</td>
                            <td>{if c.group.check_domain { "On" } else { "Off" }}</td>
                            <td>{manage}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
    }
    };
    let editor = {
        let region = region.clone();
        move || {
            let id = chosen.get()?;
            let groups = list.get()?.ok()?;
            let me = groups.iter().find(|c| c.group.group_id == id)?.clone();
            let others: Vec<Group> = groups
                .iter()
                .filter(|c| c.group.group_id != id)
                .map(|c| c.group.clone())
                .collect();
            Some(view! { <GroupEditor region=region.clone() me others cat chosen changed /> })
        }
    };
    let create = writes.then(|| view! { <NewGroupForm region=region.clone() cat changed /> });
    view! {
        <form role="search" class="user-search" on:submit=move |ev: SubmitEvent| { ev.prevent_default(); search.set(typed.get_untracked()); }>
            <div class="field">
                <label for="group-search">"Find groups by name"</label>
                <input id="group-search" type="search" autocomplete="off"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            </div>
            <button type="submit">"Search"</button>
        </form>
        {table}
        {editor}
        {create}
    }
}

fn plan_options(cat: Signal<Catalog>) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        cat.get()
            .plans
            .iter()
            .map(|p| (p.plan_id.to_string(), p.label()))
            .collect()
    })
}

#[component]
fn NewGroupForm(region: RegionId, cat: Signal<Catalog>, changed: Callback<()>) -> impl IntoView {
    let transport = use_transport();
    let name = RwSignal::new(String::new());
    let plan = RwSignal::new(String::new());
    let web = RwSignal::new(true);
    let domain = RwSignal::new(false);
    let form = Form::new(FIELDS);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (transport, region) = (transport.clone(), region.clone());
        form.submit(
            move || {
                let plan_id = plan
                    .get_untracked()
                    .parse()
                    .ok()
                    .or_else(|| cat.with_untracked(|c| c.plans.first().map(|p| p.plan_id)));
                let Some(plan_id) = plan_id else {
                    return refuse("The region lists no plans to put the group on.");
                };
                let new = NewGroup {
                    name: name.get_untracked().trim().to_owned(),
                    plan_id,
                    webapi_enable: web.get_untracked(),
                    check_domain: domain.get_untracked(),
                };
                let found = new.validate();
                checked(new, found)
            },
            move |new| async move { transport.call(&region, &CreateGroup(new)).await },
            move |answer| {
                answer?;
                form.done
                    .set(format!("Added the group {}.", name.get_untracked().trim()));
                name.set(String::new());
                changed.run(());
                Ok(())
            },
        );
    };
    view! {
        <section aria-labelledby="new-group">
            <h2 id="new-group">"Add a group"</h2>
            <form class="new-group" on:submit=submit novalidate>
                <TextField id="new-group-name" label="Name" value=name problem=form.problem("name") required=true />
                <SelectField id="new-group-plan" label="Plan" value=plan options=plan_options(cat) problem=form.problem("plan_id") />
                <Switch id="new-group-web" label="Users may reach their data on the web and on phones" on=web />
                <Switch id="new-group-domain" label="Only machines in the directory domain may install the client" on=domain />
                <FormError form />
                <SubmitButton pending=form.pending label="Add group" busy="Adding…" />
                <FormDone form />
            </form>
        </section>
    }
}

/// Renames a group, moves it to another plan, switches its flags, or deletes it.
#[component]
fn GroupEditor(
    region: RegionId,
    me: Counted,
    others: Vec<Group>,
    cat: Signal<Catalog>,
    chosen: RwSignal<Option<i64>>,
    changed: Callback<()>,
) -> impl IntoView {
    let transport = use_transport();
    let g = me.group.clone();
    let name = RwSignal::new(g.name.clone());
    let plan = RwSignal::new(g.plan_id.to_string());
    let web = RwSignal::new(g.webapi_enable);
    let domain = RwSignal::new(g.check_domain);
    let force = RwSignal::new(false);
    let offer_force = RwSignal::new(false);
    let form = Form::new(FIELDS);
    let save = {
        let (transport, region, g) = (transport.clone(), region.clone(), g.clone());
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let (transport, region, g) = (transport.clone(), region.clone(), g.clone());
            form.submit(
                move || {
                    let mut problems = Vec::new();
                    let typed = name.get_untracked();
                    if let Err(message) = group_name(&typed) {
                        problems.push(FieldProblem { field: "name", message });
                    }
                    let plan_id = plan.get_untracked().parse().ok();
                    let edit = GroupEdit {
                        name: Some(typed.trim().to_owned()).filter(|n| *n != g.name),
                        plan_id: plan_id.filter(|p| *p != g.plan_id),
                        webapi_enable: Some(web.get_untracked()).filter(|w| *w != g.webapi_enable),
                        check_domain: Some(domain.get_untracked()).filter(|d| *d != g.check_domain),
                        force: force.get_untracked(),
                    };
                    problems.extend(edit.validate());
                    checked(edit, problems)
                },
                move |edit| async move {
                    if edit.is_empty() {
                        return Ok(());
                    }
                    transport.call(&region, &EditGroup { group_id: g.group_id, edit }).await
                },
                move |answer| {
                    match answer {
                        Err(e) if needs_force(&e) => {
                            offer_force.set(true);
                            form.put("plan_id", "Users of this group store more than the new plan gives them. To change it anyway, tick “Change the plan even so” and save again.".into());
                            return Ok(());
                        }
                        other => other?,
                    }
                    offer_force.set(false);
                    form.done.set("Saved.".into());
                    changed.run(());
                    Ok(())
                },
            );
        }
    };
    let users = me.users.unwrap_or(0);
    let move_to = RwSignal::new(
        others
            .first()
            .map(|g| g.group_id.to_string())
            .unwrap_or_default(),
    );
    let targets: Vec<(String, String)> = others
        .iter()
        .map(|g| (g.group_id.to_string(), g.name.clone()))
        .collect();
    let delete = Form::new(FIELDS);
    let remove = {
        let id = g.group_id;
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let (transport, region) = (transport.clone(), region.clone());
            delete.submit(
                move || {
                    let to = move_to.get_untracked().parse::<i64>().ok();
                    if users > 0 && to.is_none() {
                        return refuse("Its users need a group to move to: add one first.");
                    }
                    Ok(to.filter(|_| users > 0))
                },
                move |to| async move {
                    transport
                        .call(
                            &region,
                            &DeleteGroup {
                                group_id: id,
                                move_to: to,
                            },
                        )
                        .await
                },
                move |answer| {
                    answer?;
                    chosen.set(None);
                    changed.run(());
                    Ok(())
                },
            );
        }
    };
    let move_field = (users > 0).then(|| {
        view! {
            <SelectField id="group-move-to" label=format!("Move its {users} users to") value=move_to
                options=Signal::derive(move || targets.clone()) problem=delete.problem("move_to") />
        }
    });
    let forced = Bind::new(move || force.get(), move |v| force.set(v));
    view! {
        <section aria-labelledby="group-edit" class="group-editor">
            <h2 id="group-edit">{format!("Change {}", g.name)}</h2>
            <form on:submit=save novalidate>
                <TextField id="group-name" label="Name" value=name problem=form.problem("name") required=true />
                <SelectField id="group-plan" label="Plan" value=plan options=plan_options(cat) problem=form.problem("plan_id") />
                <Show when=move || offer_force.get()>
                    <Switch id="group-force" label="Change the plan even so" on=forced.clone() />
                </Show>
                <Switch id="group-web" label="Users may reach their data on the web and on phones" on=web />
                <Switch id="group-domain" label="Only machines in the directory domain may install the client" on=domain />
                <FormError form />
                <SubmitButton pending=form.pending label="Save" busy="Saving…" />
                <FormDone form />
            </form>
            <form class="danger" on:submit=remove novalidate>
                {move_field}
                <FormError form=delete />
                <SubmitButton pending=delete.pending label="Delete group" busy="Deleting…" class="danger" />
            </form>
        </section>
    }
}
