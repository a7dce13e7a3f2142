//! `/users/{id}/permissions/roles/`: the roles a region offers on an account, its own ones
//! included. The shape is what Keepit's PowerShell tools read (`Get-KeepitRoles` and
//! `New-KeepitUser` in keepit-official/PowerShellTools `Public/Users.ps1`): `<roles>` with a
//! `<role>` each, its `<name>` and, in `<acl>`, its capabilities separated by `:`.

use super::{accounts_get, root};
use crate::call::{decode_with, Call};
use crate::error::ApiError;
use crate::ids::AccountId;
use crate::roles::Role;
use crate::wire::request::{accounts_accept, Request, Response};
use crate::wire::xml::XmlWriter;
use crate::wire::DecodeError;

/// `GET /users/{id}/permissions/roles/` (with `Accept` v4, as `Get-KeepitRoles` sends it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRoles(pub AccountId);

impl Call for ListRoles {
    type Output = RoleList;
    fn request(&self) -> Request {
        accounts_get(format!("/users/{}/permissions/roles/", self.0))
            .header("Accept", accounts_accept(4))
    }
    fn decode(&self, r: &Response) -> Result<RoleList, ApiError> {
        decode_with(r, RoleList::from_xml)
    }
}

/// One role the region lists, with the capabilities it says the role grants (`acl`, as
/// the region sends it: names separated by `:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedRole {
    pub role: Role,
    pub acl: String,
}

impl ListedRole {
    /// The capabilities, one by one.
    pub fn capabilities(&self) -> Vec<&str> {
        self.acl
            .split(':')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect()
    }
}

/// The roles a region lists, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleList {
    pub roles: Vec<ListedRole>,
}

impl RoleList {
    const EXPECTED: &'static str = "a <roles> list";

    pub fn from_xml(body: &str) -> Result<Self, DecodeError> {
        let e = root(body, "roles", Self::EXPECTED)?;
        let mut roles = Vec::new();
        for r in e.children_named("role") {
            if let Some(name) = r.child_text("name") {
                roles.push(ListedRole {
                    role: Role::parse(name),
                    acl: r.child_text("acl").unwrap_or_default().to_owned(),
                });
            }
        }
        Ok(RoleList { roles })
    }

    pub fn to_xml(&self) -> String {
        let mut w = XmlWriter::new();
        w.open("roles");
        for r in &self.roles {
            w.open("role")
                .text("name", r.role.as_str())
                .text("acl", &r.acl)
                .close();
        }
        w.finish()
    }

    /// The roles, without their capabilities.
    pub fn names(self) -> Vec<Role> {
        self.roles.into_iter().map(|r| r.role).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_with_their_capabilities_and_unknown_names() {
        let list = RoleList {
            roles: vec![
                ListedRole {
                    role: Role::BackupAdmin,
                    acl: "connector.create:preview".into(),
                },
                ListedRole {
                    role: Role::parse("Helpdesk & Billing"),
                    acl: String::new(),
                },
            ],
        };
        assert_eq!(RoleList::from_xml(&list.to_xml()).unwrap(), list);
        assert_eq!(
            list.clone().names()[1],
            Role::Other("Helpdesk & Billing".into())
        );
        assert_eq!(
            list.roles[0].capabilities(),
            ["connector.create", "preview"]
        );
        let r = ListRoles(AccountId::parse("nq2v51-5mx23m-qb7sah").unwrap()).request();
        assert_eq!(r.path, "/users/nq2v51-5mx23m-qb7sah/permissions/roles/");
        assert!(RoleList::from_xml("<tokens/>").is_err());
    }
}
