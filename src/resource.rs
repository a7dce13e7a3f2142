//! `Loaded<T>`: a Leptos `LocalResource` whose machinery is in the bundle once.
//!
//! `LocalResource::new` is generic over the value and the future, so every page's resource
//! brought its own copy of the async-derived signal and of its future's poll: about 80 KB of
//! wasm for a dozen resources (twiggy `monos`). `Loaded` erases both. The future is boxed
//! and the value is an `Rc<dyn Any>`, so there is one `LocalResource<Erased>`. Only the small
//! typed shell is generic.

use leptos::prelude::*;
use std::any::Any;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;

type Erased = Rc<dyn Any>;
type ErasedFuture = Pin<Box<dyn Future<Output = Erased>>>;

/// A value loaded asynchronously, reloaded when the signals its fetcher reads change.
pub struct Loaded<T> {
    inner: LocalResource<Erased>,
    _value: PhantomData<fn() -> T>,
}

impl<T> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Loaded<T> {}

impl<T: Clone + 'static> Loaded<T> {
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let fetch: Rc<dyn Fn() -> ErasedFuture> = Rc::new(move || {
            let future = fetcher();
            // Runs under the resource's owner: when its view goes, what it was loading is
            // dropped where it waits, which aborts its calls, its queued ones and a retry's
            // wait (`crate::task`). Its value then is nothing anyone reads.
            let (abort, registration) = futures::future::AbortHandle::new_pair();
            on_cleanup(move || abort.abort());
            Box::pin(async move {
                match futures::future::Abortable::new(future, registration).await {
                    Ok(value) => Rc::new(value) as Erased,
                    Err(_) => Rc::new(()) as Erased,
                }
            })
        });
        Loaded {
            inner: erased(fetch),
            _value: PhantomData,
        }
    }

    /// The value once loaded (tracked, like `LocalResource::get`).
    pub fn get(&self) -> Option<T> {
        self.inner
            .get()
            .and_then(|v| v.downcast_ref::<T>().cloned())
    }

    /// The value once loaded, without tracking.
    pub fn get_untracked(&self) -> Option<T> {
        self.inner
            .get_untracked()
            .and_then(|v| v.downcast_ref::<T>().cloned())
    }

    /// Loads again.
    pub fn refetch(&self) {
        self.inner.refetch();
    }
}

/// The one instantiation of `LocalResource::new`.
fn erased(fetch: Rc<dyn Fn() -> ErasedFuture>) -> LocalResource<Erased> {
    LocalResource::new(move || fetch())
}
