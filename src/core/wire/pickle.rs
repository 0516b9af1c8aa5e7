//! CPython's pickle as `SocketHandler` speaks it: the protocol-1 writer behind
//! `SocketHandler.makePickle`, the same record dict as a JSON frame, and (re-exported from the
//! reader module) [`loads_plain`], a restricted unpickler for what a receiver needs.
//!
//! # Byte-identical to CPython's C pickler
//!
//! [`dumps`] writes exactly what CPython 3.13's `pickle.dumps(v, 1)` writes for the value
//! Python would hold:
//!
//! - `None` is `N`; `True`/`False` are `I01\n`/`I00\n` (protocol 1 has no `NEWTRUE`).
//! - An `int` in the signed 32-bit range is `BININT1` (0..=255), `BININT2` (256..=65535) or
//!   `BININT` (the rest, negatives included); outside it, `LONG` with the decimal digits and
//!   a trailing `L\n` (CPython keeps Python 2's suffix below protocol 2).
//! - A `float` is `BINFLOAT` with the IEEE-754 bits big-endian.
//! - A `str` is `BINUNICODE` (4-byte little-endian length, UTF-8), then `BINPUT` /
//!   `LONG_BINPUT` of the next memo index. Every string is memoized but never looked up
//!   again, because every string is taken to be a distinct object — except the ones CPython
//!   itself shares: `''` and one-character strings below U+0100 are singletons in CPython, so
//!   a second occurrence is a `BINGET` of the first.
//! - A `list` is `EMPTY_LIST` + memo, then one `APPEND` for a single item, or `MARK … APPENDS`
//!   batches of 1000. A `dict` is `EMPTY_DICT` + memo, then one `SETITEM`, or
//!   `MARK … SETITEMS` batches of 1000 — and when the size is a multiple of 1000 CPython's
//!   loop writes one more, empty, `MARK SETITEMS` (lists do not have that quirk).
//! - A `tuple` is `EMPTY_TUPLE` (not memoized) when empty, else `MARK items TUPLE` + memo.
//! - Dict keys that Python finds equal (`1`, `True`, `1.0`) collapse as in a Python dict: the
//!   first key in its first place, with the last value.
//! - A [`Value::Object`] is pickled as its `str()`, a fresh string (and as a dict key, is that
//!   string as a key).
//!
//! Containers deeper than [`MAX_DEPTH`] are an error rather than a stack overflow.

use std::rc::Rc;

use super::opcodes::*;
use super::WireError;
use crate::core::pyfmt::repr::dict_entries;
use crate::core::record::LogRecord;
use crate::core::value::{Text, Value};

pub use super::unpickle::{loads_plain, loads_plain_with, Limits};

/// Deepest container nesting [`dumps`] writes (CPython would raise `RecursionError` somewhat
/// later; a wasm stack is smaller than CPython's).
pub const MAX_DEPTH: usize = 500;

/// CPython's `BATCHSIZE`: items per `APPENDS` / `SETITEMS`.
const BATCH: usize = 1000;

/// `pickle.dumps(value, 1)`, byte for byte as CPython 3.13's C pickler writes it (see the
/// [module documentation](self) for the rules, including which strings count as shared).
///
/// ```
/// use wasm_logging::core::wire::pickle::dumps;
/// use wasm_logging::Value;
///
/// let v = Value::dict([("a", Value::Int(1))]);
/// assert_eq!(dumps(&v).unwrap(), b"}q\x00X\x01\x00\x00\x00aq\x01K\x01s.");
/// ```
pub fn dumps(value: &Value) -> Result<Vec<u8>, WireError> {
    let mut p = Pickler::default();
    p.save(value, 0)?;
    p.out.push(STOP);
    Ok(p.out)
}

