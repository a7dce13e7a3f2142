//! What pages share while the portal runs, between the pages and the transport: the
//! configuration, the session and the transport as contexts; the loaders that fill what
//! several pages show ([`account`], [`people`]); creating exactly once ([`create`]); and form drafts
//! ([`drafts`]).

pub mod account;
pub mod create;
pub mod drafts;
pub mod people;

use crate::transport::{Session, Transport};
use leptos::prelude::*;
use partner_api::config::PortalConfig;
use std::sync::Arc;

/// The configuration, provided as context.
#[derive(Clone)]
pub struct Config(pub Arc<PortalConfig>);

pub fn use_config() -> Arc<PortalConfig> {
    expect_context::<Config>().0
}

/// The signed-in regions (owned by the transport, provided beside it).
pub fn use_session() -> Session {
    expect_context::<Session>()
}

pub fn use_transport() -> Transport {
    expect_context::<Transport>()
}

/// Signs out of every region, and removes the drafts of every login signed out from this
/// browser (`drafts::forget`).
pub fn sign_out_everywhere(session: Session) {
    for (region, login, _) in session.signed_in_untracked() {
        drafts::forget(&region, &login);
    }
    session.sign_out_all();
}
