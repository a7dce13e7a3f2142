//! Creating things exactly once. The rule is the core's (`partner_api::accounts::once`):
//! after a 201 or any doubt the parent's documented listing is read before anything is
//! said, a 409 is never sent again, and what is known is said (created, not created and safe
//! to send again, or may exist and how to check). This module only sends and reads.

use crate::browser::{iso_minutes_ago, random_bytes};
use crate::transport::Transport;
use partner_api::accounts::children::ListChildren;
use partner_api::accounts::once;
use partner_api::accounts::users::{CreateAccount, UserCreate};
use partner_api::{AccountId, ApiError, RegionId};

/// A fresh `external_id` for a create.
pub fn new_external_id() -> String {
    let bytes = random_bytes(16);
    let mut a = [0u8; 16];
    a.copy_from_slice(&bytes);
    partner_api::secrets::external_id(&a)
}

/// A password from the browser's random source, of unambiguous characters.
pub fn new_password() -> String {
    loop {
        if let Some(p) =
            partner_api::secrets::password(&random_bytes(96), partner_api::secrets::PASSWORD_LENGTH)
        {
            return p;
        }
    }
}

/// The earliest creation time an account created from now on can show in its parent's
/// listing: now, less ten minutes for the difference between this clock and the region's.
pub fn since_now() -> String {
    iso_minutes_ago(10.0)
}

/// Finds `account` under `parent` after a send of it that may have gone out (the page was
/// closed while it was under way): its id when listed, [`ApiError::NotCreated`] when it is
/// safe to send, anything else when that is not known.
pub async fn find_created(
    transport: &Transport,
    region: &RegionId,
    parent: &AccountId,
    account: &UserCreate,
    since: &str,
) -> Result<AccountId, ApiError> {
    let listing = transport.call(region, &ListChildren(parent.clone())).await;
    once::resumed(account, Some(since), listing)
}

/// Sends the create once and says what is known, `since` being when the first attempt of
/// it began ([`since_now`]).
pub async fn create_account(
    transport: &Transport,
    region: &RegionId,
    parent: &AccountId,
    account: &UserCreate,
    since: &str,
) -> Result<AccountId, ApiError> {
    let call = CreateAccount {
        parent: parent.clone(),
        account: account.clone(),
    };
    let answer = transport.call(region, &call).await;
    let listing = if once::must_look(&answer) {
        Some(transport.call(region, &ListChildren(parent.clone())).await)
    } else {
        None
    };
    once::outcome(account, Some(since), answer, listing)
}
