//! Waiting for the page: every helper polls until what it waits for holds, and fails with
//! what it saw last once [`PATIENCE`] has run out.

use crate::Harness;
use fantoccini::elements::Element;
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// How long a test waits for the page to show something before failing.
pub const PATIENCE: Duration = Duration::from_secs(15);

impl Harness {
    /// Waits for an element.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css} on the page: {e}"))
    }

    /// Waits until the element's text contains `needle`; returns the whole text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(e) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = e.text().await {
                    if t.contains(needle) {
                        return t;
                    }
                    last = t;
                }
            }
            if Instant::now() > deadline {
                panic!("{css} never contained {needle:?}; last text: {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until any element matching `css` contains `needle` (several may match, some
    /// empty, such as live regions).
    pub async fn wait_any_text(&self, css: &str, needle: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let found = self
                .client
                .execute(
                    "return [...document.querySelectorAll(arguments[0])].some(e => e.textContent.includes(arguments[1]))",
                    vec![css.into(), needle.into()],
                )
                .await
                .unwrap_or_default();
            if found == serde_json::Value::Bool(true) {
                return;
            }
            if Instant::now() > deadline {
                panic!("no {css} ever contained {needle:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the tree's background calls are done: every account row shows its kind.
    /// After this, a sandbox fault meets only the calls a test makes.
    pub async fn wait_tree_settled(&self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let pending = self
                .client
                .execute("return [...document.querySelectorAll('[role=treeitem]:not(.region)')].filter(r => !r.querySelector('.mark.kind')).length", vec![])
                .await
                .expect("script runs");
            if pending == serde_json::json!(0) {
                return;
            }
            assert!(Instant::now() < deadline, "the tree never finished loading");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the path of the current URL is `path`.
    pub async fn wait_path(&self, path: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await.expect("url");
            if url.path() == path {
                return;
            }
            if Instant::now() > deadline {
                panic!("expected to be at {path}, still at {url}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the active row's text contains `needle`; returns its description.
    pub async fn wait_active(&self, needle: &str) -> serde_json::Value {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let row = self.active_row().await;
            if row["text"].as_str().is_some_and(|t| t.contains(needle)) {
                return row;
            }
            if Instant::now() > deadline {
                panic!("the active row never contained {needle:?}; it is {row}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
