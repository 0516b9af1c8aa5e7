//! The bounded output of one `strftime` call: glibc's `add` / `cpy` macros and its number
//! padding, counting characters against the buffer CPython hands to `wcsftime`.
//!
//! glibc fails (returns 0) as soon as the output would no longer fit the buffer with its
//! terminating NUL; CPython 3.13 then retries with a buffer twice as large, but gives up and
//! returns `''` once the buffer holds 256 times as many characters as the format. So the
//! whole result is `''` when it has `cap` characters or more ([`cap_for`]). The check comes
//! before anything is written, so no call ever allocates more than about `cap` characters,
//! whatever widths the format asks for.

use super::case::Case;

/// The result does not fit: CPython's `time.strftime` returns `''`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Overflow;

/// The padding flag of a conversion (`pad` in glibc).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Pad {
    /// No flag: numbers pad with zeros, text with spaces.
    Default,
    /// `0`: zeros, for text too.
    Zero,
    /// `_`: spaces.
    Space,
    /// `-`: numbers are not padded to their natural width (an explicit width still pads
    /// with spaces, as glibc does).
    None,
}

/// The buffer size (in characters, NUL included) at which CPython 3.13 stops retrying for a
/// format of `format_chars` characters: the first of 1024, 2048, 4096 … that is at least
/// `256 * format_chars`. The output fits when it has fewer characters than this.
pub(super) fn cap_for(format_chars: usize) -> usize {
    let want = format_chars.saturating_mul(256);
    let mut size: usize = 1024;
    while size < want {
        match size.checked_mul(2) {
            Some(s) => size = s,
            None => return usize::MAX,
        }
    }
    size
}

/// Output under construction: the text, its length in characters and the bound.
pub(super) struct Sink<'a> {
    out: &'a mut String,
    chars: usize,
    cap: usize,
}

impl<'a> Sink<'a> {
    /// A sink appending to `out`, failing once the output reaches `cap` characters.
    pub(super) fn new(out: &'a mut String, cap: usize) -> Self {
        Sink { out, chars: 0, cap }
    }

    /// Characters written so far.
    pub(super) fn chars(&self) -> usize {
        self.chars
    }

    /// glibc's room check: `incr >= maxsize - i` fails.
    fn reserve(&mut self, incr: u64) -> Result<(), Overflow> {
        let room = (self.cap - self.chars) as u64;
        if incr >= room {
            Err(Overflow)
        } else {
            Ok(())
        }
    }

    fn fill(&mut self, c: char, n: usize) {
        self.out.extend(std::iter::repeat_n(c, n));
        self.chars += n;
    }

    /// Literal text of `n` characters, unpadded (format text outside conversions).
    pub(super) fn literal(&mut self, text: &str, n: usize) -> Result<(), Overflow> {
        self.reserve(n as u64)?;
        self.out.push_str(text);
        self.chars += n;
        Ok(())
    }

    /// glibc's `cpy`: `text` (`n` characters) right-aligned in `width`, padded with zeros
    /// for the `0` flag and spaces otherwise, its characters case-mapped by `case`.
    pub(super) fn cpy(
        &mut self,
        text: &str,
        n: usize,
        width: i64,
        pad: Pad,
        case: Case,
    ) -> Result<(), Overflow> {
        let delta = width - n as i64;
        let padding = if delta > 0 { delta as u64 } else { 0 };
        self.reserve(n as u64 + padding)?;
        // `padding < cap`, checked just above.
        let filler = if pad == Pad::Zero { '0' } else { ' ' };
        self.fill(filler, padding as usize);
        match case {
            Case::Keep => self.out.push_str(text),
            _ => self.out.extend(text.chars().map(|c| case.apply(c))),
        }
        self.chars += n;
        Ok(())
    }

