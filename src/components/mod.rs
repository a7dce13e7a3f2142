//! Pieces of interface shared by pages.

pub mod copy_button;
pub mod error_notice;
pub mod field;
pub mod format;
pub mod layout;
pub mod submit;
