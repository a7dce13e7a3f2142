//! Exports the account and everything below it as CSV: id, kind, name, email, company,
//! created, status, region, parent. Open to every role: it only reads.

use crate::browser::download;
use crate::components::form::Form;
use crate::state::account::export_rows;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::{AccountId, RegionId};

#[component]
pub(super) fn ExportSubtree(region: RegionId, id: AccountId, name: String) -> impl IntoView {
    let transport = use_transport();
    let form = Form::new(&[]);
    let export = move |_| {
        let (transport, region, id, name) =
            (transport.clone(), region.clone(), id.clone(), name.clone());
        let file = format!("accounts-{region}-{id}.csv");
        form.act(
            move || async move {
                let found = |n: usize| form.done.set(format!("Found {n} accounts…"));
                export_rows(&transport, &region, &id, &name, found).await
            },
            move |answer| {
                // Said in the status line, like the progress before it.
                match answer {
                    Ok(rows) => {
                        download(&file, "text/csv", &partner_api::csv::write(&rows));
                        form.done
                            .set(format!("Exported {} accounts.", rows.len() - 1));
                    }
                    Err(e) => form.done.set(format!("The export stopped: {e}")),
                }
                Ok(())
            },
        );
    };
    view! {
        <p class="export">
            <button type="button" on:click=export aria-disabled=move || form.pending.get().to_string()>
                {move || if form.pending.get() { "Exporting…" } else { "Export this account and everything below it (CSV)" }}
            </button>
            " "
            <span role="status">{move || form.done.get()}</span>
        </p>
    }
}
