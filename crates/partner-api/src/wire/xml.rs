//! A small, strict-enough XML reader and an escaping writer for the Accounts API.
//!
//! The Accounts API speaks a plain subset of XML: elements, text, the five predefined
//! entities and character references, with an optional prolog. The reader turns a document
//! into an [`Element`] tree without recursion (so no input can overflow the stack); the
//! decoders in [`crate::accounts`] then pick what they need and ignore the rest.
//!
//! The writer never pastes raw input into markup: element names are `&'static str` chosen
//! by this crate, and every value goes through [`escape`].

use std::fmt;

/// One element with its attributes, its child elements in document order and its text
/// (all text nodes directly inside it, concatenated, entities resolved).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    /// The first child element called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child element called `name`, in order.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child called `name`; `None` when the child is missing
    /// or empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
    }

    /// Like [`Element::child_text`], trying several names (for fields spelled two ways).
    pub fn child_text_any(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| self.child_text(n))
    }
}

/// Why a document could not be read, with the byte offset where it went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub offset: usize,
    pub message: &'static str,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

impl std::error::Error for XmlError {}

fn err<T>(offset: usize, message: &'static str) -> Result<T, XmlError> {
    Err(XmlError { offset, message })
}

/// How deep elements may nest. The Accounts API nests four levels at most; the cap keeps a
/// hostile document from building a tree whose drop would exhaust the stack.
pub const MAX_DEPTH: usize = 256;

/// What a [`walk`] reports, in document order. Every start has a matching end (a
/// self-closing element reports both); text arrives with entities resolved, possibly in
/// several pieces.
pub trait Visitor {
    fn start(&mut self, name: &str, attributes: Vec<(String, String)>, depth: usize);
    fn text(&mut self, text: &str, depth: usize);
    fn end(&mut self, name: &str, depth: usize);
}

/// Reads a whole document and returns its root element.
pub fn parse(input: &str) -> Result<Element, XmlError> {
    let mut builder = TreeBuilder::default();
    walk(input, &mut builder)?;
    builder.root.ok_or(XmlError {
        offset: 0,
        message: "the document has no element",
    })
}

#[derive(Default)]
struct TreeBuilder {
    stack: Vec<Element>,
    root: Option<Element>,
}

impl Visitor for TreeBuilder {
    fn start(&mut self, name: &str, attributes: Vec<(String, String)>, _depth: usize) {
        self.stack.push(Element {
            name: name.to_owned(),
            attributes,
            ..Element::default()
        });
    }
    fn text(&mut self, text: &str, _depth: usize) {
        if let Some(top) = self.stack.last_mut() {
            top.text.push_str(text);
        }
    }
    fn end(&mut self, _name: &str, _depth: usize) {
        if let Some(done) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(done),
                None => self.root = Some(done),
            }
        }
    }
}

/// Checks a whole document and reports it to `visitor` without building a tree: the
/// streaming decoders (a 10,000-account children list) use it directly. Iterative, so no
/// input can overflow the stack.
pub fn walk(input: &str, visitor: &mut impl Visitor) -> Result<(), XmlError> {
    let bytes = input.as_bytes();
    let mut pos = 0;
    // Names of the open elements.
    let mut open: Vec<&str> = Vec::new();
    let mut seen_root = false;
    let mut scratch = String::new();

    while pos < bytes.len() {
        if bytes[pos] != b'<' {
            let end = memchr(b'<', &bytes[pos..]).map_or(bytes.len(), |i| pos + i);
            let raw = &input[pos..end];
            if open.is_empty() {
                if !raw.trim().is_empty() {
                    return err(pos, "text outside the root element");
                }
            } else if memchr(b'&', raw.as_bytes()).is_none() {
                visitor.text(raw, open.len());
            } else {
                scratch.clear();
                unescape_into(raw, pos, &mut scratch)?;
                visitor.text(&scratch, open.len());
            }
            pos = end;
            continue;
        }
        let rest = &input[pos..];
        if rest.starts_with("<?") {
            pos = skip_past(input, pos, "?>", "unterminated processing instruction")?;
        } else if rest.starts_with("<!--") {
            pos = skip_past(input, pos + 4, "-->", "unterminated comment")?;
        } else if rest.starts_with("<![CDATA[") {
            let start = pos + 9;
            let end = find(input, start, "]]>").ok_or(XmlError {
                offset: pos,
                message: "unterminated CDATA section",
            })?;
            if open.is_empty() {
                return err(pos, "CDATA outside the root element");
            }
            visitor.text(&input[start..end], open.len());
            pos = end + 3;
        } else if rest.starts_with("<!") {
            pos = skip_declaration(bytes, pos)?;
        } else if rest.starts_with("</") {
            let name_start = pos + 2;
            let gt = memchr(b'>', &bytes[name_start..]).ok_or(XmlError {
                offset: pos,
                message: "unterminated end tag",
            })? + name_start;
            let name = input[name_start..gt].trim();
            let Some(expected) = open.pop() else {
                return err(pos, "end tag without a start tag");
            };
            if expected != name {
                return err(pos, "end tag does not match the open element");
            }
            visitor.end(name, open.len() + 1);
            pos = gt + 1;
        } else {
            let (name, attributes, self_closing, next) = start_tag(input, pos)?;
            if open.is_empty() {
                if seen_root {
                    return err(pos, "a second root element");
                }
                seen_root = true;
            }
            if open.len() >= MAX_DEPTH {
                return err(pos, "elements nest deeper than the API ever does");
            }
            visitor.start(name, attributes, open.len() + 1);
            if self_closing {
                visitor.end(name, open.len() + 1);
            } else {
                open.push(name);
            }
            pos = next;
        }
    }
    if !open.is_empty() {
        return err(bytes.len(), "the document ends inside an element");
    }
    if !seen_root {
        return err(0, "the document has no element");
    }
    Ok(())
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&b| b == needle)
}

