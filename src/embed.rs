//! Running inside another site's frame (a PSA tool): detection, and the browser side of the
//! `postMessage` protocol in `partner_api::embed` (`docs/embedding.md` is the host's side).
//!
//! Messages go only to the origins `config.json` allows, each posted with that origin as the
//! target, so the browser delivers nothing to a frame host that is not on the list; messages
//! come in only from an allowed origin and only from the parent window.

use crate::browser::{storage, Store};
use leptos::prelude::*;
use partner_api::embed::{FromHost, ToHost, VERSION};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const EMBED_KEY: &str = "partner-portal.embed";

/// How the portal runs, as context.
#[derive(Clone)]
pub struct Embedding {
    /// Compact chrome: in a frame, or asked for with `?embed=1`.
    pub embedded: bool,
    /// In a frame: there is a parent window to talk to.
    framed: bool,
    origins: Arc<Vec<String>>,
}

pub fn use_embedding() -> Embedding {
    expect_context::<Embedding>()
}

impl Embedding {
    pub fn detect(allowed_origins: &[String]) -> Embedding {
        let window = web_sys::window();
        let framed = window.as_ref().is_some_and(|w| match w.top() {
            Ok(Some(top)) => JsValue::from(top) != JsValue::from(w.clone()),
            // A top window that cannot even be named is someone else's.
            _ => true,
        });
        let session = storage(Store::Session);
        let asked = window
            .as_ref()
            .and_then(|w| w.location().search().ok())
            .is_some_and(|q| q.trim_start_matches('?').split('&').any(|p| p == "embed=1"));
        if asked {
            if let Some(s) = &session {
                let _ = s.set_item(EMBED_KEY, "1");
            }
        }
        let remembered = session
            .and_then(|s| s.get_item(EMBED_KEY).ok().flatten())
            .is_some();
        Embedding {
            embedded: framed || asked || remembered,
            framed,
            origins: Arc::new(allowed_origins.to_vec()),
        }
    }

    /// Tells the host, if there is one on the allow-list.
    pub fn post(&self, message: &ToHost) {
        if !self.framed || self.origins.is_empty() {
            return;
        }
        let Some(parent) = web_sys::window().and_then(|w| w.parent().ok().flatten()) else {
            return;
        };
        let Ok(data) = js_sys::JSON::parse(&message.to_json()) else {
            return;
        };
        for origin in self.origins.iter() {
            // The browser drops it unless the parent's origin is exactly this one.
            let _ = parent.post_message(&data, origin);
        }
    }

    /// Starts the protocol: `ready`, then `height` whenever the content's size changes;
    /// `on_message` gets what an allowed host asks. Route changes are posted by the layout.
    pub fn connect(&self, path: String, on_message: impl Fn(FromHost) + 'static) {
        if !self.framed || self.origins.is_empty() {
            return;
        }
        let Some(window) = web_sys::window() else {
            return;
        };
        let origins = self.origins.clone();
        let listener =
            Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
                let from_parent = match (
                    ev.source(),
                    web_sys::window().and_then(|w| w.parent().ok().flatten()),
                ) {
                    (Some(source), Some(parent)) => JsValue::from(source) == JsValue::from(parent),
                    _ => false,
                };
                if !from_parent || !origins.iter().any(|o| *o == ev.origin()) {
                    return;
                }
                let text = js_sys::JSON::stringify(&ev.data())
                    .ok()
                    .and_then(|s| s.as_string());
                if let Some(message) = text.as_deref().and_then(FromHost::from_json) {
                    on_message(message);
                }
            });
        let _ =
            window.add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        // The portal lives as long as the page: the listener and observer stay.
        listener.forget();

        self.post(&ToHost::Ready {
            version: VERSION,
            path,
        });
        let this = self.clone();
        let last = std::cell::Cell::new(0u32);
        let observer = Closure::<dyn Fn()>::new(move || {
            let height = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .map_or(0, |e| e.get_bounding_client_rect().height().ceil() as u32);
            if height != last.replace(height) {
                this.post(&ToHost::Height { height });
            }
        });
        if let (Ok(resize), Some(root)) = (
            web_sys::ResizeObserver::new(observer.as_ref().unchecked_ref()),
            window.document().and_then(|d| d.document_element()),
        ) {
            resize.observe(&root);
            // Kept alive with the page, as the listener is.
            std::mem::forget(resize);
        }
        observer.forget();
    }
}