/// `SocketHandler.makePickle(record)`: the record's `__dict__` with `msg` replaced by
/// `getMessage()`, `args` and `exc_info` set to `None` and `message` dropped, pickled with
/// protocol 1 and prefixed with its length as a 4-byte big-endian integer.
///
/// `exc_text` is whatever the record holds: CPython's `makePickle` formats the record first
/// when it has `exc_info`, so a handler should do the same before calling this.
///
/// Besides the shared strings of [`dumps`], this knows the sharing a real `LogRecord` has:
/// `filename` is the very `pathname` object when the path has no `/`, and `module` is the
/// very `filename` object when the name has no extension (`os.path.basename` and `splitext`
/// return their argument then), so those are `BINGET`s as in CPython; and a message that is
/// `str()` of an int is a new string even when it is one digit (`int.__str__` does not
/// return the one-character singletons that `%`-formatting does).
pub fn make_pickle(record: &LogRecord) -> Result<Vec<u8>, WireError> {
    let items = socket_dict(record)?;
    let mut p = Pickler {
        record_top: true,
        // `str(n)` of an int builds a new string even for one digit (no singleton).
        fresh_msg: record.args.is_empty() && matches!(record.msg, Value::Int(_)),
        ..Pickler::default()
    };
    p.save(&Value::Dict(Rc::new(items)), 0)?;
    p.out.push(STOP);
    length_prefixed(p.out)
}

/// The dict of [`make_pickle`] as `json.dumps(d)` writes it (`", "` and `": "` separators,
/// `ensure_ascii`, `NaN`/`Infinity` as Python writes them), UTF-8, with the same 4-byte
/// big-endian length prefix: a frame that a receiver in any language can read with a JSON
/// parser (and Python with `json.loads`). Values JSON cannot represent are a `TypeError`, as
/// in Python.
pub fn make_json_frame(record: &LogRecord) -> Result<Vec<u8>, WireError> {
    let items = socket_dict(record)?;
    let text = crate::core::jsonfmt::dumps(&Value::Dict(Rc::new(items)))?;
    length_prefixed(text.into_bytes())
}

/// `d = dict(record.__dict__); d['msg'] = record.getMessage(); d['args'] = None;
/// d['exc_info'] = None; d.pop('message', None)`.
fn socket_dict(record: &LogRecord) -> Result<Vec<(Value, Value)>, WireError> {
    let Value::Dict(attrs) = record.to_dict() else {
        return Err(WireError::new("record.__dict__ is not a dict"));
    };
    let msg = record.get_message()?;
    let mut items = Vec::with_capacity(attrs.len());
    for (k, v) in attrs.iter() {
        let v = match k.as_str() {
            Some("msg") => Value::Str(Text::from(msg.clone())),
            Some("args" | "exc_info") => Value::None,
            Some("message") => continue,
            _ => v.clone(),
        };
        items.push((k.clone(), v));
    }
    Ok(items)
}