fn find(input: &str, from: usize, pat: &str) -> Option<usize> {
    input.get(from..)?.find(pat).map(|i| from + i)
}

fn skip_past(input: &str, from: usize, pat: &str, what: &'static str) -> Result<usize, XmlError> {
    find(input, from, pat)
        .map(|i| i + pat.len())
        .ok_or(XmlError {
            offset: from,
            message: what,
        })
}

/// Skips `<!DOCTYPE ...>` including a bracketed internal subset.
fn skip_declaration(bytes: &[u8], pos: usize) -> Result<usize, XmlError> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate().skip(pos + 2) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'[') => depth += 1,
            (None, b']') => depth = depth.saturating_sub(1),
            (None, b'>') if depth == 0 => return Ok(i + 1),
            _ => {}
        }
    }
    err(pos, "unterminated declaration")
}

fn is_name_end(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'/' | b'>' | b'=')
}

/// A start tag's name, attributes, whether it closed itself, and the position after it.
type StartTag<'a> = (&'a str, Vec<(String, String)>, bool, usize);

/// Parses `<name attr="v" ...>` or `<name/>` at `pos`.
fn start_tag(input: &str, pos: usize) -> Result<StartTag<'_>, XmlError> {
    let bytes = input.as_bytes();
    let mut i = pos + 1;
    let name_start = i;
    while i < bytes.len() && !is_name_end(bytes[i]) {
        i += 1;
    }
    if i == name_start {
        return err(pos, "an element without a name");
    }
    let name = &input[name_start..i];
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i) {
            None => return err(pos, "unterminated start tag"),
            Some(b'>') => return Ok((name, attributes, false, i + 1)),
            Some(b'/') => {
                return match bytes.get(i + 1) {
                    Some(b'>') => Ok((name, attributes, true, i + 2)),
                    _ => err(i, "a '/' in a start tag not followed by '>'"),
                };
            }
            Some(_) => {
                let attr_start = i;
                while i < bytes.len() && !is_name_end(bytes[i]) {
                    i += 1;
                }
                if i == attr_start {
                    return err(i, "an attribute without a name");
                }
                let attr_name = &input[attr_start..i];
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                if bytes.get(i) != Some(&b'=') {
                    return err(i, "an attribute without a value");
                }
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                let quote = match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => q,
                    _ => return err(i, "an attribute value without quotes"),
                };
                let value_start = i + 1;
                let value_end = memchr(quote, &bytes[value_start..]).ok_or(XmlError {
                    offset: i,
                    message: "unterminated attribute value",
                })? + value_start;
                let mut value = String::new();
                unescape_into(&input[value_start..value_end], value_start, &mut value)?;
                attributes.push((attr_name.to_owned(), value));
                i = value_end + 1;
            }
        }
    }
}

/// Appends `raw` to `out` with entities and character references resolved.
fn unescape_into(raw: &str, offset: usize, out: &mut String) -> Result<(), XmlError> {
    let mut rest = raw;
    let mut at = offset;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';').ok_or(XmlError {
            offset: at + amp,
            message: "an '&' that starts no entity",
        })?;
        let entity = &after[..semi];
        let ch = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or(XmlError {
                    offset: at + amp,
                    message: "an unknown entity or invalid character reference",
                })?
            }
        };
        out.push(ch);
        let consumed = amp + 1 + semi + 1;
        rest = &rest[consumed..];
        at += consumed;
    }
    out.push_str(rest);
    Ok(())
}

