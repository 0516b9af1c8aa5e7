//! The handlers the core provides. Handlers that need a host sink (storage, remote) take it
//! as an `Rc<dyn …Sink>`; the console handler defaults to the host's standard console.

mod basic;
mod memory;
mod stream;

pub use basic::{FnHandler, NullHandler};
pub use memory::{BufferingHandler, MemoryHandler};
pub use stream::ConsoleHandler;
