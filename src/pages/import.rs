//! `/accounts/import?region=..&parent=..`: customer accounts from a CSV file.
//!
//! Every row is checked before anything is sent, and the problems are shown per row. Then
//! the valid rows are created by four workers (the transport also caps calls per region),
//! each row exactly once by its `external_id` (from the file, or generated and saved before
//! the run). The run is saved in this browser as it goes, so a reload or a lost connection
//! resumes it: a row that was being sent when the page went away is looked for before it is
//! sent again. Rows that fail for a passing reason (503, a dropped connection) are tried
//! again, up to three times.

use crate::create::{create_account, find_created, new_external_id};
use crate::state::{drafts, use_session, use_transport};
use crate::transport::Transport;
use crate::tree::load::{reload_children_of, sleep, use_tree};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::csv::{import_template, parse_import, ImportRow};
use partner_api::{AccountId, ApiError, RegionId};
use serde::{Deserialize, Serialize};

/// Rows created at the same time.
const WORKERS: usize = 4;
/// Attempts per row for failures that may pass.
const ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Status {
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
struct Job {
    csv: String,
    external_ids: Vec<String>,
    status: Vec<Status>,
}

impl Job {
    fn counts(&self) -> (usize, usize, usize, usize) {
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

#[component]
pub fn ImportPage() -> impl IntoView {
    let query = use_query_map();
    let session = use_session();
    let target = move || query.with(|q| super::region_and_account(q, "parent"));
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

/// Offers a text as a file to save.
fn offer(name: &str, text: &str) {
    crate::pages::access::download(name, "text/csv", text);
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

    let check = move |_| {
        checked.set(Some(
            parse_import(&text.get_untracked()).map_err(|e| e.to_string()),
        ));
    };

    let run: Callback<()> = {
        let (transport, region, parent, key) = (
            transport.clone(),
            region.clone(),
            parent.clone(),
            key.clone(),
        );
        Callback::new(move |_| {
            if running.get_untracked() {
                return;
            }
            let Some(current) = job.get_untracked() else {
                return;
            };
            let Ok(rows) = parse_import(&current.csv) else {
                return;
            };
            // Rows still marked as being sent belong to a page that went away.
            job.update(|j| {
                if let Some(j) = j.as_mut() {
                    for s in &mut j.status {
                        if *s == Status::Sending {
                            *s = Status::Interrupted;
                        }
                    }
                }
            });
            save(&key, job);
            running.set(true);
            let remaining = std::rc::Rc::new(std::cell::Cell::new(WORKERS));
            for _ in 0..WORKERS {
                let (transport, region, parent, key, rows, remaining) = (
                    transport.clone(),
                    region.clone(),
                    parent.clone(),
                    key.clone(),
                    rows.clone(),
                    remaining.clone(),
                );
                spawn_local(async move {
                    worker(&transport, &region, &parent, &key, &rows, job).await;
                    remaining.set(remaining.get() - 1);
                    if remaining.get() == 0 {
                        running.set(false);
                        reload_children_of(store, transport.clone(), &region, &parent);
                    }
                });
            }
        })
    };

    let start = {
        let key = key.clone();
        move |_| {
            let Some(Ok(rows)) = checked.get_untracked() else {
                return;
            };
            let csv = text.get_untracked();
            let external_ids = rows
                .iter()
                .map(|r| {
                    r.account
                        .external_id
                        .clone()
                        .unwrap_or_else(new_external_id)
                })
                .collect();
            let status = rows
                .iter()
                .map(|r| {
                    if r.problems.is_empty() {
                        Status::Pending
                    } else {
                        Status::Invalid(problems_text(r))
                    }
                })
                .collect();
            let j = Job {
                csv,
                external_ids,
                status,
            };
            drafts::save(&key, &j);
            job.set(Some(j));
            run.run(());
        }
    };

    let discard = {
        let key = key.clone();
        move |_| {
            drafts::discard(&key);
            job.set(None);
            checked.set(None);
        }
    };

    let preview = move || {
        let result = checked.get()?;
        Some(match result {
            Err(e) => view! { <p role="alert" class="field-problem">{e}</p> }.into_any(),
            Ok(rows) => {
                let bad = rows.iter().filter(|r| !r.problems.is_empty()).count();
                let good = rows.len() - bad;
                let table = rows
                    .iter()
                    .map(|r| {
                        let state = if r.problems.is_empty() {
                            "Ready".to_owned()
                        } else {
                            problems_text(r)
                        };
                        view! {
                            <tr class=if r.problems.is_empty() { "" } else { "problem" }>
                                <th scope="row">{r.line}</th>
                                <td>{r.account.login.clone()}</td>
                                <td>{r.account.company_name.clone().unwrap_or_default()}</td>
                                <td>{state}</td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <p role="status" class="import-summary">{format!("{good} rows ready, {bad} with problems (they will not be sent).")}</p>
                    <table class="users">
                        <caption>"What the file asks for"</caption>
                        <thead><tr><th scope="col">"Line"</th><th scope="col">"Login"</th><th scope="col">"Company"</th><th scope="col">"Check"</th></tr></thead>
                        <tbody>{table}</tbody>
                    </table>
                    <div class="action-buttons">
                        <button type="button" class="primary" on:click=start.clone() aria-disabled=(good == 0).to_string()>
                            {format!("Create {good} accounts")}
                        </button>
                    </div>
                }
                .into_any()
            }
        })
    };

    let progress = move || {
        let j = job.get()?;
        let (created, failed, invalid, left) = j.counts();
        let total = j.status.len();
        let done = total - left;
        let rows = parse_import(&j.csv).unwrap_or_default();
        let results_csv = {
            let mut out = vec![vec![
                "line".to_owned(),
                "login".into(),
                "external_id".into(),
                "result".into(),
                "account".into(),
                "message".into(),
            ]];
            for ((r, s), ext) in rows.iter().zip(&j.status).zip(&j.external_ids) {
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
        };
        let reported = rows
            .iter()
            .zip(&j.status)
            .filter_map(|(r, s)| match s {
                Status::Failed(m) | Status::Invalid(m) => {
                    Some(view! { <li>{format!("Line {} ({}): {m}", r.line, r.account.login)}</li> })
                }
                _ => None,
            })
            .collect_view();
        let unfinished = left > 0;
        let (run, discard) = (run, discard.clone());
        Some(view! {
            <section class="import-run" aria-labelledby="run-title">
                <h2 id="run-title">"Import"</h2>
                <progress max=total.to_string() value=done.to_string() aria-label="Import progress"></progress>
                <p role="status" class="import-counts">
                    {format!("{created} created, {failed} failed, {invalid} not sent (problems in the file), {left} to go.")}
                </p>
                <Show when=move || unfinished && !running.get()>
                    <p>"This import was interrupted. Resuming never creates an account twice."</p>
                    <button type="button" class="primary" on:click=move |_| run.run(())>"Resume import"</button>
                </Show>
                <ul class="reported">{reported}</ul>
                <div class="action-buttons">
                    <button type="button" on:click=move |_| offer("import-results.csv", &results_csv)>"Download results (CSV)"</button>
                    <Show when=move || !running.get()>
                        <button type="button" on:click=discard.clone()>"Start another import"</button>
                    </Show>
                </div>
            </section>
        })
    };

    let back = format!("/accounts/{region}/{parent}");
    view! {
        <h1>"Import customer accounts"</h1>
        <p>"Customer accounts are created under " <A href=back.clone()>"this account"</A> ". Each first user gets an activation email."</p>
        {resumed_from_storage.then(|| view! { <p class="draft-note" role="status">"An import that did not finish is back."</p> })}
        <Show when=move || job.with(Option::is_none)>
            <div class="field">
                <label for="csv-file">"CSV file"</label>
                <input id="csv-file" type="file" accept=".csv,text/csv" on:change=move |ev| {
                    use wasm_bindgen::JsCast;
                    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
                    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
                    spawn_local(async move {
                        if let Ok(t) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                            text.set(t.as_string().unwrap_or_default());
                            checked.set(None);
                        }
                    });
                } />
            </div>
            <div class="field wide">
                <label for="csv-text">"Or paste the rows"</label>
                <textarea id="csv-text" rows="8" prop:value=text on:input=move |ev| { text.set(event_target_value(&ev)); checked.set(None); }></textarea>
            </div>
            <div class="action-buttons">
                <button type="button" on:click=check>"Check rows"</button>
                <button type="button" on:click=move |_| offer("customers-template.csv", &import_template())>"Download the template"</button>
            </div>
            {preview.clone()}
        </Show>
        {progress}
    }
}

/// Takes pending rows one at a time until none are left.
async fn worker(
    transport: &Transport,
    region: &RegionId,
    parent: &AccountId,
    key: &str,
    rows: &[ImportRow],
    job: RwSignal<Option<Job>>,
) {
    loop {
        // Claim the next row: pending, or interrupted by a page that went away (never one
        // another worker is sending).
        let claimed = job.try_update(|j| {
            let j = j.as_mut()?;
            let i = j
                .status
                .iter()
                .position(|s| matches!(s, Status::Pending | Status::Interrupted))?;
            let was_sending = j.status[i] == Status::Interrupted;
            j.status[i] = Status::Sending;
            Some((i, was_sending))
        });
        let Some(Some((i, was_sending))) = claimed else {
            return;
        };
        save(key, job);
        let mut account = rows[i].account.clone();
        account.external_id = job.with_untracked(|j| j.as_ref().map(|j| j.external_ids[i].clone()));
        let external_id = account.external_id.clone().unwrap_or_default();
        let emails: Vec<&str> = [Some(account.login.as_str()), account.email.as_deref()]
            .into_iter()
            .flatten()
            .collect();

        let mut outcome = Err(ApiError::NotAvailable("not tried".into()));
        if was_sending {
            if let Ok(Some(id)) =
                find_created(transport, region, parent, &external_id, &emails).await
            {
                outcome = Ok(id);
            }
        }
        let mut attempt = 0;
        while outcome.is_err() && attempt < ATTEMPTS {
            if attempt > 0 {
                sleep(400 * 2i32.pow(attempt - 1)).await;
            }
            attempt += 1;
            outcome = create_account(transport, region, parent, &account).await;
            if matches!(&outcome, Err(e) if !e.is_retryable()) {
                break;
            }
        }
        job.update(|j| {
            if let Some(j) = j.as_mut() {
                j.status[i] = match outcome {
                    Ok(id) => Status::Created(id),
                    Err(e) => Status::Failed(e.to_string()),
                };
            }
        });
        save(key, job);
    }
}

fn save(key: &str, job: RwSignal<Option<Job>>) {
    job.with_untracked(|j| {
        if let Some(j) = j {
            drafts::save(key, j);
        }
    });
}
