//! The API password of the login the partner is signed in with. After a change the session
//! switches to the new password at once; the old one is gone from memory and storage.

use crate::components::field::TextField;
use crate::components::form::{checked, Form, FormDone, FormError, Refused};
use crate::components::submit::SubmitButton;
use crate::state::{use_session, use_transport};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::enterprise::account::{password_change_problems, SetPassword};
use partner_api::fields::Secret;
use partner_api::validate::password_strength;
use partner_api::RegionId;

#[component]
pub(super) fn PasswordForm(region: RegionId) -> impl IntoView {
    let transport = use_transport();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let form = Form::new(&[]);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(held) = session.credentials(&region) else {
            return;
        };
        let (transport, region) = (transport.clone(), region.clone());
        let to = region.clone();
        // The password goes only from an encrypted page to an encrypted address.
        let secure = transport.secure(&region, partner_api::Family::Enterprise);
        form.submit(
            || {
                secure.map_err(Refused::Form)?;
                let (c, n, a) = (
                    current.get_untracked(),
                    new.get_untracked(),
                    again.get_untracked(),
                );
                let found = password_change_problems(&held.password, &c, &n, &a);
                checked(n, found)
            },
            // The transport switches the session to the new password as soon as the region
            // takes it, even if this page is gone by then.
            move |n: String| async move {
                transport
                    .change_password(&to, SetPassword(Secret(n.clone())), n)
                    .await
            },
            move |answer| {
                answer?;
                for s in [current, new, again] {
                    s.set(String::new());
                }
                form.done
                    .set("Password changed. The portal uses the new one from now on.".into());
                Ok(())
            },
        );
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      autocomplete: &'static str| {
        view! { <TextField id=format!("pw-{id}") label value problem=form.problem(id) kind="password" autocomplete /> }
    };
    view! {
        <section aria-labelledby="password-title">
            <h2 id="password-title">"API password"</h2>
            <p>"The password of the login you are signed in with, for the API and the management console."</p>
            <form class="new-account" on:submit=submit novalidate>
                {field("current", "Current password", current, "current-password")}
                {field("new", "New password", new, "new-password")}
                <p class="hint" aria-live="polite">{move || password_strength(&new.get())}</p>
                {field("again", "New password again", again, "new-password")}
                <FormError form />
                <FormDone form />
                <div class="action-buttons">
                    <SubmitButton pending=form.pending label="Change password" busy="Changing…" />
                </div>
            </form>
        </section>
    }
}
