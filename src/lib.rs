//! # Partner Portal
//!
//! A client-side Leptos app for backup-service partners: sign in to regions, browse the
//! account hierarchy, and (as the portal grows) create accounts, manage users and API keys,
//! billing and enterprise settings.
//!
//! Layers, each knowing only the one below it:
//! [`transport`] (URLs, proxy, auth, gloo-net) → [`state`] (contexts) → [`components`] →
//! [`pages`]. Types, codecs and validation come from the `partner-api` crate.

pub mod app;
pub mod components;
pub mod create;
pub mod embed;
pub mod pages;
pub mod resource;
pub mod state;
pub mod theme;
pub mod transport;
pub mod tree;

pub use app::{App, Portal};
