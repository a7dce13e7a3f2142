//! Values shown to people, formatted by the browser for the partner's own locale
//! (`Intl` through js-sys: no formatting crate in the bundle).

use wasm_bindgen::JsValue;

/// An ISO-8601 timestamp as a medium date and short time in the browser's locale, e.g.
/// "6 Dec 2022, 14:20". Text that is not a date is shown as it came.
pub fn date_time(iso: &str) -> String {
    if !cfg!(target_arch = "wasm32") {
        return iso.to_owned();
    }
    let date = js_sys::Date::new(&JsValue::from_str(iso));
    if date.get_time().is_nan() {
        return iso.to_owned();
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(&locale(), &options).into()
}

fn locale() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".into())
}
