//! Creating things exactly once. A create is never sent blindly twice: every account create
//! carries an `external_id` generated in the browser, and after any doubt (a network failure,
//! a timeout, a 409 on that id) the portal looks for the account by that id before it
//! offers to send again.

use crate::browser::random_bytes;
use crate::transport::Transport;
use partner_api::accounts::children::ListChildren;
use partner_api::accounts::users::{CreateAccount, GetAccount, UserCreate};
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

/// Finds the child of `parent` created with `external_id`: the list narrowed by email, then
/// each candidate's settings.
pub async fn find_created(
    transport: &Transport,
    region: &RegionId,
    parent: &AccountId,
    external_id: &str,
    emails: &[&str],
) -> Result<Option<AccountId>, ApiError> {
    let list = transport
        .call(region, &ListChildren(parent.clone()))
        .await?;
    let candidates: Vec<AccountId> = list
        .children
        .into_iter()
        .filter(|c| {
            c.email
                .as_deref()
                .is_some_and(|e| emails.iter().any(|x| x.eq_ignore_ascii_case(e)))
        })
        .map(|c| c.id)
        .collect();
    for id in candidates {
        let settings = transport.call(region, &GetAccount(id.clone())).await?;
        if settings.external_id.as_deref() == Some(external_id) {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

/// Creates the account once and returns its id.
pub async fn create_account(
    transport: &Transport,
    region: &RegionId,
    parent: &AccountId,
    account: &UserCreate,
) -> Result<AccountId, ApiError> {
    let external_id = account
        .external_id
        .clone()
        .ok_or_else(|| ApiError::NotAvailable("A create needs an external_id.".into()))?;
    let emails: Vec<&str> = [Some(account.login.as_str()), account.email.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let find = || find_created(transport, region, parent, &external_id, &emails);
    let call = CreateAccount {
        parent: parent.clone(),
        account: account.clone(),
    };
    match transport.call(region, &call).await {
        Ok(()) => find().await?.ok_or_else(|| {
            ApiError::NotAvailable(
                "The region accepted the account but does not list it yet. Reload the parent in a moment; it will not be created twice.".into(),
            )
        }),
        // An earlier attempt with this id went through.
        Err(ApiError::Conflict(m)) if m.contains(&external_id) => find().await?.ok_or(ApiError::Conflict(m)),
        // No answer, or no usable one: look before offering to send again.
        Err(e @ (ApiError::Network(_) | ApiError::Timeout(_) | ApiError::Unavailable { .. } | ApiError::Malformed(_))) => {
            match find().await {
                Ok(Some(id)) => Ok(id),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}
