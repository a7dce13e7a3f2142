//! The sandbox's state: regions, each an independent tree of accounts with their contacts,
//! tokens and enterprise data. Documents are produced with the core crate's encoders; the
//! whole world is serialisable, for `--data FILE`.

use crate::passwords::Password;
use partner_api::accounts::children::{ChildList, ChildSummary};
use partner_api::accounts::contacts::{Contact, PRIMARY_CONTACT};
use partner_api::accounts::products::Product;
use partner_api::accounts::tokens::timestamp_seconds;
use partner_api::accounts::tokens::Token;
use partner_api::accounts::users::AccountSettings;
use partner_api::enterprise::account::{Features, Quota, Settings};
use partner_api::enterprise::groups::Group;
use partner_api::enterprise::plans::Plan;
use partner_api::enterprise::revisions::ClientRevision;
use partner_api::enterprise::shares::ShareOwner;
use partner_api::enterprise::users::{Device as UserDevice, User};
use partner_api::{AccountId, AccountKind, Role};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Roles every region of the sandbox lists beside the ones the contract names, as a real
/// region lists roles of its own (`GET /users/{id}/permissions/roles/`). The sandbox treats
/// them as it treats any role it does not know: they read, and write nothing.
pub const OWN_ROLES: [&str; 1] = ["ReportingReader"];

/// A user or API key and its password, salted and hashed (`None`: it signs nothing in, as a
/// listed sign-in session).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenRecord {
    pub token: Token,
    #[serde(
        rename = "password_hash",
        default,
        skip_serializing_if = "Password::is_none"
    )]
    pub password: Password,
}

impl TokenRecord {
    /// A record whose password is hashed here; an empty password signs nothing in.
    pub fn new(token: Token, password: &str) -> Self {
        TokenRecord {
            token,
            password: password.into(),
        }
    }

    /// Whether the token's `expires` has passed at `now` (seconds since 1970). An `expires`
    /// that cannot be read counts as passed: such a token signs nothing in.
    pub fn expired(&self, now: i64) -> bool {
        self.token
            .expires
            .as_deref()
            .is_some_and(|e| timestamp_seconds(e).is_none_or(|t| t <= now))
    }
}

/// One account in a region.
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// When a scheduled deletion takes effect.
    #[serde(default)]
    pub deletion: Option<String>,
    /// Days a deletion waits before it takes effect; `None` deletes at once.
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// The activation email recorded for an account created without a password.
    #[serde(default)]
    pub activation: Option<String>,
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    #[serde(default)]
    pub grace_expires: Option<String>,
    /// The account's connectors (one per workload type at most), with their seats, history
    /// and backups.
    #[serde(default)]
    pub connectors: Vec<Connector>,
}

impl Account {
    pub fn new(id: AccountId, parent: Option<AccountId>, created: String) -> Self {
        Account {
            id,
            parent,
            children: Vec::new(),
            enabled: true,
            created,
            product: None,
            subscribed: true,
            external_id: None,
            contacts: Vec::new(),
            tokens: Vec::new(),
            deletion: None,
            retention_days: None,
            activation: None,
            attributes: Vec::new(),
            grace_expires: None,
            connectors: Vec::new(),
        }
    }

    pub fn settings(&self) -> AccountSettings {
        AccountSettings {
            id: Some(self.id.clone()),
            enabled: self.enabled,
            created: Some(self.created.clone()),
            product: self.product.clone(),
            parent: self.parent.clone(),
            subscribed: Some(self.subscribed),
            external_id: self.external_id.clone(),
            deletion: self.deletion.clone(),
        }
    }

    pub fn primary_contact(&self) -> Option<&Contact> {
        self.contacts
            .iter()
            .find(|c| c.kind == PRIMARY_CONTACT)
            .or(self.contacts.first())
    }

    /// The company name on the primary contact, as the portal shows the account.
    pub fn company(&self) -> Option<&str> {
        self.primary_contact()?.company_name.as_deref()
    }

