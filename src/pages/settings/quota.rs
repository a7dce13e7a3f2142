//! How much storage the partner has, has given out and has used.

use crate::components::error_notice::ErrorNotice;
use crate::components::format::human_bytes;
use crate::resource::Loaded;
use crate::state::use_transport;
use leptos::prelude::*;
use partner_api::enterprise::account::{GetQuota, Quota};
use partner_api::RegionId;

#[component]
pub(super) fn QuotaSection(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let quota = Loaded::new(move || {
        let (transport, region) = (transport.clone(), region.clone());
        async move { transport.call(&region, &GetQuota).await }
    });
    let body = move || match quota.get() {
        None => view! { <p role="status">"Loading the quota…"</p> }.into_any(),
        Some(Err(e)) => view! { <ErrorNotice error=e retry=move |_| quota.refetch() /> }.into_any(),
        Some(Ok(q)) => quota_view(&q).into_any(),
    };
    view! { <section aria-labelledby="quota-title"><h2 id="quota-title">"Quota"</h2>{body}</section> }
}

fn quota_view(q: &Quota) -> impl IntoView {
    let bar = |label: &'static str, value: u64, of: Option<u64>| {
        let text = match of {
            Some(total) if total > 0 => format!(
                "{} of {} ({}%)",
                human_bytes(value),
                human_bytes(total),
                value * 100 / total
            ),
            _ => human_bytes(value),
        };
        let (max, now) = match of {
            Some(total) if total > 0 => (total, value.min(total)),
            _ => (value.max(1), value),
        };
        view! {
            <div class="quota-bar">
                <span class="quota-label">{label}</span>
                <meter min="0" max=max.to_string() value=now.to_string() aria-label=label></meter>
                <span>{text}</span>
            </div>
        }
    };
    // Only what the region said: no figure for what is available is not "unlimited".
    let limit = q.available();
    let summary = match limit {
        Some(a) => format!("{} available to divide among your users.", human_bytes(a)),
        None => format!(
            "{} allocated to your users. The region gives no figure for what is available.",
            human_bytes(q.bytes_allocated)
        ),
    };
    view! {
        <p>{summary}</p>
        {bar("Allocated", q.bytes_allocated, limit)}
        {bar("Used", q.bytes_used, limit.or(Some(q.bytes_allocated)))}
        <p>{format!("{} shares · {} devices", q.share_count, q.device_count)}</p>
    }
}
