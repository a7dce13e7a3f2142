//! White-label branding: the product's name, logo, favicon, colours and support contacts as
//! `config.json` sets them, with the colours checked against WCAG AA contrast.
//!
//! Colours are `#rgb` or `#rrggbb` only: they end up in CSS custom properties, so nothing but
//! a hex colour may get through.

use serde::{Deserialize, Deserializer};

/// The page background of the light and the dark theme (`style/main.css`), against which
/// link colours are checked.
pub const LIGHT_BACKGROUND: Rgb = Rgb(0xff, 0xff, 0xff);
pub const DARK_BACKGROUND: Rgb = Rgb(0x0d, 0x11, 0x17);

/// WCAG 2.x AA for normal text.
pub const AA_CONTRAST: f64 = 4.5;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// The product name: the window title, the header, and the sentences that name it.
    #[serde(default = "default_brand_name")]
    pub name: String,
    /// An image shown before the name in the header: a path next to `index.html` or an
    /// https URL.
    #[serde(default)]
    pub logo: Option<String>,
    /// The tab icon, the same kinds of address as the logo.
    #[serde(default)]
    pub favicon: Option<String>,
    /// Colours of the light theme. What a theme does not set keeps the stylesheet's colour.
    #[serde(default)]
    pub colors: Option<Colors>,
    /// Colours of the dark theme.
    #[serde(default)]
    pub dark: Option<Colors>,
    /// Where partners ask for help, shown in the footer and in messages that send them there.
    #[serde(default)]
    pub support_email: Option<String>,
    #[serde(default)]
    pub support_url: Option<String>,
}

fn default_brand_name() -> String {
    "Partner Portal".into()
}

impl Default for Brand {
    fn default() -> Self {
        Brand {
            name: default_brand_name(),
            logo: None,
            favicon: None,
            colors: None,
            dark: None,
            support_email: None,
            support_url: None,
        }
    }
}

/// A theme's brand colours. Each one is optional; the stylesheet's own colour stays for the
/// rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Colors {
    /// Links, primary buttons, focus of selection.
    #[serde(default)]
    pub accent: Option<Rgb>,
    /// Text on the accent (primary buttons).
    #[serde(default)]
    pub on_accent: Option<Rgb>,
    /// The header's background.
    #[serde(default)]
    pub header: Option<Rgb>,
    /// Text and links in the header.
    #[serde(default)]
    pub on_header: Option<Rgb>,
}

impl Colors {
    /// The CSS custom properties these colours set for `theme` ("light" or "dark"), as
    /// `(name, value)`: `--brand-light: #7a1fa2`. The stylesheet picks the theme's one with
    /// `light-dark()` and keeps its own colour where none is set.
    pub fn properties(&self, theme: &str) -> Vec<(String, String)> {
        [
            ("--brand", self.accent),
            ("--brand-contrast", self.on_accent),
            ("--header-bg", self.header),
            ("--header-text", self.on_header),
        ]
        .into_iter()
        .filter_map(|(name, c)| Some((format!("{name}-{theme}"), c?.to_string())))
        .collect()
    }
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rgb` or `#rrggbb`, case-insensitive.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Rgb(
                u8::from_str_radix(&hex[0..2], 16).ok()?,
                u8::from_str_radix(&hex[2..4], 16).ok()?,
                u8::from_str_radix(&hex[4..6], 16).ok()?,
            )),
            _ => None,
        }
    }

    /// WCAG 2.x relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG 2.x contrast ratio, 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

impl std::fmt::Display for Rgb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Rgb::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "“{text}” is not a colour: write it as #rrggbb or #rgb"
            ))
        })
    }
}

/// A ratio as "4.5:1", without float formatting (which would cost the browser bundle).
fn ratio_text(ratio: f64) -> String {
    let tenths = (ratio * 10.0).round() as u32;
    format!("{}.{}:1", tenths / 10, tenths % 10)
}

