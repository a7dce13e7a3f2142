//! The portal's runtime configuration (`config.json`), its validation and the base URL of each
//! region's API families. Read at start, so a deployment changes regions, proxy and brand
//! without a rebuild.

pub use crate::brand::Brand;
use crate::ids::{RegionId, PUBLIC_REGIONS};
use crate::wire::request::Family;
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
    /// Start from the vendor's seven public regions (Accounts API at `https://{id}.keepit.com`);
    /// `regions` then adds to them or replaces one of the same id.
    #[serde(default)]
    pub vendor_regions: bool,
    /// The regions offered. After [`PortalConfig::from_json`] this is the list in effect:
    /// the vendor's (when asked for), plus these, minus `hide_regions`.
    #[serde(default)]
    pub regions: Vec<RegionConfig>,
    /// Regions not offered in this deployment.
    #[serde(default)]
    pub hide_regions: Vec<RegionId>,
    /// Pages this deployment does not show (no link, and the route says so).
    #[serde(default)]
    pub hide_pages: Vec<Page>,
    /// The theme used until a partner picks one: `system` (the default), `light` or `dark`.
    #[serde(default)]
    pub theme: Theme,
    /// Running inside another site's frame (a PSA tool).
    #[serde(default)]
    pub embed: Embed,
}

fn default_timeout() -> u32 {
    20
}

/// The pages a deployment may hide. The accounts tree and sign-in are always there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Page {
    NewAccount,
    Access,
    Import,
    Billing,
    Settings,
    Shares,
    Revisions,
    Users,
    Groups,
    Plans,
}

/// Light, dark, or whatever the operating system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(text: &str) -> Option<Theme> {
        match text {
            "system" => Some(Theme::System),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// Who may frame the portal and talk to it with `postMessage`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Embed {
    /// Exact origins (`https://eu.myconnectwise.net`): the only pages that may frame the
    /// portal (the CSP's `frame-ancestors`) and the only ones it sends messages to or takes
    /// messages from. Empty: the portal runs in no one's frame.
    #[serde(default)]
    pub allowed_origins: Vec<String>,
}

impl Embed {
    pub fn allows(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }
}

