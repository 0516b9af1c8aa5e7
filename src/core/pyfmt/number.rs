//! Number rendering shared by `%` and `format()`: a port of CPython's `PyOS_double_to_string`
//! (Python/pystrtod.c), integer digits in bases 2/8/10/16, and digit grouping
//! (`_PyUnicode_InsertThousandsGrouping`).
//!
//! CPython gets its digits from David Gay's `dtoa`; Rust's float formatting is correctly
//! rounded too (round-half-even on the exact binary value, shortest round-trip digits for
//! `{:e}`), so the digits come from `format!` and only the layout rules are ported. Rust's
//! runtime precisions are limited to `u16::MAX`, so digit generation is clamped to the point
//! past which every double's exact expansion is only zeros, and the zeros are padded here.

use crate::core::error::{Error, Result};

use super::{overflow_error, MAX_PRECISION};

/// Significant digits past which every double's exact decimal expansion is zeros (767 at most).
const MAX_SIG_DIGITS: usize = 800;
/// Fractional digits past which every double's exact decimal expansion is zeros (1074 at most).
const MAX_FRAC_DIGITS: usize = 1100;

/// The `flags` of `PyOS_double_to_string`.
#[derive(Clone, Copy, Debug, Default)]
pub struct FloatFlags {
    /// `Py_DTSF_SIGN`: always write a sign.
    pub add_sign: bool,
    /// `Py_DTSF_ADD_DOT_0`: write `1.0` rather than `1` for integral values (repr, `format()`
    /// without a type).
    pub add_dot_0: bool,
    /// `Py_DTSF_ALT`: the `#` flag (keep the decimal point and trailing zeros).
    pub alt: bool,
    /// `Py_DTSF_NO_NEG_0`: the `z` flag (a result that rounds to zero loses its minus sign).
    pub no_neg_0: bool,
}

/// A digit string as `dtoa` returns it: no trailing zeros (zero itself is `"0"`), with the
/// decimal point `decpt` places from its start.
struct Digits {
    digits: Vec<u8>,
    decpt: i64,
}

impl Digits {
    fn zero() -> Digits {
        Digits {
            digits: vec![b'0'],
            decpt: 1,
        }
    }

    fn trimmed(mut digits: Vec<u8>, decpt: i64) -> Digits {
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        if digits.is_empty() {
            Digits::zero()
        } else {
            Digits { digits, decpt }
        }
    }

    /// Reads Rust's exponent form `d.ddde-N`.
    fn from_exp_form(s: &str) -> Digits {
        let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
        let exp: i64 = exp.parse().unwrap_or(0);
        let digits: Vec<u8> = mant.bytes().filter(u8::is_ascii_digit).collect();
        Digits::trimmed(digits, exp + 1)
    }
}

/// `dtoa` mode 0: the shortest digits that round-trip, and of those the closest to the exact
/// value, ties going to the even digit.
///
/// Rust's shortest formatting breaks such ties upwards (`2094465496176776.25` prints as
/// `...776.3`, Python's repr says `...776.2`). A tie needs an exact expansion only one digit
/// longer than the shortest form, which takes at least 17 significant digits, so only long
/// results are checked: the correctly rounded (half-even) string of the same length wins
/// whenever it also round-trips ([`tie_round_trips`]).
fn shortest(ax: f64) -> Digits {
    let s = format!("{ax:e}");
    let d = Digits::from_exp_form(&s);
    if d.digits.len() >= 16 {
        let n = d.digits.len();
        let even = format!("{:.*e}", n - 1, ax);
        if even != s {
            let e = Digits::from_exp_form(&even);
            if e.digits.len() == n && e.decpt == d.decpt && tie_round_trips(ax, &e, &d) {
                return e;
            }
        }
    }
    d
}

