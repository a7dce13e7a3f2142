//! The portal's runtime configuration (`config.json`), its validation and the base URL of each
//! region's API families. Read at start, so a deployment changes regions, proxy and brand
//! without a rebuild.

use crate::ids::RegionId;
use crate::request::Family;
use serde::Deserialize;

/// `config.json` as written by a deployment.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalConfig {
    #[serde(default)]
    pub brand: Brand,
    /// A URL template with `{region}` that forwards to each region's host, e.g.
    /// `https://proxy.example.com/{region}` or `/api/{region}`. When set, every call goes
    /// through it: `{proxy}/users/...` and `{proxy}/apis/accounts/v1/...`.
    #[serde(default)]
    pub proxy: Option<String>,
    /// The region picked first on the sign-in page.
    #[serde(default)]
    pub default_region: Option<RegionId>,
    /// Seconds before a call is given up (default 20).
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    pub regions: Vec<RegionConfig>,
}

fn default_timeout() -> u32 {
    20
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    #[serde(default = "default_brand_name")]
    pub name: String,
}

fn default_brand_name() -> String {
    "Partner Portal".into()
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: default_brand_name(),
        }
    }
}

/// One region (data center) as a deployment offers it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    pub id: RegionId,
    pub name: String,
    /// The Accounts API root (`https://dk-co.keepit.com`); absent when the region does not
    /// offer the family.
    #[serde(default)]
    pub accounts: Option<String>,
    /// The Enterprise API root (`https://host/apis/accounts/v1`); absent when not offered.
    #[serde(default)]
    pub enterprise: Option<String>,
    /// A sandbox region: the sign-in page lists the demo logins.
    #[serde(default)]
    pub sandbox: bool,
}

/// Everything wrong with a configuration, each problem a sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join(" "))]
pub struct ConfigError {
    pub problems: Vec<String>,
}

impl PortalConfig {
    /// Parses and validates `config.json`.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let config: PortalConfig = serde_json::from_str(text).map_err(|e| ConfigError {
            problems: vec![format!("config.json is not valid: {e}.")],
        })?;
        let problems = config.problems();
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError { problems })
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.regions.is_empty() {
            out.push("config.json lists no regions: add at least one to \"regions\".".into());
        }
        if self.brand.name.trim().is_empty() {
            out.push("The brand name in config.json is empty.".into());
        }
        if self.timeout_seconds == 0 || self.timeout_seconds > 600 {
            out.push("\"timeout_seconds\" must be between 1 and 600.".into());
        }
        if let Some(proxy) = &self.proxy {
            if !proxy.contains("{region}") {
                out.push(format!(
                    "The proxy template “{proxy}” has no {{region}} placeholder."
                ));
            } else if !proxy.starts_with('/') {
                if let Err(e) = check_endpoint(&proxy.replace("{region}", "x")) {
                    out.push(format!("The proxy template “{proxy}”: {e}"));
                }
            }
        }
        for (i, r) in self.regions.iter().enumerate() {
            if self.regions[..i].iter().any(|o| o.id == r.id) {
                out.push(format!("Region {} is listed twice.", r.id));
            }
            if r.accounts.is_none() && r.enterprise.is_none() {
                out.push(format!(
                    "Region {} has neither an \"accounts\" nor an \"enterprise\" URL.",
                    r.id
                ));
            }
            for url in [&r.accounts, &r.enterprise].into_iter().flatten() {
                if let Err(e) = check_endpoint(url) {
                    out.push(format!("Region {}: “{url}”: {e}", r.id));
                }
            }
        }
        if let Some(d) = &self.default_region {
            if self.region(d).is_none() {
                out.push(format!(
                    "The default region {d} is not one of the listed regions."
                ));
            }
        }
        out
    }

    pub fn region(&self, id: &RegionId) -> Option<&RegionConfig> {
        self.regions.iter().find(|r| &r.id == id)
    }

    /// Finds a region by its id as text (from a route parameter).
    pub fn region_by_str(&self, id: &str) -> Option<&RegionConfig> {
        self.regions.iter().find(|r| r.id.as_str() == id)
    }

    /// The region offered first: the configured default, else the first listed.
    pub fn first_region(&self) -> &RegionConfig {
        self.default_region
            .as_ref()
            .and_then(|d| self.region(d))
            .unwrap_or(&self.regions[0])
    }

    /// The base URL (no trailing slash) for `family` in `region`, or `None` when the region
    /// does not offer that family.
    pub fn base_url(&self, region: &RegionConfig, family: Family) -> Option<String> {
        let direct = match family {
            Family::Accounts => region.accounts.as_ref(),
            Family::Enterprise => region.enterprise.as_ref(),
        }?;
        Some(match &self.proxy {
            Some(template) => format!(
                "{}{}",
                template
                    .replace("{region}", region.id.as_str())
                    .trim_end_matches('/'),
                family.root_path()
            ),
            None => direct.trim_end_matches('/').to_owned(),
        })
    }
}

