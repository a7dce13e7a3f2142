//! Roles (ACLs) and account kinds.

use std::fmt;

/// The role of a user or API key. Roles the contract names are variants; any other text a
/// region sends is kept as [`Role::Other`] and treated as a customer-side role that may do
/// nothing special.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    // Partner side.
    PartnerParent,
    MspPartner,
    MspSupport,
    ReadOnlyMspPartner,
    Reseller,
    ResellerLimitedAdmin,
    ReadOnlyReseller,
    // Customer side.
    MasterAdmin,
    BackupAdmin,
    FullSupport,
    StandardSupport,
    LimitedSupport,
    ReadOnlySupport,
    Audit,
    SsoAdmin,
    Other(String),
}

/// Partner or customer. An account's kind is set by its primary user's role at creation and
/// never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    Partner,
    Customer,
}

impl AccountKind {
    pub fn label(self) -> &'static str {
        match self {
            AccountKind::Partner => "Partner",
            AccountKind::Customer => "Customer",
        }
    }
}

impl fmt::Display for AccountKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

const KNOWN: [(Role, &str, &str); 15] = [
    (
        Role::PartnerParent,
        "PartnerParent",
        "Partner (creates partners and customers)",
    ),
    (
        Role::MspPartner,
        "MSPPartner",
        "MSP partner (creates customers)",
    ),
    (Role::MspSupport, "MSPSupport", "MSP support"),
    (
        Role::ReadOnlyMspPartner,
        "ReadOnlyMSPPartner",
        "Read-only MSP partner",
    ),
    (Role::Reseller, "Reseller", "Reseller"),
    (
        Role::ResellerLimitedAdmin,
        "ResellerLimitedAdmin",
        "Reseller, limited admin",
    ),
    (
        Role::ReadOnlyReseller,
        "ReadOnlyReseller",
        "Read-only reseller",
    ),
    (Role::MasterAdmin, "MasterAdmin", "Master admin"),
    (Role::BackupAdmin, "BackupAdmin", "Backup admin"),
    (Role::FullSupport, "FullSupport", "Full support"),
    (Role::StandardSupport, "StandardSupport", "Standard support"),
    (Role::LimitedSupport, "LimitedSupport", "Limited support"),
    (
        Role::ReadOnlySupport,
        "ReadOnlySupport",
        "Read-only support",
    ),
    (Role::Audit, "Audit", "Audit"),
    (Role::SsoAdmin, "SsoAdmin", "SSO admin"),
];

impl Role {
    /// Every role the contract names, partner side first.
    pub fn known() -> impl Iterator<Item = Role> {
        KNOWN.iter().map(|(r, _, _)| r.clone())
    }

    /// Reads the wire name; unknown names are kept as they are.
    pub fn parse(name: &str) -> Role {
        let name = name.trim();
        KNOWN
            .iter()
            .find(|(_, wire, _)| wire.eq_ignore_ascii_case(name))
            .map(|(r, _, _)| r.clone())
            .unwrap_or_else(|| Role::Other(name.to_owned()))
    }

