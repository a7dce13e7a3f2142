//! Creating an account exactly once, on documented behaviour only. Keepit documents a 201
//! with no body for `POST /users/{parent}/users`, no error bodies, and an `external_id` that
//! is "a utility field for provisioning systems": nothing says a region refuses a reused one,
//! and the documented settings (`GET /users/{id}`) do not carry it. What a client can rely on
//! is the parent's documented children listing (v1): each row's `email` (the primary
//! contact's: the create's `email`, else its login, as the create page documents),
//! `full_name`, `company_name` and `created`.
//!
//! So the rule: after any doubt (no answer, a timeout, a 5xx, an unreadable answer), after a
//! 201 (to learn the id) and after a 409, look in that listing first; never send again on a
//! 409; and say what is known: created (the id), not created and safe to send again
//! ([`ApiError::NotCreated`]), or that it may exist and how to check ([`ApiError::MayExist`]).
//! A 409 is looked up too because the portal may not know of its own doubt: a browser may
//! resend a request whose connection broke before the answer, and the resend then meets the
//! account the first one made.
//! Pure: the caller sends the create and the listing, and hands the answers here.

use super::children::{ChildList, ChildSummary};
use super::users::UserCreate;
use crate::error::ApiError;
use crate::ids::AccountId;

impl UserCreate {
    /// The email the parent's listing shows for the new account: the contact email, else
    /// the login ("if no separate email is supplied, login will be used for primary email").
    pub fn listed_email(&self) -> &str {
        self.email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .unwrap_or(self.login.trim())
    }

    /// Whether `row` of the parent's listing can be this create's account: the same email
    /// (any case), the same names where the create gave them, and created no earlier than
    /// `since` (ISO-8601 UTC, compared to the second) when given.
    pub fn is_listed_as(&self, row: &ChildSummary, since: Option<&str>) -> bool {
        let same = |sent: &Option<String>, listed: &Option<String>| {
            sent.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .is_none_or(|s| listed.as_deref().map(str::trim) == Some(s))
        };
        let second = |t: &str| t.get(..19).unwrap_or(t).to_owned();
        row.email
            .as_deref()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(self.listed_email()))
            && same(&self.full_name, &row.full_name)
            && same(&self.company_name, &row.company_name)
            && match (since, row.created.as_deref()) {
                (Some(since), Some(created)) => second(created) >= second(since),
                _ => true,
            }
    }
}

/// Whether an answer to a create leaves the portal not knowing if the account was made.
pub fn in_doubt(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Network(_)
            | ApiError::Timeout(_)
            | ApiError::Unavailable { .. }
            | ApiError::Malformed(_)
            | ApiError::Status { .. }
    )
}

/// Whether the parent's listing must be read before anything is said: after a 201 (for the
/// id), after any doubt, and after a 409 (an earlier attempt, or the browser resending a
/// request whose connection broke, may have made it). Not after a refusal.
pub fn must_look(answer: &Result<(), ApiError>) -> bool {
    answer
        .as_ref()
        .err()
        .is_none_or(|e| in_doubt(e) || matches!(e, ApiError::Conflict { .. }))
}

/// Why the listing is read.
enum Why {
    /// A 2xx: the id is wanted.
    Accepted,
    /// No usable answer; what went wrong.
    Doubt(String),
    /// A 409 with the region's text. Never sent again, whatever the listing says.
    Conflict(String),
}

/// What is known of `account` after its create was answered with `answer` and, when
/// [`must_look`] said so, the parent's listing was read (`listing`). `since` is the
/// earliest creation time the new account can have (the attempt's start, less the clock
/// difference allowed for).
pub fn outcome(
    account: &UserCreate,
    since: Option<&str>,
    answer: Result<(), ApiError>,
    listing: Option<Result<ChildList, ApiError>>,
) -> Result<AccountId, ApiError> {
    let why = match answer {
        Ok(()) => Why::Accepted,
        Err(ApiError::Conflict { message, .. }) => Why::Conflict(message),
        Err(e) if in_doubt(&e) => Why::Doubt(e.to_string()),
        Err(e) => return Err(e),
    };
    match listing {
        Some(listing) => decide(account, since, why, listing),
        None => Err(ApiError::NotAvailable(
            "The parent's sub-accounts were not read.".into(),
        )),
    }
}

