//! A restricted unpickler: pickles of plain data (protocols 0–5) to a [`Value`], and nothing
//! else.
//!
//! Only the opcodes that build `None`, `bool`, `int`, `float`, `str`, `list`, `tuple` and
//! `dict` are understood, with the stack, mark and memo opcodes around them. Every other
//! opcode — `GLOBAL`, `STACK_GLOBAL`, `REDUCE`, `BUILD`, `INST`, `OBJ`, `NEWOBJ`,
//! `NEWOBJ_EX`, `PERSID`, `BINPERSID`, the extension registry, bytes, bytearray, sets, out-of-
//! band buffers — rejects the whole input with an error naming it, before anything further
//! is read. Nothing is imported, looked up or called, whatever the input.
//!
//! The machine follows CPython's `_pickle.c`: a value stack with a fence at the innermost
//! `MARK`, a memo of object references, containers that `APPEND`/`SETITEM` fill after they
//! were memoized (so a later `GET` sees the filled container). Objects live in an arena
//! while loading; after `STOP` one pass checks the result (no cycles, bounded depth and
//! expanded size) and builds the [`Value`], sharing what the pickle shared.
//!
//! Where CPython is lenient this reader is strict: bytes after `STOP`, items left on the
//! stack or an open `MARK` are errors. Integers must fit an `i64`. Python 2 `str`s
//! (`STRING`, `BINSTRING`, `SHORT_BINSTRING`) decode as Latin-1, like
//! `pickle.loads(data, encoding='latin1')` (CPython's default, ASCII, fails on other bytes).
//! Dict keys Python could not hash (lists, dicts) are errors, and equal keys collapse as in
//! a Python dict (`1`, `True` and `1.0` are one key).

use std::collections::HashMap;

use super::opcodes::{self as op, name as op_name};
use super::pickle_text::{
    decode_escape, int_error, latin1, load_int, long_bytes, py_float, py_int, raw_unicode_escape,
    utf8, IntError,
};
use super::unpickle_objects::{Node, Objects};
use super::WireError;
use crate::core::value::{Text, Value};

/// Bounds on what [`loads_plain_with`] accepts, so that hostile input cannot exhaust memory
/// or the stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input, in bytes.
    pub max_bytes: usize,
    /// Deepest container nesting of the result (a scalar is depth 0, `[]` depth 1).
    pub max_depth: usize,
    /// Most memo entries.
    pub max_memo: usize,
    /// Most values in the result counted as a tree (a container shared through the memo
    /// counts each time it appears), so that a small pickle cannot expand into a huge value.
    pub max_items: u64,
}

impl Default for Limits {
    /// 16 MiB of input, depth 200, 1 Mi memo entries, 4 Mi values.
    fn default() -> Self {
        Limits {
            max_bytes: 16 << 20,
            max_depth: 200,
            max_memo: 1 << 20,
            max_items: 4 << 20,
        }
    }
}

/// `pickle.loads(data)` restricted to plain data, with the default [`Limits`].
///
/// ```
/// use wasm_logging::core::wire::pickle::{dumps, loads_plain};
/// use wasm_logging::Value;
///
/// let v = loads_plain(&dumps(&Value::dict([("n", Value::Int(3))])).unwrap()).unwrap();
/// assert_eq!(v.dict_get("n").and_then(|n| match n { Value::Int(i) => Some(*i), _ => None }), Some(3));
///
/// let evil = b"cos\nsystem\n(S'echo hi'\ntR.";
/// assert!(loads_plain(evil).unwrap_err().message().contains("GLOBAL"));
/// ```
pub fn loads_plain(data: &[u8]) -> Result<Value, WireError> {
    loads_plain_with(data, &Limits::default())
}

