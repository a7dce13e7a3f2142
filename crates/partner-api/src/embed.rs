//! The `postMessage` protocol between the portal in a frame and the page that frames it (a PSA
//! tool). Every message is a JSON object with `"source": "partner-portal"` and a `"type"`;
//! `docs/embedding.md` is the host's side of it.
//!
//! The portal sends messages only to the origins in `embed.allowed_origins` and takes them
//! only from those origins, from its own parent window (the browser side is `src/embed.rs`).

use crate::config::Theme;
use serde_json::Value;

/// The value of `"source"` in every message, both ways.
pub const SOURCE: &str = "partner-portal";
/// The protocol's version, sent in `ready`.
pub const VERSION: u32 = 1;

/// What the portal tells its host.
///
/// Written and read by hand over `serde_json::Value`: derived, internally tagged enums cost
/// the browser bundle 12 KB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToHost {
    /// The portal has started; `path` is where it is.
    Ready { version: u32, path: String },
    /// The content's height in CSS pixels changed: size the frame to it.
    Height { height: u32 },
    /// The portal went to another page (path and query).
    Route { path: String },
}

impl ToHost {
    /// The message as JSON text.
    pub fn to_json(&self) -> String {
        let mut object = serde_json::Map::new();
        object.insert("source".into(), SOURCE.into());
        let (kind, fields): (&str, Vec<(&str, Value)>) = match self {
            ToHost::Ready { version, path } => (
                "ready",
                vec![
                    ("version", (*version).into()),
                    ("path", path.as_str().into()),
                ],
            ),
            ToHost::Height { height } => ("height", vec![("height", (*height).into())]),
            ToHost::Route { path } => ("route", vec![("path", path.as_str().into())]),
        };
        object.insert("type".into(), kind.into());
        for (name, value) in fields {
            object.insert(name.into(), value);
        }
        Value::Object(object).to_string()
    }
}

/// What a host may ask of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromHost {
    /// Go to a page of the portal: a path such as `/accounts/dk-co/{id}`.
    Navigate { path: String },
    /// Use this theme (`light`, `dark` or `system`).
    SetTheme { theme: Theme },
}

impl FromHost {
    /// Reads a host's message (its `data` as JSON text). Anything else, including a message
    /// meant for someone else, or a path leading out of the portal, is `None`.
    pub fn from_json(text: &str) -> Option<FromHost> {
        let value: Value = serde_json::from_str(text).ok()?;
        let field = |name: &str| value.get(name).and_then(Value::as_str);
        if field("source")? != SOURCE {
            return None;
        }
        match field("type")? {
            "navigate" => {
                let path = field("path")?;
                is_portal_path(path).then(|| FromHost::Navigate { path: path.into() })
            }
            "set-theme" => Theme::parse(field("theme")?).map(|theme| FromHost::SetTheme { theme }),
            _ => None,
        }
    }
}

/// A path inside the portal, and so a location the portal may follow when it comes from
/// outside (a `next=` parameter, a host's `navigate`): the one rule for both.
///
/// It starts with one `/`, is at most 2,048 characters, and holds no backslash and no control
/// character, neither as typed nor once its percent-encoding is undone (however many times):
/// a browser drops tabs and newlines from a URL and reads `\` as `/`, so `/%09/evil.example`,
/// `/\evil.example` or `/%2F/evil.example` would each lead to `//evil.example`, another site.
pub fn is_portal_path(path: &str) -> bool {
    if path.len() > 2048 {
        return false;
    }
    let mut text = path.to_owned();
    // Each round undoes one layer of percent-encoding; a path that still changes after a
    // handful of layers is no path this portal builds.
    for _ in 0..4 {
        if !is_plain_portal_path(&text) {
            return false;
        }
        match percent_decoded(&text) {
            Some(decoded) if decoded == text => return true,
            Some(decoded) => text = decoded,
            None => return false,
        }
    }
    false
}

/// One layer of [`is_portal_path`]: the text as it stands.
fn is_plain_portal_path(text: &str) -> bool {
    text.starts_with('/')
        && !text.starts_with("//")
        && !text.contains('\\')
        && !text.chars().any(char::is_control)
}

/// `text` with every `%XX` undone once; `None` when the bytes are not UTF-8. A `%` not
/// followed by two hex digits stays as it is.
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h)? * 16 + hex(l)?) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_to_the_host_carry_the_source() {
        let v: serde_json::Value = serde_json::from_str(
            &ToHost::Ready {
                version: VERSION,
                path: "/sign-in".into(),
            }
            .to_json(),
        )
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"source": "partner-portal", "type": "ready", "version": 1, "path": "/sign-in"})
        );
        assert!(ToHost::Height { height: 812 }
            .to_json()
            .contains(r#""height":812"#));
    }

    #[test]
    fn host_messages_are_read_strictly() {
        assert_eq!(
            FromHost::from_json(
                r#"{"source": "partner-portal", "type": "navigate", "path": "/accounts/dk-co/x"}"#
            ),
            Some(FromHost::Navigate {
                path: "/accounts/dk-co/x".into()
            })
        );
        assert_eq!(
            FromHost::from_json(
                r#"{"source": "partner-portal", "type": "set-theme", "theme": "dark"}"#
            ),
            Some(FromHost::SetTheme { theme: Theme::Dark })
        );
        for ignored in [
            r#"{"type": "navigate", "path": "/x"}"#,
            r#"{"source": "other-widget", "type": "navigate", "path": "/x"}"#,
            r#"{"source": "partner-portal", "type": "navigate", "path": "https://evil.example/"}"#,
            r#"{"source": "partner-portal", "type": "navigate", "path": "//evil.example/"}"#,
            r#"{"source": "partner-portal", "type": "navigate", "path": "/\\evil.example"}"#,
            r#"{"source": "partner-portal", "type": "navigate", "path": "javascript:alert(1)"}"#,
            r#"{"source": "partner-portal", "type": "set-theme", "theme": "sepia"}"#,
            r#"{"source": "partner-portal", "type": "eval", "code": "1"}"#,
            "not json",
            "42",
        ] {
            assert_eq!(FromHost::from_json(ignored), None, "{ignored}");
        }
    }

    #[test]
    fn only_paths_of_this_portal_are_portal_paths() {
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\r\n/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\\/evil.example",
            "/%09/evil.example",
            "/%0a/evil.example",
            "/%0D/evil.example",
            "/%00/evil.example",
            "/%7F/evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%5cevil.example",
            "%2F%2Fevil.example",
            "/%252F/evil.example",
            "/%25252F/evil.example",
            "/%2525252525252F/evil.example",
            "/%C0%AF/evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "evil.example",
            "",
        ] {
            assert!(!is_portal_path(bad), "{bad:?}");
        }
        assert!(!is_portal_path(&format!("/{}", "a".repeat(2048))));
        for good in [
            "/",
            "/accounts/eu/nq2v51-5mx23m-qb7sah?tab=users&b=1",
            "/accounts/access?region=eu&account=x&token=api%2Bkey%40example.com",
            "/settings#password",
            "/100%",
            "/accounts?q=50%25",
        ] {
            assert!(is_portal_path(good), "{good:?}");
        }
    }
}
