//! The fields of an enterprise user, shared by the page that adds one and the page that
//! edits one: name, email, group, plan, bonus storage (and the username when adding).

use crate::components::field::{Bind, SelectField, TextField};
use crate::components::form::Form;
use crate::state::people::Catalog;
use leptos::prelude::*;
use partner_api::enterprise::users::UserDraft;

/// The wire names a region's 400 or 409 may name on this form.
pub const USER_FIELDS: &[&str] = &[
    "username",
    "name",
    "email",
    "group_id",
    "plan_id",
    "bonus_bytes",
];

/// One part of the draft, as a field edits it.
fn part(
    draft: RwSignal<UserDraft>,
    get: fn(&UserDraft) -> &String,
    set: fn(&mut UserDraft, String),
) -> Bind<String> {
    Bind::new(
        move || draft.with(|d| get(d).clone()),
        move |v| draft.update(|d| set(d, v)),
    )
}

#[component]
pub fn UserFields(
    /// The id prefix of the fields (`{prefix}-name`, …).
    prefix: &'static str,
    draft: RwSignal<UserDraft>,
    form: Form,
    cat: Signal<Catalog>,
    /// Adding: the username may be chosen.
    #[prop(optional)]
    adding: bool,
) -> impl IntoView {
    let groups = Signal::derive(move || {
        cat.get()
            .groups
            .into_iter()
            .map(|g| (g.group_id.to_string(), g.name))
            .collect::<Vec<_>>()
    });
    let plans = Signal::derive(move || {
        let c = cat.get();
        let mut options = vec![(String::new(), "The group's plan".to_owned())];
        options.extend(c.plans.iter().map(|p| (p.plan_id.to_string(), p.label())));
        options
    });
    let username = adding.then(|| {
        view! {
            <TextField id=format!("{prefix}-username") label="Username"
                hint="Leave empty and the region numbers one. 4 to 45 letters, digits and underscores, starting with a letter."
                value=part(draft, |d| &d.username, |d, v| d.username = v) problem=form.problem("username") />
        }
    });
    view! {
        <TextField id=format!("{prefix}-name") label="Name" required=true autocomplete="name"
            value=part(draft, |d| &d.name, |d, v| d.name = v) problem=form.problem("name") />
        <TextField id=format!("{prefix}-email") label="Email" kind="email" required=true autocomplete="email"
            value=part(draft, |d| &d.email, |d, v| d.email = v) problem=form.problem("email") />
        {username}
        <SelectField id=format!("{prefix}-group") label="Group"
            value=part(draft, |d| &d.group_id, |d, v| d.group_id = v) options=groups problem=form.problem("group_id") />
        <SelectField id=format!("{prefix}-plan") label="Plan"
            hint="The storage every user of the plan gets; the group's plan unless another is chosen."
            value=part(draft, |d| &d.plan_id, |d, v| d.plan_id = v) options=plans problem=form.problem("plan_id") />
        <TextField id=format!("{prefix}-bonus") label="Bonus storage (GB)" inputmode="numeric"
            hint="Storage above the plan, for this user only."
            value=part(draft, |d| &d.bonus_gb, |d, v| d.bonus_gb = v) problem=form.problem("bonus_bytes") />
    }
}