    /// Partner when a person on it has a partner role; set at creation, never changed.
    pub fn kind(&self) -> AccountKind {
        if self
            .tokens
            .iter()
            .any(|t| t.token.primary && t.token.role.is_partner())
        {
            AccountKind::Partner
        } else {
            AccountKind::Customer
        }
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

/// One connector of an account: a workload type (`o365-admin`, …) with its seats, the seat
/// limit the account has on that type, the use by day, and its backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connector {
    /// The device GUID the monitoring calls name it by.
    pub guid: String,
    /// The workload group (`partner_api::accounts::expirations::WORKLOAD_GROUPS`).
    pub kind: String,
    pub seats: u64,
    pub limit: Option<u64>,
    /// When the grace for being over `limit` ends (ISO-8601); in the past: expired.
    pub grace_expires: Option<String>,
    /// Seats by day from `history_from` (days since 1970), oldest first; a day after the
    /// last counts the current `seats`.
    pub history_from: i64,
    pub daily: Vec<u64>,
    /// Backups (seconds since 1970): the last snapshot, the last complete one (`None`:
    /// still onboarding), its size in bytes and the change from the one before.
    pub last_snapshot: Option<i64>,
    pub last_complete: Option<i64>,
    pub size: u64,
    pub size_change: i64,
    /// `healthy`, `unhealthy` or `critical`.
    pub health: String,
}

impl Connector {
    /// The billed resource's name: `o365-admin-seats-total`.
    pub fn resource(&self) -> String {
        format!("{}-seats-total", self.kind)
    }

    /// Seats on `day` (days since 1970): before the history, none; after it, today's.
    pub fn seats_on(&self, day: i64) -> u64 {
        if day < self.history_from {
            0
        } else {
            usize::try_from(day - self.history_from)
                .ok()
                .and_then(|i| self.daily.get(i).copied())
                .unwrap_or(self.seats)
        }
    }

    /// The largest daily use from day `from` to day `to`, both included (at most the last
    /// 400 days of the range are looked at: before the history every day is 0).
    pub fn max_seats(&self, from: i64, to: i64) -> u64 {
        let from = from.max(self.history_from).max(to - 400);
        (from..=to).map(|d| self.seats_on(d)).max().unwrap_or(0)
    }

    pub fn over_limit(&self) -> bool {
        self.limit.is_some_and(|l| self.seats > l)
    }
}

/// One record of the audit log, with what the query needs beside it: the account acted
/// on and its ancestors when it was written (so a deleted account's records are still found
/// by a `recursive` query on an ancestor), and the time in seconds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEntry {
    pub record: partner_api::accounts::audit::AuditRecord,
    pub at: i64,
    pub within: Vec<AccountId>,
}

/// How many audit records a region keeps; the oldest goes first.
pub const AUDIT_CAP: usize = 10_000;

/// A backup client device, for client revisions.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Device {
    pub revision: i64,
    pub days_since_login: i64,
}

/// A partner's Enterprise API data.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Enterprise {
    /// What was last saved: invoice fields, and for a card only its brand and last four digits.
    pub billing: Option<serde_json::Value>,
    pub settings: Settings,
    pub features: Features,
    pub bytes_available: Option<u64>,
    pub bytes_allocated: u64,
    /// The brand's users that own shares, each with their shares (the vendor's shape).
    pub shares: Vec<ShareOwner>,
    pub devices: Vec<Device>,
    /// Every settings body received, as sent (tests check that only changes are sent).
    #[serde(default)]
    pub settings_posts: Vec<serde_json::Value>,
    /// Plans, groups and users.
    #[serde(default)]
    pub people: People,
}

impl Enterprise {
    pub fn quota(&self) -> Quota {
        Quota {
            bytes_available: self.bytes_available,
            bytes_allocated: self.bytes_allocated,
            bytes_used: self.bytes_allocated / 3 + self.devices.len() as u64 * 7_340_032,
            share_count: self.shares.iter().map(|o| o.shares.len() as u64).sum(),
            device_count: self.devices.len() as u64,
        }
    }

    pub fn revisions(&self, min: i64, max: i64, days: i64) -> Vec<ClientRevision> {
        let mut counts: BTreeMap<i64, u64> = BTreeMap::new();
        for d in &self.devices {
            if d.revision >= min
                && (max < 0 || d.revision <= max)
                && (days < 0 || d.days_since_login <= days)
            {
                *counts.entry(d.revision).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .map(|(revision, count)| ClientRevision { revision, count })
            .collect()
    }
}

/// Why a caller may not proceed; becomes the HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// 401 with the contract's plain texts.
    Anonymous,
    BadCredentials,
    /// 401: the token's `expires` has passed.
    Expired,
    /// 404.
    NoSuchAccount,
    /// 403: the account exists but lies outside the caller's subtree.
    OutOfScope,
    /// 403: the role may not do this; the sentence says why.
    Role(String),
}

/// Who is calling: the token's account and role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: AccountId,
    pub name: String,
    pub role: Role,
}

