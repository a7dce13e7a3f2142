//! What several pages load about one account: its details (settings, users, contacts,
//! product), the accounts above it, how many lie below it, and the whole subtree for export.
//! Every load goes through the transport, which caps calls in flight per region.

use crate::resource::Loaded;
use crate::state::use_transport;
use crate::transport::Transport;
use partner_api::accounts::children::{ChildSummary, ListChildren};
use partner_api::accounts::contacts::{Contact, GetContact, ListContactTypes, PRIMARY_CONTACT};
use partner_api::accounts::products::{GetProduct, Product};
use partner_api::accounts::tokens::{ListTokens, TokenList};
use partner_api::accounts::users::{AccountSettings, GetAccount};
use partner_api::{AccountId, AccountKind, ApiError, RegionId};

/// Everything the page shows about the account itself.
#[derive(Debug, Clone)]
pub struct Details {
    pub settings: AccountSettings,
    pub tokens: Result<TokenList, ApiError>,
    /// The primary contact first, then the others.
    pub contacts: Vec<Contact>,
    /// Why some contacts could not be loaded (a contact that does not exist is not a problem).
    pub contacts_error: Option<ApiError>,
    /// The product in effect, own or inherited.
    pub product: Option<Product>,
}

impl Details {
    pub fn name(&self, id: &AccountId) -> String {
        self.contacts
            .iter()
            .find_map(Contact::display_name)
            .map_or_else(|| id.to_string(), str::to_owned)
    }

    pub fn kind(&self) -> Option<AccountKind> {
        self.tokens.as_ref().ok().map(TokenList::account_kind)
    }
}

/// An account above this one, for breadcrumbs and product inheritance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancestor {
    pub id: AccountId,
    pub name: String,
    pub product: Option<String>,
}

/// The account's details for the view that asks, loaded once and again on `refetch`.
pub fn use_details(region: RegionId, id: AccountId) -> Loaded<Result<Details, ApiError>> {
    let transport = use_transport();
    Loaded::new(move || {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        async move { load_details(&transport, &region, &id).await }
    })
}

/// The accounts above `id` for the view that asks (see [`load_ancestors`]).
pub fn use_ancestors(region: RegionId, id: AccountId) -> Loaded<Vec<Ancestor>> {
    let transport = use_transport();
    Loaded::new(move || {
        let (transport, region, id) = (transport.clone(), region.clone(), id.clone());
        async move { load_ancestors(&transport, &region, &id).await }
    })
}

/// Loads the account, its users, every contact and the product in effect.
pub async fn load_details(
    transport: &Transport,
    region: &RegionId,
    id: &AccountId,
) -> Result<Details, ApiError> {
    let (settings_call, tokens_call, types_call, product_call) = (
        GetAccount(id.clone()),
        ListTokens(id.clone()),
        ListContactTypes(id.clone()),
        GetProduct(id.clone()),
    );
    let (settings, tokens, types, product) = futures::join!(
        transport.call(region, &settings_call),
        transport.call(region, &tokens_call),
        transport.call(region, &types_call),
        transport.call(region, &product_call),
    );
    let settings = settings?;
    let mut contacts_error = types.as_ref().err().cloned();
    let mut kinds = types
        .map(|t| t.types)
        .unwrap_or_else(|_| vec![PRIMARY_CONTACT.to_owned()]);
    kinds.sort_by_key(|k| k != PRIMARY_CONTACT);
    let calls: Vec<GetContact> = kinds
        .into_iter()
        .map(|kind| GetContact {
            account: id.clone(),
            kind,
        })
        .collect();
    let contacts = futures::future::join_all(calls.iter().map(|c| transport.call(region, c))).await;
    let mut loaded = Vec::new();
    for contact in contacts {
        match contact {
            Ok(c) => loaded.push(c),
            Err(ApiError::NotFound(_)) => {}
            Err(e) => {
                contacts_error.get_or_insert(e);
            }
        }
    }
    Ok(Details {
        settings,
        tokens,
        contacts: loaded,
        contacts_error,
        product: product.ok().flatten(),
    })
}

