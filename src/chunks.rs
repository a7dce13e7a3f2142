//! Pages loaded on demand: each rarely opened page is a chunk of its own, fetched the first
//! time it is needed (or earlier, when a link to it is hovered or focused).
//!
//! A release build for the browser (`cfg(split)`, which `build.rs` sets) marks each page's
//! entry as a split point (`wasm_split_helpers`, the mechanism under Leptos' `#[lazy]`), and
//! the build step in `partner-deploy` cuts the wasm there into a main module and a chunk per
//! page. In other builds (`trunk serve`, the browser tests) the same entries are plain async
//! functions over code in the one module.
//!
//! A chunk that cannot be fetched is said where the page would be, with "Try again": the
//! split points are `fallible`, so a failed fetch is a value, never a panic (which would
//! abort the whole module).

use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;

/// A page's chunk could not be fetched or instantiated.
#[derive(Clone, Copy, Debug)]
pub struct ChunkFailed;

#[cfg(split)]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkFailed {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkFailed
    }
}

/// A page's view, built by code in its chunk. The chunk gives this function rather than the
/// view because the view must be built where the page is mounted, under the route's owner
/// (with its contexts), not in the task that waited for the chunk.
pub type MakePage = fn() -> AnyView;

/// What a chunk's entry answers, once the chunk is here.
pub type ChunkFuture<T> = Pin<Box<dyn Future<Output = Result<T, ChunkFailed>>>>;

/// What a page chunk's entry answers.
pub type PageFuture = ChunkFuture<MakePage>;

/// `chunk!(vis name, preload_name, module, Type, value)`: `async fn name()` answers `value` (a
/// function pointer into the chunk), fetching the chunk `module` first; `async fn
/// preload_name()` only fetches it. Everything only `value` reaches is in that chunk.
macro_rules! chunk {
    ($vis:vis $name:ident, $preload:ident, $module:ident, $ty:ty, $value:expr) => {
        #[cfg(split)]
        #[leptos::wasm_split::wasm_split(
            $module,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload(#[allow(dead_code)] $preload)
        )]
        $vis fn $name() -> Result<$ty, $crate::chunks::ChunkFailed> {
            Ok($value)
        }

        #[cfg(not(split))]
        $vis async fn $name() -> Result<$ty, $crate::chunks::ChunkFailed> {
            Ok($value)
        }

        #[cfg(not(split))]
        #[allow(dead_code)]
        $vis async fn $preload() -> Result<(), $crate::chunks::Unloadable> {
            Ok(())
        }
    };
}
pub(crate) use chunk;

/// `page_chunk!(name, preload_name, module, Page)`: a route's page as a chunk.
macro_rules! page_chunk {
    ($name:ident, $preload:ident, $module:ident, $page:path) => {
        $crate::chunks::chunk!(pub $name, $preload, $module, $crate::chunks::MakePage, {
            fn make() -> leptos::prelude::AnyView {
                use leptos::prelude::IntoAny;
                $page().into_any()
            }
            make
        });
    };
}
pub(crate) use page_chunk;

/// Why a preload failed (the splitter's own error: nothing more is known).
pub type Unloadable = leptos::wasm_split::SplitLoaderError;

/// A chunk's preload: fetches it without using it.
pub type Preload = fn() -> Pin<Box<dyn Future<Output = Result<(), Unloadable>>>>;

/// Fetches a chunk ahead of need; a failure is left for the real load to say.
pub fn preload(load: Preload) {
    leptos::task::spawn_local(async move {
        let _ = load().await;
    });
}

/// Fetches a page's chunk as soon as a link to it is pointed at or focused: by the click, it
/// is usually here. `chunk_of` names the preload for a path of this portal.
pub fn preload_on_intent(chunk_of: fn(&str) -> Option<Preload>) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_intent = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let link = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(load) = link.and_then(|a| chunk_of(&a.pathname())) {
            preload(load);
        }
    });
    for kind in ["pointerover", "focusin"] {
        let _ = document.add_event_listener_with_callback(kind, on_intent.as_ref().unchecked_ref());
    }
    // One listener for the tab's whole life.
    on_intent.forget();
}

