//! Reading `config.json` when the portal starts.

use super::resolve;
use partner_api::config::{ConfigError, PortalConfig};

/// Where the runtime configuration is read from, relative to the document's base URL.
pub const CONFIG_PATH: &str = "config.json";

/// Why the portal could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// config.json could not be fetched (missing, server error, offline).
    Unreachable(String),
    /// config.json was read but is not valid.
    Invalid(ConfigError),
}

/// Reads and validates `config.json`.
pub async fn load_config() -> Result<PortalConfig, StartError> {
    let url = resolve(CONFIG_PATH);
    let response = gloo_net::http::Request::get(&url)
        .header("Cache-Control", "no-cache")
        .send()
        .await
        .map_err(|e| StartError::Unreachable(format!("{url} could not be fetched ({e})")))?;
    if !response.ok() {
        return Err(StartError::Unreachable(format!(
            "{url} answered HTTP {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let text = response
        .text()
        .await
        .map_err(|e| StartError::Unreachable(format!("{url} could not be read ({e})")))?;
    PortalConfig::from_json(&text).map_err(StartError::Invalid)
}
