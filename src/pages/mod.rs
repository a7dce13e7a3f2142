//! One module (a file, or a folder for a big page) per route, side by side: no page imports
//! another page. What pages share lives in `components`, `state`, `links` and `browser`.

pub mod access;
pub mod account;
pub mod accounts;
pub mod billing;
pub mod groups;
pub mod import;
pub mod new_account;
pub mod new_user;
pub mod not_found;
pub mod plans;
pub mod revisions;
pub mod settings;
pub mod shares;
pub mod sign_in;
pub mod user;
pub mod users;
