//! Identifiers: account GUIDs and region ids.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An account GUID: three groups of five or six lowercase letters or digits,
/// `nq2v51-5mx23m-qb7sah`. The vendor's own documented listing has a first group of five
/// (`psmqd-3nqijs-9qi26x`, keepit.com/help/api-category/retrieve-a-list-of-subaccount-ids).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountId(String);

/// Why a text is not an account GUID, in words a person understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not an account GUID: a GUID is three groups of five or six lowercase letters or digits separated by dashes, like nq2v51-5mx23m-qb7sah.")]
pub struct InvalidAccountId(pub String);

impl AccountId {
    /// Accepts surrounding white space and upper case (as pasted from an email), and
    /// returns the canonical form.
    pub fn parse(text: &str) -> Result<Self, InvalidAccountId> {
        let t = text.trim().to_ascii_lowercase();
        let ok = t.split('-').count() == 3
            && t.split('-').all(|g| {
                (5..=6).contains(&g.len())
                    && g.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(AccountId(t))
        } else {
            Err(InvalidAccountId(text.trim().to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for AccountId {
    type Err = InvalidAccountId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountId::parse(s)
    }
}

impl TryFrom<String> for AccountId {
    type Error = InvalidAccountId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        AccountId::parse(&s)
    }
}

impl From<AccountId> for String {
    fn from(id: AccountId) -> String {
        id.0
    }
}

/// A region (data center) id as configured: `dk-co`, or a deployment's own such as
/// `staging-1`. Lowercase letters, digits and dashes, 1 to 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}” is not a region id: use 1 to 32 lowercase letters, digits and dashes, like dk-co.")]
pub struct InvalidRegionId(pub String);

impl RegionId {
    pub fn parse(text: &str) -> Result<Self, InvalidRegionId> {
        let ok = !text.is_empty()
            && text.len() <= 32
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-');
        if ok {
            Ok(RegionId(text.to_owned()))
        } else {
            Err(InvalidRegionId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RegionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionId {
    type Error = InvalidRegionId;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        RegionId::parse(&s)
    }
}

impl From<RegionId> for String {
    fn from(id: RegionId) -> String {
        id.0
    }
}

/// The seven public regions of the contract: id, name, public host.
pub const PUBLIC_REGIONS: [(&str, &str, &str); 7] = [
    ("dk-co", "Denmark (Copenhagen)", "dk-co.keepit.com"),
    ("de-fr", "Germany (Frankfurt)", "de-fr.keepit.com"),
    ("ch-zh", "Switzerland (Zurich)", "ch-zh.keepit.com"),
    ("uk-ld", "United Kingdom (London)", "uk-ld.keepit.com"),
    (
        "us-dc",
        "United States (Washington, DC)",
        "us-dc.keepit.com",
    ),
    ("ca-tr", "Canada (Toronto)", "ca-tr.keepit.com"),
    ("au-sy", "Australia (Sydney)", "au-sy.keepit.com"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids() {
        assert_eq!(
            AccountId::parse(" NQ2V51-5mx23m-qb7sah\n")
                .unwrap()
                .as_str(),
            "nq2v51-5mx23m-qb7sah"
        );
        for bad in [
            "",
            "nq2v51-5mx23m",
            "nq2v-5mx23m-qb7sah",
            "nq2v51-5mx23m-qb7sahx",
            "nq2v51_5mx23m_qb7sah",
            "nq2v51-5mx23m-qb7sah-",
            "nq2v5é-5mx23m-qb7sa",
        ] {
            let e = AccountId::parse(bad).unwrap_err();
            assert!(e.to_string().contains("three groups of"), "{e}");
        }
        // Both forms the vendor documents.
        AccountId::parse("psmqd-3nqijs-9qi26x").unwrap();
        AccountId::parse("nq2v51-5mx23m-qb7sa").unwrap();
    }

    #[test]
    fn region_ids() {
        for (id, _, _) in PUBLIC_REGIONS {
            RegionId::parse(id).unwrap();
        }
        for bad in ["", "DK", "dk_co", "-dk", "a/b", &"x".repeat(33)] {
            assert!(RegionId::parse(bad).is_err(), "{bad}");
        }
    }
}
