//! `/revisions`: devices per client revision, with the three filters, as a bar chart (SVG
//! drawn here) beside the table it is drawn from.

use crate::components::enterprise::{EnterpriseNav, EnterpriseRegion};
use crate::components::error_notice::ErrorNotice;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::revisions::{ClientRevision, ListClientRevisions};
use partner_api::RegionId;

#[component]
pub fn RevisionsPage() -> impl IntoView {
    let chosen = RwSignal::new(None::<RegionId>);
    view! {
        <h1>"Client revisions"</h1>
        <EnterpriseNav />
        <EnterpriseRegion chosen />
        {move || chosen.get().map(|region| view! { <Revisions region /> })}
    }
}

/// A whole number from a filter field, or `None` when empty or `-1` ("no bound").
fn bound(text: &str) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<i64>() {
        Ok(v) if v >= 0 => Ok(Some(v)),
        Ok(-1) => Ok(None),
        _ => Err(format!("“{t}” is not a whole number of zero or more.")),
    }
}

#[component]
fn Revisions(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let (min, max, days) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let applied = RwSignal::new(ListClientRevisions::default());
    let problem = RwSignal::new(String::new());
    let data = crate::resource::Loaded::new(move || {
        let (transport, region, call) = (transport.clone(), region.clone(), applied.get());
        async move { transport.call(&region, &call).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match (
            bound(&min.get_untracked()),
            bound(&max.get_untracked()),
            bound(&days.get_untracked()),
        ) {
            (Ok(a), Ok(b), Ok(c)) => {
                problem.set(String::new());
                applied.set(ListClientRevisions {
                    min_revision: a,
                    max_revision: b,
                    max_days_since_login: c,
                });
            }
            (a, b, c) => problem.set(
                [a.err(), b.err(), c.err()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
        }
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      value: RwSignal<String>| {
        let hint_id = format!("{id}-hint");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <p id=hint_id.clone() class="hint">{hint}</p>
                <input id=id type="text" inputmode="numeric" aria-describedby=format!("{hint_id} revisions-problem") prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let body = move || match data.get() {
        None => view! { <p role="status">"Loading…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| data.refetch() /> }.into_any(),
        Some(Ok(rows)) if rows.is_empty() => {
            view! { <p>"No devices match these filters."</p> }.into_any()
        }
        Some(Ok(rows)) => {
            view! { <div class="revisions">{chart(&rows)}{table(&rows)}</div> }.into_any()
        }
    };
    view! {
        <form class="filters" on:submit=apply novalidate>
            {field("min-revision", "Lowest revision", "Empty means 0.", min)}
            {field("max-revision", "Highest revision", "Empty means no upper bound.", max)}
            {field("max-days", "Signed in within (days)", "Empty means any time.", days)}
            <p id="revisions-problem" class="field-problem" role="alert">{move || problem.get()}</p>
            <button type="submit" class="primary">"Show"</button>
        </form>
        {body}
    }
}

/// A coordinate in whole user units: integer text keeps float formatting out of the bundle.
fn px(v: f64) -> String {
    (v.round() as i64).to_string()
}

/// Bars of device counts per revision; the numbers are in the table beside it.
fn chart(rows: &[ClientRevision]) -> impl IntoView {
    const W: f64 = 560.0;
    const H: f64 = 220.0;
    const PAD: f64 = 28.0;
    let most = rows.iter().map(|r| r.count).max().unwrap_or(1).max(1) as f64;
    let slot = (W - PAD) / rows.len() as f64;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let h = (r.count as f64 / most) * (H - 2.0 * PAD);
            let x = PAD + i as f64 * slot + slot * 0.15;
            let y = H - PAD - h;
            view! {
                <g class="bar">
                    <rect x=px(x) y=px(y) width=px(slot * 0.7) height=px(h)></rect>
                    <text x=px(x + slot * 0.35) y=px(H - PAD + 14.0) text-anchor="middle">{r.revision}</text>
                    <text x=px(x + slot * 0.35) y=px(y - 4.0) text-anchor="middle">{r.count}</text>
                </g>
            }
        })
        .collect_view();
    let total: u64 = rows.iter().map(|r| r.count).sum();
    view! {
        <svg class="chart" viewBox=format!("0 0 {} {}", px(W), px(H)) role="img" aria-labelledby="chart-title">
            <title id="chart-title">{format!("Devices per client revision: {total} devices in {} revisions; the table has the numbers.", rows.len())}</title>
            <line x1=px(PAD) y1=px(H - PAD) x2=px(W) y2=px(H - PAD) class="axis"></line>
            {bars}
        </svg>
    }
}

fn table(rows: &[ClientRevision]) -> impl IntoView {
    view! {
        <table class="users">
            <caption>"Devices per revision"</caption>
            <thead><tr><th scope="col">"Revision"</th><th scope="col">"Devices"</th></tr></thead>
            <tbody>{rows.iter().map(|r| view! { <tr><th scope="row">{r.revision}</th><td>{r.count}</td></tr> }).collect_view()}</tbody>
        </table>
    }
}
