//! Labelled fields whose problem is said next to them (`aria-invalid`, `aria-describedby`),
//! the way every form in the portal shows bad input: [`TextField`] for text of any kind and
//! [`Switch`] for an on/off setting. What a field edits is a [`Bind`]: a signal of its own,
//! or one part of a bigger draft.

use leptos::prelude::*;
use leptos::text_prop::TextProp;
use partner_api::fields::FieldProblem;
use std::sync::Arc;

/// The first problem the core found with `field`, as the signal a field shows (`None`:
/// fine).
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

/// What a field shows and where what the partner types goes. Two boxed functions, not
/// signals: a field needs no reactive node of its own, and the bundle needs no copy of the
/// signal machinery per field.
pub struct Bind<T: 'static> {
    get: Arc<dyn Fn() -> T + Send + Sync>,
    set: Arc<dyn Fn(T) + Send + Sync>,
}

impl<T: 'static> Clone for Bind<T> {
    fn clone(&self) -> Self {
        Bind {
            get: Arc::clone(&self.get),
            set: Arc::clone(&self.set),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> Bind<T> {
    /// A part of something bigger: `get` reads it (tracked), `set` writes what was typed.
    pub fn new(
        get: impl Fn() -> T + Send + Sync + 'static,
        set: impl Fn(T) + Send + Sync + 'static,
    ) -> Self {
        Bind {
            get: Arc::new(get),
            set: Arc::new(set),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> From<RwSignal<T>> for Bind<T> {
    fn from(signal: RwSignal<T>) -> Self {
        Bind::new(move || signal.get(), move |v| signal.set(v))
    }
}

/// A text input with its label, an optional hint, and its problem.
#[component]
pub fn TextField(
    /// The element id; the hint's id is `{id}-hint`, the problem's `{id}-problem`.
    #[prop(into)]
    id: String,
    #[prop(into)] label: TextProp,
    #[prop(into)] value: Bind<String>,
    /// The problem with the value, if any.
    #[prop(into)]
    problem: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    /// A hint under the label.
    #[prop(optional, into)]
    hint: Option<TextProp>,
    /// The hint changes as the partner types and is read out when it does.
    #[prop(optional)]
    live_hint: bool,
    /// A `<datalist>` id for suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let problem_id = format!("{id}-problem");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {problem_id}")
    } else {
        problem_id.clone()
    };
    let hint = hint.map(|h| {
        view! { <p id=hint_id class="hint" aria-live=live_hint.then_some("polite")>{move || h.get()}</p> }
    });
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()} {required.then_some(" (required)")}</label>
            {hint}
            <input
                id=id.clone()
                name=id
                type=kind
                autocomplete=autocomplete
                list=list
                inputmode=inputmode
                placeholder=placeholder
                required=required
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=described
                prop:value={
                    let get = value.get;
                    move || get()
                }
                on:input=move |ev| (value.set)(event_target_value(&ev))
            />
            <p id=problem_id class="field-problem">{move || problem.get()}</p>
        </div>
    }
}

/// An on/off setting: a checkbox with the switch role, its label beside it.
#[component]
pub fn Switch(
    id: &'static str,
    label: &'static str,
    #[prop(into)] on: Bind<bool>,
) -> impl IntoView {
    view! {
        <label class="choice switch" for=id>
            <input type="checkbox" id=id role="switch"
                prop:checked={
                    let get = on.get;
                    move || get()
                }
                on:change=move |ev| (on.set)(event_target_checked(&ev)) />
            " " {label}
        </label>
    }
}

/// A choice among options (`value`, `label`) with its label and its problem.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: TextProp,
    #[prop(into)] value: Bind<String>,
    /// The options, which may change (a list that loads).
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] problem: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<TextProp>,
) -> impl IntoView {
    let problem_id = format!("{id}-problem");
    let hint_id = format!("{id}-hint");
    let described = if hint.is_some() {
        format!("{hint_id} {problem_id}")
    } else {
        problem_id.clone()
    };
    let hint = hint.map(|h| view! { <p id=hint_id class="hint">{move || h.get()}</p> });
    let get = value.get.clone();
    view! {
        <div class="field">
            <label for=id.clone()>{move || label.get()}</label>
            {hint}
            <select
                id=id.clone()
                name=id
                aria-invalid=move || problem.get().is_some().to_string()
                aria-describedby=described
                on:change=move |ev| (value.set)(event_target_value(&ev))
            >
                {move || {
                    let now = get();
                    options.get().into_iter().map(|(v, l)| {
                        let selected = v == now;
                        view! { <option value=v selected=selected>{l}</option> }
                    }).collect_view()
                }}
            </select>
            <p id=problem_id class="field-problem">{move || problem.get()}</p>
        </div>
    }
}
