//! The sandbox's state: regions, each an independent tree of accounts with their contacts
//! and tokens. Documents are produced with the core crate's encoders.

use partner_api::model::{
    AccountSettings, ChildList, ChildSummary, Contact, Token, PRIMARY_CONTACT,
};
use partner_api::{AccountId, Role};
use std::collections::{BTreeMap, HashMap};

/// A user or API key and its password.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub token: Token,
    pub password: String,
}

/// One account in a region.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: AccountId,
    pub parent: Option<AccountId>,
    pub children: Vec<AccountId>,
    pub enabled: bool,
    pub created: String,
    pub product: Option<String>,
    pub subscribed: bool,
    pub external_id: Option<String>,
    pub contacts: Vec<Contact>,
    pub tokens: Vec<TokenRecord>,
}

impl Account {
    pub fn settings(&self) -> AccountSettings {
        AccountSettings {
            id: Some(self.id.clone()),
            enabled: self.enabled,
            created: Some(self.created.clone()),
            product: self.product.clone(),
            parent: self.parent.clone(),
            subscribed: Some(self.subscribed),
            external_id: self.external_id.clone(),
            deletion: None,
        }
    }

    pub fn primary_contact(&self) -> Option<&Contact> {
        self.contacts
            .iter()
            .find(|c| c.kind == PRIMARY_CONTACT)
            .or(self.contacts.first())
    }

    /// The row of this account in its parent's v1 children list.
    pub fn summary(&self) -> ChildSummary {
        let contact = self.primary_contact();
        ChildSummary {
            id: self.id.clone(),
            created: Some(self.created.clone()),
            parent_id: self.parent.clone(),
            email: contact.and_then(|c| c.email.clone()),
            full_name: contact.and_then(|c| c.full_name.clone()),
            company_name: contact.and_then(|c| c.company_name.clone()),
        }
    }
}

/// Why a caller may not proceed; becomes the HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// 401 with the contract's plain texts.
    Anonymous,
    BadCredentials,
    /// 404.
    NoSuchAccount,
    /// 403: the account exists but lies outside the caller's subtree.
    OutOfScope,
}

/// Who is calling: the token's account and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: AccountId,
    pub name: String,
    pub role: Role,
}

/// One data center.
#[derive(Debug, Clone, Default)]
pub struct Region {
    pub accounts: HashMap<AccountId, Account>,
    /// Token name -> the account that holds it. Names are unique within a region.
    pub logins: HashMap<String, AccountId>,
}

impl Region {
    /// Adds an account under `parent` (or as a root), indexing its tokens.
    pub fn insert(&mut self, account: Account) {
        if let Some(p) = &account.parent {
            if let Some(parent) = self.accounts.get_mut(p) {
                parent.children.push(account.id.clone());
            }
        }
        for t in &account.tokens {
            self.logins.insert(t.token.name.clone(), account.id.clone());
        }
        self.accounts.insert(account.id.clone(), account);
    }

    /// Checks a token's name and password.
    pub fn authenticate(&self, credentials: Option<(String, String)>) -> Result<Caller, Denied> {
        let (name, password) = credentials.ok_or(Denied::Anonymous)?;
        let account = self
            .logins
            .get(&name)
            .and_then(|id| self.accounts.get(id))
            .ok_or(Denied::BadCredentials)?;
        let record = account
            .tokens
            .iter()
            .find(|t| t.token.name == name && t.password == password)
            .ok_or(Denied::BadCredentials)?;
        Ok(Caller {
            account: account.id.clone(),
            name,
            role: record.token.role.clone(),
        })
    }

    /// Whether `id` is `ancestor` or lies below it.
    pub fn is_within(&self, ancestor: &AccountId, id: &AccountId) -> bool {
        let mut cursor = Some(id);
        while let Some(c) = cursor {
            if c == ancestor {
                return true;
            }
            cursor = self.accounts.get(c).and_then(|a| a.parent.as_ref());
        }
        false
    }

    /// The account `id` as text, if the caller may see it.
    pub fn visible(&self, caller: &Caller, id: &str) -> Result<&Account, Denied> {
        let id = AccountId::parse(id).map_err(|_| Denied::NoSuchAccount)?;
        let account = self.accounts.get(&id).ok_or(Denied::NoSuchAccount)?;
        if self.is_within(&caller.account, &id) {
            Ok(account)
        } else {
            Err(Denied::OutOfScope)
        }
    }

    /// The direct children of an account, as the v1 list carries them.
    pub fn children(&self, account: &Account) -> ChildList {
        ChildList {
            children: account
                .children
                .iter()
                .filter_map(|c| self.accounts.get(c))
                .map(Account::summary)
                .collect(),
        }
    }
}

/// Every region the sandbox serves.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub regions: BTreeMap<String, Region>,
}

impl World {
    /// The seven public regions of the contract, all empty.
    pub fn empty() -> Self {
        World {
            regions: partner_api::ids::PUBLIC_REGIONS
                .iter()
                .map(|(id, _, _)| (id.to_string(), Region::default()))
                .collect(),
        }
    }

    pub fn region(&self, id: &str) -> Option<&Region> {
        self.regions.get(id)
    }

    pub fn account_count(&self) -> usize {
        self.regions.values().map(|r| r.accounts.len()).sum()
    }
}
