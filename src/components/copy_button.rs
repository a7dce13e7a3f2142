//! A button that copies a text (a GUID) to the clipboard and says so.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

#[component]
pub fn CopyButton(
    /// What to copy.
    text: String,
    /// What the text is, for the button's accessible name ("Copy GUID").
    label: &'static str,
) -> impl IntoView {
    let (done, set_done) = signal(None::<bool>);
    let copy = move |_| {
        let ok = write_clipboard(&text);
        set_done.set(Some(ok));
    };
    view! {
        <button type="button" class="copy" on:click=copy aria-label=format!("Copy {label}")>
            "Copy"
        </button>
        <span class="copy-status" role="status">
            {move || match done.get() {
                Some(true) => "Copied",
                Some(false) => "Copy failed: select the text instead",
                None => "",
            }}
        </span>
    }
}

/// `navigator.clipboard.writeText`, reached without web-sys's unstable-API flag.
fn write_clipboard(text: &str) -> bool {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return false;
    };
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok();
    let write = clipboard.as_ref().and_then(|c| {
        js_sys::Reflect::get(c, &"writeText".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()
    });
    match (clipboard, write) {
        (Some(c), Some(f)) => f.call1(&c, &text.into()).is_ok(),
        _ => false,
    }
}