/// An API endpoint must be HTTPS; plain HTTP is allowed only to this machine (development and
/// the sandbox). Credentials and card data never cross a network in clear text.
pub fn check_endpoint(url: &str) -> Result<(), String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| "not an absolute URL (it needs https://).".to_string())?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or_default()
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, _)| h)
    };
    if host.is_empty() {
        return Err("the URL has no host.".into());
    }
    match scheme {
        "https" => Ok(()),
        "http" if is_loopback(host) => Ok(()),
        "http" => Err(
            "plain http is allowed only to localhost; use https so credentials are encrypted."
                .into(),
        ),
        other => Err(format!("the scheme “{other}” is not http or https.")),
    }
}

/// Whether a host name is this machine.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|p| p.parse::<u8>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SANDBOX: &str = r#"{
        "brand": {"name": "Demo Portal"},
        "default_region": "de-fr",
        "regions": [
            {"id": "dk-co", "name": "Denmark", "accounts": "http://127.0.0.1:8787/dk-co",
             "enterprise": "http://127.0.0.1:8787/dk-co/apis/accounts/v1/", "sandbox": true},
            {"id": "de-fr", "name": "Germany", "accounts": "https://de-fr.keepit.com"}
        ]
    }"#;

    #[test]
    fn reads_and_resolves_direct_urls() {
        let c = PortalConfig::from_json(SANDBOX).unwrap();
        assert_eq!(c.brand.name, "Demo Portal");
        assert_eq!(c.timeout_seconds, 20);
        assert_eq!(c.first_region().id.as_str(), "de-fr");
        let dk = c.region_by_str("dk-co").unwrap();
        assert!(dk.sandbox);
        assert_eq!(
            c.base_url(dk, Family::Enterprise).unwrap(),
            "http://127.0.0.1:8787/dk-co/apis/accounts/v1"
        );
        let de = c.region_by_str("de-fr").unwrap();
        assert_eq!(c.base_url(de, Family::Enterprise), None);
        assert_eq!(
            c.base_url(de, Family::Accounts).unwrap(),
            "https://de-fr.keepit.com"
        );
    }

    #[test]
    fn proxy_template_routes_both_families() {
        let c = PortalConfig::from_json(
            r#"{"proxy": "/api/{region}/", "regions": [{"id": "uk-ld", "name": "UK",
                "accounts": "https://uk-ld.keepit.com", "enterprise": "https://x.example/apis/accounts/v1"}]}"#,
        )
        .unwrap();
        let uk = &c.regions[0];
        assert_eq!(c.base_url(uk, Family::Accounts).unwrap(), "/api/uk-ld");
        assert_eq!(
            c.base_url(uk, Family::Enterprise).unwrap(),
            "/api/uk-ld/apis/accounts/v1"
        );
    }

    #[test]
    fn every_problem_is_named() {
        let e = PortalConfig::from_json(
            r#"{"proxy": "https://p.example", "default_region": "xx",
                "regions": [{"id": "a", "name": "A", "accounts": "http://a.example"},
                            {"id": "a", "name": "A again", "enterprise": "ftp://b"},
                            {"id": "c", "name": "C"}]}"#,
        )
        .unwrap_err();
        let text = e.to_string();
        for needle in [
            "no {region} placeholder",
            "listed twice",
            "plain http is allowed only to localhost",
            "“ftp”",
            "neither",
            "default region xx",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
        assert!(PortalConfig::from_json("{")
            .unwrap_err()
            .to_string()
            .contains("not valid"));
        assert!(PortalConfig::from_json(r#"{"regions": [], "colour": 1}"#).is_err());
    }

    #[test]
    fn endpoints() {
        for ok in [
            "https://dk-co.keepit.com",
            "http://localhost:8787/x",
            "http://127.0.0.1:8787",
            "http://[::1]:8787/",
            "http://portal.localhost",
        ] {
            assert!(check_endpoint(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://dk-co.keepit.com",
            "http://127.0.0.1.evil.example/",
            "dk-co.keepit.com",
            "https://",
            "file:///etc/passwd",
        ] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
    }
}
