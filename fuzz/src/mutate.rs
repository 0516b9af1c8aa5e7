//! Mutations: what turns a corpus entry into the next input. Deterministic for a seed.

/// A small, fast, deterministic random generator (xoshiro256**, seeded through splitmix64).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    /// A random item of `items` (which must not be empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers that find off-by-ones and overflows, as text (widths, precisions, years, lengths).
pub const INTERESTING_NUMBERS: &[&str] = &[
    "0",
    "1",
    "-1",
    "7",
    "9",
    "10",
    "31",
    "59",
    "60",
    "99",
    "127",
    "128",
    "255",
    "256",
    "999",
    "1000",
    "1024",
    "9999",
    "10000",
    "65535",
    "65536",
    // Not 100000000 itself: the widest field the core allows (pyfmt::MAX_WIDTH) costs
    // 100-400 MB and a tenth of a second, a known price that would crowd out everything else.
    "100000001",
    "2147483647",
    "2147483648",
    "-2147483648",
    "4294967295",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551616",
    "99999999999999999999999999",
    "1e308",
    "1e309",
    "-0",
    "0.5",
    "nan",
    "inf",
];

/// Binary values that find length and count bugs (big-endian and little-endian 32-bit).
const INTERESTING_U32: &[u32] = &[
    0,
    1,
    2,
    3,
    4,
    0x7f,
    0x80,
    0xff,
    0x100,
    0x7fff,
    0x8000,
    0xffff,
    0x1_0000,
    0x10_0000,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_fffe,
    0xffff_ffff,
];

/// Applies a stack of 1 to 8 mutations (fewer more often) to `data`, drawing tokens from
/// `dict` and splice partners from `corpus`, and keeps the result within `max_len` bytes.
pub fn mutate(
    data: &mut Vec<u8>,
    rng: &mut Rng,
    dict: &[&[u8]],
    corpus: &[Vec<u8>],
    max_len: usize,
) {
    let rounds = 1 + (rng.next_u64().trailing_ones() as usize).min(7);
    for _ in 0..rounds {
        mutate_once(data, rng, dict, corpus);
    }
    data.truncate(max_len);
}

fn insert_at(data: &mut Vec<u8>, at: usize, bytes: &[u8]) {
    let at = at.min(data.len());
    data.splice(at..at, bytes.iter().copied());
}

fn replace_at(data: &mut Vec<u8>, at: usize, len: usize, bytes: &[u8]) {
    let at = at.min(data.len());
    let end = (at + len).min(data.len());
    data.splice(at..end, bytes.iter().copied());
}