impl Caller {
    /// Read-only roles write nothing.
    pub fn may_write(&self) -> Result<(), Denied> {
        if self.role.is_read_only() {
            Err(Denied::Role(format!(
                "Your role ({}) may only read.",
                self.role.as_str()
            )))
        } else {
            Ok(())
        }
    }
}

/// One data center.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Region {
    pub accounts: HashMap<AccountId, Account>,
    /// Token name -> the account that holds it. Names are unique within a region.
    pub logins: HashMap<String, AccountId>,
    /// Products partners in this region may assign.
    #[serde(default)]
    pub catalog: Vec<Product>,
    /// Enterprise API data per partner account.
    #[serde(default)]
    pub enterprise: HashMap<AccountId, Enterprise>,
    /// What each login has created, for the caps (`Limits`).
    #[serde(default)]
    pub created_by: HashMap<String, Created>,
    /// The audit log, oldest first, at most [`AUDIT_CAP`] records.
    #[serde(default)]
    pub audit: std::collections::VecDeque<AuditEntry>,
}

/// What one login has created, counted for the caps on what one token may create.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Created {
    pub accounts: u32,
    pub tokens: u32,
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

    /// Appends an audit record, dropping the oldest past [`AUDIT_CAP`].
    pub fn record(&mut self, entry: AuditEntry) {
        while self.audit.len() >= AUDIT_CAP {
            self.audit.pop_front();
        }
        self.audit.push_back(entry);
    }

    /// `id` and its ancestors, nearest first.
    pub fn ancestry(&self, id: &AccountId) -> Vec<AccountId> {
        let mut out = Vec::new();
        let mut cursor = self.accounts.get(id);
        while let Some(a) = cursor {
            out.push(a.id.clone());
            cursor = a.parent.as_ref().and_then(|p| self.accounts.get(p));
        }
        out
    }

    /// What `login` has created so far.
    pub fn created_by(&self, login: &str) -> Created {
        self.created_by.get(login).copied().unwrap_or_default()
    }

    /// The account a login (a token's name) signs in to.
    pub fn account_of(&self, login: &str) -> Option<&Account> {
        self.accounts.get(self.logins.get(login)?)
    }

    /// Checks a token's name and password (against its hash, in constant time). A token
    /// whose `expires` has passed, and a disabled account's users, cannot sign in.
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
            .find(|t| t.token.name == name && t.password.verify(&password))
            .ok_or(Denied::BadCredentials)?;
        if record.expired(crate::clock::unix_now()) {
            return Err(Denied::Expired);
        }
        if !account.enabled {
            return Err(Denied::Role("This account is disabled.".into()));
        }
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

    /// The id in a path, if the caller may see that account.
    pub fn visible_id(&self, caller: &Caller, id: &str) -> Result<AccountId, Denied> {
        let id = AccountId::parse(id).map_err(|_| Denied::NoSuchAccount)?;
        if !self.accounts.contains_key(&id) {
            return Err(Denied::NoSuchAccount);
        }
        if self.is_within(&caller.account, &id) {
            Ok(id)
        } else {
            Err(Denied::OutOfScope)
        }
    }

    /// The account `id` as text, if the caller may see it.
    pub fn visible(&self, caller: &Caller, id: &str) -> Result<&Account, Denied> {
        let id = self.visible_id(caller, id)?;
        Ok(&self.accounts[&id])
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
            unreadable: 0,
        }
    }

    /// Every account below `account`, parents before their children (depth first, in the
    /// order of each level), as the v3 `?all=1` listing carries them.
    pub fn subtree(&self, account: &Account) -> ChildList {
        let mut children = Vec::new();
        let mut stack: Vec<&AccountId> = account.children.iter().rev().collect();
        while let Some(id) = stack.pop() {
            if let Some(a) = self.accounts.get(id) {
                children.push(a.summary());
                stack.extend(a.children.iter().rev());
            }
        }
        ChildList {
            children,
            unreadable: 0,
        }
    }

    /// The product in effect: the account's own, else the nearest ancestor's.
    pub fn effective_product(&self, id: &AccountId) -> Option<&Product> {
        let mut cursor = self.accounts.get(id);
        while let Some(a) = cursor {
            if let Some(p) = &a.product {
                return self.catalog.iter().find(|c| &c.id == p);
            }
            cursor = a.parent.as_ref().and_then(|p| self.accounts.get(p));
        }
        None
    }

    /// Removes an account with all its descendants; returns how many went.
    pub fn remove_subtree(&mut self, id: &AccountId) -> usize {
        if let Some(parent) = self.accounts.get(id).and_then(|a| a.parent.clone()) {
            if let Some(p) = self.accounts.get_mut(&parent) {
                p.children.retain(|c| c != id);
            }
        }
        let mut stack = vec![id.clone()];
        let mut removed = 0;
        while let Some(next) = stack.pop() {
            if let Some(a) = self.accounts.remove(&next) {
                for t in &a.tokens {
                    self.logins.remove(&t.token.name);
                }
                self.enterprise.remove(&next);
                stack.extend(a.children);
                removed += 1;
            }
        }
        removed
    }

    /// Moves `id` under `new_parent`. Never into its own subtree.
    pub fn move_account(&mut self, id: &AccountId, new_parent: &AccountId) -> Result<(), String> {
        if self.is_within(id, new_parent) {
            return Err("An account cannot be moved into its own subtree.".into());
        }
        if self.accounts.get(new_parent).map(Account::kind) != Some(AccountKind::Partner) {
            return Err("Accounts can only be moved under a partner account.".into());
        }
        let old = self.accounts.get(id).and_then(|a| a.parent.clone());
        if let Some(old) = old {
            if let Some(p) = self.accounts.get_mut(&old) {
                p.children.retain(|c| c != id);
            }
        }
        if let Some(p) = self.accounts.get_mut(new_parent) {
            p.children.push(id.clone());
        }
        if let Some(a) = self.accounts.get_mut(id) {
            a.parent = Some(new_parent.clone());
        }
        Ok(())
    }

    /// The enterprise data of a partner account, created empty on first use.
    pub fn enterprise_of(&mut self, id: &AccountId) -> &mut Enterprise {
        self.enterprise
            .entry(id.clone())
            .or_insert_with(|| Enterprise {
                settings: Settings {
                    share_link_ttl: Some(1440),
                    purgehold_duration: Some(0),
                    ..Settings::default()
                },
                ..Enterprise::default()
            })
    }
}

