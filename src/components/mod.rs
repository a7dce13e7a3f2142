//! Pieces of interface shared by pages: each has one home here, and no component knows a
//! page.

pub mod copy_button;
pub mod enterprise;
pub mod error_notice;
pub mod field;
pub mod form;
pub mod format;
pub mod layout;
pub mod submit;
pub mod user_fields;
