//! Value trees of `log-call`s: WIT has no recursive types, so a call's Python values come as
//! one flat list of `value-node`s in which containers name their children by index. This
//! decodes the list into core [`Value`]s, checking that every child comes before its parent
//! (so every tree is finite), and resolves the indices the rest of the call uses.

use std::rc::Rc;

use crate::core::value::{Text, Value};

use super::bindings::exports::wasm_logging::logging::loggers as wit;

/// `ValueError` for a malformed call.
pub(crate) fn value_error(message: impl Into<String>) -> wit::CallError {
    wit::CallError {
        exception: "ValueError".to_owned(),
        message: message.into(),
    }
}

/// A decoded tree: the value of every node, by index.
pub(crate) struct Tree(Vec<Value>);

impl Tree {
    /// Decodes `nodes` in order; a container's children must already be decoded.
    pub(crate) fn decode(nodes: Vec<wit::ValueNode>) -> Result<Tree, wit::CallError> {
        let mut done: Vec<Value> = Vec::with_capacity(nodes.len());
        for (i, node) in nodes.into_iter().enumerate() {
            let child = |c: u32| -> Result<Value, wit::CallError> {
                done.get(c as usize).cloned().ok_or_else(|| {
                    value_error(format!(
                        "values[{i}]: child {c} does not come before its parent (children are \
                         listed first)"
                    ))
                })
            };
            let children = |cs: &[u32]| cs.iter().map(|&c| child(c)).collect::<Result<_, _>>();
            let v = match node {
                wit::ValueNode::None => Value::None,
                wit::ValueNode::Boolean(b) => Value::Bool(b),
                wit::ValueNode::Int(n) => Value::Int(n),
                wit::ValueNode::BigInt(digits) => big_int(&digits)
                    .ok_or_else(|| value_error(format!("values[{i}]: {digits:?} is not an int")))?,
                wit::ValueNode::Float(f) => Value::Float(f),
                wit::ValueNode::Str(s) => Value::Str(Text::from(s)),
                wit::ValueNode::List(cs) => Value::List(Rc::new(children(&cs)?)),
                wit::ValueNode::Tuple(cs) => Value::Tuple(Rc::new(children(&cs)?)),
                wit::ValueNode::Dict(pairs) => Value::Dict(Rc::new(
                    pairs
                        .iter()
                        .map(|&(k, v)| Ok((child(k)?, child(v)?)))
                        .collect::<Result<_, wit::CallError>>()?,
                )),
            };
            done.push(v);
        }
        Ok(Tree(done))
    }

    /// The value of node `index`, for the part of the call called `what` (`args[1]`).
    pub(crate) fn get(&self, index: u32, what: &str) -> Result<Value, wit::CallError> {
        self.0.get(index as usize).cloned().ok_or_else(|| {
            value_error(format!(
                "{what}: no value node {index} (the call has {})",
                self.0.len()
            ))
        })
    }

    /// The values of `indices` (`args`).
    pub(crate) fn list(&self, indices: &[u32], what: &str) -> Result<Vec<Value>, wit::CallError> {
        indices
            .iter()
            .enumerate()
            .map(|(i, &n)| self.get(n, &format!("{what}[{i}]")))
            .collect()
    }

    /// Names and the values of their indices (`extra`, `kwargs`).
    pub(crate) fn fields(
        &self,
        fields: Vec<(String, u32)>,
        what: &str,
    ) -> Result<Vec<(Text, Value)>, wit::CallError> {
        fields
            .into_iter()
            .map(|(k, n)| {
                let v = self.get(n, &format!("{what}[{k:?}]"))?;
                Ok((Text::from(k), v))
            })
            .collect()
    }
}

/// An `int` from its decimal digits: a core `int` when it fits in 64 bits, else the core's
/// [`BigInt`](crate::core::bigint::BigInt); `None` if `digits` is not an optionally signed
/// run of ASCII digits.
fn big_int(digits: &str) -> Option<Value> {
    crate::core::bigint::BigInt::parse(digits)
}
