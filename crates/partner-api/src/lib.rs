//! # partner-api: the sans-IO core of Partner Portal
//!
//! Domain types, the Accounts API's XML and the Enterprise API's JSON, typed calls
//! ([`Call`]: a [`Request`] to send and a decoder for the [`Response`]), errors a partner can
//! read ([`ApiError`]), validation, and the portal's runtime configuration.
//!
//! This crate does no I/O, knows no browser and no async runtime: the portal's transport and
//! the sandbox server own the sockets. It compiles for native and `wasm32`.
//!
//! Where things live:
//! - [`wire`]: requests and responses as data, the XML reader and writer, HTTP Basic, and
//!   [`wire::DecodeError`]. It knows no [`ApiError`].
//! - [`error`] ([`ApiError`]) and [`call`] (the [`Call`] trait) build on the wire; [`retry`]
//!   says when a transport may send a call again.
//! - [`accounts`] (XML) and [`enterprise`] (JSON): one module per area of each family, each
//!   with its calls, its documents and its tests. A new call goes in its area's module; a
//!   new area is a new module beside them.
//! - [`fields`]: what every write body shares ([`fields::FieldProblem`], [`fields::Secret`]).
//! - The rules, flat: [`validate`], [`roles`], [`ids`], [`countries`], [`paymentech`],
//!   [`secrets`], [`csv`], [`config`], [`brand`], [`embed`], [`demo`].
//!
//! ```
//! use partner_api::{accounts::users::GetWhoAmI, Call, Response};
//!
//! let request = GetWhoAmI.request();
//! assert_eq!(request.path, "/users/");
//! let answer = Response { status: 200, headers: vec![], body: "<user><id>nq2v51-5mx23m-qb7sah</id></user>".into() };
//! assert_eq!(GetWhoAmI.decode(&answer).unwrap().id.as_str(), "nq2v51-5mx23m-qb7sah");
//! ```

pub mod accounts;
pub mod brand;
pub mod call;
pub mod config;
pub mod countries;
pub mod csv;
pub mod demo;
pub mod embed;
pub mod enterprise;
pub mod error;
pub mod fields;
pub mod ids;
pub mod paymentech;
pub mod retry;
pub mod roles;
pub mod secrets;
pub mod units;
pub mod validate;
pub mod wire;

#[cfg(test)]
mod contract_tests;

pub use call::Call;
pub use error::ApiError;
pub use ids::{AccountId, RegionId};
pub use roles::{AccountKind, Role};
pub use wire::request::{Family, Method, Request, Response};
