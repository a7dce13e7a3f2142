//! Values shown to people: dates formatted by the browser for the partner's own locale
//! (`Intl` through js-sys: no formatting crate in the bundle), bytes and durations in words.

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

/// Seconds since 1970 (as the Enterprise API sends times) as [`date_time`] shows them.
pub fn unix_date_time(secs: i64) -> String {
    if !cfg!(target_arch = "wasm32") {
        return secs.to_string();
    }
    let d = js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0));
    d.to_iso_string()
        .as_string()
        .map(|iso| date_time(&iso))
        .unwrap_or_default()
}

/// A time the Enterprise API may leave out (`null` or 0: it never happened) as
/// [`unix_date_time`] shows it, or "Never".
pub fn unix_date_or_never(secs: Option<i64>) -> String {
    secs.filter(|t| *t > 0)
        .map_or_else(|| "Never".to_owned(), unix_date_time)
}

fn locale() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en".into())
}

/// Bytes in words: "1.5 TB" (the core's rule, so its sentences say sizes the same way).
pub use partner_api::units::bytes as human_bytes;

/// Seconds as a duration in words: "1 day 2 hours".
pub fn human_duration(seconds: i64) -> String {
    if seconds <= 0 {
        return "none".into();
    }
    let parts = [
        (86_400, "day"),
        (3_600, "hour"),
        (60, "minute"),
        (1, "second"),
    ];
    let mut rest = seconds;
    let mut out = Vec::new();
    for (size, name) in parts {
        if rest >= size {
            let k = rest / size;
            rest %= size;
            out.push(format!("{k} {name}{}", if k == 1 { "" } else { "s" }));
        }
        if out.len() == 2 {
            break;
        }
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_units() {
        assert_eq!(human_bytes(999), "999 bytes");
        assert_eq!(human_bytes(1_500_000_000_000), "1.5 TB");
        assert_eq!(human_duration(86_400 + 7_200 + 5), "1 day 2 hours");
        assert_eq!(human_duration(0), "none");
        assert_eq!(human_duration(61), "1 minute 1 second");
    }
}