fn mutate_once(data: &mut Vec<u8>, rng: &mut Rng, dict: &[&[u8]], corpus: &[Vec<u8>]) {
    let len = data.len();
    match rng.below(14) {
        // Flip one bit.
        0 if len > 0 => {
            let i = rng.below(len);
            data[i] ^= 1 << rng.below(8);
        }
        // Set one byte to anything.
        1 if len > 0 => {
            let i = rng.below(len);
            data[i] = rng.next_u64() as u8;
        }
        // Insert a random byte (ASCII more often).
        2 => {
            let b = if rng.one_in(2) {
                0x20 + rng.below(0x5f) as u8
            } else {
                rng.next_u64() as u8
            };
            insert_at(data, rng.below(len + 1), &[b]);
        }
        // Delete a range.
        3 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(16));
            data.drain(at..at + n);
        }
        // Insert a dictionary token.
        4 | 5 if !dict.is_empty() => {
            let tok = *rng.pick(dict);
            insert_at(data, rng.below(len + 1), tok);
        }
        // Overwrite with a dictionary token.
        6 if !dict.is_empty() && len > 0 => {
            let tok = *rng.pick(dict);
            replace_at(data, rng.below(len), tok.len(), tok);
        }
        // Replace a run of digits (or insert) with an interesting number.
        7 => {
            let num = rng.pick(INTERESTING_NUMBERS).as_bytes();
            let at = rng.below(len + 1);
            let mut end = at;
            while end < len && (data[end].is_ascii_digit() || data[end] == b'-') {
                end += 1;
            }
            data.splice(at..end, num.iter().copied());
        }
        // Overwrite 4 bytes with an interesting 32-bit value (lengths in binary frames).
        8 if len >= 4 => {
            let v = *rng.pick(INTERESTING_U32);
            let bytes = if rng.one_in(2) {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            };
            let at = rng.below(len - 3);
            data[at..at + 4].copy_from_slice(&bytes);
        }
        // Duplicate a range (repetition finds quadratic paths and nesting limits).
        9 if len > 0 => {
            let at = rng.below(len);
            let n = 1 + rng.below((len - at).min(32));
            let chunk = data[at..at + n].to_vec();
            let most = if rng.one_in(8) { 64 } else { 4 };
            let times = 1 + rng.below(most);
            let dest = rng.below(len + 1);
            for _ in 0..times {
                insert_at(data, dest, &chunk);
            }
        }
        // Splice with another corpus entry.
        10 if !corpus.is_empty() => {
            let other = rng.pick(corpus);
            if !other.is_empty() {
                let from = rng.below(other.len());
                let to = from + 1 + rng.below(other.len() - from);
                let at = rng.below(len + 1);
                if rng.one_in(2) {
                    data.truncate(at);
                    data.extend_from_slice(&other[from..]);
                } else {
                    insert_at(data, at, &other[from..to]);
                }
            }
        }
        // Truncate.
        11 if len > 0 => {
            data.truncate(rng.below(len));
        }
        // Swap two bytes.
        12 if len > 1 => {
            let (a, b) = (rng.below(len), rng.below(len));
            data.swap(a, b);
        }
        // Add to or subtract from a byte (counts, opcodes, digits).
        13 if len > 0 => {
            let i = rng.below(len);
            let d = 1 + rng.below(4) as u8;
            data[i] = if rng.one_in(2) {
                data[i].wrapping_add(d)
            } else {
                data[i].wrapping_sub(d)
            };
        }
        // The guard of the chosen mutation failed (an empty input, say): grow it instead.
        _ => {
            let b = 0x20 + rng.below(0x5f) as u8;
            insert_at(data, rng.below(len + 1), &[b]);
        }
    }
}

/// Structure-aware mutations for JSON inputs (dictConfig documents, route lines): byte
/// mutations break the syntax of nearly every input, so the configuration builder behind the
/// parser would hardly be reached. These edit the parsed tree and write it back.
pub struct JsonMutator {
    values: Vec<serde_json::Value>,
    keys: Vec<String>,
}

impl JsonMutator {
    /// Values and keys taken from a target's dictionary: tokens that are JSON values
    /// (`"logging.StreamHandler"`, `null`, `1e308`) and `"key": value` pairs.
    pub fn new(dict: &[&[u8]]) -> Self {
        let mut values = Vec::new();
        let mut keys = Vec::new();
        for tok in dict {
            let Ok(t) = std::str::from_utf8(tok) else {
                continue;
            };
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(t) {
                values.push(v);
            } else if let Ok(serde_json::Value::Object(o)) =
                serde_json::from_str::<serde_json::Value>(&format!("{{{t}}}"))
            {
                for (k, v) in o {
                    keys.push(k);
                    values.push(v);
                }
            } else if let Ok(serde_json::Value::Object(o)) =
                serde_json::from_str::<serde_json::Value>(&format!("{{{t} null}}"))
            {
                keys.extend(o.into_iter().map(|(k, _)| k));
            }
        }
        for n in INTERESTING_NUMBERS {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(n) {
                values.push(v);
            }
        }
        values.push(serde_json::Value::String(String::new()));
        values.push(serde_json::json!({}));
        values.push(serde_json::json!([]));
        keys.sort();
        keys.dedup();
        JsonMutator { values, keys }
    }

    /// Mutates `data` as JSON; `false` (and `data` untouched) if it is not JSON.
    pub fn mutate(&self, data: &mut Vec<u8>, rng: &mut Rng, max_len: usize) -> bool {
        let Ok(mut doc) = serde_json::from_slice::<serde_json::Value>(data) else {
            return false;
        };
        let rounds = 1 + rng.below(3);
        for _ in 0..rounds {
            let mut count = 0;
            count_nodes(&doc, &mut count);
            let donor = nth_node(&doc, rng.below(count)).cloned();
            let target = rng.below(count);
            if let Some(node) = nth_node_mut(&mut doc, target) {
                self.edit(node, donor, rng);
            }
        }
        match serde_json::to_vec(&doc) {
            Ok(out) if out.len() <= max_len => {
                *data = out;
                true
            }
            _ => false,
        }
    }

