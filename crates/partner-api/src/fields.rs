//! What every write body shares: [`FieldProblem`] (a validation failure on one field, as the
//! forms show it), reading a region's 400 back onto fields ([`field_problems`]), the collector
//! the validators use, and [`Secret`] for values that must never be printed.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A value that must never be printed: passwords, card numbers, security codes. `Debug`
/// shows only that it is set; serialisation is transparent, for the wire only.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(empty)"
        } else {
            "Secret(***)"
        })
    }
}

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// A validation failure on one field: the field's wire name and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads a region's 400 back into field problems: the sandbox (and regions that do the
/// same) answer one `field: message` line per problem. Lines that name no field in `fields`
/// are returned as `None`-field problems in the second list.
pub fn field_problems(message: &str, fields: &[&'static str]) -> (Vec<FieldProblem>, Vec<String>) {
    let mut named = Vec::new();
    let mut other = Vec::new();
    for line in message.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line
            .split_once(": ")
            .and_then(|(f, m)| Some((fields.iter().find(|x| **x == f)?, m)))
        {
            Some((field, m)) => named.push(FieldProblem {
                field,
                message: m.to_owned(),
            }),
            None => other.push(line.to_owned()),
        }
    }
    (named, other)
}

/// Collects field problems.
#[derive(Debug, Default)]
pub(crate) struct Problems(pub Vec<FieldProblem>);

impl Problems {
    pub fn check<T>(&mut self, field: &'static str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(message) => {
                self.0.push(FieldProblem { field, message });
                None
            }
        }
    }
    pub fn opt<T>(
        &mut self,
        field: &'static str,
        value: Option<&str>,
        f: impl FnOnce(&str) -> Result<T, String>,
    ) {
        if let Some(v) = value {
            self.check(field, f(v));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_400_maps_back_onto_fields() {
        let (named, other) = field_problems(
            "login: “x” is not an email address\ncountry: “Denmark” is not a country code\nsomething else",
            &["login", "country", "email"],
        );
        assert_eq!(
            named.iter().map(|p| p.field).collect::<Vec<_>>(),
            ["login", "country"]
        );
        assert!(named[1].message.starts_with("“Denmark”"));
        assert_eq!(other, ["something else"]);
    }
}