/// Every region the sandbox serves.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
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

    pub fn region_mut(&mut self, id: &str) -> Option<&mut Region> {
        self.regions.get_mut(id)
    }

    pub fn account_count(&self) -> usize {
        self.regions.values().map(|r| r.accounts.len()).sum()
    }
}

/// A partner's plans, groups and users.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct People {
    pub plans: Vec<Plan>,
    pub groups: Vec<Group>,
    pub users: Vec<Person>,
    pub next_group_id: i64,
    pub next_avatar_id: i64,
    pub next_auto_username: u64,
    /// Activation emails sent: to whom, when (seconds since 1970).
    pub activation_emails: Vec<(String, i64)>,
}

/// A user and what only the sandbox keeps of it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Person {
    pub user: User,
    pub devices: Vec<UserDevice>,
    /// Whether a password (`password_bcrypt`) was given; none means a temporary one.
    pub password_set: bool,
}

impl People {
    pub fn plan(&self, id: i64) -> Option<&Plan> {
        self.plans.iter().find(|p| p.plan_id == id)
    }
    pub fn group(&self, id: i64) -> Option<&Group> {
        self.groups.iter().find(|g| g.group_id == id)
    }
    /// The user addressed as `key`: its email or its username, case aside.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.users.iter().position(|p| {
            p.user.email.eq_ignore_ascii_case(key) || p.user.username.eq_ignore_ascii_case(key)
        })
    }
    pub fn taken(&self, field: &str, value: &str, except: Option<usize>) -> bool {
        self.users.iter().enumerate().any(|(i, p)| {
            Some(i) != except
                && match field {
                    "email" => p.user.email.eq_ignore_ascii_case(value),
                    _ => p.user.username.eq_ignore_ascii_case(value),
                }
        })
    }
    /// The sum of every user's quota.
    pub fn allocated(&self) -> u64 {
        self.users
            .iter()
            .map(|p| p.user.storage_bytes)
            .fold(0u64, u64::saturating_add)
    }
    /// A user's quota on `plan_id` with `bonus`.
    pub fn quota(&self, plan_id: Option<i64>, bonus: u64) -> u64 {
        plan_id
            .and_then(|p| self.plan(p))
            .map_or(0, |p| p.storage_bytes)
            .saturating_add(bonus)
    }
}
