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

/// Creates `account` under `parent` once and says what is known. `since` is when its first
/// attempt began ([`since_now`]); when it may have been sent before (`sent_before`: a lost
/// answer, a page closed mid-send), it is looked for first and sent only when the region's
/// listing says it was not created.
pub async fn create_once(
    transport: &Transport,
    region: &RegionId,
    parent: &AccountId,
    account: &UserCreate,
    since: &str,
    sent_before: bool,
) -> Result<AccountId, ApiError> {
    let listing = || async { transport.call(region, &ListChildren(parent.clone())).await };
    if sent_before {
        match once::resumed(account, Some(since), listing().await) {
            Err(ApiError::NotCreated(_)) => {}
            known => return known,
        }
    }
    let call = CreateAccount {
        parent: parent.clone(),
        account: account.clone(),
    };
    // A first user's password is a secret: sent only from and to where it is encrypted.
    let answer = match account.password {
        Some(_) => transport.call_secret(region, &call).await,
        None => transport.call(region, &call).await,
    };
    let listing = match once::must_look(&answer) {
        true => Some(listing().await),
        false => None,
    };
    once::outcome(account, Some(since), answer, listing)
}
