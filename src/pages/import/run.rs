//! An import run: the job's pending rows worked through by [`WORKERS`] workers, each row
//! created exactly once (`state::create`: looked for in the parent's listing after any
//! doubt, sent again only when it was not created), the job saved in this browser as it goes.

use super::{Job, Status};
use crate::browser::sleep;
use crate::state::create::create_once;
use crate::state::drafts;
use crate::transport::Transport;
use crate::tree::load::{reload_children_of, TreeStore};
use leptos::prelude::*;
use partner_api::csv::{parse_import, ImportRow};
use partner_api::{AccountId, ApiError, RegionId};
use std::cell::Cell;
use std::rc::Rc;

/// Rows created at the same time.
const WORKERS: usize = 4;
/// Attempts per row for failures that may pass.
const ATTEMPTS: u32 = 3;

/// Runs the job with [`WORKERS`] workers; `running` is true until the last one stops.
///
/// The workers belong to the import page (`owner`, its view): leaving it drops them where
/// they wait, which aborts their reads and the creates still queued. A create already sent
/// is let finish by the transport, and its row stays marked as being sent in the saved
/// job, so the next visit looks for it in the parent's listing before sending it again
/// (`Job::interrupt_sending`, `state::create`): each row is still created at most once.
pub(super) fn run(
    owner: Option<Owner>,
    store: TreeStore,
    transport: Transport,
    (region, parent): (RegionId, AccountId),
    key: String,
    job: RwSignal<Option<Job>>,
    running: RwSignal<bool>,
) {
    if running.get_untracked() {
        return;
    }
    let Some(rows) = job.with_untracked(|j| j.as_ref().and_then(|j| parse_import(&j.csv).ok()))
    else {
        return;
    };
    job.update(|j| {
        if let Some(j) = j.as_mut() {
            j.interrupt_sending();
        }
    });
    save(&key, job);
    running.set(true);
    let remaining = Rc::new(Cell::new(WORKERS));
    for _ in 0..WORKERS {
        let (transport, region, parent, key, rows, remaining) = (
            transport.clone(),
            region.clone(),
            parent.clone(),
            key.clone(),
            rows.clone(),
            remaining.clone(),
        );
        crate::task::spawn_in(owner.as_ref(), async move {
            worker(&transport, &region, &parent, &key, &rows, job).await;
            remaining.set(remaining.get() - 1);
            if remaining.get() == 0 {
                running.try_set(false);
                reload_children_of(store, transport.clone(), &region, &parent);
            }
        });
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
        account.external_id = job
            .try_with_untracked(|j| j.as_ref().map(|j| j.external_ids[i].clone()))
            .flatten();
        let since = job
            .try_with_untracked(|j| j.as_ref().map(|j| j.since.clone()))
            .flatten()
            .unwrap_or_default();

        // A row that was being sent when the page went away is looked for first; a row is
        // sent again only while the region's listing says it was not created.
        let mut outcome =
            create_once(transport, region, parent, &account, &since, was_sending).await;
        let mut attempt = 1;
        while matches!(outcome, Err(ApiError::NotCreated(_))) && attempt < ATTEMPTS {
            sleep(400 * 2i32.pow(attempt - 1)).await;
            attempt += 1;
            outcome = create_once(transport, region, parent, &account, &since, false).await;
        }
        job.try_update(|j| {
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

/// Keeps the run in this browser. After an await the page may be gone: then there is
/// nothing left to keep from here (what was kept before stays).
pub(super) fn save(key: &str, job: RwSignal<Option<Job>>) {
    job.try_with_untracked(|j| {
        if let Some(j) = j {
            drafts::save(key, j);
        }
    });
}
