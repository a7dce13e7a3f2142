//! An import run: one status per row, saved in this browser as it goes, worked through by
//! [`WORKERS`] workers, each row created exactly once by its `external_id`.

use crate::browser::sleep;
use crate::state::create::{create_account, find_created, new_external_id};
use crate::state::drafts;
use crate::transport::Transport;
use crate::tree::load::{reload_children_of, TreeStore};
use leptos::prelude::*;
use leptos::task::spawn_local;
use partner_api::csv::{parse_import, ImportRow};
use partner_api::{AccountId, ApiError, RegionId};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use std::rc::Rc;

/// Rows created at the same time.
const WORKERS: usize = 4;
/// Attempts per row for failures that may pass.
const ATTEMPTS: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Status {
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
pub(super) struct Job {
    pub csv: String,
    pub external_ids: Vec<String>,
    pub status: Vec<Status>,
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

pub(super) fn problems_text(row: &ImportRow) -> String {
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

/// Runs the job with [`WORKERS`] workers; `running` is true until the last one stops.
pub(super) fn run(
    store: TreeStore,
    transport: Transport,
    region: RegionId,
    parent: AccountId,
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
        // The run belongs to the import, not to a view: it goes on while the page shows.
        spawn_local(async move {
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