/// Escapes a value for element text or a double-quoted attribute. Characters XML 1.0 cannot
/// carry at all (most C0 controls) become U+FFFD, so the output is always well-formed.
pub fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    escape_into(value, &mut out);
    out
}

fn escape_into(value: &str, out: &mut String) {
    for ch in value.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Builds a document element by element. Names are static, chosen by this crate; values are
/// always escaped.
#[derive(Debug)]
pub struct XmlWriter {
    out: String,
    open: Vec<&'static str>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    pub fn new() -> Self {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            open: Vec::new(),
        }
    }

    /// Opens `<name>`.
    pub fn open(&mut self, name: &'static str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        self.open.push(name);
        self
    }

    /// Closes the innermost open element.
    pub fn close(&mut self) -> &mut Self {
        if let Some(name) = self.open.pop() {
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push('>');
        }
        self
    }

    /// `<name>escaped value</name>`.
    pub fn text(&mut self, name: &'static str, value: &str) -> &mut Self {
        self.out.push('<');
        self.out.push_str(name);
        self.out.push('>');
        escape_into(value, &mut self.out);
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
        self
    }

    /// Writes the element only when there is a value.
    pub fn opt_text(&mut self, name: &'static str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.text(name, v);
        }
        self
    }

    /// `<name>true</name>` or `false`.
    pub fn boolean(&mut self, name: &'static str, value: bool) -> &mut Self {
        self.text(name, if value { "true" } else { "false" })
    }

    /// Closes whatever is still open and returns the document.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.close();
        }
        self.out
    }
}

/// Reads an XML boolean as the Accounts API writes it (`true`/`false`, also `1`/`0`).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "true" | "1" | "True" | "TRUE" => Some(true),
        "false" | "0" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_whoami() {
        let e = parse("<user><id>nq2v51-5mx23m-qb7sah</id></user>").unwrap();
        assert_eq!(e.name, "user");
        assert_eq!(e.child_text("id"), Some("nq2v51-5mx23m-qb7sah"));
    }

    #[test]
    fn reads_prolog_comments_cdata_entities_and_attributes() {
        let doc = r#"<?xml version="1.0"?>
            <!DOCTYPE users [ <!ENTITY x "y"> ]>
            <!-- a comment -->
            <users total='2'>
              <user a="x &amp; y"><name>A &lt;&amp;&gt; &#65;&#x42; &quot;q&apos;</name></user>
              <user><name><![CDATA[<raw & text>]]></name><empty/></user>
            </users>"#;
        let e = parse(doc).unwrap();
        assert_eq!(e.attributes, vec![("total".into(), "2".into())]);
        let users: Vec<_> = e.children_named("user").collect();
        assert_eq!(users.len(), 2);
        assert_eq!(users[0].attributes[0].1, "x & y");
        assert_eq!(users[0].child_text("name"), Some("A <&> AB \"q'"));
        assert_eq!(users[1].child_text("name"), Some("<raw & text>"));
        assert_eq!(users[1].child_text("empty"), None);
        assert!(users[1].child("empty").is_some());
    }

    #[test]
    fn rejects_broken_documents_with_a_reason() {
        for bad in [
            "",
            "just text",
            "<a>",
            "<a></b>",
            "</a>",
            "<a/><b/>",
            "<a>&bogus;</a>",
            "<a>&#xD800;</a>",
            "<a x=1/>",
            "<a><!-- never closed</a>",
            "<>",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(!e.message.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let n = 200_000;
        let doc = format!("{}{}", "<a>".repeat(n), "</a>".repeat(n));
        assert!(parse(&doc).unwrap_err().message.contains("nest deeper"));
    }

    #[test]
    fn writer_escapes_every_value() {
        let mut w = XmlWriter::new();
        w.open("contact")
            .text("fullname", "</fullname><acl>MasterAdmin</acl>")
            .text("companyname", "Smith & \"Sons\" 'Ltd' \u{1}");
        let doc = w.finish();
        assert!(!doc.contains("<acl>"));
        let e = parse(&doc).unwrap();
        assert_eq!(e.children.len(), 2);
        assert_eq!(
            e.child_text("fullname"),
            Some("</fullname><acl>MasterAdmin</acl>")
        );
        assert_eq!(
            e.child_text("companyname"),
            Some("Smith & \"Sons\" 'Ltd' \u{FFFD}")
        );
    }
}
