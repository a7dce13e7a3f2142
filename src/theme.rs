//! The deployment's brand on the page (title, favicon, colours) and the theme: light, dark or
//! the system's, chosen by the partner, by the host page of a frame, or by `config.json`.

use crate::browser::{storage, Store};
use leptos::prelude::*;
use partner_api::config::{PortalConfig, Theme};
use wasm_bindgen::JsCast;

const THEME_KEY: &str = "partner-portal.theme";

/// The theme in effect, as context.
#[derive(Clone, Copy)]
pub struct ThemeChoice(pub RwSignal<Theme>);

pub fn use_theme() -> ThemeChoice {
    expect_context::<ThemeChoice>()
}

impl ThemeChoice {
    /// A partner's choice: kept in this browser for next time.
    pub fn choose(self, theme: Theme) {
        if let Some(s) = storage(Store::Local) {
            let _ = s.set_item(THEME_KEY, theme.as_str());
        }
        self.0.set(theme);
    }
}

fn root() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .document_element()?
        .dyn_into()
        .ok()
}

/// Applies the brand to the document and provides the theme: the partner's last choice,
/// else the configuration's. `<html data-theme>` follows it; the stylesheet does the rest.
pub fn provide(config: &PortalConfig) -> ThemeChoice {
    apply_brand(config);
    let stored = storage(Store::Local)
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .and_then(|t| Theme::parse(&t));
    let theme = ThemeChoice(RwSignal::new(stored.unwrap_or(config.theme)));
    Effect::new(move |_| {
        let t = theme.0.get();
        if let Some(root) = root() {
            let _ = match t {
                Theme::System => root.remove_attribute("data-theme"),
                _ => root.set_attribute("data-theme", t.as_str()),
            };
        }
    });
    provide_context(theme);
    theme
}

fn apply_brand(config: &PortalConfig) {
    let brand = &config.brand;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    document.set_title(&brand.name);
    if let Some(root) = root() {
        let style = root.style();
        let themes = [("light", brand.colors), ("dark", brand.dark)];
        for (theme, colors) in themes {
            for (name, value) in colors.map(|c| c.properties(theme)).unwrap_or_default() {
                let _ = style.set_property(&name, &value);
            }
        }
    }
    if let Some(href) = &brand.favicon {
        let link = document
            .query_selector("link[rel=icon]")
            .ok()
            .flatten()
            .or_else(|| {
                let link = document.create_element("link").ok()?;
                let _ = link.set_attribute("rel", "icon");
                document.head()?.append_child(&link).ok()?;
                Some(link)
            });
        if let Some(link) = link {
            let _ = link.set_attribute("href", href);
        }
    }
    // Said where the people who deploy the portal look; the portal still starts.
    for warning in brand.contrast_warnings() {
        web_sys::console::warn_1(&format!("Partner Portal config.json: {warning}").into());
    }
}

/// The theme picker in the footer.
#[component]
pub fn ThemePicker() -> impl IntoView {
    let theme = use_theme();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(t) = Theme::parse(&event_target_value(&ev)) {
            theme.choose(t);
        }
    };
    view! {
        <span>
            <label for="theme">"Theme"</label>
            <select id="theme" on:change=on_change prop:value=move || theme.0.get().as_str()>
                <option value="system">"As the system"</option>
                <option value="light">"Light"</option>
                <option value="dark">"Dark"</option>
            </select>
        </span>
    }
}
