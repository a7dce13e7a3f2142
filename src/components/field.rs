//! A labelled text field whose problem is said next to it (`aria-invalid`,
//! `aria-describedby`), the way every form in the portal shows bad input.

use leptos::prelude::*;
use partner_api::writes::FieldProblem;

/// The first problem the core found with `field`, as the signal a [`TextField`] shows.
pub fn problem_for(
    problems: RwSignal<Vec<FieldProblem>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        problems.with(|p| {
            p.iter()
                .find(|p| p.field == field)
                .map(|p| p.message.clone())
        })
    })
}

#[component]
pub fn TextField(
    /// The element id; the problem's id is `{id}-problem`.
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// The problem with the value, if any.
    #[prop(into)]
    problem: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// A hint under the label.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// A `<datalist>` id for suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let problem_id = format!("{id}-problem");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {problem_id}")
    } else {
        problem_id.clone()
    };
    view! {
        <div class="field">
            <label for=id>{label} {required.then_some(" (required)")}</label>
            {hint.map(|h| view! { <p id=hint_id class="hint">{h}</p> })}
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                list=list
                required=required
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=described
                prop:value=value
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p id=problem_id class="field-problem">{move || problem.get()}</p>
        </div>
    }
}
