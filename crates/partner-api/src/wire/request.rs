//! Requests and responses as plain data. The [`Call`](crate::call::Call) trait, which ties a
//! request to its decoder, lives in [`crate::call`].
//!
//! A caller (the portal's transport, a test) turns a [`Request`] into bytes on the wire and
//! the bytes that come back into a [`Response`]; this crate never does I/O.

use std::fmt;

/// Which API family a call belongs to; each has its own base URL per region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// XML, `https://{dc}.keepit.com`.
    Accounts,
    /// JSON, `https://{host}/apis/accounts/v1`.
    Enterprise,
}

impl Family {
    /// The path the family lives under on a region (or proxy) root.
    pub fn root_path(self) -> &'static str {
        match self {
            Family::Accounts => "",
            Family::Enterprise => "/apis/accounts/v1",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Family::Accounts => "Accounts API",
            Family::Enterprise => "Enterprise API",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
    Put,
    Delete,
    /// Only a status comes back (`HEAD /users/{id}/tokens?aname=`).
    Head,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `Accept` for Accounts API schema version `n` (none means v0).
pub fn accounts_accept(version: u32) -> String {
    format!("application/vnd.keepit.v{version}+xml")
}

/// The schema version an `Accept` header asks for: `application/vnd.keepit.vN+xml`, else 0.
pub fn accept_version(accept: Option<&str>) -> u32 {
    accept
        .into_iter()
        .flat_map(|a| a.split(','))
        .filter_map(|part| {
            let media = part.split(';').next()?.trim();
            // `application/vnd.keepit.v1+xml`, and the `application/vnd.keepit.v3` the
            // vendor's own client sends.
            let version = media.strip_prefix("application/vnd.keepit.v")?;
            version.strip_suffix("+xml").unwrap_or(version).parse().ok()
        })
        .max()
        .unwrap_or(0)
}

/// One call as data: where (relative to the family's base URL), how, and with what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub family: Family,
    pub method: Method,
    /// Starts with `/`; every segment taken from input is already percent-encoded.
    pub path: String,
    pub query: Vec<(String, String)>,
    /// Headers other than `Authorization`, which the transport adds.
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<String>,
    /// Whether repeating the call cannot do harm (GET, whole-replacement PUT), so a
    /// transport may retry it after a failure.
    pub idempotent: bool,
}

impl Request {
    pub fn get(family: Family, path: String) -> Self {
        Request {
            family,
            method: Method::Get,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent: true,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    /// The path with its query string, encoded.
    pub fn path_and_query(&self) -> String {
        let mut out = self.path.clone();
        for (i, (k, v)) in self.query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_component(k));
            out.push('=');
            out.push_str(&encode_component(v));
        }
        out
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, for a path segment or a
/// query component (generated passwords and token names carry punctuation).
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What came back, as the transport read it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    pub status: u16,
    /// Response headers the decoders may need, names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_versions() {
        assert_eq!(accept_version(None), 0);
        assert_eq!(accept_version(Some("application/xml")), 0);
        assert_eq!(accept_version(Some(&accounts_accept(1))), 1);
        assert_eq!(accept_version(Some("application/vnd.keepit.v3")), 3);
        assert_eq!(
            accept_version(Some("text/plain, application/vnd.keepit.v2+xml;q=0.9")),
            2
        );
    }

    #[test]
    fn encodes_paths_and_queries() {
        assert_eq!(encode_component("a b/c?d&e=f%"), "a%20b%2Fc%3Fd%26e%3Df%25");
        assert_eq!(encode_component("ÿ"), "%C3%BF");
        let mut r = Request::get(Family::Enterprise, "/shares/".into());
        r.query = vec![
            ("limit".into(), "50".into()),
            ("offset".into(), "1 0".into()),
        ];
        assert_eq!(r.path_and_query(), "/shares/?limit=50&offset=1%200");
    }
}
