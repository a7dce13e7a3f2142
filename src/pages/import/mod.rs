//! `/accounts/import?region=..&parent=..`: customer accounts from a CSV file.
//!
//! Every row is checked before anything is sent, and the problems are shown per row
//! ([`preview`]). Then the valid rows are created by four workers ([`job`]; the transport
//! also caps calls per region), each row exactly once by its `external_id` (from the file,
//! or generated and saved before the run). The run is saved in this browser as it goes, so a
//! reload or a lost connection resumes it: a row that was being sent when the page went away
//! is looked for before it is sent again. Rows that fail for a passing reason (503, a
//! dropped connection) are tried again, up to three times ([`progress`] shows it all).

mod job;
mod preview;
mod progress;

use crate::browser::download;
use crate::links;
use crate::state::{drafts, use_session, use_transport};
use crate::tree::load::use_tree;
use job::Job;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::csv::{import_template, parse_import, ImportRow};
use partner_api::{AccountId, RegionId};

#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| links::region_and_account(q, "parent"));
    move || match target() {
        Some((region, parent)) if session.is_signed_in(&region) => {
            view! { <Import region parent /> }.into_any()
        }
        _ => view! {
            <h1>"Import customer accounts"</h1>
            <p>"Open a partner account and use “Import customers from CSV”."</p>
        }
        .into_any(),
    }
}

/// Offers a CSV text as a file to save.
fn offer(name: &str, text: &str) {
    download(name, "text/csv", text);
}

#[component]
fn Import(region: RegionId, parent: AccountId) -> impl IntoView {
    let transport = use_transport();
    let store = use_tree();
    let key = format!("import.{region}.{parent}");
    let text = RwSignal::new(String::new());
    let checked = RwSignal::new(None::<Result<Vec<ImportRow>, String>>);
    let job = RwSignal::new(drafts::load::<Job>(&key));
    let running = RwSignal::new(false);
    let resumed_from_storage = job.with_untracked(|j| j.as_ref().is_some_and(|j| j.counts().3 > 0));

    let run: Callback<()> = {
        let (region, parent, key) = (region.clone(), parent.clone(), key.clone());
        Callback::new(move |_| {
            job::run(
                store,
                transport.clone(),
                region.clone(),
                parent.clone(),
                key.clone(),
                job,
                running,
            )
        })
    };
    let start: Callback<()> = {
        let key = key.clone();
        Callback::new(move |_| {
            let Some(Ok(rows)) = checked.get_untracked() else {
                return;
            };
            let j = Job::new(text.get_untracked(), &rows);
            drafts::save(&key, &j);
            job.set(Some(j));
            run.run(());
        })
    };
    let discard: Callback<()> = Callback::new(move |_| {
        drafts::discard(&key);
        job.set(None);
        checked.set(None);
    });

    view! {
        <h1>"Import customer accounts"</h1>
        <p>"Customer accounts are created under " <A href=links::account(&region, &parent)>"this account"</A> ". Each first user gets an activation email."</p>
        {resumed_from_storage.then(|| view! { <p class="draft-note" role="status">"An import that did not finish is back."</p> })}
        <Show when=move || job.with(Option::is_none)>
            {source(text, checked)}
            {move || checked.get().map(|result| preview::preview(result, start))}
        </Show>
        {move || job.get().map(|j| progress::progress(j, running, run, discard))}
    }
}

/// Where the rows come from: a file, or pasted; then checked.
fn source(
    text: RwSignal<String>,
    checked: RwSignal<Option<Result<Vec<ImportRow>, String>>>,
) -> impl IntoView {
    let read_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // A file's text is the browser's promise, not a region's call: no `Loaded` here.
        spawn_local(async move {
            if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                text.try_set(t.as_string().unwrap_or_default());
                checked.try_set(None);
            }
        });
    };
    let check = move |_| {
        checked.set(Some(
            parse_import(&text.get_untracked()).map_err(|e| e.to_string()),
        ));
    };
    view! {
        <div class="field">
            <label for="csv-file">"CSV file"</label>
            <input id="csv-file" type="file" accept=".csv,text/csv" on:change=read_file />
        </div>
        <div class="field wide">
            <label for="csv-text">"Or paste the rows"</label>
            <textarea id="csv-text" rows="8" prop:value=text on:input=move |ev| { text.set(event_target_value(&ev)); checked.set(None); }></textarea>
        </div>
        <div class="action-buttons">
            <button type="button" on:click=check>"Check rows"</button>
            <button type="button" on:click=move |_| offer("customers-template.csv", &import_template())>"Download the template"</button>
        </div>
    }
}