/// Whether `e`, the half-even neighbour of a tie whose other neighbour `d` round-trips (both
/// `n` digits, half a unit in the last place from `ax`'s exact value), reads back as `ax`.
///
/// Decided exactly without parsing (a `str::parse::<f64>` links ~18 KB of Wasm): when the
/// rounding interval of `ax` is symmetric, `e` is as close to `ax` as `d` and round-trips
/// too. Only a power of two above the smallest normal has a lower half-gap half as wide,
/// `ax * 2^-54`; with `ax = (D + 1/2) * 10^q` (`D` the digits of `e` as an integer) `e` below
/// `ax` reads back as `ax` iff `1/2 <= (D + 1/2) * 2^-54`, i.e. `2D + 1 >= 2^54` (parsing
/// breaks an exact tie towards the even mantissa, `ax`'s; `2D + 1` is odd, so no tie). Above
/// `ax` the gap is `ax * 2^-53`: `2D - 1 >= 2^53`, i.e. `2D > 2^53`.
fn tie_round_trips(ax: f64, e: &Digits, d: &Digits) -> bool {
    let bits = ax.to_bits();
    if bits & ((1 << 52) - 1) != 0 || (bits >> 52) & 0x7ff <= 1 {
        return true;
    }
    // At most 17 digits: below 2^57.
    let int = |x: &Digits| {
        x.digits
            .iter()
            .fold(0u64, |a, &b| a * 10 + u64::from(b.wrapping_sub(b'0')))
    };
    let de = int(e);
    if de < int(d) {
        2 * de + 1 >= 1 << 54
    } else {
        2 * de > 1 << 53
    }
}

/// `dtoa` mode 2: `n` significant digits, correctly rounded.
fn significant(ax: f64, n: usize) -> Digits {
    let n = n.clamp(1, MAX_SIG_DIGITS);
    Digits::from_exp_form(&format!("{:.*e}", n - 1, ax))
}

/// `dtoa` mode 3: `n` digits after the decimal point, correctly rounded.
fn fixed(ax: f64, n: usize) -> Digits {
    let s = format!("{:.*}", n.min(MAX_FRAC_DIGITS), ax);
    let (int_part, frac_part) = s.split_once('.').unwrap_or((&s, ""));
    let all: Vec<u8> = int_part.bytes().chain(frac_part.bytes()).collect();
    let lead = all.iter().take_while(|&&b| b == b'0').count();
    if lead == all.len() {
        return Digits::zero();
    }
    let decpt = int_part.len() as i64 - lead as i64;
    Digits::trimmed(all.get(lead..).unwrap_or_default().to_vec(), decpt)
}

fn push_zeros(out: &mut String, n: i64) {
    if n > 0 {
        super::push_repeat(out, '0', n as usize);
    }
}

