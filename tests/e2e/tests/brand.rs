//! White-label: a second config.json re-brands the same dist/ (name, logo, favicon, colours,
//! support, hidden pages), themes switch and stick, and a failing colour pair is said in the
//! console.

use partner_e2e::seed::{DISTRIBUTOR, PASSWORD, REGION};
use partner_e2e::{sandbox_config, Harness, Launch, PortalConfig};

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40"><rect width="40" height="40" rx="8" fill="#6d28d9"/><text x="20" y="27" font-size="20" text-anchor="middle" fill="#fff">A</text></svg>"##;

fn acme(colors: serde_json::Value) -> PortalConfig {
    PortalConfig::Built(Box::new(move |sandbox| {
        let mut v: serde_json::Value = serde_json::from_str(&sandbox_config(sandbox)).unwrap();
        v["brand"] = serde_json::json!({
            "name": "Acme Backup",
            "logo": "acme/logo.svg",
            "favicon": "acme/logo.svg",
            "colors": colors,
            "support_email": "partners@acme.example",
            "support_url": "https://acme.example/help"
        });
        v["theme"] = "light".into();
        v["hide_pages"] = serde_json::json!(["billing", "revisions"]);
        v.to_string()
    }))
}

async fn computed(h: &Harness, css: &str, property: &str) -> String {
    h.client
        .execute(
            "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]",
            vec![css.into(), property.into()],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_config_rebrands_the_same_build() {
    let mut launch = Launch::new(acme(serde_json::json!({
        "accent": "#6d28d9", "on_accent": "#ffffff", "header": "#1e1b4b", "on_header": "#ffffff"
    })));
    launch
        .files
        .push(("acme/logo.svg".into(), LOGO.as_bytes().to_vec()));
    let h = Harness::launch(launch).await;
    h.open("/sign-in").await;
    h.wait_text("header .brand", "Acme Backup").await;
    assert_eq!(h.client.title().await.unwrap(), "Acme Backup");
    let logo = h.find("header .brand img").await;
    assert!(logo
        .attr("src")
        .await
        .unwrap()
        .unwrap()
        .ends_with("acme/logo.svg"));
    let loaded = h.js("const i = document.querySelector('header .brand img'); return i.complete && i.naturalWidth > 0").await;
    assert_eq!(loaded, true, "the logo loads");
    let icon = h
        .find("link[rel=icon]")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(icon, "acme/logo.svg");
    // The brand colours reach the page through the custom properties.
    assert_eq!(
        computed(&h, "header.top", "backgroundColor").await,
        "rgb(30, 27, 75)"
    );
    assert_eq!(
        computed(&h, "header .brand", "color").await,
        "rgb(255, 255, 255)"
    );
    assert_eq!(
        computed(&h, "form button[type=submit]", "backgroundColor").await,
        "rgb(109, 40, 217)"
    );
    // Support is offered; hidden pages are not linked, and say so when visited.
    let mail = h.find("footer a[href^='mailto:']").await;
    assert_eq!(
        mail.attr("href").await.unwrap().as_deref(),
        Some("mailto:partners@acme.example")
    );
    h.sign_in(REGION, DISTRIBUTOR, PASSWORD).await;
    h.find("[role=tree] [role=treeitem]").await;
    let nav = h.find("nav[aria-label=Main]").await.text().await.unwrap();
    assert!(
        nav.contains("Settings") && !nav.contains("Billing"),
        "{nav}"
    );
    h.js("window.scrollTo(0, 0)").await;
    h.screenshot("brand-acme").await;
    // The screenshot itself shows the brand: the header's colour, and the accent marking the
    // selected row of the tree.
    let spots = h
        .js(
            "const a = document.querySelector('header.top').getBoundingClientRect();
             const b = document.querySelector('.tree .row.selected').getBoundingClientRect();
             return [[a.left + 4, a.top + 4], [b.left + 1, b.top + b.height / 2]];",
        )
        .await;
    let spots: Vec<(f64, f64)> = serde_json::from_value(spots).unwrap();
    let pixels = h.screenshot_pixels(&spots).await;
    assert_eq!(pixels[0], [30, 27, 75], "the header in the screenshot");
    assert_eq!(
        pixels[1],
        [109, 40, 217],
        "the selected row's accent in the screenshot"
    );
    h.assert_accessible("the re-branded portal").await;
    h.open("/billing").await;
    h.wait_text("h1", "Not offered here").await;
    h.open("/settings").await;
    let subnav = h.find("nav.subnav").await.text().await.unwrap();
    assert!(
        subnav.contains("Shares") && !subnav.contains("Client revisions"),
        "{subnav}"
    );
    // No contrast warning for colours that pass.
    assert!(!h.console().await.iter().any(|l| l.contains("WCAG")));

    // Themes: the config's light, then dark chosen in the footer, kept through a reload.
    assert_eq!(
        computed(&h, "html", "backgroundColor").await,
        "rgb(255, 255, 255)"
    );
    h.choose("#theme", "dark").await;
    assert_eq!(
        computed(&h, "html", "backgroundColor").await,
        "rgb(13, 17, 23)"
    );
    h.client.refresh().await.unwrap();
    h.wait_text("h1", "Settings").await;
    assert_eq!(
        h.js("return document.documentElement.dataset.theme").await,
        "dark"
    );
    assert_eq!(
        computed(&h, "html", "backgroundColor").await,
        "rgb(13, 17, 23)"
    );
    h.screenshot("brand-acme-dark").await;
    h.assert_accessible("the re-branded portal, dark").await;
    h.finish().await;
}

/// The `system` theme follows the operating system's colour scheme, live.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_system_theme_follows_the_operating_system() {
    let h = Harness::start(PortalConfig::Sandbox).await;
    h.open("/sign-in").await;
    h.find("#login").await;
    assert_eq!(
        h.find("#theme")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("system")
    );
    h.emulate_color_scheme("dark").await;
    assert_eq!(
        computed(&h, "html", "backgroundColor").await,
        "rgb(13, 17, 23)"
    );
    h.assert_accessible("the sign-in page, dark").await;
    h.emulate_color_scheme("light").await;
    assert_eq!(
        computed(&h, "html", "backgroundColor").await,
        "rgb(255, 255, 255)"
    );
    // A choice in the footer wins over the system's.
    h.choose("#theme", "light").await;
    h.emulate_color_scheme("dark").await;
    assert_eq!(
        computed(&h, "html", "backgroundColor").await,
        "rgb(255, 255, 255)"
    );
    h.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn colours_that_fail_wcag_aa_are_said_in_the_console() {
    let h = Harness::launch(Launch::new(acme(serde_json::json!({
        "accent": "#ffcc00", "on_accent": "#ffffff"
    }))))
    .await;
    h.open("/sign-in").await;
    h.wait_text("header .brand", "Acme Backup").await;
    let warnings: Vec<String> = h
        .console()
        .await
        .into_iter()
        .filter(|l| l.starts_with("WARNING") && l.contains("WCAG AA"))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("text on the accent (#ffffff on #ffcc00)")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("the accent as link text")),
        "{warnings:?}"
    );
    h.finish().await;
}