impl Brand {
    /// Every colour pair that fails WCAG AA (4.5:1), each a sentence. Not an error: the
    /// portal still starts, and says this in the browser console.
    pub fn contrast_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        let themes = [
            ("light", self.colors, LIGHT_BACKGROUND),
            ("dark", self.dark, DARK_BACKGROUND),
        ];
        for (theme, colors, background) in themes {
            let Some(c) = colors else { continue };
            let mut pair = |what: &str, fg: Option<Rgb>, bg: Option<Rgb>| {
                if let (Some(fg), Some(bg)) = (fg, bg) {
                    let ratio = fg.contrast(bg);
                    if ratio < AA_CONTRAST {
                        out.push(format!(
                            "Brand colours, {theme} theme: {what} ({fg} on {bg}) has a contrast of {}; WCAG AA needs 4.5:1.",
                            ratio_text(ratio)
                        ));
                    }
                }
            };
            pair("text on the accent", c.on_accent, c.accent);
            pair("the accent as link text", c.accent, Some(background));
            pair("text in the header", c.on_header, c.header);
        }
        out
    }

    /// Problems that stop the portal from starting, each a sentence.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push("The brand name in config.json is empty.".into());
        }
        for (what, url) in [("logo", &self.logo), ("favicon", &self.favicon)] {
            if let Some(url) = url {
                if !is_asset_address(url) {
                    out.push(format!(
                        "The brand {what} “{url}” must be a path next to index.html or an https URL."
                    ));
                }
            }
        }
        if let Some(email) = &self.support_email {
            if crate::validate::email(email).is_err() {
                out.push(format!(
                    "The support email “{email}” is not an email address."
                ));
            }
        }
        if let Some(url) = &self.support_url {
            if !url.starts_with("https://") || crate::validate::url(url).is_err() {
                out.push(format!("The support URL “{url}” must be an https URL."));
            }
        }
        out
    }
}

/// A relative path (no scheme, no `//`) or an https URL: never `javascript:` or `data:`.
fn is_asset_address(url: &str) -> bool {
    if let Some(rest) = url.strip_prefix("https://") {
        return !rest.is_empty() && !url.contains(char::is_whitespace);
    }
    !url.is_empty()
        && !url.starts_with("//")
        && !url.contains(':')
        && !url.contains(char::is_whitespace)
        && !url.contains(['"', '\'', '<', '>', '\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_and_print() {
        assert_eq!(Rgb::parse("#0B5CAD"), Some(Rgb(0x0b, 0x5c, 0xad)));
        assert_eq!(Rgb::parse("#fff"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb(0x0b, 0x5c, 0xad).to_string(), "#0b5cad");
        for bad in [
            "",
            "#",
            "fff",
            "#ffff",
            "#ggg",
            "red",
            "#fff;}body{",
            "#１２３",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn contrast_matches_wcag() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // #777 on white is the classic near miss: 4.48:1.
        let grey = Rgb::parse("#777").unwrap();
        assert!(grey.contrast(white) < AA_CONTRAST);
        assert!(Rgb::parse("#767676").unwrap().contrast(white) >= AA_CONTRAST);
        assert_eq!(ratio_text(grey.contrast(white)), "4.5:1");
    }

    #[test]
    fn failing_pairs_are_named_per_theme() {
        let brand = Brand {
            colors: Some(Colors {
                accent: Rgb::parse("#ffcc00"),
                on_accent: Rgb::parse("#ffffff"),
                header: Rgb::parse("#1d2b3a"),
                on_header: Rgb::parse("#ffffff"),
            }),
            ..Brand::default()
        };
        let w = brand.contrast_warnings();
        // Light: white on yellow and yellow links on white fail; the header passes.
        assert!(w
            .iter()
            .any(|s| s.contains("light theme: text on the accent")));
        assert!(w
            .iter()
            .any(|s| s.contains("light theme: the accent as link text")));
        assert!(!w.iter().any(|s| s.contains("header")));
        // The dark theme sets nothing, so nothing is checked there.
        assert!(!w.iter().any(|s| s.contains("dark theme")));
        let dark = Brand {
            dark: Some(Colors {
                accent: Rgb::parse("#0b5cad"),
                ..Colors::default()
            }),
            ..Brand::default()
        };
        assert_eq!(dark.contrast_warnings().len(), 1);
        assert!(dark.contrast_warnings()[0].contains("dark theme: the accent as link text"));
        assert!(Brand::default().contrast_warnings().is_empty());
    }

    #[test]
    fn asset_addresses() {
        for ok in [
            "brand/logo.svg",
            "/logo.png",
            "https://cdn.example/logo.svg",
        ] {
            assert!(is_asset_address(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "data:image/svg+xml,<svg>",
            "//evil.example/x.png",
            "http://cdn.example/logo.svg",
            "a b.png",
            "x\" onerror=\"y",
            "",
        ] {
            assert!(!is_asset_address(bad), "{bad}");
        }
    }
}