/// The origin (`scheme://host[:port]`) of an absolute URL, lower-cased; `None` for anything
/// else.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    ))
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
        let mut config: PortalConfig = serde_json::from_str(text).map_err(|e| ConfigError {
            problems: vec![format!("config.json is not valid: {e}.")],
        })?;
        let mut problems = config.resolve_regions();
        problems.extend(config.problems());
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(ConfigError { problems })
        }
    }

    /// Turns `vendor_regions`, `regions` and `hide_regions` into the list in effect.
    fn resolve_regions(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        for (i, r) in self.regions.iter().enumerate() {
            if self.regions[..i].iter().any(|o| o.id == r.id) {
                out.push(format!("Region {} is listed twice.", r.id));
            }
        }
        if self.vendor_regions {
            let mut all: Vec<RegionConfig> = PUBLIC_REGIONS
                .iter()
                .filter_map(|(id, name, host)| {
                    Some(RegionConfig {
                        id: RegionId::parse(id).ok()?,
                        name: (*name).into(),
                        accounts: Some(format!("https://{host}")),
                        enterprise: None,
                        sandbox: false,
                    })
                })
                .collect();
            for own in std::mem::take(&mut self.regions) {
                match all.iter_mut().find(|r| r.id == own.id) {
                    Some(vendor) => *vendor = own,
                    None => all.push(own),
                }
            }
            self.regions = all;
        }
        for hidden in &self.hide_regions {
            if !self.regions.iter().any(|r| &r.id == hidden) {
                out.push(format!(
                    "\"hide_regions\" names {hidden}, which is not one of the regions."
                ));
            }
        }
        let hidden = &self.hide_regions;
        self.regions.retain(|r| !hidden.contains(&r.id));
        out
    }

    /// The origins the portal sends API calls to (a Content-Security-Policy's `connect-src`):
    /// the proxy's when it is absolute, nothing beyond the portal's own when it is a path,
    /// else every region's.
    pub fn api_origins(&self) -> Vec<String> {
        let mut out: Vec<String> = match &self.proxy {
            Some(template) if template.starts_with('/') => Vec::new(),
            Some(template) => origin_of(&template.replace("{region}", "x"))
                .into_iter()
                .collect(),
            None => self
                .regions
                .iter()
                .flat_map(|r| [&r.accounts, &r.enterprise])
                .flatten()
                .filter_map(|u| origin_of(u))
                .collect(),
        };
        out.sort();
        out.dedup();
        out
    }

    /// The origins of brand images given as https URLs (a CSP's `img-src`).
    pub fn image_origins(&self) -> Vec<String> {
        let mut out: Vec<String> = [&self.brand.logo, &self.brand.favicon]
            .into_iter()
            .flatten()
            .filter(|u| u.starts_with("https://"))
            .filter_map(|u| origin_of(u))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// Whether this deployment shows `page`.
    pub fn shows(&self, page: Page) -> bool {
        !self.hide_pages.contains(&page)
    }

    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.regions.is_empty() {
            out.push("config.json lists no regions: add at least one to \"regions\".".into());
        }
        out.extend(self.brand.problems());
        for origin in &self.embed.allowed_origins {
            let exact = origin_of(origin).is_some_and(|o| &o == origin);
            if !exact || check_endpoint(origin).is_err() {
                out.push(format!(
                    "The embedding origin “{origin}” must be an exact https origin like https://psa.example.com (no path, no wildcard, lower case)."
                ));
            }
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
        for r in &self.regions {
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
    fn vendor_regions_custom_ones_and_hidden_ones() {
        let c = PortalConfig::from_json(
            r#"{"vendor_regions": true, "hide_regions": ["ca-tr", "au-sy"],
                "regions": [{"id": "dk-co", "name": "Denmark, our host", "accounts": "https://dk.reseller.example"},
                            {"id": "staging", "name": "Staging", "accounts": "https://staging.reseller.example"}]}"#,
        )
        .unwrap();
        let ids: Vec<&str> = c.regions.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["dk-co", "de-fr", "ch-zh", "uk-ld", "us-dc", "staging"]
        );
        assert_eq!(c.regions[0].name, "Denmark, our host");
        assert_eq!(
            c.regions[1].accounts.as_deref(),
            Some("https://de-fr.keepit.com")
        );
        assert_eq!(
            c.api_origins(),
            [
                "https://ch-zh.keepit.com",
                "https://de-fr.keepit.com",
                "https://dk.reseller.example",
                "https://staging.reseller.example",
                "https://uk-ld.keepit.com",
                "https://us-dc.keepit.com"
            ]
        );
        let e = PortalConfig::from_json(
            r#"{"hide_regions": ["xx"], "regions": [{"id": "a", "name": "A", "accounts": "https://a.example"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("names xx"), "{e}");
        let e = PortalConfig::from_json(
            r#"{"hide_regions": ["a"], "regions": [{"id": "a", "name": "A", "accounts": "https://a.example"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("lists no regions"), "{e}");
    }

    #[test]
    fn brand_pages_theme_and_embedding() {
        let c = PortalConfig::from_json(
            r##"{"brand": {"name": "Acme Backup", "logo": "brand/logo.svg", "favicon": "https://cdn.acme.example/f.ico",
                 "colors": {"accent": "#7a1fa2", "on_accent": "#fff"}, "support_email": "help@acme.example",
                 "support_url": "https://acme.example/help"},
                "theme": "dark", "hide_pages": ["billing", "import"],
                "proxy": "/api/{region}",
                "embed": {"allowed_origins": ["https://eu.myconnectwise.net", "http://127.0.0.1:9000"]},
                "regions": [{"id": "a", "name": "A", "accounts": "https://a.example"}]}"##,
        )
        .unwrap();
        assert_eq!(c.theme, Theme::Dark);
        assert!(!c.shows(Page::Billing) && !c.shows(Page::Import) && c.shows(Page::Settings));
        assert!(c.embed.allows("https://eu.myconnectwise.net"));
        assert!(!c.embed.allows("https://evil.example"));
        assert!(
            c.api_origins().is_empty(),
            "a same-origin proxy needs only 'self'"
        );
        assert_eq!(c.image_origins(), ["https://cdn.acme.example"]);
        assert_eq!(
            c.brand.colors.unwrap().properties("light"),
            [
                ("--brand-light".to_string(), "#7a1fa2".to_string()),
                ("--brand-contrast-light".to_string(), "#ffffff".to_string())
            ]
        );

        let e = PortalConfig::from_json(
            r##"{"brand": {"name": " ", "logo": "javascript:alert(1)", "support_email": "nope", "support_url": "http://x.example"},
                "embed": {"allowed_origins": ["*", "https://psa.example/path", "http://psa.example", "https://PSA.example"]},
                "regions": [{"id": "a", "name": "A", "accounts": "https://a.example"}]}"##,
        )
        .unwrap_err();
        let text = e.to_string();
        for needle in [
            "brand name",
            "logo “javascript:alert(1)”",
            "support email “nope”",
            "support URL “http://x.example”",
            "origin “*”",
            "origin “https://psa.example/path”",
            "origin “http://psa.example”",
            "origin “https://PSA.example”",
        ] {
            assert!(text.contains(needle), "{needle} missing from {text}");
        }
        for bad in [
            r##"{"brand": {"colors": {"accent": "red"}}, "regions": []}"##,
            r##"{"brand": {"colors": {"accent": "#fff;}"}}, "regions": []}"##,
            r#"{"hide_pages": ["accounts"], "regions": []}"#,
            r#"{"theme": "sepia", "regions": []}"#,
        ] {
            assert!(PortalConfig::from_json(bad).is_err(), "{bad}");
        }
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
