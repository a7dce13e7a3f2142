//! The per-region queue: at most [`MAX_IN_FLIGHT_PER_REGION`] calls to a region are in flight;
//! the rest wait their turn, in order.

use futures::channel::oneshot;
use partner_api::RegionId;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

/// At most this many calls are in flight per region; the rest wait their turn, in order.
pub const MAX_IN_FLIGHT_PER_REGION: usize = 5;

/// A fair per-region queue: a call waits until fewer than [`MAX_IN_FLIGHT_PER_REGION`] calls
/// to its region are in flight.
#[derive(Default)]
pub(super) struct Limiter {
    regions: RefCell<HashMap<RegionId, Gate>>,
}

#[derive(Default)]
struct Gate {
    in_flight: usize,
    waiting: VecDeque<oneshot::Sender<()>>,
}

/// A slot in a region's queue, given back on drop (also when the call is aborted).
pub(super) struct Permit {
    limiter: Rc<Limiter>,
    region: RegionId,
}

impl Limiter {
    pub(super) async fn acquire(self: &Rc<Self>, region: &RegionId) -> Permit {
        let wait = {
            let mut regions = self.regions.borrow_mut();
            let gate = regions.entry(region.clone()).or_default();
            if gate.in_flight < MAX_IN_FLIGHT_PER_REGION {
                gate.in_flight += 1;
                None
            } else {
                let (tx, rx) = oneshot::channel();
                gate.waiting.push_back(tx);
                Some(rx)
            }
        };
        if let Some(rx) = wait {
            // The slot is handed over by the permit that frees it.
            let _ = rx.await;
        }
        Permit {
            limiter: Rc::clone(self),
            region: region.clone(),
        }
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        let mut regions = self.limiter.regions.borrow_mut();
        let Some(gate) = regions.get_mut(&self.region) else {
            return;
        };
        // Hand the slot to the next caller still waiting; a waiter that went away is skipped.
        while let Some(next) = gate.waiting.pop_front() {
            if next.send(()).is_ok() {
                return;
            }
        }
        gate.in_flight -= 1;
    }
}
