//! CPython 3.13's string-formatting primitives, byte for byte.
//!
//! The logging core formats messages and records the way Python's `logging` does, which means
//! reproducing three mini-languages and the `str()`/`repr()` of the values they format:
//!
//! * [`repr`]: `str()`, `repr()` and `ascii()` of every [`Value`](crate::core::value::Value),
//!   including `repr(float)`'s shortest round-trip digits;
//! * [`percent`]: the `%` operator (`PyUnicode_Format`), used for `msg % args` and
//!   `PercentStyle`;
//! * [`brace`]: `str.format` and `_string.formatter_parser`, used for `StrFormatStyle`, with
//!   the format-spec mini-language (`format(value, spec)`) in [`spec`];
//! * [`template`]: `string.Template.substitute`, used for `StringTemplateStyle`;
//! * the three `validate_*` functions of logging's style classes.
//!
//! Numbers are rendered by [`number`], shared by `%` and `format()`. Everything returns an
//! [`Error`] named and worded like the exception CPython raises, and nothing panics on any
//! input. `tests/pyfmt_differential.rs` compares thousands of generated cases with CPython.
//!
//! Where the value model cannot say what Python would, the behaviour is documented instead:
//! widths and precisions that would make CPython allocate gigabytes are refused with a
//! `ValueError` (see [`MAX_WIDTH`]); `%c`/`{:c}` of a lone surrogate gives U+FFFD (a Rust
//! `String` cannot hold one); `{0.attr}` on a built-in value knows only the numeric data
//! attributes (`real`, `imag`, `numerator`, `denominator`), not methods; `%s`, `%r` or `%a`
//! without a `(key)` under [`PercentArgs::Mapping`] cannot print the mapping itself; ints are
//! `i64`.

pub mod brace;
pub mod number;
pub mod percent;
pub mod repr;
pub mod spec;
pub mod template;

mod minire;
mod unicode;
mod unicode_data;

pub use brace::{brace_format, parse_fields, validate_str_format_style, ParsedField};
pub use percent::{percent_format, PercentArgs};
pub use repr::{float_repr, push_int, write_ascii, write_repr, write_str, write_str_repr};
pub use spec::format_value;
pub use template::{template_substitute, validate_percent_style, validate_template_style};

use crate::core::error::{Error, ErrorKind};

/// The largest field width honoured, in characters.
///
/// CPython accepts widths up to `sys.maxsize` and then fails to allocate (or allocates
/// gigabytes); a WebAssembly host cannot afford that, so wider fields raise
/// `ValueError: width too big` (CPython's own text for a width past `sys.maxsize`).
pub const MAX_WIDTH: i64 = 100_000_000;

/// The largest precision honoured where the precision produces characters (`%.Nf`, `%.Nd`,
/// `{:.Nf}`); larger ones raise `ValueError: precision too big`. A precision that only
/// truncates (`%.Ns`, `{:.N}` on a string) is not limited.
pub const MAX_PRECISION: i64 = 100_000_000;

/// The most bytes one `%` operation, `str.format` or `Template.substitute` call produces.
///
/// Each field is bounded by [`MAX_WIDTH`] and [`MAX_PRECISION`], but a format can repeat
/// fields: `"%(a)99999999s" * 20` would need 2 GB, which a WebAssembly instance cannot
/// allocate (it traps). Past this bound the call raises `OverflowError: formatted string is
/// too long` where CPython would go on until `MemoryError` (found by `make fuzz`,
/// tests/fuzz_findings.rs). Checked before each field, so one field may still end past it.
pub const MAX_OUTPUT: usize = 1 << 28;

/// `OverflowError: formatted string is too long` when `out` has grown past [`MAX_OUTPUT`]
/// since `mark`.
pub(crate) fn check_output(out: &str, mark: usize) -> Result<(), Error> {
    if out.len().saturating_sub(mark) > MAX_OUTPUT {
        Err(overflow_error("formatted string is too long"))
    } else {
        Ok(())
    }
}

/// `ValueError: width too big`.
pub(crate) fn width_too_big() -> Error {
    Error::value_error("width too big")
}

/// `ValueError: precision too big`.
pub(crate) fn precision_too_big() -> Error {
    Error::value_error("precision too big")
}

/// An `OverflowError` with `msg`.
pub(crate) fn overflow_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::OverflowError, msg)
}

/// Pushes `n` copies of `c` (callers have bounded `n` by [`MAX_WIDTH`]).
pub(crate) fn push_repeat(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}
