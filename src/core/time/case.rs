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

    #[test]
    fn case_apply() {
        assert_eq!(Case::Keep.apply('a'), 'a');
        assert_eq!(Case::Upper.apply('a'), 'A');
        assert_eq!(Case::Lower.apply('A'), 'a');
    }
}
