//! Case mapping as glibc's `towupper` / `towlower` do it in the `C.UTF-8` locale.
//!
//! CPython 3.13 on Linux formats through `wcsftime`, the wide-character build of glibc's
//! strftime, so the `^` and `#` flags change case with `towupper` / `towlower`: Unicode's
//! *simple* (one character to one character) case mapping, not ASCII-only and not Rust's
//! full mapping (`'ß'.to_uppercase()` is `"SS"`, glibc keeps `ß`). CPython runs with
//! `LC_CTYPE` set from the environment and coerces a bare `C` locale to `C.UTF-8`, which is
//! why the Unicode tables apply.
//!
//! Rust exposes only the full mapping, so a character whose full mapping is longer than one
//! character falls back to the few simple mappings that differ (Greek letters with
//! ypogegrammeni and `İ`); every other such character is left unchanged, as glibc does.
//! Rust's tables also know case pairs that Unicode added after the version glibc 2.36 was
//! built from (Unicode 14); those characters are left unchanged, as glibc 2.36 leaves them.
//! Checked against every code point through CPython 3.13's `time.strftime('%^Z')` and
//! `'%#Z'` on glibc 2.36: no difference with Rust 1.95's tables.
//!
//! That derivation (`reference`, test-only) would link Rust's full case tables (~24 KB of
//! Wasm data); the build uses `case_data.rs` instead: the same mapping as ~380 runs of
//! `(start, count, stride, delta)` (3 KB), checked equal to `reference` on every code point.

use super::case_data::{LOWER, UPPER};

/// Looks `cp` up in a table of runs (see `case_data.rs`); `cp` itself when no run holds it.
fn lookup(table: &[(u32, i32)], cp: u32) -> u32 {
    let i = table.partition_point(|&(packed, _)| packed & 0x1F_FFFF <= cp);
    let Some(&(packed, delta)) = i.checked_sub(1).and_then(|i| table.get(i)) else {
        return cp;
    };
    let start = packed & 0x1F_FFFF;
    let count = (packed >> 21) & 0xFF;
    let stride = (packed >> 29) + 1;
    let off = cp - start;
    if off % stride == 0 && off / stride < count {
        cp.wrapping_add_signed(delta)
    } else {
        cp
    }
}

/// `towupper` in `C.UTF-8`.
pub(super) fn to_upper(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    char::from_u32(lookup(UPPER, u32::from(c))).unwrap_or(c)
}

/// `towlower` in `C.UTF-8`.
pub(super) fn to_lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    char::from_u32(lookup(LOWER, u32::from(c))).unwrap_or(c)
}

/// The mapping derived from Rust's full case mapping: what `case_data.rs` is generated from
/// and checked against.
#[cfg(test)]
mod reference {
    /// `towupper` in `C.UTF-8`.
    pub(super) fn to_upper(c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_uppercase();
        }
        if unknown_to_glibc(u32::from(c)) {
            return c;
        }
        if let Some(u) = single(c.to_uppercase()) {
            return u;
        }
        let cp = u32::from(c);
        let simple = match cp {
            // Small letters with ypogegrammeni map to the capital-with-prosgegrammeni letter.
            0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => cp + 8,
            0x1FB3 => 0x1FBC,
            0x1FC3 => 0x1FCC,
            0x1FF3 => 0x1FFC,
            _ => cp,
        };
        char::from_u32(simple).unwrap_or(c)
    }

    /// `towlower` in `C.UTF-8`.
    pub(super) fn to_lower(c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_lowercase();
        }
        if unknown_to_glibc(u32::from(c)) {
            return c;
        }
        if let Some(l) = single(c.to_lowercase()) {
            return l;
        }
        // The only character whose full lowercase is two characters: `İ` (its simple mapping
        // is a plain `i`).
        if c == '\u{130}' {
            'i'
        } else {
            c
        }
    }

    /// Whether `cp` is one side of a case pair that glibc 2.36's tables (Unicode 14) lack:
    /// pairs added by Unicode 15 and 16 (Latin additions, Garay, Kirat Rai …).
    fn unknown_to_glibc(cp: u32) -> bool {
        matches!(
            cp,
            0x19B
                | 0x264
                | 0x1C89
                | 0x1C8A
                | 0xA7CB..=0xA7CF
                | 0xA7D2..=0xA7D5
                | 0xA7DA..=0xA7DC
                | 0x10D50..=0x10D65
                | 0x10D70..=0x10D85
                | 0x16EA0..=0x16EB8
                | 0x16EBB..=0x16ED3
        )
    }

    /// The only item of `it`, if it has exactly one.
    fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
        let first = it.next()?;
        match it.next() {
            None => Some(first),
            Some(_) => None,
        }
    }
}