/// [`loads_plain`] with explicit [`Limits`].
pub fn loads_plain_with(data: &[u8], limits: &Limits) -> Result<Value, WireError> {
    if data.len() > limits.max_bytes {
        return Err(WireError::new(format!(
            "pickle: {} bytes exceed the limit of {}",
            data.len(),
            limits.max_bytes
        )));
    }
    let mut m = Machine {
        r: Reader { data, pos: 0 },
        limits,
        objects: Objects::default(),
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
    };
    let root = m.run()?;
    m.objects.build(root, limits)
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

fn truncated() -> WireError {
    WireError::new("pickle data was truncated")
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    fn bytes(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        if n > self.remaining() {
            return Err(truncated());
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8, WireError> {
        Ok(self.bytes(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], WireError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(N)?);
        Ok(a)
    }

    /// A length field, checked against the input left (no allocation trusts it).
    fn len_u64(&mut self, n: u64) -> Result<usize, WireError> {
        match usize::try_from(n) {
            Ok(n) if n <= self.remaining() => Ok(n),
            _ => Err(truncated()),
        }
    }

    /// The bytes up to the next `\n`, which is consumed.
    fn line(&mut self) -> Result<&'a [u8], WireError> {
        let rest = &self.data[self.pos..];
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(truncated)?;
        self.pos += end + 1;
        Ok(&rest[..end])
    }
}

struct Machine<'a, 'l> {
    r: Reader<'a>,
    limits: &'l Limits,
    objects: Objects,
    stack: Vec<usize>,
    marks: Vec<usize>,
    memo: HashMap<u64, usize>,
}

impl Machine<'_, '_> {
    /// Runs opcodes to `STOP`; returns the node of the result.
    fn run(&mut self) -> Result<usize, WireError> {
        loop {
            let at = self.r.pos;
            let code = self
                .r
                .byte()
                .map_err(|_| WireError::new("pickle data was truncated (no STOP opcode)"))?;
            if code == op::STOP {
                break;
            }
            self.step(code)
                .map_err(|e| WireError::new(format!("{} at offset {at}: {e}", describe(code))))?;
        }
        if self.r.remaining() > 0 {
            return Err(WireError::new(format!(
                "pickle: {} bytes after STOP at offset {}",
                self.r.remaining(),
                self.r.pos - 1
            )));
        }
        if !self.marks.is_empty() {
            return Err(WireError::new("pickle: STOP with a MARK still open"));
        }
        match self.stack.as_slice() {
            [root] => Ok(*root),
            [] => Err(WireError::new("pickle: STOP with an empty stack")),
            more => Err(WireError::new(format!(
                "pickle: STOP leaves {} items on the stack",
                more.len()
            ))),
        }
    }

    fn step(&mut self, code: u8) -> Result<(), String> {
        let r = &mut self.r;
        let e = |e: WireError| e.to_string();
        match code {
            op::PROTO => {
                let v = r.byte().map_err(e)?;
                if v > 5 {
                    return Err(format!("unsupported pickle protocol: {v}"));
                }
            }
            op::FRAME => {
                let n = u64::from_le_bytes(r.array().map_err(e)?);
                r.len_u64(n).map_err(e)?;
            }
            op::MARK => self.marks.push(self.stack.len()),
            op::POP => {
                if self.marks.last() == Some(&self.stack.len()) {
                    self.marks.pop();
                } else {
                    self.pop()?;
                }
            }
            op::POP_MARK => {
                let k = self.pop_mark()?;
                self.stack.truncate(k);
            }
            op::DUP => {
                let top = self.peek(0)?;
                self.stack.push(top);
            }
            op::NONE => self.push_scalar(Value::None),
            op::NEWTRUE => self.push_scalar(Value::Bool(true)),
            op::NEWFALSE => self.push_scalar(Value::Bool(false)),
            op::INT => {
                let line = r.line().map_err(e)?;
                let v = load_int(line)?;
                self.push_scalar(v);
            }
            op::BININT => {
                let v = i32::from_le_bytes(r.array().map_err(e)?);
                self.push_scalar(Value::Int(i64::from(v)));
            }
            op::BININT1 => {
                let v = r.byte().map_err(e)?;
                self.push_scalar(Value::Int(i64::from(v)));
            }
            op::BININT2 => {
                let v = u16::from_le_bytes(r.array().map_err(e)?);
                self.push_scalar(Value::Int(i64::from(v)));
            }
            op::LONG => {
                let line = r.line().map_err(e)?;
                if line.is_empty() {
                    return Err(truncated().to_string());
                }
                let digits = line.strip_suffix(b"L").unwrap_or(line);
                let v = py_int(digits, true).map_err(int_error)?;
                self.push_scalar(Value::Int(v));
            }
            op::LONG1 => {
                let n = usize::from(r.byte().map_err(e)?);
                let v = long_bytes(r.bytes(n).map_err(e)?)?;
                self.push_scalar(Value::Int(v));
            }
            op::LONG4 => {
                let n = i32::from_le_bytes(r.array().map_err(e)?);
                let n = u64::try_from(n).map_err(|_| "LONG pickle has negative byte count")?;
                let n = r.len_u64(n).map_err(e)?;
                let v = long_bytes(r.bytes(n).map_err(e)?)?;
                self.push_scalar(Value::Int(v));
            }
            op::FLOAT => {
                let line = r.line().map_err(e)?;
                if line.is_empty() {
                    return Err(truncated().to_string());
                }
                let v = py_float(line)?;
                self.push_scalar(Value::Float(v));
            }
            op::BINFLOAT => {
                let v = f64::from_be_bytes(r.array().map_err(e)?);
                self.push_scalar(Value::Float(v));
            }
            op::STRING => {
                let line = r.line().map_err(e)?;
                let body = match line {
                    [q @ (b'\'' | b'"'), body @ .., end] if q == end => body,
                    _ => return Err("the STRING opcode argument must be quoted".to_owned()),
                };
                let bytes = decode_escape(body)?;
                self.push_scalar(latin1(&bytes));
            }
            op::BINSTRING => {
                let n = i32::from_le_bytes(r.array().map_err(e)?);
                let n = u64::try_from(n).map_err(|_| "BINSTRING pickle has negative byte count")?;
                let n = r.len_u64(n).map_err(e)?;
                let v = latin1(r.bytes(n).map_err(e)?);
                self.push_scalar(v);
            }
            op::SHORT_BINSTRING => {
                let n = usize::from(r.byte().map_err(e)?);
                let v = latin1(r.bytes(n).map_err(e)?);
                self.push_scalar(v);
            }
            op::UNICODE => {
                let line = r.line().map_err(e)?;
                let s = raw_unicode_escape(line)?;
                self.push_scalar(Value::Str(Text::from(s)));
            }
            op::BINUNICODE => {
                let n = u32::from_le_bytes(r.array().map_err(e)?);
                let n = r.len_u64(u64::from(n)).map_err(e)?;
                let v = utf8(r.bytes(n).map_err(e)?)?;
                self.push_scalar(v);
            }
            op::SHORT_BINUNICODE => {
                let n = usize::from(r.byte().map_err(e)?);
                let v = utf8(r.bytes(n).map_err(e)?)?;
                self.push_scalar(v);
            }
            op::BINUNICODE8 => {
                let n = u64::from_le_bytes(r.array().map_err(e)?);
                let n = r.len_u64(n).map_err(e)?;
                let v = utf8(r.bytes(n).map_err(e)?)?;
                self.push_scalar(v);
            }
            op::EMPTY_LIST => self.push_node(Node::List(Vec::new())),
            op::EMPTY_TUPLE => self.push_node(Node::Tuple(Vec::new())),
            op::EMPTY_DICT => self.push_node(Node::empty_dict()),
            op::LIST => {
                let k = self.pop_mark()?;
                let items = self.stack.split_off(k);
                self.push_node(Node::List(items));
            }
            op::TUPLE => {
                let k = self.pop_mark()?;
                let items = self.stack.split_off(k);
                self.push_node(Node::Tuple(items));
            }
            op::TUPLE1 | op::TUPLE2 | op::TUPLE3 => {
                let n = usize::from(code - op::TUPLE1) + 1;
                if self.stack.len() < self.fence() + n {
                    return Err(underflow());
                }
                let items = self.stack.split_off(self.stack.len() - n);
                self.push_node(Node::Tuple(items));
            }
            op::DICT => {
                let k = self.pop_mark()?;
                let items = self.stack.split_off(k);
                self.push_node(Node::empty_dict());
                let dict = self.peek(0)?;
                self.set_items(dict, &items)?;
            }
            op::APPEND => {
                let v = self.pop()?;
                let list = self.peek(0)?;
                self.objects.append(list, &[v])?;
            }
            op::APPENDS => {
                let k = self.pop_mark()?;
                let items = self.stack.split_off(k);
                let list = self.peek(0)?;
                self.objects.append(list, &items)?;
            }
            op::SETITEM => {
                let v = self.pop()?;
                let k = self.pop()?;
                let dict = self.peek(0)?;
                self.set_items(dict, &[k, v])?;
            }
            op::SETITEMS => {
                let k = self.pop_mark()?;
                let items = self.stack.split_off(k);
                let dict = self.peek(0)?;
                self.set_items(dict, &items)?;
            }
            op::PUT => {
                let line = r.line().map_err(e)?;
                let idx = match py_int(line, false) {
                    Ok(i) => u64::try_from(i).map_err(|_| "negative PUT argument")?,
                    Err(IntError::OutOfRange) => return Err("PUT index out of range".to_owned()),
                    Err(IntError::Invalid) => {
                        return Err("invalid literal for int() with base 10".to_owned())
                    }
                };
                self.memo_put(idx)?;
            }
            op::BINPUT => {
                let idx = r.byte().map_err(e)?;
                self.memo_put(u64::from(idx))?;
            }
            op::LONG_BINPUT => {
                let idx = i32::from_le_bytes(r.array().map_err(e)?);
                let idx = u64::try_from(idx).map_err(|_| "negative LONG_BINPUT argument")?;
                self.memo_put(idx)?;
            }
            op::MEMOIZE => {
                let idx = self.memo.len() as u64;
                self.memo_put(idx)?;
            }
            op::GET => {
                let line = r.line().map_err(e)?;
                let idx = py_int(line, false)
                    .map_err(|_| "invalid literal for int() with base 10".to_owned())?;
                self.memo_get(idx)?;
            }
            op::BINGET => {
                let idx = r.byte().map_err(e)?;
                self.memo_get(i64::from(idx))?;
            }
            op::LONG_BINGET => {
                let idx = u32::from_le_bytes(r.array().map_err(e)?);
                self.memo_get(i64::from(idx))?;
            }
            _ => {
                return Err(match op_name(code) {
                    Some(_) => "not allowed: only None, bool, int, float, str, list, tuple and \
                                dict are accepted, and nothing is imported or called"
                        .to_owned(),
                    None => "invalid load key".to_owned(),
                })
            }
        }
        Ok(())
    }

    /// The innermost mark's stack position (items below it cannot be popped).
    fn fence(&self) -> usize {
        self.marks.last().copied().unwrap_or(0)
    }

    fn pop(&mut self) -> Result<usize, String> {
        if self.stack.len() <= self.fence() {
            return Err(underflow());
        }
        self.stack.pop().ok_or_else(underflow)
    }

    /// The item `depth` places below the top, above the fence.
    fn peek(&self, depth: usize) -> Result<usize, String> {
        let len = self.stack.len();
        if len <= self.fence() + depth {
            return Err(underflow());
        }
        Ok(self.stack[len - 1 - depth])
    }

    fn set_items(&mut self, dict: usize, items: &[usize]) -> Result<(), String> {
        self.objects.set_items(dict, items, self.limits.max_depth)
    }

    fn pop_mark(&mut self) -> Result<usize, String> {
        self.marks
            .pop()
            .ok_or_else(|| "could not find MARK".to_owned())
    }

    fn push_node(&mut self, node: Node) {
        let id = self.objects.push(node);
        self.stack.push(id);
    }

    fn push_scalar(&mut self, v: Value) {
        self.push_node(Node::Scalar(v));
    }

    fn memo_put(&mut self, idx: u64) -> Result<(), String> {
        let top = self.peek(0)?;
        if self.memo.len() >= self.limits.max_memo && !self.memo.contains_key(&idx) {
            return Err(format!(
                "memo exceeds the limit of {} entries",
                self.limits.max_memo
            ));
        }
        self.memo.insert(idx, top);
        Ok(())
    }

    fn memo_get(&mut self, idx: i64) -> Result<(), String> {
        let id = u64::try_from(idx)
            .ok()
            .and_then(|i| self.memo.get(&i))
            .copied()
            .ok_or_else(|| format!("Memo value not found at index {idx}"))?;
        self.stack.push(id);
        Ok(())
    }
}

fn underflow() -> String {
    "unpickling stack underflow".to_owned()
}

/// `GLOBAL (b'c')` for error messages.
fn describe(code: u8) -> String {
    let byte = if code.is_ascii_graphic() {
        format!("b'{}'", char::from(code))
    } else {
        format!("b'\\x{code:02x}'")
    };
    match op_name(code) {
        Some(name) => format!("pickle: opcode {name} ({byte})"),
        None => format!("pickle: unknown opcode {byte}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(b: &[u8]) -> Result<String, String> {
        loads_plain(b)
            .map(|v| v.to_py_repr().unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn memo_sees_containers_filled_after_put() {
        // d = {}; [d, d] where d gets an item after being memoized.
        assert_eq!(
            load(b"](}q\x00X\x01\x00\x00\x00aK\x01sh\x00e."),
            Ok("[{'a': 1}, {'a': 1}]".into())
        );
    }

    #[test]
    fn recursive_lists_are_refused() {
        assert!(load(b"]q\x00h\x00a.")
            .unwrap_err()
            .contains("contains itself"));
    }

    #[test]
    fn equal_keys_collapse() {
        assert_eq!(load(b"}(I01\nK\x01K\x01K\x02u."), Ok("{True: 2}".into()));
        assert!(load(b"}(]K\x01u.")
            .unwrap_err()
            .contains("unhashable type: 'list'"));
    }

    #[test]
    fn forbidden_and_unknown_opcodes_are_named() {
        let e = load(b"\x80\x04\x93.").unwrap_err();
        assert!(e.contains("STACK_GLOBAL") && e.contains("offset 2"), "{e}");
        assert!(load(b"\xff")
            .unwrap_err()
            .contains("unknown opcode b'\\xff'"));
    }

    #[test]
    fn exponential_sharing_is_bounded() {
        // l0 = []; l(n+1) = [ln, ln], 40 times: 2^40 values as a tree.
        let mut p = b"]q\x000".to_vec();
        for i in 0..40u8 {
            p.extend_from_slice(&[b']', b'(', b'h', i, b'h', i, b'e', b'q', i + 1]);
            if i < 39 {
                p.push(b'0');
            }
        }
        p.push(b'.');
        assert!(load(&p).unwrap_err().contains("more than"));
    }
}
