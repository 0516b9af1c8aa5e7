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
use std::rc::Rc;

use super::opcodes::{self as op, name as op_name};
use super::pickle_text::{decode_escape, py_float, py_int, raw_unicode_escape, strtol0, IntError};
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
        nodes: Vec::new(),
        stack: Vec::new(),
        marks: Vec::new(),
        memo: HashMap::new(),
        keys: HashMap::new(),
        key_of_node: HashMap::new(),
    };
    let root = m.run()?;
    m.build(root)
}

/// An object under construction.
enum Node {
    /// `None`, `bool`, `int`, `float` or `str`.
    Scalar(Value),
    List(Vec<usize>),
    Tuple(Vec<usize>),
    Dict {
        /// `(key, value)` node ids in insertion order.
        entries: Vec<(usize, usize)>,
        /// Entry position by canonical key id.
        index: HashMap<usize, usize>,
    },
}

/// A dict key's identity under Python's `==` (children are canonical key ids, so equal
/// keys share one id and a dict compares ids only).
#[derive(Clone, PartialEq, Eq, Hash)]
enum KeyShape {
    None,
    /// `int`, `bool`, and integral `float`s in `i64` range.
    Int(i64),
    /// Other floats, by bits (`-0.0` is integral, so only one zero exists).
    Float(u64),
    /// A NaN, equal only to itself (by node).
    Nan(usize),
    Str(Text),
    Tuple(Vec<usize>),
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
    nodes: Vec<Node>,
    stack: Vec<usize>,
    marks: Vec<usize>,
    memo: HashMap<u64, usize>,
    /// Canonical key ids by shape.
    keys: HashMap<KeyShape, usize>,
    /// Canonical key id of each node used as (or in) a key.
    key_of_node: HashMap<usize, usize>,
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
            op::EMPTY_DICT => self.push_node(Node::Dict {
                entries: Vec::new(),
                index: HashMap::new(),
            }),
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
                let id = self.nodes.len();
                self.push_node(Node::Dict {
                    entries: Vec::new(),
                    index: HashMap::new(),
                });
                self.set_items(id, &items)?;
            }
            op::APPEND => {
                let v = self.pop()?;
                let list = self.peek(0)?;
                self.append(list, &[v])?;
            }
            op::APPENDS => {
                let k = self.pop_mark()?;
                let items = self.stack.split_off(k);
                let list = self.peek(0)?;
                self.append(list, &items)?;
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

    fn pop_mark(&mut self) -> Result<usize, String> {
        self.marks
            .pop()
            .ok_or_else(|| "could not find MARK".to_owned())
    }

    fn push_node(&mut self, node: Node) {
        self.stack.push(self.nodes.len());
        self.nodes.push(node);
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

    fn append(&mut self, list: usize, items: &[usize]) -> Result<(), String> {
        match self.nodes.get_mut(list) {
            Some(Node::List(v)) => {
                v.extend_from_slice(items);
                Ok(())
            }
            _ => Err("the target of APPEND is not a list".to_owned()),
        }
    }

    /// `d[k] = v` for each pair: equal keys keep the first key and take the last value.
    fn set_items(&mut self, dict: usize, items: &[usize]) -> Result<(), String> {
        if items.len() % 2 != 0 {
            return Err("odd number of items for SETITEMS".to_owned());
        }
        if !matches!(self.nodes.get(dict), Some(Node::Dict { .. })) {
            return Err("the target of SETITEM is not a dict".to_owned());
        }
        for pair in items.chunks_exact(2) {
            let key_id = self.key_id(pair[0], 0)?;
            if let Some(Node::Dict { entries, index }) = self.nodes.get_mut(dict) {
                match index.get(&key_id) {
                    Some(&at) => entries[at].1 = pair[1],
                    None => {
                        index.insert(key_id, entries.len());
                        entries.push((pair[0], pair[1]));
                    }
                }
            }
        }
        Ok(())
    }

    /// The canonical id of a key node (computed once per node), or `unhashable type`.
    fn key_id(&mut self, node: usize, depth: usize) -> Result<usize, String> {
        if let Some(&id) = self.key_of_node.get(&node) {
            return Ok(id);
        }
        if depth > self.limits.max_depth {
            return Err("dict key nested too deeply".to_owned());
        }
        let shape = match self.nodes.get(node) {
            Some(Node::Scalar(v)) => match v {
                Value::None => KeyShape::None,
                Value::Bool(b) => KeyShape::Int(i64::from(*b)),
                Value::Int(i) => KeyShape::Int(*i),
                Value::Float(f) if f.is_nan() => KeyShape::Nan(node),
                // -2^63 <= f < 2^63: integral floats equal to an i64 are that int.
                Value::Float(f)
                    if f.fract() == 0.0
                        && *f >= -9.223372036854776e18
                        && *f < 9.223372036854776e18 =>
                {
                    KeyShape::Int(*f as i64)
                }
                Value::Float(f) => KeyShape::Float(f.to_bits()),
                Value::Str(s) => KeyShape::Str(s.clone()),
                other => return Err(format!("unhashable type: '{}'", other.type_name())),
            },
            Some(Node::Tuple(items)) => {
                let items = items.clone();
                let mut ids = Vec::with_capacity(items.len());
                for item in items {
                    ids.push(self.key_id(item, depth + 1)?);
                }
                KeyShape::Tuple(ids)
            }
            Some(Node::List(_)) => return Err("unhashable type: 'list'".to_owned()),
            Some(Node::Dict { .. }) => return Err("unhashable type: 'dict'".to_owned()),
            None => return Err(underflow()),
        };
        let next = self.keys.len();
        let id = *self.keys.entry(shape).or_insert(next);
        self.key_of_node.insert(node, id);
        Ok(id)
    }

    /// Checks the result (no cycle, depth and expanded size within the limits) without
    /// recursion, then builds it.
    fn build(&self, root: usize) -> Result<Value, WireError> {
        const NEW: u8 = 0;
        const OPEN: u8 = 1;
        const DONE: u8 = 2;
        let n = self.nodes.len();
        let mut state = vec![NEW; n];
        let mut depth = vec![0usize; n];
        let mut size = vec![0u64; n];
        let mut work = vec![(root, false)];
        while let Some((id, exiting)) = work.pop() {
            if exiting {
                let (mut d, mut s) = (0usize, 1u64);
                let is_container = !matches!(self.nodes[id], Node::Scalar(_));
                for c in self.children(id) {
                    d = d.max(depth[c]);
                    s = s.saturating_add(size[c]);
                }
                depth[id] = if is_container { d + 1 } else { 0 };
                size[id] = s;
                if depth[id] > self.limits.max_depth {
                    return Err(WireError::new(format!(
                        "pickle: nesting deeper than {}",
                        self.limits.max_depth
                    )));
                }
                if s > self.limits.max_items {
                    return Err(WireError::new(format!(
                        "pickle: more than {} values",
                        self.limits.max_items
                    )));
                }
                state[id] = DONE;
                continue;
            }
            match state[id] {
                DONE => continue,
                OPEN => return Err(recursive()),
                _ => {}
            }
            state[id] = OPEN;
            work.push((id, true));
            for c in self.children(id) {
                match state[c] {
                    OPEN => return Err(recursive()),
                    NEW => work.push((c, false)),
                    _ => {}
                }
            }
        }
        let mut built: Vec<Option<Value>> = vec![None; n];
        Ok(self.to_value(root, &mut built))
    }

    fn children(&self, id: usize) -> Box<dyn Iterator<Item = usize> + '_> {
        match &self.nodes[id] {
            Node::Scalar(_) => Box::new(std::iter::empty()),
            Node::List(v) | Node::Tuple(v) => Box::new(v.iter().copied()),
            Node::Dict { entries, .. } => Box::new(entries.iter().flat_map(|&(k, v)| [k, v])),
        }
    }

    /// Builds a checked node (recursion bounded by `max_depth`); shared nodes share values.
    fn to_value(&self, id: usize, built: &mut Vec<Option<Value>>) -> Value {
        if let Some(v) = &built[id] {
            return v.clone();
        }
        let v = match &self.nodes[id] {
            Node::Scalar(v) => v.clone(),
            Node::List(items) => Value::List(Rc::new(
                items.iter().map(|&c| self.to_value(c, built)).collect(),
            )),
            Node::Tuple(items) => Value::Tuple(Rc::new(
                items.iter().map(|&c| self.to_value(c, built)).collect(),
            )),
            Node::Dict { entries, .. } => Value::Dict(Rc::new(
                entries
                    .iter()
                    .map(|&(k, v)| (self.to_value(k, built), self.to_value(v, built)))
                    .collect(),
            )),
        };
        built[id] = Some(v.clone());
        v
    }
}