/// `struct.pack(">L", len(s)) + s`.
fn length_prefixed(body: Vec<u8>) -> Result<Vec<u8>, WireError> {
    let len = u32::try_from(body.len()).map_err(|_| {
        WireError::new("struct.error: 'L' format requires 0 <= number <= 4294967295")
    })?;
    let mut out = Vec::with_capacity(body.len() + 4);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

/// The protocol-1 writer's state: the output and the memo (which only counts, since no object
/// but the singleton strings is ever looked up again).
#[derive(Default)]
struct Pickler {
    out: Vec<u8>,
    /// The next memo index (`len(memo)`).
    memo_len: u64,
    /// Memo indices of the singleton strings: index 0 is `''`, `1 + c` the character `c`.
    singletons: Vec<Option<u64>>,
    /// Writing `makePickle`'s record dict: model its `pathname`/`filename`/`module` sharing.
    record_top: bool,
    /// The record dict's `msg` is a new string object whatever its length.
    fresh_msg: bool,
    /// Memo index of `pathname` and `filename` as written (record dict only).
    pathname: Option<(Text, u64)>,
    filename: Option<(Text, u64)>,
}

impl Pickler {
    fn save(&mut self, value: &Value, depth: usize) -> Result<(), WireError> {
        match value {
            Value::None => self.out.push(NONE),
            Value::Bool(b) => self
                .out
                .extend_from_slice(if *b { b"I01\n" } else { b"I00\n" }),
            Value::Int(i) => self.save_int(*i),
            Value::Float(f) => {
                self.out.push(BINFLOAT);
                self.out.extend_from_slice(&f.to_bits().to_be_bytes());
            }
            Value::Str(s) => {
                self.save_str(s)?;
            }
            Value::Object(o) => {
                let s = o.py_str()?;
                self.save_str(&s)?;
            }
            Value::List(items) => {
                let depth = enter(depth)?;
                self.out.push(EMPTY_LIST);
                self.memo_put()?;
                if let [single] = items.as_slice() {
                    self.save(single, depth)?;
                    self.out.push(APPEND);
                } else {
                    // CPython: `do { MARK; up to BATCHSIZE items; APPENDS } while (more)`.
                    for batch in items.chunks(BATCH) {
                        self.out.push(MARK);
                        for item in batch {
                            self.save(item, depth)?;
                        }
                        self.out.push(APPENDS);
                    }
                }
            }
            Value::Tuple(items) => {
                if items.is_empty() {
                    self.out.push(EMPTY_TUPLE);
                    return Ok(());
                }
                let depth = enter(depth)?;
                self.out.push(MARK);
                for item in items.iter() {
                    self.save(item, depth)?;
                }
                self.out.push(TUPLE);
                self.memo_put()?;
            }
            Value::Dict(items) => {
                let top = depth == 0;
                let depth = enter(depth)?;
                for (k, _) in items.iter() {
                    check_hashable(k, 0)?;
                }
                // Object keys are pickled as their str(), so they are that str as keys too.
                let with_str_keys;
                let items: &[(Value, Value)] =
                    if items.iter().any(|(k, _)| matches!(k, Value::Object(_))) {
                        with_str_keys = str_keys(items)?;
                        &with_str_keys
                    } else {
                        items
                    };
                self.out.push(EMPTY_DICT);
                self.memo_put()?;
                let entries = dict_entries(items);
                if let [(k, v)] = entries.as_slice() {
                    self.save(k, depth)?;
                    self.save_item_value(k, v, depth, top)?;
                    self.out.push(SETITEM);
                    return Ok(());
                }
                if entries.is_empty() {
                    return Ok(());
                }
                // CPython's `batch_dict_exact`: `do { MARK; up to BATCHSIZE items; SETITEMS }
                // while (the batch was full)` — so a multiple of 1000 ends with an empty batch.
                let mut rest = entries.as_slice();
                loop {
                    let n = rest.len().min(BATCH);
                    self.out.push(MARK);
                    for (k, v) in &rest[..n] {
                        self.save(k, depth)?;
                        self.save_item_value(k, v, depth, top)?;
                    }
                    self.out.push(SETITEMS);
                    rest = &rest[n..];
                    if n < BATCH {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// A dict value; in `makePickle`'s record dict, `filename` and `module` may be the same
    /// object as the attribute before them (see [`make_pickle`]).
    fn save_item_value(
        &mut self,
        key: &Value,
        value: &Value,
        depth: usize,
        top: bool,
    ) -> Result<(), WireError> {
        if !(self.record_top && top) {
            return self.save(value, depth);
        }
        let (Some(key), Value::Str(s)) = (key.as_str(), value) else {
            return self.save(value, depth);
        };
        match key {
            "msg" if self.fresh_msg => {
                self.write_str(s)?;
            }
            "pathname" => {
                let idx = self.save_str(s)?;
                self.pathname = Some((s.clone(), idx));
            }
            "filename" => {
                let idx = match &self.pathname {
                    Some((p, idx)) if p == s && !p.contains('/') => {
                        let idx = *idx;
                        self.memo_get(idx);
                        idx
                    }
                    _ => self.save_str(s)?,
                };
                self.filename = Some((s.clone(), idx));
            }
            "module" => match &self.filename {
                Some((f, idx)) if f == s => {
                    let idx = *idx;
                    self.memo_get(idx);
                }
                _ => {
                    self.save_str(s)?;
                }
            },
            _ => self.save(value, depth)?,
        }
        Ok(())
    }

    /// `save_long` for protocol 1; see the module documentation.
    fn save_int(&mut self, i: i64) {
        if let Ok(small) = i32::try_from(i) {
            let b = small.to_le_bytes();
            if b[2] != 0 || b[3] != 0 {
                self.out.push(BININT);
                self.out.extend_from_slice(&b);
            } else if b[1] != 0 {
                self.out.push(BININT2);
                self.out.extend_from_slice(&b[..2]);
            } else {
                self.out.push(BININT1);
                self.out.push(b[0]);
            }
        } else {
            self.out.push(LONG);
            self.out.extend_from_slice(i.to_string().as_bytes());
            self.out.extend_from_slice(b"L\n");
        }
    }

    /// Writes a string (or the memo reference of a singleton already written); returns the
    /// memo index that now holds it.
    fn save_str(&mut self, s: &str) -> Result<u64, WireError> {
        let slot = singleton_slot(s);
        if let Some(slot) = slot {
            if let Some(Some(idx)) = self.singletons.get(slot) {
                let idx = *idx;
                self.memo_get(idx);
                return Ok(idx);
            }
        }
        let idx = self.write_str(s)?;
        if let Some(slot) = slot {
            if self.singletons.len() <= slot {
                self.singletons.resize(slot + 1, None);
            }
            self.singletons[slot] = Some(idx);
        }
        Ok(idx)
    }

    /// `BINUNICODE` and its memo entry, for a string object seen for the first time; returns
    /// the memo index.
    fn write_str(&mut self, s: &str) -> Result<u64, WireError> {
        let len = u32::try_from(s.len()).map_err(|_| {
            WireError::new(
                "OverflowError: serializing a string larger than 4 GiB requires pickle \
                 protocol 4 or higher",
            )
        })?;
        self.out.push(BINUNICODE);
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(s.as_bytes());
        self.memo_put()
    }

    /// `BINPUT` / `LONG_BINPUT` of the next index; returns it.
    fn memo_put(&mut self) -> Result<u64, WireError> {
        let idx = self.memo_len;
        if idx < 256 {
            self.out.push(BINPUT);
            self.out.push(idx as u8);
        } else {
            let long = u32::try_from(idx)
                .map_err(|_| WireError::new("PicklingError: memo id too large for LONG_BINPUT"))?;
            self.out.push(LONG_BINPUT);
            self.out.extend_from_slice(&long.to_le_bytes());
        }
        self.memo_len += 1;
        Ok(idx)
    }

    /// `BINGET` / `LONG_BINGET` of an index already written by [`Pickler::memo_put`] (so it
    /// fits 32 bits).
    fn memo_get(&mut self, idx: u64) {
        if idx < 256 {
            self.out.push(BINGET);
            self.out.push(idx as u8);
        } else {
            self.out.push(LONG_BINGET);
            self.out
                .extend_from_slice(&(idx.min(u64::from(u32::MAX)) as u32).to_le_bytes());
        }
    }
}

/// The singleton table slot of a string CPython shares (`''` and one character below
/// U+0100), or `None` for a string that is a fresh object.
fn singleton_slot(s: &str) -> Option<usize> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Some(0),
        (Some(c), None) if (c as u32) < 256 => Some(1 + c as usize),
        _ => None,
    }
}

/// A dict's items with every object key replaced by its `str()`.
fn str_keys(items: &[(Value, Value)]) -> Result<Vec<(Value, Value)>, WireError> {
    items
        .iter()
        .map(|(k, v)| {
            let k = match k {
                Value::Object(o) => Value::Str(Text::from(o.py_str()?)),
                k => k.clone(),
            };
            Ok((k, v.clone()))
        })
        .collect()
}

/// One level deeper, or an error past [`MAX_DEPTH`].
fn enter(depth: usize) -> Result<usize, WireError> {
    if depth >= MAX_DEPTH {
        Err(WireError::new(
            "RecursionError: maximum nesting depth exceeded while pickling an object",
        ))
    } else {
        Ok(depth + 1)
    }
}

/// A dict key Python could not hold: `TypeError: unhashable type: 'list'`.
fn check_hashable(key: &Value, depth: usize) -> Result<(), WireError> {
    match key {
        Value::List(_) | Value::Dict(_) => Err(WireError::new(format!(
            "TypeError: unhashable type: '{}'",
            key.type_name()
        ))),
        Value::Tuple(items) => {
            let depth = enter(depth)?;
            items.iter().try_for_each(|k| check_hashable(k, depth))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(v: &Value) -> Vec<u8> {
        dumps(v).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn scalars_use_protocol_one_opcodes() {
        assert_eq!(d(&Value::None), b"N.");
        assert_eq!(d(&Value::Bool(true)), b"I01\n.");
        assert_eq!(d(&Value::Int(255)), b"K\xff.");
        assert_eq!(d(&Value::Int(256)), b"M\x00\x01.");
        assert_eq!(d(&Value::Int(65536)), b"J\x00\x00\x01\x00.");
        assert_eq!(d(&Value::Int(-1)), b"J\xff\xff\xff\xff.");
        assert_eq!(d(&Value::Int(1 << 31)), b"L2147483648L\n.");
        assert_eq!(d(&Value::Float(1.5)), b"G?\xf8\x00\x00\x00\x00\x00\x00.");
    }

    #[test]
    fn singleton_strings_are_memo_hits_and_others_are_fresh() {
        let v = Value::list([
            Value::from("a"),
            Value::from("a"),
            Value::from("ab"),
            Value::from("ab"),
        ]);
        assert_eq!(
            d(&v),
            b"]q\x00(X\x01\x00\x00\x00aq\x01h\x01X\x02\x00\x00\x00abq\x02X\x02\x00\x00\x00abq\x03e."
        );
    }

    #[test]
    fn dict_of_a_thousand_items_ends_with_an_empty_batch() {
        let v = Value::Dict(Rc::new(
            (0..1000)
                .map(|i| (Value::Int(i), Value::None))
                .collect::<Vec<_>>(),
        ));
        assert!(d(&v).ends_with(b"Nu(u."));
        let l = Value::list((0..1000).map(Value::Int));
        assert!(d(&l).ends_with(b"\xe7\x03e."));
    }

    #[test]
    fn object_keys_are_their_str() {
        #[derive(Debug)]
        struct A;
        impl crate::core::value::PyObject for A {
            fn type_name(&self) -> &str {
                "A"
            }
            fn py_repr(&self) -> crate::core::error::Result<String> {
                Ok("a".to_owned())
            }
        }
        let with_object = Value::Dict(Rc::new(vec![
            (Value::Object(Rc::new(A)), Value::Int(1)),
            (Value::from("a"), Value::Int(2)),
        ]));
        assert_eq!(d(&with_object), d(&Value::dict([("a", Value::Int(2))])));
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let mut v = Value::None;
        for _ in 0..MAX_DEPTH + 1 {
            v = Value::list([v]);
        }
        assert!(dumps(&v).unwrap_err().message().contains("RecursionError"));
        let unhashable = Value::Dict(Rc::new(vec![(Value::list([]), Value::None)]));
        assert_eq!(
            dumps(&unhashable).unwrap_err().message(),
            "TypeError: unhashable type: 'list'"
        );
    }
}
