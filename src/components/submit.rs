//! A form's submit button that says when it is busy.

use leptos::prelude::*;

/// Submits its form; while `pending` it reads `busy` and is `aria-disabled` (still focusable,
/// so focus is not lost; the form's own guard ignores a second press). `blocked` holds it
/// disabled for another reason (a confirmation not typed yet).
#[component]
pub fn SubmitButton(
    pending: RwSignal<bool>,
    label: &'static str,
    busy: &'static str,
    #[prop(default = "primary")] class: &'static str,
    #[prop(optional, into)] blocked: Option<Signal<bool>>,
) -> impl IntoView {
    let disabled = move || (pending.get() || blocked.is_some_and(|b| b.get())).to_string();
    view! {
        <button type="submit" class=class aria-disabled=disabled>
            {move || if pending.get() { busy } else { label }}
        </button>
    }
}
