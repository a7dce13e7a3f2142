//! The sandbox's demo logins. The sandbox seeds them and the portal lists them on the sign-in
//! page of a region its configuration marks as a sandbox: one list, so the two cannot drift.

use crate::roles::Role;

/// A demo login and what it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoLogin {
    pub login: &'static str,
    /// The wire name of the login's role.
    pub role: &'static str,
    pub what: &'static str,
}

impl DemoLogin {
    pub fn role(&self) -> Role {
        Role::parse(self.role)
    }
}

/// Every demo login has this password.
pub const DEMO_PASSWORD: &str = "demo";

/// The regions where the demo seed has the distributor's tree (different GUIDs in each).
pub const DEMO_REGIONS: [&str; 3] = ["dk-co", "de-fr", "us-dc"];

pub const DEMO_LOGINS: [DemoLogin; 4] = [
    DemoLogin {
        login: "distributor@demo.example",
        role: "PartnerParent",
        what: "A distributor: the top of the tree, with partners, an MSP partner and customers",
    },
    DemoLogin {
        login: "partner@demo.example",
        role: "PartnerParent",
        what: "A partner under the distributor: creates partners and customers",
    },
    DemoLogin {
        login: "msp@demo.example",
        role: "MSPPartner",
        what: "An MSP partner: creates customer accounts only",
    },
    DemoLogin {
        login: "readonly@demo.example",
        role: "ReadOnlyMSPPartner",
        what: "Read-only access to the partner's subtree",
    },
];