/// What is known of `account` when a send of it may have gone out but its answer never
/// came (the page was closed while it was under way): the parent's listing decides, as
/// after a lost answer.
pub fn resumed(
    account: &UserCreate,
    since: Option<&str>,
    listing: Result<ChildList, ApiError>,
) -> Result<AccountId, ApiError> {
    let why = Why::Doubt("An earlier send of this account was interrupted.".into());
    decide(account, since, why, listing)
}

/// How to check by hand.
fn check(account: &UserCreate) -> String {
    format!(
        "Open the parent's sub-accounts and look for {} before you send it again; the portal will not send it again by itself.",
        account.listed_email()
    )
}

/// The listing read after `why`.
fn decide(
    account: &UserCreate,
    since: Option<&str>,
    why: Why,
    listing: Result<ChildList, ApiError>,
) -> Result<AccountId, ApiError> {
    let email = account.listed_email();
    let (said, not_listed) = match why {
        Why::Accepted => (
            "The region accepted the account.".to_owned(),
            ApiError::MayExist(format!(
                "The region accepted the account but does not list it under the parent yet. Reload the parent's sub-accounts in a moment and look for {email}; do not send it again."
            )),
        ),
        Why::Doubt(d) => (d.clone(), ApiError::NotCreated(d)),
        Why::Conflict(text) => {
            let said = format!(
                "The region answered 409 (conflict): “{text}”. The account may exist already (an earlier attempt may have gone through, or the login is taken)."
            );
            (said.clone(), ApiError::MayExist(format!("{said} {}", check(account))))
        }
    };
    let listing = match listing {
        Ok(list) => list,
        Err(look) => {
            return Err(ApiError::MayExist(format!(
                "{said} Whether the account was created is not known: the portal could not read the parent's sub-accounts ({look}). {}",
                check(account)
            )));
        }
    };
    let found: Vec<&ChildSummary> = listing
        .children
        .iter()
        .filter(|row| account.is_listed_as(row, since))
        .collect();
    match found.as_slice() {
        [row] => Ok(row.id.clone()),
        // A row the listing could not read may be this account: "not created" is not known.
        [] if listing.unreadable > 0 => Err(ApiError::MayExist(format!(
            "{said} The parent's sub-accounts include {} the portal could not read; one of them may be this account. {}",
            listing.unreadable,
            check(account)
        ))),
        [] => Err(not_listed),
        rows => Err(ApiError::MayExist(format!(
            "The parent lists {} accounts for {email} made since the attempt began; one of them may be this one. {}",
            rows.len(),
            check(account)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn create() -> UserCreate {
        UserCreate {
            login: "it@bageri.example".into(),
            company_name: Some("Amager Bageri".into()),
            ..UserCreate::default()
        }
    }

    fn row(id: &str, email: &str, company: Option<&str>, created: &str) -> ChildSummary {
        ChildSummary {
            email: Some(email.into()),
            company_name: company.map(str::to_owned),
            created: Some(created.into()),
            ..ChildSummary::bare(AccountId::parse(id).unwrap())
        }
    }

    fn listing(rows: Vec<ChildSummary>) -> Option<Result<ChildList, ApiError>> {
        Some(Ok(ChildList {
            children: rows,
            unreadable: 0,
        }))
    }

    const SINCE: &str = "2026-01-02T10:00:00.123Z";

    #[test]
    fn a_row_is_matched_on_what_the_documented_listing_returns() {
        let c = create();
        let ours = row(
            "aaaaaa-bbbbbb-cccccc",
            "IT@Bageri.example",
            Some("Amager Bageri"),
            "2026-01-02T10:00:05Z",
        );
        assert!(c.is_listed_as(&ours, Some(SINCE)));
        // Another company, another email, or older than the attempt: not ours.
        assert!(!c.is_listed_as(
            &row(
                "aaaaaa-bbbbbb-cccccc",
                "it@bageri.example",
                Some("Other"),
                "2026-01-02T10:00:05Z"
            ),
            Some(SINCE)
        ));
        assert!(!c.is_listed_as(
            &row(
                "aaaaaa-bbbbbb-cccccc",
                "x@bageri.example",
                Some("Amager Bageri"),
                "2026-01-02T10:00:05Z"
            ),
            Some(SINCE)
        ));
        assert!(!c.is_listed_as(
            &row(
                "aaaaaa-bbbbbb-cccccc",
                "it@bageri.example",
                Some("Amager Bageri"),
                "2026-01-02T09:59:59Z"
            ),
            Some(SINCE)
        ));
        // The contact email, when given, is what the listing shows.
        let with_email = UserCreate {
            email: Some("boss@bageri.example".into()),
            ..create()
        };
        assert_eq!(with_email.listed_email(), "boss@bageri.example");
        assert!(!with_email.is_listed_as(&ours, None));
    }

    #[test]
    fn an_unreadable_row_in_the_listing_is_never_taken_as_not_created() {
        let c = create();
        let list = ChildList {
            unreadable: 1,
            ..ChildList::default()
        };
        let lost = Err(ApiError::Network("no answer".into()));
        let e = outcome(&c, Some(SINCE), lost, Some(Ok(list))).unwrap_err();
        assert!(matches!(e, ApiError::MayExist(_)), "{e:?}");
        assert!(!e.is_retryable(), "{e:?}");
        assert!(e.to_string().contains("could not read"), "{e}");
    }

    #[test]
    fn after_a_lost_answer_the_listing_decides() {
        let c = create();
        let lost = || Err(ApiError::Network("no answer".into()));
        assert!(must_look(&lost()));
        assert!(must_look(&Ok(())));
        let ours = row(
            "aaaaaa-bbbbbb-cccccc",
            "it@bageri.example",
            Some("Amager Bageri"),
            "2026-01-02T10:00:05Z",
        );
        let old = row(
            "dddddd-eeeeee-ffffff",
            "it@bageri.example",
            Some("Amager Bageri"),
            "2025-01-01T00:00:00Z",
        );
        // Listed: created.
        assert_eq!(
            outcome(
                &c,
                Some(SINCE),
                lost(),
                listing(vec![old.clone(), ours.clone()])
            ),
            Ok(ours.id.clone())
        );
        // Not listed: not created, and safe to send again.
        let e = outcome(&c, Some(SINCE), lost(), listing(vec![old.clone()])).unwrap_err();
        assert!(
            matches!(e, ApiError::NotCreated(_)) && e.is_retryable(),
            "{e}"
        );
        assert!(e.to_string().contains("safe to send it again"), "{e}");
        // Two candidates, or no listing: not known, never sent again by itself.
        let twice = outcome(
            &c,
            Some(SINCE),
            lost(),
            listing(vec![ours.clone(), ours.clone()]),
        )
        .unwrap_err();
        assert!(matches!(twice, ApiError::MayExist(_)) && !twice.is_retryable());
        let blind = outcome(&c, None, lost(), Some(Err(ApiError::Timeout(5)))).unwrap_err();
        assert!(
            matches!(blind, ApiError::MayExist(_))
                && blind.to_string().contains("it@bageri.example")
        );
        // Accepted but not listed: may exist.
        assert!(matches!(
            outcome(&c, Some(SINCE), Ok(()), listing(vec![])),
            Err(ApiError::MayExist(_))
        ));
        // A send the page was closed on: the same.
        let only_ours = ChildList {
            children: vec![ours.clone()],
            unreadable: 0,
        };
        assert_eq!(resumed(&c, Some(SINCE), Ok(only_ours)), Ok(ours.id));
        assert!(matches!(
            resumed(&c, Some(SINCE), Ok(ChildList::default())),
            Err(ApiError::NotCreated(_))
        ));
    }

    #[test]
    fn a_409_is_never_sent_again_and_a_refusal_is_said_as_it_is() {
        let c = create();
        let conflict = || {
            Err(ApiError::Conflict {
                message: "Duplicate".into(),
                fields: vec![],
            })
        };
        // Looked for: an earlier attempt (or the browser resending a request whose
        // connection broke) may have made it.
        assert!(must_look(&conflict()));
        let ours = row(
            "aaaaaa-bbbbbb-cccccc",
            "it@bageri.example",
            Some("Amager Bageri"),
            "2026-01-02T10:00:05Z",
        );
        assert_eq!(
            outcome(&c, Some(SINCE), conflict(), listing(vec![ours.clone()])),
            Ok(ours.id)
        );
        let e = outcome(&c, Some(SINCE), conflict(), listing(vec![])).unwrap_err();
        assert!(matches!(e, ApiError::MayExist(_)) && !e.is_retryable());
        let text = e.to_string();
        assert!(
            text.contains("409")
                && text.contains("“Duplicate”")
                && text.contains("look for it@bageri.example"),
            "{text}"
        );
        let forbidden = Err(ApiError::Forbidden("no".into()));
        assert!(!must_look(&forbidden));
        assert_eq!(
            outcome(&c, None, forbidden, None),
            Err(ApiError::Forbidden("no".into()))
        );
    }
}