/// `PyOS_double_to_string(x, code, precision, flags)`: `code` is one of `e E f F g G r`
/// (`r` is `repr`, whose precision must be 0). Upper-case codes write `E`, `INF`, `NAN`.
///
/// `precision` is clamped to [`MAX_PRECISION`]; callers report larger ones as errors first.
pub fn double_to_string(x: f64, code: char, precision: usize, flags: FloatFlags) -> String {
    let upper = code.is_ascii_uppercase();
    let code = code.to_ascii_lowercase();
    let mut precision = precision.min(MAX_PRECISION as usize) as i64;
    let mut out = String::new();

    if !x.is_finite() {
        // dtoa ignores the sign of a NaN.
        if x.is_infinite() && x < 0.0 {
            out.push('-');
        } else if flags.add_sign {
            out.push('+');
        }
        out.push_str(match (x.is_nan(), upper) {
            (true, false) => "nan",
            (true, true) => "NAN",
            (false, false) => "inf",
            (false, true) => "INF",
        });
        return out;
    }

    let ax = x.abs();
    let d = match code {
        'e' => {
            precision += 1;
            significant(ax, precision as usize)
        }
        'f' => fixed(ax, precision as usize),
        'g' => {
            // precision 0 makes no sense for 'g'; CPython reads it as 1.
            if precision == 0 {
                precision = 1;
            }
            significant(ax, precision as usize)
        }
        _ => shortest(ax),
    };
    let mut sign = x.is_sign_negative();
    if flags.no_neg_0 && sign && d.digits == b"0" {
        sign = false;
    }

    // The layout below is format_float_short's: a slice vdigits[vdigits_start..vdigits_end]
    // of the digits padded with zeros on both sides, with the point after position decpt.
    let digits = &d.digits;
    let digits_len = digits.len() as i64;
    let mut decpt = d.decpt;
    let mut vdigits_end = digits_len;
    let mut use_exp = false;
    match code {
        'e' => {
            use_exp = true;
            vdigits_end = precision;
        }
        'f' => vdigits_end = decpt + precision,
        'g' => {
            let limit = if flags.add_dot_0 {
                precision - 1
            } else {
                precision
            };
            if decpt <= -4 || decpt > limit {
                use_exp = true;
            }
            if flags.alt {
                vdigits_end = precision;
            }
        }
        _ => {
            // repr switches to exponent form at 1e16.
            if decpt <= -4 || decpt > 16 {
                use_exp = true;
            }
        }
    }
    let mut exp = 0;
    if use_exp {
        exp = decpt - 1;
        decpt = 1;
    }
    let vdigits_start = if decpt <= 0 { decpt - 1 } else { 0 };
    vdigits_end = if !use_exp && flags.add_dot_0 {
        vdigits_end.max(decpt + 1)
    } else {
        vdigits_end.max(decpt)
    };

    if sign {
        out.push('-');
    } else if flags.add_sign {
        out.push('+');
    }
    if decpt <= 0 {
        push_zeros(&mut out, decpt - vdigits_start);
        out.push('.');
        push_zeros(&mut out, -decpt);
    } else {
        push_zeros(&mut out, -vdigits_start);
    }
    let push_digits = |out: &mut String, bytes: &[u8]| {
        out.extend(bytes.iter().map(|&b| b as char));
    };
    if 0 < decpt && decpt <= digits_len {
        let (a, b) = digits.split_at(decpt as usize);
        push_digits(&mut out, a);
        out.push('.');
        push_digits(&mut out, b);
    } else {
        push_digits(&mut out, digits);
    }
    if digits_len < decpt {
        push_zeros(&mut out, decpt - digits_len);
        out.push('.');
        push_zeros(&mut out, vdigits_end - decpt);
    } else {
        push_zeros(&mut out, vdigits_end - digits_len);
    }
    if out.ends_with('.') && !flags.alt {
        out.pop();
    }
    if use_exp {
        out.push(if upper { 'E' } else { 'e' });
        // "%+.02d": a sign and at least two digits.
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
    }
    out
}

/// Python's `int(x)` of a float, as sign and decimal digits (a float's integer part can have
/// 309 digits, more than any machine integer holds).
pub fn float_to_int_digits(x: f64) -> Result<(bool, String)> {
    if x.is_nan() {
        return Err(Error::value_error("cannot convert float NaN to integer"));
    }
    if x.is_infinite() {
        return Err(overflow_error("cannot convert float infinity to integer"));
    }
    let t = x.trunc();
    // The common case (msecs, small counts): exactly representable in u64, printed as an
    // integer. `{:.0}` on the float is exact too but runs the bignum path: 7% of an enabled
    // log call's instructions went there for `%03d` of `msecs` (callgrind).
    if t.abs() < 9_007_199_254_740_992.0 {
        return Ok((t < 0.0, (t.abs() as u64).to_string()));
    }
    // An integral float formats exactly with precision 0.
    Ok((t < 0.0, format!("{:.0}", t.abs())))
}

/// The magnitude of `mag` in `base` (2, 8, 10 or 16), lower-case, without sign or prefix.
pub fn int_digits(mag: u64, base: u32) -> String {
    match base {
        2 => format!("{mag:b}"),
        8 => format!("{mag:o}"),
        16 => format!("{mag:x}"),
        _ => mag.to_string(),
    }
}

