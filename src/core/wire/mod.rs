//! Wire formats spoken by remote handlers and read by the receiver: CPython's pickle
//! (protocol 1, as `SocketHandler.makePickle` writes it) and a restricted unpickler for plain
//! data, syslog (CPython's `SysLogHandler` bytes, RFC 5424, RFC 6587 framing) and
//! `HTTPHandler`'s request. Pure functions over bytes: no I/O.
//!
//! - [`pickle`]: [`pickle::dumps`] (byte-identical to `pickle.dumps(v, 1)`),
//!   [`pickle::make_pickle`] / [`pickle::make_json_frame`] (`SocketHandler.makePickle`'s
//!   frame, and the same dict as JSON) and [`pickle::loads_plain`], an unpickler that builds
//!   only `None`/`bool`/`int`/`float`/`str`/`list`/`tuple`/`dict` and refuses every opcode
//!   that could import or call anything.
//! - [`syslog`]: the facility and priority tables, [`syslog::message`] (what
//!   `SysLogHandler.emit` sends), [`syslog::rfc5424`] (the cookbook's `SysLogHandler5424`)
//!   and [`syslog::octet_counted`] (RFC 6587 framing for stream transports).
//! - [`http`]: [`http::urlencode`] and [`http::request`], the bytes `http.client` writes for
//!   `HTTPHandler.emit`.
//! - [`otlp`]: OTLP/HTTP JSON logs (`ExportLogsServiceRequest`) for `OTLPHandler`.
//!
//! Every function returns a [`WireError`] where CPython would raise; none panics on any input.

mod error;
pub mod http;
mod opcodes;
pub mod otlp;
pub mod pickle;
mod pickle_text;
pub mod syslog;
mod unpickle;
mod unpickle_objects;

pub use error::WireError;
