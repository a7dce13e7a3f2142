//! The checked rows, before anything is sent: what each asks for and its problems.

use super::problems_text;
use leptos::prelude::*;
use partner_api::csv::ImportRow;

pub(super) fn preview(
    result: Result<Vec<ImportRow>, String>,
    start: Callback<()>,
) -> impl IntoView {
    let rows = match result {
        Err(e) => return view! { <p role="alert" class="field-problem">{e}</p> }.into_any(),
        Ok(rows) => rows,
    };
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
            <button type="button" class="primary" on:click=move |_| start.run(()) aria-disabled=(good == 0).to_string()>
                {format!("Create {good} accounts")}
            </button>
        </div>
    }
    .into_any()
}
