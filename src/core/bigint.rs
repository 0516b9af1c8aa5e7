//! Python `int`s outside 64 bits. The core's [`Value::Int`] is an `i64` (what Wasm hosts
//! hand over: JS numbers are integers up to 2^53); a larger int from a host (a JS `bigint`, a
//! WIT big-int node, a received pickle) is this object, kept as its decimal digits, so that
//! `str()`, `repr()`, `%d`/`%i`/`%u`, `%x`/`%X`/`%o` and `json.dumps` print exactly what
//! CPython prints; `%f`/`%e`/`%g` see it as the nearest float, as CPython's do.

use std::rc::Rc;

use super::error::Result;
use super::value::{PyObject, Value};

/// An `int` that does not fit in 64 bits: its sign and decimal digits (no leading zeros).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigInt {
    negative: bool,
    digits: String,
}

impl BigInt {
    /// The int written as `digits` (an optional `-`, then ASCII digits): a [`Value::Int`]
    /// when it fits in 64 bits, else a `BigInt` object; `None` if it is not such a string.
    pub fn parse(digits: &str) -> Option<Value> {
        let (negative, body) = match digits.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, digits.strip_prefix('+').unwrap_or(digits)),
        };
        if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Ok(n) = digits.parse::<i64>() {
            return Some(Value::Int(n));
        }
        let body = body.trim_start_matches('0');
        Some(Value::Object(Rc::new(BigInt {
            negative,
            digits: body.to_owned(),
        })))
    }

    /// Whether it is below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The magnitude's digits in `base` (2 to 36, lower case), as `format(abs(n), 'x')` etc.
    pub fn magnitude_in_base(&self, base: u32) -> String {
        if base == 10 {
            return self.digits.clone();
        }
        // Repeated division of the decimal digit vector: quadratic, and these are rare.
        let mut num: Vec<u32> = self.digits.bytes().map(|b| u32::from(b - b'0')).collect();
        let mut out = Vec::new();
        while !(num.is_empty() || num.len() == 1 && num[0] == 0) {
            let mut rem = 0u32;
            let mut next = Vec::with_capacity(num.len());
            for d in &num {
                let cur = rem * 10 + d;
                let q = cur / base;
                rem = cur % base;
                if !(next.is_empty() && q == 0) {
                    next.push(q);
                }
            }
            out.push(std::char::from_digit(rem, base).unwrap_or('0'));
            num = next;
        }
        if out.is_empty() {
            out.push('0');
        }
        out.iter().rev().collect()
    }

    /// The decimal text, with its sign (`repr(n)`).
    pub fn to_decimal(&self) -> String {
        if self.negative {
            format!("-{}", self.digits)
        } else {
            self.digits.clone()
        }
    }
}

impl PyObject for BigInt {
    fn type_name(&self) -> &str {
        "int"
    }
    fn py_repr(&self) -> Result<String> {
        Ok(self.to_decimal())
    }
    fn as_float(&self) -> Option<f64> {
        self.to_decimal().parse().ok()
    }
    fn py_format(&self, spec: &str) -> Option<Result<String>> {
        (spec.is_empty() || spec == "d").then(|| Ok(self.to_decimal()))
    }
    fn as_big_int(&self) -> Option<&BigInt> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big(s: &str) -> BigInt {
        match BigInt::parse(s) {
            Some(Value::Object(o)) => o.as_big_int().cloned().unwrap(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn small_ints_stay_ints_and_big_ones_convert_between_bases() {
        assert!(matches!(BigInt::parse("-42"), Some(Value::Int(-42))));
        assert!(BigInt::parse("12a").is_none());
        let b = big("18446744073709551616");
        assert_eq!(b.magnitude_in_base(16), "10000000000000000");
        assert_eq!(b.magnitude_in_base(8), "2000000000000000000000");
        assert_eq!(
            big("-000340282366920938463463374607431768211455").to_decimal(),
            "-340282366920938463463374607431768211455"
        );
        assert_eq!(
            big("340282366920938463463374607431768211455").magnitude_in_base(16),
            "f".repeat(32)
        );
    }
}