    /// The wire name, as sent in `acl`.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Other(s) => s,
            known => KNOWN
                .iter()
                .find(|(r, _, _)| r == known)
                .map_or("", |(_, wire, _)| wire),
        }
    }

    /// A short description for people.
    pub fn label(&self) -> &str {
        match self {
            Role::Other(s) => s,
            known => KNOWN
                .iter()
                .find(|(r, _, _)| r == known)
                .map_or("", |(_, _, label)| label),
        }
    }

    /// Whether an account whose primary user has this role is a partner account.
    pub fn is_partner(&self) -> bool {
        matches!(
            self,
            Role::PartnerParent
                | Role::MspPartner
                | Role::MspSupport
                | Role::ReadOnlyMspPartner
                | Role::Reseller
                | Role::ResellerLimitedAdmin
                | Role::ReadOnlyReseller
        )
    }

    /// The kind of account this role makes.
    pub fn kind(&self) -> AccountKind {
        if self.is_partner() {
            AccountKind::Partner
        } else {
            AccountKind::Customer
        }
    }

    /// Whether the role may only read.
    pub fn is_read_only(&self) -> bool {
        matches!(
            self,
            Role::ReadOnlyMspPartner
                | Role::ReadOnlyReseller
                | Role::ReadOnlySupport
                | Role::Audit
                | Role::Other(_)
        )
    }

    /// Which kinds of sub-account this role may create (empty: none).
    pub fn may_create(&self) -> &'static [AccountKind] {
        match self {
            Role::PartnerParent | Role::Reseller => &[AccountKind::Partner, AccountKind::Customer],
            Role::MspPartner | Role::ResellerLimitedAdmin => &[AccountKind::Customer],
            _ => &[],
        }
    }

    /// Whether the role may change the accounts below its own: disable, move, delete.
    pub fn manages(&self) -> bool {
        !self.is_read_only() && self.is_partner()
    }

    /// Whether the role may add users and API keys on an account of `kind` (not known yet:
    /// no).
    pub fn may_add_access(&self, kind: Option<AccountKind>) -> bool {
        !self.is_read_only() && kind.is_some()
    }

    /// Whether the role may create an account whose first user gets `first` (the kinds it
    /// may create, each with its first users' roles, [`roles_for`]).
    pub fn may_create_with(&self, first: Option<&Role>) -> bool {
        self.may_create()
            .iter()
            .flat_map(|k| roles_for(*k))
            .any(|r| Some(r) == first)
    }

    /// What the rules above let a role do, as a count of powers that build on each other:
    /// writing at all (`!is_read_only`), changing the accounts below (`manages`), creating
    /// customer accounts, creating partner accounts (`may_create`). Each needs the one
    /// before it, so the count orders roles by what they may do
    /// (`powers_build_on_each_other` checks it for every role).
    fn powers(&self) -> u8 {
        if self.is_read_only() {
            return 0;
        }
        1 + u8::from(self.manages())
            + u8::from(self.may_create().contains(&AccountKind::Customer))
            + u8::from(self.may_create().contains(&AccountKind::Partner))
    }

    /// Among customer roles, which the rules give the same powers, the contract's order of
    /// names: `MasterAdmin` above `BackupAdmin`/`SsoAdmin` above `FullSupport` above
    /// `StandardSupport` above `LimitedSupport` above the rest.
    fn customer_rank(&self) -> u8 {
        match self {
            Role::MasterAdmin => 6,
            Role::BackupAdmin | Role::SsoAdmin => 5,
            Role::FullSupport => 4,
            Role::StandardSupport => 3,
            Role::LimitedSupport => 2,
            _ => 1,
        }
    }

    /// Whether a user or key with this role may give `other` to a user or key (creating
    /// one, creating an account with it as the first user, or changing a role): never more
    /// than its own. `other` may do nothing this role may not ([`Role::powers`]); a customer
    /// role never gives a partner role, and among customer roles the order of names holds.
    /// So a partner role that may write gives any customer role (it manages those accounts
    /// whole). A role the contract does not name (a region's own) is left to the region.
    pub fn may_give(&self, other: &Role) -> bool {
        if self.is_read_only() {
            return false;
        }
        if matches!(other, Role::Other(_)) {
            return true;
        }
        if other.is_partner() && !self.is_partner() {
            return false;
        }
        other.powers() <= self.powers()
            && (self.is_partner() || other.customer_rank() <= self.customer_rank())
    }

    /// Whether the role may create accounts under an account of `kind`: only partner
    /// accounts have sub-accounts.
    pub fn may_create_under(&self, kind: Option<AccountKind>) -> bool {
        kind == Some(AccountKind::Partner) && !self.may_create().is_empty()
    }
}

impl serde::Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| Role::parse(&s))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The roles a new account's first user may get, by the kind of account, partner side first.
pub fn roles_for(kind: AccountKind) -> &'static [Role] {
    match kind {
        AccountKind::Partner => &[Role::PartnerParent, Role::MspPartner],
        AccountKind::Customer => &[Role::MasterAdmin],
    }
}

/// Roles for an API key on an account of `kind`: read-only first.
pub fn api_roles_for(kind: AccountKind) -> &'static [Role] {
    match kind {
        AccountKind::Partner => &[
            Role::ReadOnlyMspPartner,
            Role::MspSupport,
            Role::MspPartner,
            Role::PartnerParent,
        ],
        AccountKind::Customer => &[
            Role::ReadOnlySupport,
            Role::StandardSupport,
            Role::BackupAdmin,
            Role::MasterAdmin,
        ],
    }
}