/// How a copied piece of text has its case changed (`cpy` in glibc: lower wins over upper).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Case {
    /// Copied as is.
    Keep,
    /// `towupper` on every character (`^`, or `#` on names).
    Upper,
    /// `towlower` on every character (`%P`, `#` on `%p` / `%Z`).
    Lower,
}

impl Case {
    /// Applies the change to one character.
    pub(super) fn apply(self, c: char) -> char {
        match self {
            Case::Keep => c,
            Case::Upper => to_upper(c),
            Case::Lower => to_lower(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii() {
        assert_eq!(to_upper('a'), 'A');
        assert_eq!(to_upper('%'), '%');
        assert_eq!(to_lower('Z'), 'z');
        assert_eq!(to_lower('9'), '9');
    }

    #[test]
    fn simple_not_full_mapping() {
        // Observed with CPython 3.13 + glibc 2.36 (`%^Z` / `%#Z` on such zone names).
        assert_eq!(to_upper('é'), 'É');
        assert_eq!(to_upper('ß'), 'ß');
        assert_eq!(to_upper('\u{FB00}'), '\u{FB00}');
        assert_eq!(to_upper('\u{1F80}'), '\u{1F88}');
        assert_eq!(to_upper('\u{1FB3}'), '\u{1FBC}');
        assert_eq!(to_upper('\u{1FC3}'), '\u{1FCC}');
        assert_eq!(to_upper('\u{130}'), '\u{130}');
        assert_eq!(to_upper('ı'), 'I');
        assert_eq!(to_upper('\u{1C5}'), '\u{1C4}');
        assert_eq!(to_lower('\u{130}'), 'i');
        assert_eq!(to_lower('\u{1C5}'), '\u{1C6}');
        assert_eq!(to_lower('\u{1E9E}'), 'ß');
        assert_eq!(to_lower('Σ'), 'σ');
    }

    /// Every code point: the runs give exactly what the reference derivation gives.
    #[test]
    fn runs_match_reference() {
        for c in (0..=0x10_FFFF).filter_map(char::from_u32) {
            assert_eq!(to_upper(c), reference::to_upper(c), "upper {:#x}", c as u32);
            assert_eq!(to_lower(c), reference::to_lower(c), "lower {:#x}", c as u32);
        }
    }

    /// Prints `case_data.rs`'s tables from the reference (`--ignored print_case_tables`).
    #[test]
    #[ignore]
    fn print_case_tables() {
        type Map = fn(char) -> char;
        let f: [(&str, Map); 2] = [
            ("UPPER", reference::to_upper),
            ("LOWER", reference::to_lower),
        ];
        for (name, f) in f {
            let maps: Vec<(u32, i32)> = (0x80..=0x10_FFFF)
                .filter_map(char::from_u32)
                .filter(|&c| f(c) != c)
                .map(|c| (c as u32, f(c) as i32 - c as i32))
                .collect();
            println!("pub(super) static {name}: &[(u32, i32)] = &[");
            let mut i = 0;
            while i < maps.len() {
                let (s, d) = maps[i];
                let mut best = (1u32, 1usize);
                for stride in [1u32, 2] {
                    let mut n = 1;
                    while i + n < maps.len() && n < 255 && maps[i + n] == (s + stride * n as u32, d)
                    {
                        n += 1;
                    }
                    if n > best.1 {
                        best = (stride, n);
                    }
                }
                let packed = s | (best.1 as u32) << 21 | (best.0 - 1) << 29;
                println!("    ({packed:#x}, {d}),");
                i += best.1;
            }
            println!("];");
        }
    }

    #[test]
    fn case_apply() {
        assert_eq!(Case::Keep.apply('a'), 'a');
        assert_eq!(Case::Upper.apply('a'), 'A');
        assert_eq!(Case::Lower.apply('A'), 'a');
    }
}