    /// glibc's `do_number_sign_and_padding`: the decimal `value` padded to `digits`
    /// characters (zeros after the sign by default, spaces before it for `_`, nothing for
    /// `-`), then copied with whatever of `width` the padding left.
    pub(super) fn number(
        &mut self,
        value: i128,
        digits: i64,
        mut width: i64,
        pad: Pad,
    ) -> Result<(), Overflow> {
        let text = value.to_string();
        let mut body: &str = &text;
        if pad != Pad::None {
            let padding = digits - text.len() as i64;
            if padding > 0 {
                if pad == Pad::Space {
                    self.reserve(padding as u64)?;
                    self.fill(' ', padding as usize);
                    width = if width > padding { width - padding } else { 0 };
                } else {
                    self.reserve(digits as u64)?;
                    if let Some(rest) = text.strip_prefix('-') {
                        self.fill('-', 1);
                        body = rest;
                    }
                    self.fill('0', padding as usize);
                    width = 0;
                }
            }
        }
        self.cpy(body, body.len(), width, pad, Case::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&mut Sink<'_>) -> Result<(), Overflow>) -> Option<String> {
        let mut s = String::new();
        let r = f(&mut Sink::new(&mut s, 1024));
        r.ok().map(|()| s)
    }

    #[test]
    fn caps() {
        assert_eq!(cap_for(0), 1024);
        assert_eq!(cap_for(4), 1024);
        assert_eq!(cap_for(5), 2048);
        assert_eq!(cap_for(6), 2048);
        assert_eq!(cap_for(9), 4096);
        assert_eq!(cap_for(42), 16_384);
        assert_eq!(cap_for(usize::MAX), usize::MAX);
    }

    #[test]
    fn numbers_pad_like_glibc() {
        let n = |v, d, w, p| run(|s| s.number(v, d, w, p)).unwrap();
        assert_eq!(n(5, 2, -1, Pad::Default), "05");
        assert_eq!(n(5, 2, -1, Pad::Space), " 5");
        assert_eq!(n(5, 2, -1, Pad::None), "5");
        // `-` with an explicit width still pads, with spaces.
        assert_eq!(n(1, 5, 5, Pad::None), "    1");
        assert_eq!(n(-5, 5, 5, Pad::Default), "-0005");
        assert_eq!(n(-5, 5, 5, Pad::Space), "   -5");
        assert_eq!(n(1970, 1, -1, Pad::Default), "1970");
        // `%s` asks for one digit: the width pads through `cpy`, so zeros go before the sign.
        assert_eq!(n(-5, 1, 6, Pad::Zero), "0000-5");
        assert_eq!(n(-5, 1, 6, Pad::Default), "    -5");
    }

    #[test]
    fn text_padding_and_case() {
        let c = |t: &str, w, p, k| run(|s| s.cpy(t, t.chars().count(), w, p, k)).unwrap();
        assert_eq!(c("Thu", 6, Pad::Default, Case::Keep), "   Thu");
        assert_eq!(c("Thu", 6, Pad::Zero, Case::Upper), "000THU");
        assert_eq!(c("AM", -1, Pad::None, Case::Lower), "am");
    }

    #[test]
    fn overflow_is_detected_before_writing() {
        let mut s = String::new();
        let mut sink = Sink::new(&mut s, 1024);
        assert_eq!(
            sink.cpy("x", 1, i64::from(i32::MAX), Pad::Zero, Case::Keep),
            Err(Overflow)
        );
        assert_eq!(
            sink.number(1, i64::from(i32::MAX), -1, Pad::Space),
            Err(Overflow)
        );
        assert_eq!(sink.number(1, 1024, -1, Pad::Default), Err(Overflow));
        assert!(sink.number(1, 1022, -1, Pad::Default).is_ok());
        assert_eq!(sink.chars(), 1022);
        assert_eq!(sink.literal("a", 1), Ok(()));
        assert_eq!(sink.literal("b", 1), Err(Overflow));
        assert_eq!(s.len(), 1023);
    }
}
