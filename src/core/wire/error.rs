//! [`WireError`]: why bytes could not be written or read.

use std::fmt;

/// Why a wire frame could not be built or parsed: a message saying what and where (the byte
/// offset and opcode for the unpickler; the Python exception CPython would raise for the
/// writers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError {
    message: String,
}

impl WireError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        WireError {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WireError {}

impl From<crate::core::error::Error> for WireError {
    /// A formatting error (`getMessage`, `str()` of an object) keeps its Python text,
    /// e.g. `TypeError: not all arguments converted during string formatting`.
    fn from(e: crate::core::error::Error) -> Self {
        WireError::new(e.to_string())
    }
}
