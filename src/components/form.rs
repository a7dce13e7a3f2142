//! One form machinery for every form and action button: [`Form`] holds what every form has
//! (a call under way, problems by field, an error that is no field's, what was done), and
//! [`Form::submit`] is the submit sequence, written once: ignore a second press, check with
//! the core's validation, send, hand the answer to the page, free the form again.

use crate::components::error_notice::ErrorNotice;
use crate::components::field::problem_for;
use leptos::prelude::*;
use partner_api::fields::FieldProblem;
use partner_api::ApiError;
use std::future::Future;
use std::pin::Pin;

/// Why a form was not sent: problems on its fields, or one with the form as a whole.
#[derive(Debug, Clone)]
pub enum Refused {
    Fields(Vec<FieldProblem>),
    Form(ApiError),
}

/// `value` when the core found no `problems` with it.
pub fn checked<V>(value: V, problems: Vec<FieldProblem>) -> Result<V, Refused> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(Refused::Fields(problems))
    }
}

/// A refusal of the form as a whole, said where its errors are.
pub fn refuse<V>(why: impl Into<String>) -> Result<V, Refused> {
    Err(Refused::Form(ApiError::NotAvailable(why.into())))
}

/// The state of one form. `Copy`: handlers take it by value.
#[derive(Clone, Copy)]
pub struct Form {
    /// A call is under way: the submit button says so and a second press is ignored.
    pub pending: RwSignal<bool>,
    /// Problems with fields, each said beside its field.
    pub problems: RwSignal<Vec<FieldProblem>>,
    /// What went wrong that is no field's, said above the buttons.
    pub error: RwSignal<Option<ApiError>>,
    /// What was done, said in a status line.
    pub done: RwSignal<String>,
    /// The fields a region's 400 may name, whose problems go back beside them.
    fields: &'static [&'static str],
    /// The view the form was made in: its calls belong to it, not to whichever part of it
    /// (a button inside a list that redraws) started them.
    owner: StoredValue<Option<Owner>>,
}

impl Form {
    /// A form whose fields a 400 may name are `fields` (the wire names the core uses).
    pub fn new(fields: &'static [&'static str]) -> Self {
        Form {
            pending: RwSignal::new(false),
            problems: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            done: RwSignal::new(String::new()),
            fields,
            owner: StoredValue::new(Owner::current()),
        }
    }

    /// The problem said beside `field`.
    pub fn problem(self, field: &'static str) -> Signal<Option<String>> {
        problem_for(self.problems, field)
    }

    /// Puts one problem on `field` (a 409 that names it, say).
    pub fn put(self, field: &'static str, message: String) {
        self.problems.set(vec![FieldProblem { field, message }]);
    }

    /// Says a failure: a 400's problems beside the fields it names, the rest above the
    /// buttons.
    pub fn fail(self, error: ApiError) {
        let (named, rest) = error.on_fields(self.fields);
        self.problems.set(named);
        self.error.set(rest);
    }

    /// The submit sequence. While a call is under way, does nothing. Otherwise runs `check`
    /// (the core's validation of what was typed): its problems are shown and nothing is
    /// sent; or what it made is sent with `send`, and the answer goes to `then`, which
    /// handles what the page knows about (success, a conflict on a field) and gives back
    /// the errors it does not, for [`Form::fail`]. The form is free again afterwards.
    pub fn submit<V, T: 'static, F>(
        self,
        check: impl FnOnce() -> Result<V, Refused>,
        send: impl FnOnce(V) -> F,
        then: impl FnOnce(Result<T, ApiError>) -> Result<(), ApiError> + 'static,
    ) where
        F: Future<Output = Result<T, ApiError>> + 'static,
    {
        if !self.begin() {
            return;
        }
        match check() {
            Ok(value) => {
                let call = send(value);
                // Only this is per form; the rest of the sequence is in the bundle once.
                self.run(Box::pin(async move {
                    let answer = call.await;
                    // The page may have gone while the call was out (its signals with it):
                    // then there is no one to tell.
                    if self.pending.is_disposed() {
                        return Ok(());
                    }
                    then(answer)
                }));
            }
            Err(why) => self.refused(why),
        }
    }

    /// The start of every submit: false while a call is under way.
    fn begin(self) -> bool {
        if self.pending.get_untracked() {
            return false;
        }
        self.done.set(String::new());
        true
    }

    /// Says why the form was not sent.
    fn refused(self, why: Refused) {
        match why {
            Refused::Fields(problems) => self.problems.set(problems),
            Refused::Form(error) => {
                self.problems.set(Vec::new());
                self.error.set(Some(error));
            }
        }
    }

    /// Sends: the form is busy until `call` is done, then says what it left unhandled. The
    /// call belongs to the view the form was made in: leaving the page drops it and aborts
    /// its requests (`crate::task`), except a write already sent, which the transport lets
    /// finish.
    fn run(self, call: Pin<Box<dyn Future<Output = Result<(), ApiError>>>>) {
        self.problems.set(Vec::new());
        self.error.set(None);
        self.pending.set(true);
        let owner = self.owner.try_get_value().flatten();
        crate::task::spawn_in(owner.as_ref(), async move {
            let outcome = call.await;
            if self.pending.is_disposed() {
                return;
            }
            if let Err(e) = outcome {
                self.fail(e);
            }
            self.pending.set(false);
        });
    }

    /// [`Form::submit`] for an action with nothing to check: a button, not a form.
    pub fn act<T: 'static, F>(
        self,
        send: impl FnOnce() -> F,
        then: impl FnOnce(Result<T, ApiError>) -> Result<(), ApiError> + 'static,
    ) where
        F: Future<Output = Result<T, ApiError>> + 'static,
    {
        self.submit(|| Ok(()), |()| send(), then);
    }
}

/// The form's error, if any, with "Try again" when `retry` is given and can help.
#[component]
pub fn FormError(form: Form, #[prop(optional, into)] retry: Option<Callback<()>>) -> impl IntoView {
    move || {
        form.error.get().map(|error| match retry {
            Some(retry) => view! { <ErrorNotice error retry /> }.into_any(),
            None => view! { <ErrorNotice error /> }.into_any(),
        })
    }
}

/// What the form did, in a status line screen readers hear.
#[component]
pub fn FormDone(form: Form) -> impl IntoView {
    view! { <p role="status" class="action-done">{move || form.done.get()}</p> }
}
