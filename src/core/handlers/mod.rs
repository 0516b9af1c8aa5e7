//! The handlers the core provides. Handlers that need a host sink (storage, remote) take it
//! as an `Rc<dyn …Sink>`; the console handler defaults to the host's standard console.

mod basic;
mod file;
mod memory;
pub mod queue;
mod stream;

pub use basic::{FnHandler, NullHandler};
pub use file::{FileHandler, FileMode, Namer, RotatingFileHandler, Rotator};
pub use memory::{BufferingHandler, MemoryHandler};
pub use queue::{LogQueue, QueueHandler, QueueListener};
pub use stream::ConsoleHandler;