thread_local! {
    /// What each chunk answered, by its loader: a chunk is fetched once per tab.
    static LOADED: std::cell::RefCell<std::collections::HashMap<usize, Box<dyn std::any::Any>>> =
        Default::default();
}

#[derive(Clone, Copy)]
enum State<T> {
    Loading,
    Ready(T),
    Failed,
}

/// The page a chunk holds, once its chunk is here.
pub fn lazy_page(load: fn() -> PageFuture) -> impl IntoView {
    lazy(load, |make| make(), PAGE, false)
}

thread_local! {
    /// Whether the first screen is drawn, and who waits for it.
    static FIRST_SCREEN: std::cell::RefCell<(bool, Vec<std::task::Waker>)> =
        const { std::cell::RefCell::new((false, Vec::new())) };
}

/// Says that the first screen is drawn (the tree's first level): chunks that wait for it
/// may come now.
pub fn first_screen_drawn() {
    let waiting = FIRST_SCREEN.with_borrow_mut(|(drawn, waiting)| {
        *drawn = true;
        std::mem::take(waiting)
    });
    waiting.into_iter().for_each(std::task::Waker::wake);
}

/// Waits until the first screen is drawn, or 1.5 s at most (a region that does not answer
/// must not hold back the rest).
async fn after_first_screen() {
    let drawn = std::future::poll_fn(|cx| {
        FIRST_SCREEN.with_borrow_mut(|(drawn, waiting)| {
            if *drawn {
                std::task::Poll::Ready(())
            } else {
                waiting.push(cx.waker().clone());
                std::task::Poll::Pending
            }
        })
    });
    futures::future::select(Box::pin(drawn), Box::pin(crate::browser::sleep(1500))).await;
}

/// How [`lazy`] names a whole page; a page that failed also gets its heading.
const PAGE: &str = "this page";

/// What a chunk shows, once the chunk is here: `show` builds it from the chunk's `T` (a
/// function pointer into the chunk). "Loading …" while it is fetched (said only after a
/// moment, so a cached chunk shows no flash), and on failure a sentence with "Try again".
/// `later`: fetched only once the first screen is drawn, so that it does not share the
/// network with what the first screen needs.
pub fn lazy<T: Copy + Send + Sync + 'static>(
    load: fn() -> ChunkFuture<T>,
    show: impl Fn(T) -> AnyView + Send + Sync + 'static,
    what: &'static str,
    later: bool,
) -> impl IntoView {
    // A chunk already here is shown at once: no "Loading" state, no second render.
    let key = load as usize;
    let known = LOADED.with_borrow(|m| m.get(&key).and_then(|t| t.downcast_ref::<T>().copied()));
    let state = RwSignal::new(known.map_or(State::Loading, State::Ready));
    let slow = RwSignal::new(false);
    let attempt = move || {
        state.set(State::Loading);
        leptos::task::spawn_local(async move {
            if later {
                after_first_screen().await;
            }
            let outcome = load().await;
            // The page may be gone by now (the partner went elsewhere): every write is a try.
            match outcome {
                Ok(made) => {
                    LOADED.with_borrow_mut(|m| m.insert(key, Box::new(made)));
                    state.try_set(State::Ready(made));
                }
                Err(ChunkFailed) => {
                    state.try_set(State::Failed);
                }
            }
        });
        leptos::task::spawn_local(async move {
            crate::browser::sleep(300).await;
            slow.try_set(true);
        });
    };
    if known.is_none() {
        attempt();
    }
    move || {
        match state.get() {
        State::Ready(made) => show(made),
        State::Loading => view! {
            <p class="muted" role="status">
                {move || slow.get().then(|| format!("Loading {what}…"))}
            </p>
        }
        .into_any(),
        State::Failed => view! {
            {(what == PAGE).then(|| view! { <h1>"Page not loaded"</h1> })}
            <div role="alert" class="error-notice">
                <p>
                    "The portal could not load " {what} ": the connection failed, or the portal "
                    "was updated since this tab opened."
                </p>
                <p>
                    <button type="button" on:click=move |_| attempt()>"Try again"</button>
                    " "
                    <button type="button" on:click=|_| crate::browser::reload()>"Reload the portal"</button>
                </p>
            </div>
        }
        .into_any(),
    }
    }
}