/// The accounts above `id`, from the signed-in account down, as far as the caller may see.
/// Nothing above the signed-in account is asked for, though a region may name its parent.
pub async fn load_ancestors(
    transport: &Transport,
    region: &RegionId,
    id: &AccountId,
) -> Vec<Ancestor> {
    let own = transport
        .session()
        .credentials(region)
        .and_then(|c| c.account);
    let mut chain = Vec::new();
    let mut cursor = if Some(id) == own.as_ref() {
        None
    } else {
        transport
            .call(region, &GetAccount(id.clone()))
            .await
            .ok()
            .and_then(|s| s.parent)
    };
    while let Some(parent) = cursor.take() {
        if chain.len() > 64 {
            break;
        }
        let (settings_call, contact_call) = (
            GetAccount(parent.clone()),
            GetContact {
                account: parent.clone(),
                kind: PRIMARY_CONTACT.into(),
            },
        );
        let (settings, contact) = futures::join!(
            transport.call(region, &settings_call),
            transport.call(region, &contact_call)
        );
        // A 403 means the parent is above what the caller may see: the chain ends there.
        let Ok(settings) = settings else { break };
        let top = Some(&parent) == own.as_ref();
        chain.push(Ancestor {
            name: contact
                .ok()
                .and_then(|c| c.display_name().map(str::to_owned))
                .unwrap_or_else(|| parent.to_string()),
            id: parent,
            product: settings.product.clone(),
        });
        if top {
            break;
        }
        cursor = settings.parent;
    }
    chain.reverse();
    chain
}

/// Stop counting descendants past this many; the confirmation then says "more than".
const COUNT_LIMIT: usize = 10_000;

/// How many accounts lie below `id`, level by level (the transport caps calls in flight).
pub async fn count_below(
    transport: &Transport,
    region: &RegionId,
    id: &AccountId,
) -> Result<(usize, bool), ApiError> {
    let mut level = vec![id.clone()];
    let mut total = 0;
    while !level.is_empty() {
        let calls: Vec<ListChildren> = level.drain(..).map(ListChildren).collect();
        let lists =
            futures::future::join_all(calls.iter().map(|c| transport.call(region, c))).await;
        for list in lists {
            let list = list?;
            total += list.children.len();
            level.extend(list.children.into_iter().map(|c| c.id));
        }
        if total > COUNT_LIMIT {
            return Ok((total, true));
        }
    }
    Ok((total, false))
}

/// The account `root` and everything below it as CSV rows (a header, then one row per
/// account): id, kind, name, email, company, created, status, region, parent. `progress`
/// hears how many accounts have been found so far.
pub async fn export_rows(
    transport: &Transport,
    region: &RegionId,
    root: &AccountId,
    root_name: &str,
    progress: impl Fn(usize),
) -> Result<Vec<Vec<String>>, ApiError> {
    let settings = transport.call(region, &GetAccount(root.clone())).await?;
    let mut pending: Vec<(ChildSummary, Option<AccountId>)> = vec![(
        ChildSummary {
            company_name: Some(root_name.to_owned()),
            created: settings.created.clone(),
            ..ChildSummary::bare(root.clone())
        },
        settings.parent.clone(),
    )];
    let mut all = Vec::new();
    let mut level = vec![root.clone()];
    while !level.is_empty() {
        let calls: Vec<ListChildren> = level.drain(..).map(ListChildren).collect();
        for list in futures::future::join_all(calls.iter().map(|c| transport.call(region, c))).await
        {
            for c in list?.children {
                level.push(c.id.clone());
                let parent = c.parent_id.clone();
                pending.push((c, parent));
            }
        }
        progress(pending.len());
    }
    let mut rows = vec![partner_api::csv::EXPORT_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()];
    let lookups = pending.iter().map(|(c, _)| {
        let (sc, tc) = (GetAccount(c.id.clone()), ListTokens(c.id.clone()));
        async move {
            let (s, t) = futures::join!(transport.call(region, &sc), transport.call(region, &tc));
            (s, t)
        }
    });
    let details = futures::future::join_all(lookups).await;
    for ((c, parent), (s, t)) in pending.into_iter().zip(details) {
        let s = s?;
        let kind = t
            .map(|t| t.account_kind().label().to_owned())
            .unwrap_or_default();
        let status = if s.deletion.is_some() {
            "deletion scheduled"
        } else if s.enabled {
            "enabled"
        } else {
            "disabled"
        };
        let name = c.display_name().to_owned();
        all.push(vec![
            c.id.to_string(),
            kind,
            name,
            c.email.unwrap_or_default(),
            c.company_name.unwrap_or_default(),
            c.created.unwrap_or_default(),
            status.to_owned(),
            region.to_string(),
            // Empty for the signed-in account: the region does not name what is above it.
            parent.map(|p| p.to_string()).unwrap_or_default(),
        ]);
    }
    rows.extend(all);
    Ok(rows)
}
