//! Reused buffers for the per-record path, so a warm enabled call allocates nothing: the
//! argument vector, the merged message and `asctime` (shared strings a record holds until it
//! is dropped), the formatted line, and short strings that recur call after call (message
//! templates, `extra` keys), interned.
//!
//! Every pool is bounded (a few entries per thread, and buffers that grew past
//! [`MAX_KEPT`] bytes are freed rather than kept), and a buffer is reused only when nothing
//! else holds it: a record copied into a queue or a memory buffer keeps its strings, which are
//! then freed as before.

use std::cell::RefCell;
use std::rc::Rc;

use super::value::{Text, Value};

/// Buffers larger than this are freed, not kept (bytes, or values for argument vectors).
pub const MAX_KEPT: usize = 4096;
/// Buffers kept per pool and thread (handlers that log while they emit nest a few deep).
const KEPT: usize = 16;
/// Slots of the intern table (a power of two).
const INTERN_SLOTS: usize = 256;
/// Strings longer than this are not interned.
pub const MAX_INTERNED: usize = 256;

struct Pools {
    strings: Vec<String>,
    texts: Vec<Rc<String>>,
    values: Vec<Vec<Value>>,
    fields: Vec<Vec<(Text, Value)>>,
    interned: Vec<Option<Rc<str>>>,
}

thread_local! {
    static POOLS: RefCell<Pools> = const {
        RefCell::new(Pools {
            strings: Vec::new(),
            texts: Vec::new(),
            values: Vec::new(),
            fields: Vec::new(),
            interned: Vec::new(),
        })
    };
}

/// Which of a thread's pools (a field of [`Pools`]).
type Pick<T> = fn(&mut Pools) -> &mut Vec<T>;

/// An item from the picked pool, if it has one (and the pools are reachable: not while the
/// thread is being torn down, nor re-entered).
fn take<T>(pick: Pick<T>) -> Option<T> {
    POOLS
        .try_with(|p| p.try_borrow_mut().ok().and_then(|mut p| pick(&mut p).pop()))
        .ok()
        .flatten()
}

/// Keeps `item` in the picked pool if it has room; drops it otherwise.
fn give<T>(pick: Pick<T>, item: T) {
    let _ = POOLS.try_with(|p| {
        if let Ok(mut p) = p.try_borrow_mut() {
            let pool = pick(&mut p);
            if pool.len() < KEPT {
                pool.push(item);
            }
        }
    });
}

/// An empty string with room from an earlier use (give it back with [`give_string`]).
#[inline(never)]
pub fn take_string() -> String {
    take(|p| &mut p.strings).unwrap_or_else(|| String::with_capacity(128))
}

/// Returns a string taken with [`take_string`] (or any other) for reuse.
#[inline(never)]
pub fn give_string(mut s: String) {
    if s.capacity() == 0 || s.capacity() > MAX_KEPT {
        return;
    }
    s.clear();
    give(|p| &mut p.strings, s);
}

/// A shared text written by `write` into a reused buffer; [`recycle_text`] gives the buffer
/// back once the text is no longer held anywhere else.
pub fn text_with<E>(write: impl FnOnce(&mut String) -> Result<(), E>) -> Result<Text, E> {
    let mut rc = take(|p| &mut p.texts).unwrap_or_else(|| Rc::new(String::with_capacity(64)));
    match Rc::get_mut(&mut rc) {
        Some(s) => {
            s.clear();
            write(s)?;
        }
        None => {
            // Not reachable: the pool keeps only unshared buffers. A fresh one then.
            let mut s = String::new();
            write(&mut s)?;
            rc = Rc::new(s);
        }
    }
    Ok(Text::Buf(rc))
}

/// Gives the buffer behind `text` back for reuse if nothing else holds it.
#[inline(never)]
pub fn recycle_text(text: Text) {
    if let Text::Buf(rc) = text {
        if Rc::strong_count(&rc) == 1 && Rc::weak_count(&rc) == 0 && rc.capacity() <= MAX_KEPT {
            give(|p| &mut p.texts, rc);
        }
    }
}

/// Puts `text` in `slot` (a record's `message` or `asctime`), recycling what was there.
pub fn replace(slot: &mut Option<Text>, text: Text) {
    if let Some(old) = slot.replace(text) {
        recycle_text(old);
    }
}

/// An empty vector of values with room from an earlier use.
#[inline(never)]
pub fn take_values() -> Vec<Value> {
    take(|p| &mut p.values).unwrap_or_default()
}

/// Returns a vector of values for reuse (its values are dropped now).
#[inline(never)]
pub fn give_values(mut v: Vec<Value>) {
    if v.capacity() == 0 || v.capacity() > MAX_KEPT / 16 {
        return;
    }
    v.clear();
    give(|p| &mut p.values, v);
}

/// An empty vector of named values (`extra` entries) with room from an earlier use.
#[inline(never)]
pub fn take_fields() -> Vec<(Text, Value)> {
    take(|p| &mut p.fields).unwrap_or_default()
}

/// Returns a vector of named values for reuse (its entries are dropped now).
#[inline(never)]
pub fn give_fields(mut v: Vec<(Text, Value)>) {
    if v.capacity() == 0 || v.capacity() > MAX_KEPT / 32 {
        return;
    }
    v.clear();
    give(|p| &mut p.fields, v);
}

/// `s` as a shared text, from a small table of recent strings when it is there (a message
/// template or `extra` key arrives with every call): no allocation on a hit. A miss replaces
/// the slot's string. Long strings are never kept.
#[inline(never)]
pub fn intern(s: &str) -> Text {
    if s.is_empty() {
        return Text::Static("");
    }
    if s.len() > MAX_INTERNED {
        return Text::Shared(Rc::from(s));
    }
    let slot = hash(s.as_bytes()) & (INTERN_SLOTS - 1);
    POOLS
        .try_with(|p| {
            let Ok(mut p) = p.try_borrow_mut() else {
                return Text::Shared(Rc::from(s));
            };
            if p.interned.is_empty() {
                p.interned.resize(INTERN_SLOTS, None);
            }
            match &p.interned[slot] {
                Some(hit) if hit.as_ref() == s => Text::Shared(hit.clone()),
                _ => {
                    let rc: Rc<str> = Rc::from(s);
                    p.interned[slot] = Some(rc.clone());
                    Text::Shared(rc)
                }
            }
        })
        .unwrap_or_else(|_| Text::Shared(Rc::from(s)))
}

/// FNV-1a over the bytes, eight at a time (the slot only needs to spread templates).
fn hash(bytes: &[u8]) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h ^ (h >> 29)) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interned_strings_are_shared_and_exact() {
        let a = intern("Message no. %d");
        let b = intern("Message no. %d");
        match (&a, &b) {
            (Text::Shared(x), Text::Shared(y)) => assert!(Rc::ptr_eq(x, y)),
            _ => panic!("not shared"),
        }
        assert_eq!(intern("other").as_str(), "other");
        assert_eq!(intern("").as_str(), "");
        let long = "x".repeat(MAX_INTERNED + 1);
        assert_eq!(intern(&long).as_str(), long);
    }

    #[test]
    fn a_held_text_is_not_reused() {
        let t = text_with::<()>(|s| {
            s.push_str("held");
            Ok(())
        })
        .unwrap();
        let copy = t.clone();
        recycle_text(t);
        let u = text_with::<()>(|s| {
            s.push_str("new");
            Ok(())
        })
        .unwrap();
        assert_eq!(copy.as_str(), "held");
        assert_eq!(u.as_str(), "new");
    }
}
