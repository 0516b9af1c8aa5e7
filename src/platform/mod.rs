//! Per-platform defaults for the host globals, used until a binding installs its own.
//!
//! Kept outside `core/` because the native defaults do I/O (`std::io::stderr`) and read the
//! system clock; on `wasm32-unknown-unknown` `SystemTime::now()` panics, so there the
//! defaults are a zero clock and a console that keeps what it is given until the binding
//! installs the real one at start-up.

use std::rc::Rc;

use crate::core::host::Clock;
use crate::core::sink::ConsoleSink;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::{StdConsole, SystemClock};
#[cfg(not(target_arch = "wasm32"))]
pub mod net;
#[cfg(not(target_arch = "wasm32"))]
pub mod threads;

/// A thread's default hierarchy was just created (natively: ownership and the report of a
/// second thread's own hierarchy, in [`threads`]).
pub(crate) fn default_tree_created() {
    #[cfg(not(target_arch = "wasm32"))]
    threads::default_tree_created();
}

/// The clock and console a thread starts with.
pub(crate) fn default_host() -> (Rc<dyn Clock>, Rc<dyn ConsoleSink>) {
    #[cfg(not(target_arch = "wasm32"))]
    {
        (Rc::new(SystemClock), Rc::new(StdConsole))
    }
    // Browsers and Node: the JS clock and console from the start, so no start-up call is
    // needed (a library cannot own `#[wasm_bindgen(start)]`: the application may).
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        crate::js::default_host()
    }
    #[cfg(all(target_arch = "wasm32", not(target_os = "unknown")))]
    {
        (
            Rc::new(crate::core::host::FixedClock::new(0)),
            Rc::new(crate::core::sink::MemoryConsole::new()),
        )
    }
}

/// The identity a thread starts with: CPython's defaults (`MainThread`, `MainProcess`), and
/// natively the real process id (`os.getpid()`), which Wasm targets do not have.
pub(crate) fn default_identity() -> crate::core::host::Identity {
    #[cfg(not(target_arch = "wasm32"))]
    {
        crate::core::host::Identity {
            process: Some(std::process::id()),
            ..crate::core::host::Identity::default()
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        crate::core::host::Identity::default()
    }
}