fn underflow() -> String {
    "unpickling stack underflow".to_owned()
}

fn recursive() -> WireError {
    WireError::new("pickle: a container contains itself (recursive structures are not supported)")
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

fn int_error(e: IntError) -> String {
    match e {
        IntError::Invalid => "invalid literal for int()".to_owned(),
        IntError::OutOfRange => "integer does not fit in 64 bits".to_owned(),
    }
}

/// `load_int`: `strtol(s, &end, 0)`, accepted when it stops at the newline or a NUL; a
/// two-character `00`/`01` (any spelling `strtol` reads as 0 or 1) is a bool; anything else
/// goes to `PyLong_FromString(s, NULL, 0)`.
fn load_int(line: &[u8]) -> Result<Value, String> {
    if line.is_empty() {
        return Err(truncated().to_string());
    }
    match strtol0(line) {
        (Some(x), end) if line.get(end).is_none_or(|&b| b == 0) => {
            if line.len() == 2 && (x == 0 || x == 1) {
                Ok(Value::Bool(x == 1))
            } else {
                Ok(Value::Int(x))
            }
        }
        _ => py_int(line, true).map(Value::Int).map_err(|e| match e {
            IntError::Invalid => "could not convert string to int".to_owned(),
            IntError::OutOfRange => "integer does not fit in 64 bits".to_owned(),
        }),
    }
}

/// `LONG1`/`LONG4`'s little-endian two's complement bytes, within `i64`.
fn long_bytes(b: &[u8]) -> Result<i64, String> {
    let Some(&last) = b.last() else {
        return Ok(0);
    };
    let negative = last & 0x80 != 0;
    let fill = if negative { 0xff } else { 0 };
    let (low, high) = b.split_at(b.len().min(8));
    let mut buf = [fill; 8];
    buf[..low.len()].copy_from_slice(low);
    let v = i64::from_le_bytes(buf);
    // The bytes past the eighth must only extend the sign of the first eight.
    if high.iter().any(|&x| x != fill) || (!high.is_empty() && (v < 0) != negative) {
        return Err("integer does not fit in 64 bits".to_owned());
    }
    Ok(v)
}

fn latin1(b: &[u8]) -> Value {
    Value::Str(Text::from(
        b.iter().map(|&c| char::from(c)).collect::<String>(),
    ))
}

fn utf8(b: &[u8]) -> Result<Value, String> {
    std::str::from_utf8(b)
        .map(|s| Value::Str(Text::from(s.to_owned())))
        .map_err(|e| {
            format!(
                "invalid UTF-8 (or a lone surrogate, which cannot be represented) at byte {}",
                e.valid_up_to()
            )
        })
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
    fn long_bytes_within_i64() {
        assert_eq!(long_bytes(&[0xff]), Ok(-1));
        assert_eq!(long_bytes(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0xff]), Ok(i64::MIN));
        assert!(long_bytes(&[0, 0, 0, 0, 0, 0, 0, 0x80, 0]).is_err());
        assert!(long_bytes(&[0, 0, 0, 0, 0, 0, 0, 0, 1]).is_err());
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
