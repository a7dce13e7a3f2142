//! `/accounts/import?region=..&parent=..`: customer accounts from a CSV file.
//!
//! Every row is checked before anything is sent, and the problems are shown per row
//! ([`preview`]). Then the valid rows are created by four workers ([`run`]; the transport
//! also caps calls per region), each row exactly once: after any doubt it is looked for in
//! the parent's listing, and sent again only when the region does not list it
//! (`partner_api::accounts::once`); every row carries an `external_id` (from the file, or
//! generated and saved before the run) for the partner's own systems. The run is saved in
//! this browser as it goes, so a reload or a lost connection resumes it: a row that was being
//! sent when the page went away is looked for before it is sent again. Rows that were not
//! created for a passing reason (503, a dropped connection) are tried again, up to three
//! times ([`progress`] shows it all).

mod preview;
mod progress;
mod run;

use crate::browser::download;
use crate::links;
use crate::state::create::{new_external_id, since_now};
use crate::state::{drafts, use_session, use_transport};
use crate::tree::load::use_tree;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::csv::{import_template, parse_import, ImportRow};
use partner_api::{AccountId, RegionId};
use serde::{Deserialize, Serialize};

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

/// What one row of a run has come to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Not sent: the row has problems.
    Invalid(String),
    Pending,
    /// Being sent by a worker of this page.
    Sending,
    /// Was being sent when the page went away: looked for before it is sent again.
    Interrupted,
    Created(AccountId),
    Failed(String),
}

/// A run, saved in this browser as it goes (no passwords: imports have none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub csv: String,
    pub external_ids: Vec<String>,
    pub status: Vec<Status>,
    /// When the run began, less the clocks' difference: a row's account is looked for
    /// among accounts made since (`state::create::since_now`).
    #[serde(default)]
    pub since: String,
}

impl Job {
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let mut c = (0, 0, 0, 0);
        for s in &self.status {
            match s {
                Status::Created(_) => c.0 += 1,
                Status::Failed(_) => c.1 += 1,
                Status::Invalid(_) => c.2 += 1,
                Status::Pending | Status::Sending | Status::Interrupted => c.3 += 1,
            }
        }
        c
    }
}

fn problems_text(row: &ImportRow) -> String {
    row.problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Job {
    /// A run of the checked `rows` of `csv`: every row gets its external_id now (from the
    /// file, or generated), before anything is sent, so a resumed run sends the same one.
    pub fn new(csv: String, rows: &[ImportRow]) -> Self {
        Job {
            csv,
            external_ids: rows
                .iter()
                .map(|r| {
                    r.account
                        .external_id
                        .clone()
                        .unwrap_or_else(new_external_id)
                })
                .collect(),
            status: rows
                .iter()
                .map(|r| {
                    if r.problems.is_empty() {
                        Status::Pending
                    } else {
                        Status::Invalid(problems_text(r))
                    }
                })
                .collect(),
            since: since_now(),
        }
    }

    /// Rows still marked as being sent belong to a page that went away.
    pub fn interrupt_sending(&mut self) {
        for s in &mut self.status {
            if *s == Status::Sending {
                *s = Status::Interrupted;
            }
        }
    }

    /// The outcome of every row, as CSV.
    pub fn results_csv(&self, rows: &[ImportRow]) -> String {
        let mut out = vec![[
            "line",
            "login",
            "external_id",
            "result",
            "account",
            "message",
        ]
        .map(str::to_owned)
        .to_vec()];
        for ((r, s), ext) in rows.iter().zip(&self.status).zip(&self.external_ids) {
            let (result, account, message) = match s {
                Status::Created(id) => ("created", id.to_string(), String::new()),
                Status::Failed(m) => ("failed", String::new(), m.clone()),
                Status::Invalid(m) => ("not sent", String::new(), m.clone()),
                Status::Pending | Status::Sending | Status::Interrupted => {
                    ("not yet", String::new(), String::new())
                }
            };
            out.push(vec![
                r.line.to_string(),
                r.account.login.clone(),
                ext.clone(),
                result.into(),
                account,
                message,
            ]);
        }
        partner_api::csv::write(&out)
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
    // The run is this login's in this region, and goes when it signs out.
    let key = drafts::key(&use_session(), &region, &format!("import.{parent}"));
    let text = RwSignal::new(String::new());
    let checked = RwSignal::new(None::<Result<Vec<ImportRow>, String>>);
    let job = RwSignal::new(drafts::load::<Job>(&key));
    let running = RwSignal::new(false);
    // The run belongs to this page, not to the button that started it (the progress redraws).
    let owner = StoredValue::new(Owner::current());
    let resumed_from_storage = job.with_untracked(|j| j.as_ref().is_some_and(|j| j.counts().3 > 0));

    let run: Callback<()> = {
        let (region, parent, key) = (region.clone(), parent.clone(), key.clone());
        Callback::new(move |_| {
            run::run(
                owner.get_value(),
                store,
                transport.clone(),
                (region.clone(), parent.clone()),
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
        crate::task::spawn_in_view(async move {
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
