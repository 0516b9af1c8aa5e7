//! The objects an unpickling builds, before they become [`Value`]s: an arena of nodes that
//! the opcode machine ([`super::unpickle`]) refers to by index, so that a memoized list or
//! dict can still be filled after it was stored (and a later `GET` sees it filled), and one
//! checked pass that turns the result into a `Value`.

use std::collections::HashMap;
use std::rc::Rc;

use super::unpickle::Limits;
use super::WireError;
use crate::core::value::{Text, Value};

/// An object under construction.
pub(super) enum Node {
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

impl Node {
    pub(super) fn empty_dict() -> Node {
        Node::Dict {
            entries: Vec::new(),
            index: HashMap::new(),
        }
    }
}

/// The arena, with the canonical ids of the nodes used as dict keys.
#[derive(Default)]
pub(super) struct Objects {
    nodes: Vec<Node>,
    /// Canonical key ids by shape.
    keys: HashMap<KeyShape, usize>,
    /// Canonical key id of each node used as (or in) a key.
    key_of_node: HashMap<usize, usize>,
}

impl Objects {
    /// Adds a node; returns its id.
    pub(super) fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    pub(super) fn append(&mut self, list: usize, items: &[usize]) -> Result<(), String> {
        match self.nodes.get_mut(list) {
            Some(Node::List(v)) => {
                v.extend_from_slice(items);
                Ok(())
            }
            _ => Err("the target of APPEND is not a list".to_owned()),
        }
    }

    /// `d[k] = v` for each pair: equal keys keep the first key and take the last value.
    pub(super) fn set_items(
        &mut self,
        dict: usize,
        items: &[usize],
        max_depth: usize,
    ) -> Result<(), String> {
        if items.len() % 2 != 0 {
            return Err("odd number of items for SETITEMS".to_owned());
        }
        if !matches!(self.nodes.get(dict), Some(Node::Dict { .. })) {
            return Err("the target of SETITEM is not a dict".to_owned());
        }
        for pair in items.chunks_exact(2) {
            let key_id = self.key_id(pair[0], 0, max_depth)?;
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
    fn key_id(&mut self, node: usize, depth: usize, max_depth: usize) -> Result<usize, String> {
        if let Some(&id) = self.key_of_node.get(&node) {
            return Ok(id);
        }
        if depth > max_depth {
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
                    ids.push(self.key_id(item, depth + 1, max_depth)?);
                }
                KeyShape::Tuple(ids)
            }
            Some(Node::List(_)) => return Err("unhashable type: 'list'".to_owned()),
            Some(Node::Dict { .. }) => return Err("unhashable type: 'dict'".to_owned()),
            None => return Err("no such object".to_owned()),
        };
        let next = self.keys.len();
        let id = *self.keys.entry(shape).or_insert(next);
        self.key_of_node.insert(node, id);
        Ok(id)
    }

    /// Checks the result (no cycle, depth and expanded size within the limits) without
    /// recursion, then builds it.
    pub(super) fn build(&self, root: usize, limits: &Limits) -> Result<Value, WireError> {
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
                if depth[id] > limits.max_depth {
                    return Err(WireError::new(format!(
                        "pickle: nesting deeper than {}",
                        limits.max_depth
                    )));
                }
                if s > limits.max_items {
                    return Err(WireError::new(format!(
                        "pickle: more than {} values",
                        limits.max_items
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

fn recursive() -> WireError {
    WireError::new("pickle: a container contains itself (recursive structures are not supported)")
}
