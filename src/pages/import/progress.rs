//! A run as it goes: progress, counts, what failed and why, resuming, and the results file.

use super::{offer, Job, Status};
use leptos::prelude::*;
use partner_api::csv::parse_import;

pub(super) fn progress(
    job: Job,
    running: RwSignal<bool>,
    run: Callback<()>,
    discard: Callback<()>,
) -> impl IntoView {
    let (created, failed, invalid, left) = job.counts();
    let total = job.status.len();
    let done = total - left;
    let rows = parse_import(&job.csv).unwrap_or_default();
    let results_csv = job.results_csv(&rows);
    let reported = rows
        .iter()
        .zip(&job.status)
        .filter_map(|(r, s)| match s {
            Status::Failed(m) | Status::Invalid(m) => {
                Some(view! { <li>{format!("Line {} ({}): {m}", r.line, r.account.login)}</li> })
            }
            _ => None,
        })
        .collect_view();
    let unfinished = left > 0;
    view! {
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
                    <button type="button" on:click=move |_| discard.run(())>"Start another import"</button>
                </Show>
            </div>
        </section>
    }
}
