//! The few Unicode character properties the formatters need, exactly as CPython 3.13 has them.
//!
//! Rust's `char` methods follow a newer Unicode version and slightly different definitions
//! (`char::is_alphanumeric` includes `Other_Alphabetic` marks that Python's `\w` does not), so
//! the tables in `unicode_data.rs` are generated from CPython 3.13's own database instead.
//!
//! Those tables are inclusive `(u32, u32)` ranges (8 bytes a range, ~12 KB for the two big
//! ones). They are packed at compile time ([`Packed`]) into variable-length gaps and lengths
//! (~1.5 bytes a range) with a small index every [`BLOCK`] ranges, so only the packed form is
//! linked: a lookup is a binary search of the index, then at most [`BLOCK`] ranges decoded.

use super::unicode_data::{DECIMAL_ZEROS, PRINTABLE, WORD};

/// Ranges per index entry.
const BLOCK: usize = 32;

/// Bytes of the LEB128 form of `v`.
const fn varint_len(mut v: u32) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Bytes of a table's packed form: per range, the gap since the previous range's end and the
/// range's length, both LEB128.
const fn packed_len(t: &[(u32, u32)]) -> usize {
    let (mut i, mut end, mut n) = (0, 0, 0);
    while i < t.len() {
        let (lo, hi) = t[i];
        n += varint_len(lo - end) + varint_len(hi + 1 - lo);
        end = hi + 1;
        i += 1;
    }
    n
}

/// A range table packed at compile time: `N` bytes of gaps and lengths, `M` index entries
/// `(first code point of the block, end of the range before it, byte offset)`.
struct Packed<const N: usize, const M: usize> {
    bytes: [u8; N],
    index: [(u32, u32, u32); M],
}

impl<const N: usize, const M: usize> Packed<N, M> {
    const fn new(t: &[(u32, u32)]) -> Self {
        let mut bytes = [0u8; N];
        let mut index = [(0u32, 0u32, 0u32); M];
        let (mut i, mut end, mut pos) = (0, 0u32, 0usize);
        while i < t.len() {
            let (lo, hi) = t[i];
            assert!(lo >= end && hi >= lo, "ranges must be sorted and disjoint");
            if i % BLOCK == 0 {
                index[i / BLOCK] = (lo, end, pos as u32);
            }
            let mut k = 0;
            while k < 2 {
                let mut v = if k == 0 { lo - end } else { hi + 1 - lo };
                while v >= 0x80 {
                    bytes[pos] = (v & 0x7f) as u8 | 0x80;
                    v >>= 7;
                    pos += 1;
                }
                bytes[pos] = v as u8;
                pos += 1;
                k += 1;
            }
            end = hi + 1;
            i += 1;
        }
        assert!(pos == N);
        Packed { bytes, index }
    }

    /// Whether `cp` is in one of the ranges.
    fn contains(&self, cp: u32) -> bool {
        let b = self.index.partition_point(|&(first, _, _)| first <= cp);
        let Some(&(_, mut end, pos)) = b.checked_sub(1).and_then(|b| self.index.get(b)) else {
            return false;
        };
        let mut bytes = self.bytes.get(pos as usize..).unwrap_or_default().iter();
        let mut next = || {
            let (mut v, mut shift) = (0u32, 0);
            for &byte in bytes.by_ref() {
                v |= u32::from(byte & 0x7f) << shift;
                if byte < 0x80 {
                    return Some(v);
                }
                shift += 7;
            }
            None
        };
        for _ in 0..BLOCK {
            let (Some(gap), Some(len)) = (next(), next()) else {
                return false;
            };
            let lo = end + gap;
            if cp < lo {
                return false;
            }
            end = lo + len;
            if cp < end {
                return true;
            }
        }
        false
    }
}

static PRINTABLE_PACKED: Packed<{ packed_len(PRINTABLE) }, { PRINTABLE.len().div_ceil(BLOCK) }> =
    Packed::new(PRINTABLE);
static WORD_PACKED: Packed<{ packed_len(WORD) }, { WORD.len().div_ceil(BLOCK) }> =
    Packed::new(WORD);

/// `str.isprintable()` for one character: what `repr()` leaves unescaped.
pub(crate) fn is_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    PRINTABLE_PACKED.contains(c as u32)
}

/// `re`'s Unicode `\w`: `str.isalnum()` or `_`.
pub(crate) fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    WORD_PACKED.contains(c as u32)
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

    /// The packed tables answer exactly as the range tables, at and around every boundary.
    #[test]
    fn packed_matches_ranges() {
        fn in_ranges(t: &[(u32, u32)], cp: u32) -> bool {
            let i = t.partition_point(|&(lo, _)| lo <= cp);
            i > 0 && cp <= t[i - 1].1
        }
        for (t, f) in [
            (PRINTABLE, is_printable as fn(char) -> bool),
            (WORD, is_word),
        ] {
            for &(lo, hi) in t {
                for cp in [lo.saturating_sub(1), lo, lo + 1, hi - 1, hi, hi + 1] {
                    if let Some(c) = char::from_u32(cp).filter(|c| !c.is_ascii()) {
                        assert_eq!(f(c), in_ranges(t, cp), "{cp:#x}");
                    }
                }
            }
        }
        for cp in (0x80..=0x10_FFFF).step_by(7) {
            if let Some(c) = char::from_u32(cp) {
                assert_eq!(is_printable(c), in_ranges(PRINTABLE, cp), "{cp:#x}");
                assert_eq!(is_word(c), in_ranges(WORD, cp), "{cp:#x}");
            }
        }
    }

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
