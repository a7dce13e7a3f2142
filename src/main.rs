use partner_portal::transport::load_config;
use partner_portal::App;

fn main() {
    wasm_bindgen_futures::spawn_local(async {
        let config = load_config().await;
        // The static "Starting…" note in index.html gives way to the app.
        if let Some(boot) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("boot"))
        {
            boot.remove();
        }
        leptos::mount::mount_to_body(move || leptos::view! { <App config /> });
    });
}
