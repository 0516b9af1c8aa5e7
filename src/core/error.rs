//! Errors as values: what Python would raise, named the way Python names it.
//!
//! The core never panics on input. Whatever CPython reports as an exception (a `TypeError`
//! from `'%d' % 'x'`, a `ValueError` from a bad format string, a `KeyError` from a missing
//! `%(field)s`) is an [`Error`] here, with the same class name and, where the tests compare
//! against CPython, the same text.

use std::fmt;

/// The Python exception class an [`Error`] corresponds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// An operation got a value of the wrong type (`'%d' % 'x'`).
    TypeError,
    /// A value of the right type but a wrong content (bad format string, unknown level name).
    ValueError,
    /// A missing mapping key (`'%(x)s' % {}`); its message is the `repr` of the key.
    KeyError,
    /// A missing sequence index (`'{0[3]}'.format([1])`).
    IndexError,
    /// A missing attribute (`'{0.nope}'`).
    AttributeError,
    /// A number too large for the conversion asked of it.
    OverflowError,
    /// A host sink failed (write, rename, connect …).
    OSError,
    /// Anything else, e.g. re-entrant use of a handler or an exception thrown by user code.
    RuntimeError,
}

impl ErrorKind {
    /// The Python class name, e.g. `"TypeError"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::TypeError => "TypeError",
            ErrorKind::ValueError => "ValueError",
            ErrorKind::KeyError => "KeyError",
            ErrorKind::IndexError => "IndexError",
            ErrorKind::AttributeError => "AttributeError",
            ErrorKind::OverflowError => "OverflowError",
            ErrorKind::OSError => "OSError",
            ErrorKind::RuntimeError => "RuntimeError",
        }
    }
}

/// An error value: a kind and a message, displayed as Python prints an exception's last line
/// (`TypeError: not all arguments converted during string formatting`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind` with `message` (the text after `Kind: `).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    /// A `TypeError`.
    pub fn type_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TypeError, message)
    }

    /// A `ValueError`.
    pub fn value_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::ValueError, message)
    }

    /// A `KeyError`; `message` should already be the `repr` of the key, as Python prints it.
    pub fn key_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::KeyError, message)
    }

    /// An `OSError` from a host sink.
    pub fn os_error(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::OSError, message)
    }

    /// The kind (Python class) of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message, without the class name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(self.kind.name())
        } else {
            write!(f, "{}: {}", self.kind.name(), self.message)
        }
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
