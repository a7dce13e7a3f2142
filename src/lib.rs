//! # Partner Portal
//!
//! A client-side Leptos app for backup-service partners: sign in to regions, browse the
//! account hierarchy, and (as the portal grows) create accounts, manage users and API keys,
//! billing and enterprise settings.
//!
//! The data path reads one way: [`pages`] (routes) → [`state`] (contexts and loaders) →
//! [`transport`] (URLs, proxy, auth, gloo-net, the session) → the `partner-api` core (types,
//! codecs, validation, rules) → the wire. Pages are built from [`components`]; [`links`]
//! builds the portal's own routes and [`browser`] wraps what the browser itself offers;
//! [`task`] ties work that waits to the view that started it.

pub mod app;
pub mod browser;
pub mod chunks;
pub mod components;
pub mod embed;
pub mod links;
pub mod pages;
pub mod resource;
pub mod state;
pub mod task;
pub mod theme;
pub mod transport;
pub mod tree;

pub use app::{App, Portal};
