//! Work a view starts that goes on past an await (a submit, an import's workers, a tree
//! load): it belongs to the view, and goes with it.
//!
//! Leaving a page disposes its signals. Work that outlived the page would read them after its
//! next await, and a read of a disposed signal panics, which with `panic = "abort"` ends the
//! whole module. So such work is dropped where it waits when its view goes: the transport
//! then aborts its request (a call dropped before its answer aborts it; a queued call or a
//! retry's wait is never sent), and nothing of the page is touched again.

use leptos::prelude::Owner;
use std::future::Future;
use std::pin::Pin;

type Work = Pin<Box<dyn Future<Output = ()>>>;

/// Runs `work` as part of the view being built or handled now (the current reactive owner:
/// a component's body, or an event handler, which Leptos runs under the view it belongs
/// to): when that view goes, `work` is dropped where it waits.
pub fn spawn_in_view(work: impl Future<Output = ()> + 'static) {
    spawn_erased(Box::pin(work));
}

/// The one instantiation of Leptos's spawning: the bundle holds it once, not once per kind
/// of work.
fn spawn_erased(work: Work) {
    leptos::task::spawn_local_scoped_with_cancellation(work);
}

/// [`spawn_in_view`] under `owner` (a view kept to start work later from outside it, such
/// as an effect that re-runs), or under the current view when there is none.
pub fn spawn_in(owner: Option<&Owner>, work: impl Future<Output = ()> + 'static) {
    let work: Work = Box::pin(work);
    match owner {
        Some(owner) => owner.with(|| spawn_erased(work)),
        None => spawn_erased(work),
    }
}