/// The `0b`/`0o`/`0x` prefix CPython writes for `#` in `base`, or `""` for base 10.
pub fn base_prefix(base: u32) -> &'static str {
    match base {
        2 => "0b",
        8 => "0o",
        16 => "0x",
        _ => "",
    }
}

/// `_PyUnicode_InsertThousandsGrouping`: the ASCII `digits` with `sep` inserted every
/// `group` digits from the right (`None`: no grouping), left-padded with zeros (and
/// separators between them) up to `min_width` characters — how `format(1234, '010,')`
/// becomes `00,001,234`. `digits` (ASCII) must not be empty, `sep` must be ASCII, and
/// `min_width` is bounded by the caller.
pub fn group_digits(digits: &[u8], min_width: i64, grouping: Option<(char, i64)>) -> String {
    let mut min_width = min_width.max(0);
    let mut remaining = digits.len() as i64;
    // Everything written here is ASCII, so bytes (not 4-byte chars) keep a wide field small.
    let mut rev: Vec<u8> = Vec::with_capacity(digits.len() + min_width as usize);
    let mut src = digits.iter().rev();
    // One group, written right to left: separator, digits, then zero padding.
    let mut fill = |rev: &mut Vec<u8>, n_chars: i64, n_zeros: i64, sep: Option<char>| {
        if let Some(s) = sep {
            rev.push(s as u8);
        }
        for _ in 0..n_chars {
            if let Some(&b) = src.next() {
                rev.push(b);
            }
        }
        for _ in 0..n_zeros {
            rev.push(b'0');
        }
    };
    let mut use_sep = false;
    let mut done = false;
    if let Some((sep, size)) = grouping {
        loop {
            let len = size.min(remaining.max(min_width).max(1));
            let n_zeros = (len - remaining).max(0);
            let n_chars = remaining.min(len).max(0);
            fill(&mut rev, n_chars, n_zeros, use_sep.then_some(sep));
            use_sep = true;
            remaining -= n_chars;
            min_width -= len;
            if remaining <= 0 && min_width <= 0 {
                done = true;
                break;
            }
            min_width -= 1; // the separator's width
        }
    }
    if !done {
        let len = remaining.max(min_width).max(1);
        let n_zeros = (len - remaining).max(0);
        let n_chars = remaining.min(len).max(0);
        let sep = grouping.and_then(|(s, _)| use_sep.then_some(s));
        fill(&mut rev, n_chars, n_zeros, sep);
    }
    rev.iter().rev().map(|&b| char::from(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(x: f64, code: char, p: usize) -> String {
        double_to_string(x, code, p, FloatFlags::default())
    }

    fn alt(x: f64, code: char, p: usize) -> String {
        let flags = FloatFlags {
            alt: true,
            ..FloatFlags::default()
        };
        double_to_string(x, code, p, flags)
    }

    /// The parse-free tie check gives what parsing the half-even string back gives: every
    /// power of two (the only asymmetric intervals) and many other doubles.
    #[test]
    fn shortest_matches_parse_round_trip() {
        fn reference(ax: f64) -> String {
            let s = format!("{ax:e}");
            let d = Digits::from_exp_form(&s);
            let n = d.digits.len();
            if n >= 16 {
                let even = format!("{:.*e}", n - 1, ax);
                if even != s && even.parse::<f64>() == Ok(ax) {
                    let e = Digits::from_exp_form(&even);
                    if e.digits.len() == n {
                        return format!("{:?}/{}", e.digits, e.decpt);
                    }
                }
            }
            format!("{:?}/{}", d.digits, d.decpt)
        }
        let check = |x: f64| {
            let got = shortest(x);
            assert_eq!(
                format!("{:?}/{}", got.digits, got.decpt),
                reference(x),
                "{x:e}"
            );
        };
        for e in 1..0x7ffu64 {
            check(f64::from_bits(e << 52));
            check(f64::from_bits(e << 52 | 1));
            check(f64::from_bits((e << 52) - 1));
        }
        check(2094465496176776.0 + 0.25);
        check(2069283682251838.0 + 0.25);
        // Exact ties one digit past 16 and 17 significant digits.
        // (`step_by` takes a usize, 32 bits on wasm32: step by multiplication instead.)
        for k in (0..=5000u64).map(|j| j * 450_359_962_737) {
            check(((1u64 << 51) + k) as f64 + 0.5);
            check(((1u64 << 50) + k / 2) as f64 + 0.25);
            check(((1u64 << 50) + k / 2) as f64 + 0.75);
        }
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x >> 1);
            if f.is_finite() {
                check(f);
            }
        }
    }

    #[test]
    fn fixed_and_exponent() {
        assert_eq!(d(0.5, 'f', 0), "0");
        assert_eq!(d(1.5, 'f', 0), "2");
        assert_eq!(d(2.5, 'f', 0), "2");
        assert_eq!(d(0.125, 'f', 2), "0.12");
        assert_eq!(d(-0.0001, 'f', 2), "-0.00");
        assert_eq!(d(1e-310, 'e', 6), "1.000000e-310");
        assert_eq!(d(5.5, 'e', 0), "6e+00");
        assert_eq!(alt(1.0, 'f', 0), "1.");
        assert_eq!(alt(1.0, 'e', 0), "1.e+00");
        assert_eq!(d(f64::INFINITY, 'F', 2), "INF");
        assert_eq!(d(-f64::NAN, 'e', 2), "nan");
        assert!(d(1e300, 'f', 2).ends_with("400540160.00"));
        assert_eq!(d(1.0, 'f', 2000).len(), 2002);
        assert_eq!(d(1.0, 'e', 2000).len(), 2006);
    }

    #[test]
    fn general() {
        assert_eq!(d(1e-5, 'g', 6), "1e-05");
        assert_eq!(d(1e16, 'G', 6), "1E+16");
        assert_eq!(d(123456.0, 'g', 6), "123456");
        assert_eq!(d(1234567.0, 'g', 6), "1.23457e+06");
        assert_eq!(d(1234567.0, 'g', 10), "1234567");
        assert_eq!(alt(1.0, 'g', 6), "1.00000");
        assert_eq!(alt(1.0, 'g', 3), "1.00");
        assert_eq!(alt(5.5, 'g', 0), "6.");
        assert_eq!(d(0.0, 'g', 6), "0");
        assert_eq!(alt(0.0, 'g', 6), "0.00000");
    }

    #[test]
    fn no_negative_zero() {
        let z = FloatFlags {
            no_neg_0: true,
            ..FloatFlags::default()
        };
        assert_eq!(double_to_string(-1e-10, 'f', 3, z), "0.000");
        assert_eq!(double_to_string(-1e-10, 'e', 3, z), "-1.000e-10");
        assert_eq!(double_to_string(-0.0, 'r', 0, z), "0");
    }

    #[test]
    fn grouping() {
        let g = |s: &str, w: i64, gr: Option<(char, i64)>| group_digits(s.as_bytes(), w, gr);
        assert_eq!(g("1234", 10, Some((',', 3))), "00,001,234");
        assert_eq!(g("1234", 0, Some((',', 3))), "1,234");
        assert_eq!(g("123", 0, Some((',', 3))), "123");
        assert_eq!(g("1234567", 0, Some(('_', 4))), "123_4567");
        assert_eq!(g("5", 5, None), "00005");
        assert_eq!(g("5", 0, None), "5");
    }

    #[test]
    fn float_ints() {
        assert_eq!(float_to_int_digits(-1.9), Ok((true, "1".to_string())));
        assert_eq!(float_to_int_digits(-0.5), Ok((false, "0".to_string())));
        assert_eq!(
            float_to_int_digits(1e20),
            Ok((false, "100000000000000000000".to_string()))
        );
        assert!(float_to_int_digits(f64::NAN).is_err());
    }
}
