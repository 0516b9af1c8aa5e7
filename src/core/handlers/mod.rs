//! The handlers the core provides. Handlers that need a host sink (storage, remote) take it
//! as an `Rc<dyn …Sink>`; the console handler defaults to the host's standard console.

mod basic;
mod file;
pub mod http_batch;
mod memory;
pub mod network;
pub mod queue;
pub mod remote;
mod stream;
mod timed;
pub mod websocket;

pub use basic::{FnHandler, NullHandler};
pub use file::{FileHandler, FileMode, Namer, RotatingFileHandler, Rotator};
pub use http_batch::{BatchBody, BatchOptions, BufferingHttpHandler};
pub use memory::{BufferingHandler, MemoryHandler};
pub use network::{
    datagram_handler, http_handler, socket_handler, syslog_handler, HttpOptions, RecordFraming,
    Rfc5424Options, SyslogFraming, SyslogOptions,
};
pub use queue::{ExternalQueue, LogQueue, QueueHandler, QueueListener};
pub use remote::{FrameEncoder, RemoteHandler, RemoteOptions, RemoteStats};
pub use stream::ConsoleHandler;
pub use timed::{AtTime, TimedRotatingFileHandler, When};
pub use websocket::{websocket_handler, WebSocketUrl};