    fn edit(&self, node: &mut serde_json::Value, donor: Option<serde_json::Value>, rng: &mut Rng) {
        use serde_json::Value as J;
        match rng.below(7) {
            // A value from the dictionary.
            0 | 1 if !self.values.is_empty() => *node = rng.pick(&self.values).clone(),
            // A copy of another part of the document (self-similar nesting, references).
            2 => {
                if let Some(d) = donor {
                    *node = d;
                }
            }
            // A key added to an object, or an item to an array.
            3 | 4 => {
                let value = if rng.one_in(2) && !self.values.is_empty() {
                    rng.pick(&self.values).clone()
                } else {
                    J::Object(serde_json::Map::new())
                };
                match node {
                    J::Object(o) if !self.keys.is_empty() => {
                        o.insert(rng.pick(&self.keys).clone(), value);
                    }
                    J::Array(a) => a.insert(rng.below(a.len() + 1), value),
                    other => *other = value,
                }
            }
            // An entry removed.
            5 => match node {
                J::Object(o) if !o.is_empty() => {
                    let k = o
                        .keys()
                        .nth(rng.below(o.len()))
                        .cloned()
                        .unwrap_or_default();
                    o.remove(&k);
                }
                J::Array(a) if !a.is_empty() => {
                    a.remove(rng.below(a.len()));
                }
                _ => *node = J::Null,
            },
            // The same value in another type.
            _ => {
                *node = match node.take() {
                    J::String(s) => s
                        .parse::<i64>()
                        .map_or_else(|_| J::Array(vec![J::String(s)]), J::from),
                    J::Number(n) => J::String(n.to_string()),
                    J::Bool(b) => J::from(i64::from(b)),
                    J::Null => J::Bool(false),
                    J::Array(a) => a.into_iter().next().unwrap_or(J::Null),
                    J::Object(o) => J::Array(o.into_iter().map(|(_, v)| v).collect()),
                }
            }
        }
    }
}

fn count_nodes(v: &serde_json::Value, n: &mut usize) {
    *n += 1;
    match v {
        serde_json::Value::Array(a) => a.iter().for_each(|x| count_nodes(x, n)),
        serde_json::Value::Object(o) => o.values().for_each(|x| count_nodes(x, n)),
        _ => {}
    }
}

/// The `i`-th node in pre-order.
fn nth_node(v: &serde_json::Value, i: usize) -> Option<&serde_json::Value> {
    fn walk<'a>(v: &'a serde_json::Value, i: &mut usize) -> Option<&'a serde_json::Value> {
        if *i == 0 {
            return Some(v);
        }
        *i -= 1;
        match v {
            serde_json::Value::Array(a) => a.iter().find_map(|x| walk(x, i)),
            serde_json::Value::Object(o) => o.values().find_map(|x| walk(x, i)),
            _ => None,
        }
    }
    let mut i = i;
    walk(v, &mut i)
}

/// The `i`-th node in pre-order, to edit.
fn nth_node_mut(v: &mut serde_json::Value, i: usize) -> Option<&mut serde_json::Value> {
    fn walk<'a>(v: &'a mut serde_json::Value, i: &mut usize) -> Option<&'a mut serde_json::Value> {
        if *i == 0 {
            return Some(v);
        }
        *i -= 1;
        match v {
            serde_json::Value::Array(a) => a.iter_mut().find_map(|x| walk(x, i)),
            serde_json::Value::Object(o) => o.values_mut().find_map(|x| walk(x, i)),
            _ => None,
        }
    }
    let mut i = i;
    walk(v, &mut i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_mutations() {
        let run = |seed| {
            let mut rng = Rng::new(seed);
            let mut d = b"%(asctime)s %(message)s".to_vec();
            let dict: &[&[u8]] = &[b"%(", b"{"];
            let corpus = vec![b"{0:>10}".to_vec()];
            for _ in 0..100 {
                mutate(&mut d, &mut rng, dict, &corpus, 256);
            }
            d
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn mutations_respect_the_length_bound() {
        let mut rng = Rng::new(1);
        let mut d = Vec::new();
        let corpus = vec![vec![b'x'; 300]];
        for _ in 0..10_000 {
            mutate(&mut d, &mut rng, &[b"%(message)s"], &corpus, 64);
            assert!(d.len() <= 64);
        }
    }
}
