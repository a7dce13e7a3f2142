//! The API password of the login the partner is signed in with. After a change the session
//! switches to the new password at once; the old one is gone from memory and storage.

use crate::components::field::TextField;
use crate::components::form::{checked, Form, FormDone, FormError};
use crate::components::submit::SubmitButton;
use crate::state::{use_session, use_transport};
use crate::transport::Credentials;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use partner_api::enterprise::account::SetPassword;
use partner_api::fields::{FieldProblem, Secret};
use partner_api::validate::password_strength;
use partner_api::RegionId;

/// What must hold before a new password is sent: the current one typed right, the new one
/// long enough and different, and typed the same twice.
fn change_problems(held: &str, current: &str, new: &str, again: &str) -> Vec<FieldProblem> {
    let mut found = Vec::new();
    if current != held {
        found.push(FieldProblem {
            field: "current",
            message: "This is not your current password.".into(),
        });
    }
    if let Err(message) = partner_api::validate::password(new) {
        found.push(FieldProblem {
            field: "new",
            message,
        });
    } else if new == current {
        found.push(FieldProblem {
            field: "new",
            message: "The new password is the same as the current one.".into(),
        });
    }
    if again != new {
        found.push(FieldProblem {
            field: "again",
            message: "The two new passwords differ.".into(),
        });
    }
    found
}

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
        form.submit(
            || {
                let (c, n, a) = (
                    current.get_untracked(),
                    new.get_untracked(),
                    again.get_untracked(),
                );
                let found = change_problems(&held.password, &c, &n, &a);
                checked((n, held), found)
            },
            move |(n, held)| async move {
                transport.call(&to, &SetPassword(Secret(n.clone()))).await?;
                Ok((n, held))
            },
            move |answer| {
                let (n, held) = answer?;
                session.sign_in(
                    region,
                    Credentials {
                        password: n,
                        ..held
                    },
                );
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_needs_the_current_password_and_the_new_one_twice() {
        let fields = |p: Vec<FieldProblem>| p.into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert!(change_problems("old-secret", "old-secret", "new-secret", "new-secret").is_empty());
        assert_eq!(
            fields(change_problems("old-secret", "wrong", "short", "other")),
            ["current", "new", "again"]
        );
        assert_eq!(
            fields(change_problems(
                "old-secret",
                "old-secret",
                "old-secret",
                "old-secret"
            )),
            ["new"]
        );
    }
}