/// The roles to offer for a user (`person`) or an API key on an account of `kind`, given
/// by `giver`: the roles the region lists (`GET /users/{id}/permissions/roles/`), else the
/// documented list ([`roles_for`], [`api_roles_for`]) when the region lists none. Roles the
/// contract names are offered on their side's accounts only, and only when `giver` may give
/// them; a role it does not name is the region's own and is offered by its name.
pub fn offered_roles(
    listed: Option<&[Role]>,
    kind: AccountKind,
    person: bool,
    giver: &Role,
) -> Vec<Role> {
    let documented = if person {
        roles_for(kind)
    } else {
        api_roles_for(kind)
    };
    let roles = match listed {
        Some(l) if !l.is_empty() => l,
        _ => documented,
    };
    let mut offered = Vec::new();
    for r in roles {
        if matches!(r, Role::Other(_)) || (r.kind() == kind && giver.may_give(r)) {
            offered.push(r.clone());
        }
    }
    offered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_role_may_do_to_other_accounts() {
        use AccountKind::{Customer, Partner};
        assert!(Role::MspPartner.manages());
        assert!(!Role::ReadOnlyMspPartner.manages());
        assert!(!Role::MasterAdmin.manages());
        assert!(Role::MasterAdmin.may_add_access(Some(Customer)));
        assert!(!Role::MasterAdmin.may_add_access(None));
        assert!(!Role::Audit.may_add_access(Some(Customer)));
        assert!(Role::MspPartner.may_create_under(Some(Partner)));
        assert!(!Role::MspPartner.may_create_under(Some(Customer)));
        assert!(!Role::ReadOnlyReseller.may_create_under(Some(Partner)));
        assert!(Role::MspPartner.may_create_with(Some(&Role::MasterAdmin)));
        assert!(!Role::MspPartner.may_create_with(Some(&Role::PartnerParent)));
        assert!(Role::PartnerParent.may_create_with(Some(&Role::MspPartner)));
        assert!(!Role::PartnerParent.may_create_with(None));
    }

    #[test]
    fn wire_names_round_trip() {
        for role in Role::known() {
            assert_eq!(Role::parse(role.as_str()), role);
            assert!(!role.label().is_empty());
        }
        assert_eq!(Role::parse("mspPARTNER"), Role::MspPartner);
        assert_eq!(
            Role::parse("Partner API"),
            Role::Other("Partner API".into())
        );
    }

    #[test]
    fn kinds_and_creation_rights() {
        assert_eq!(Role::PartnerParent.kind(), AccountKind::Partner);
        assert_eq!(Role::ReadOnlyMspPartner.kind(), AccountKind::Partner);
        assert_eq!(Role::MasterAdmin.kind(), AccountKind::Customer);
        assert_eq!(Role::MspPartner.may_create(), &[AccountKind::Customer]);
        assert!(Role::ReadOnlyReseller.may_create().is_empty());
        assert!(Role::ReadOnlyReseller.is_read_only());
        assert!(!Role::PartnerParent.is_read_only());
    }

    #[test]
    fn powers_build_on_each_other() {
        for r in Role::known() {
            let creates = r.may_create();
            assert!(
                !creates.contains(&AccountKind::Partner)
                    || creates.contains(&AccountKind::Customer),
                "{r}"
            );
            assert!(creates.is_empty() || r.manages(), "{r}");
            assert!(!r.manages() || !r.is_read_only(), "{r}");
        }
    }

    /// The order is the rules': whatever a role gives can do nothing the giver cannot.
    #[test]
    fn a_role_given_may_do_nothing_its_giver_may_not() {
        let all: Vec<Role> = Role::known().collect();
        for giver in &all {
            for given in &all {
                if !giver.may_give(given) {
                    continue;
                }
                assert!(!giver.is_read_only(), "{giver} gives {given}");
                assert!(
                    given.is_read_only() || !giver.is_read_only(),
                    "{giver} gives {given}"
                );
                assert!(!given.manages() || giver.manages(), "{giver} gives {given}");
                for kind in given.may_create() {
                    assert!(giver.may_create().contains(kind), "{giver} gives {given}");
                }
                assert!(
                    !given.is_partner() || giver.is_partner(),
                    "{giver} gives {given}"
                );
            }
        }
        // And every writing role may give itself and what is below it on its side.
        for r in &all {
            assert_eq!(r.may_give(r), !r.is_read_only(), "{r}");
        }
    }

    #[test]
    fn a_role_gives_no_more_than_its_own() {
        assert!(!Role::MspSupport.may_give(&Role::MspPartner));
        assert!(!Role::ResellerLimitedAdmin.may_give(&Role::Reseller));
        assert!(Role::Reseller.may_give(&Role::PartnerParent));
        assert!(Role::PartnerParent.may_give(&Role::PartnerParent));
        assert!(Role::PartnerParent.may_give(&Role::MasterAdmin));
        assert!(!Role::MspPartner.may_give(&Role::PartnerParent));
        assert!(Role::MspPartner.may_give(&Role::MspSupport));
        assert!(!Role::BackupAdmin.may_give(&Role::MasterAdmin));
        assert!(Role::MasterAdmin.may_give(&Role::BackupAdmin));
        assert!(!Role::MasterAdmin.may_give(&Role::ReadOnlyMspPartner));
        assert!(!Role::ReadOnlyMspPartner.may_give(&Role::ReadOnlyMspPartner));
        assert!(Role::MasterAdmin.may_give(&Role::parse("Helpdesk")));
    }

    #[test]
    fn the_regions_roles_are_offered_its_own_by_name_the_documented_ones_otherwise() {
        use AccountKind::{Customer, Partner};
        let listed = [
            Role::MasterAdmin,
            Role::PartnerParent,
            Role::BackupAdmin,
            Role::parse("Helpdesk"),
        ];
        assert_eq!(
            offered_roles(Some(&listed), Customer, false, &Role::MspPartner),
            [
                Role::MasterAdmin,
                Role::BackupAdmin,
                Role::parse("Helpdesk")
            ]
        );
        // The rules still apply to what is known: no partner role above the giver's.
        assert_eq!(
            offered_roles(Some(&listed), Partner, true, &Role::MspPartner),
            [Role::parse("Helpdesk")]
        );
        // Nothing listed, or the call failed: the documented list.
        assert_eq!(
            offered_roles(None, Partner, false, &Role::PartnerParent),
            api_roles_for(Partner)
        );
        assert_eq!(
            offered_roles(Some(&[]), Partner, false, &Role::MspPartner),
            [Role::ReadOnlyMspPartner, Role::MspSupport, Role::MspPartner]
        );
    }
}
