//! The no-threads core: CPython's `logging` object model in pure Rust, with no I/O, no clock
//! and no bindings. Hosts supply time, consoles, storage and connections through
//! [`host`] and [`sink`].

pub mod adapter;
pub mod bigint;
pub mod config;
pub mod error;
pub mod filter;
pub mod formatter;
pub mod handler;
pub mod handlers;
pub mod host;
pub mod jsonfmt;
pub mod level;
pub mod logger;
pub mod manager;
pub mod message;
pub mod pool;
pub mod pyfmt;
pub mod received;
pub mod record;
pub mod sink;
pub mod time;
pub mod value;
pub mod wire;
