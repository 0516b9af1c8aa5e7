//! The few Unicode character properties the formatters need, exactly as CPython 3.13 has them.
//!
//! Rust's `char` methods follow a newer Unicode version and slightly different definitions
//! (`char::is_alphanumeric` includes `Other_Alphabetic` marks that Python's `\w` does not), so
//! the tables in `unicode_data.rs` are generated from CPython 3.13's own database instead.

use super::unicode_data::{DECIMAL_ZEROS, PRINTABLE, WORD};

/// Binary search of a sorted table of inclusive ranges.
fn in_ranges(table: &[(u32, u32)], c: char) -> bool {
    let cp = c as u32;
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `str.isprintable()` for one character: what `repr()` leaves unescaped.
pub(crate) fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    in_ranges(PRINTABLE, c)
}

/// `re`'s Unicode `\w`: `str.isalnum()` or `_`.
pub(crate) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    in_ranges(WORD, c)
}

/// `Py_UNICODE_TODECIMAL`: the value of a Unicode decimal digit (`re`'s `\d`), if it is one.
pub(crate) fn decimal_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let cp = c as u32;
    // Runs are ten code points long and start with digit zero; find the last start <= cp.
    let idx = DECIMAL_ZEROS.partition_point(|&z| z <= cp);
    let zero = *DECIMAL_ZEROS.get(idx.checked_sub(1)?)?;
    let v = cp - zero;
    (v < 10).then_some(v)
}

/// Python's `str.splitlines` line boundaries (used for `Template`'s error position).
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_matches_python_samples() {
        assert!(is_printable('a'));
        assert!(is_printable(' '));
        assert!(!is_printable('\x7f'));
        assert!(!is_printable('\u{a0}')); // NO-BREAK SPACE is Zs
        assert!(!is_printable('\u{ad}')); // SOFT HYPHEN is Cf
        assert!(is_printable('é'));
        assert!(is_printable('\u{1F600}'));
        assert!(!is_printable('\u{E0001}'));
        assert!(!is_printable('\u{2028}'));
    }

    #[test]
    fn word_and_decimal() {
        assert!(is_word('_'));
        assert!(is_word('é'));
        assert!(is_word('٣'));
        assert!(!is_word('-'));
        // U+0345 is Other_Alphabetic in Rust but not \w in Python.
        assert!(!is_word('\u{345}'));
        assert_eq!(decimal_value('7'), Some(7));
        assert_eq!(decimal_value('\u{661}'), Some(1));
        assert_eq!(decimal_value('\u{1D7CE}'), Some(0));
        assert_eq!(decimal_value('\u{1D7D8}'), Some(0));
        assert_eq!(decimal_value('x'), None);
        assert_eq!(decimal_value('\u{B2}'), None); // superscript two is a digit, not a decimal
    }
}
