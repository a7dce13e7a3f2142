//! What the portal asks of the browser itself, in one place: storage, timers, randomness,
//! files to save, focus and the leave warning. Thin wrappers over web-sys; they know nothing
//! of regions, accounts or the network.

use wasm_bindgen::JsCast;

/// The two stores the portal uses. Credentials go only to [`Store::Session`] (this tab, gone
/// when it closes); drafts and preferences to [`Store::Local`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    /// `sessionStorage`: this tab only.
    Session,
    /// `localStorage`: this browser, until removed.
    Local,
}

/// The browser's storage of that kind, when it has one (a private window may refuse).
pub fn storage(store: Store) -> Option<web_sys::Storage> {
    let window = web_sys::window()?;
    match store {
        Store::Session => window.session_storage(),
        Store::Local => window.local_storage(),
    }
    .ok()
    .flatten()
}

/// Waits `ms` milliseconds without blocking the page.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Bytes from the browser's cryptographic random source.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut buf).ok())
        .is_some();
    // Without a cryptographic source there is no safe password: refuse loudly.
    assert!(filled, "the browser has no crypto.getRandomValues");
    buf
}

/// Offers a text as a file to save, through a temporary object URL.
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Moves focus to the first element matching a CSS `selector`.
pub fn focus(selector: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// Asks the browser to confirm before leaving the page (unsaved changes), or stops asking.
pub fn set_leave_warning(on: bool) {
    let Some(w) = web_sys::window() else { return };
    if on {
        let handler = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
            |e: web_sys::BeforeUnloadEvent| {
                e.prevent_default();
                e.set_return_value("You have unsaved changes.");
            },
        );
        w.set_onbeforeunload(Some(handler.as_ref().unchecked_ref()));
        handler.forget();
    } else {
        w.set_onbeforeunload(None);
    }
}

/// Today's (year, month) from the browser's clock.
pub fn this_month() -> (i32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_full_year() as i32, d.get_month() + 1)
}

/// The browser's clock `minutes` ago, as ISO-8601 UTC.
pub fn iso_minutes_ago(minutes: f64) -> String {
    js_sys::Date::new(&(js_sys::Date::now() - minutes * 60_000.0).into())
        .to_iso_string()
        .into()
}

/// Where the browser is: path and query (`/accounts/eu/x?tab=1`), for coming back to it.
pub fn location() -> String {
    let Some(l) = web_sys::window().map(|w| w.location()) else {
        return "/".into();
    };
    let path = l.pathname().unwrap_or_default();
    let search = l.search().unwrap_or_default();
    format!("{path}{search}")
}

/// Loads the portal again from the server (after a deploy replaced the files this tab knew).
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
