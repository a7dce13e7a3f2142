//! The wire: what goes over it and how it is spelled. [`request`] holds requests and
//! responses as plain data, [`xml`] the Accounts API's XML reader and writer, [`auth`] HTTP
//! Basic credentials, and [`DecodeError`] is what a codec says about a body it cannot read.
//!
//! Nothing here knows the crate's errors or calls: `error` and `call` build on the wire, never
//! the other way round.

pub mod auth;
pub mod request;
pub mod xml;

use std::fmt;

/// A document that is XML but not the expected one, or not XML at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What the decoder expected, in words: "a <user> document with an <id>".
    pub expected: &'static str,
    /// What was wrong.
    pub detail: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}: {}", self.expected, self.detail)
    }
}

impl std::error::Error for DecodeError {}
