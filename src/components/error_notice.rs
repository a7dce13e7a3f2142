//! An [`ApiError`] in words, where it happened, with the way forward: try again, or sign in
//! again for a 401.

use leptos::prelude::*;
use partner_api::{ApiError, RegionId};

/// Shows `error` with a "Try again" button when `retry` is given and a retry can help, and a
/// sign-in link when the region no longer accepts the credentials.
#[component]
pub fn ErrorNotice(
    error: ApiError,
    /// The region the call went to, for the sign-in link.
    #[prop(optional)]
    region: Option<RegionId>,
    /// Runs the failed call again.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let sign_in = error.needs_sign_in().then(|| {
        let href = crate::links::sign_in(region.as_ref(), &crate::browser::location());
        view! { <a href=href>"Sign in again"</a> }
    });
    let retry = retry.filter(|_| error.is_retryable()).map(|retry| {
        view! {
            <button type="button" on:click=move |_| retry.run(())>
                "Try again"
            </button>
        }
    });
    view! {
        <div class="error-notice" role="alert">
            <p>{error.to_string()}</p>
            {sign_in}
            {retry}
        </div>
    }
}
