//! A tiny backtracking matcher for the fixed regular expressions logging validates formats
//! with (no regex crate: the library has no dependencies).
//!
//! Patterns are written as static node lists. Repetition exists only over single-character
//! classes and is matched iteratively, so recursion depth is bounded by the pattern's size,
//! not the text's, and the few optional groups keep backtracking linear in the text.

/// One element of a pattern.
pub(crate) enum Node {
    /// One character of a class.
    Class(fn(char) -> bool),
    /// A greedy run of at least `.1` characters of a class.
    Repeat(fn(char) -> bool, usize),
    /// A greedy optional group `(...)?`.
    Opt(&'static [Node]),
    /// Alternatives `(a|b)`, tried in order.
    Alt(&'static [&'static [Node]]),
    /// `$` without MULTILINE: the end of the text, or just before a newline that ends it.
    End,
}

/// Python's `pattern.match(text)`: does the pattern match at the start of `text`?
pub(crate) fn match_start(pattern: &[Node], text: &[char]) -> bool {
    match_seq(pattern, text, 0, &mut |_| true)
}

fn match_seq(nodes: &[Node], s: &[char], pos: usize, k: &mut dyn FnMut(usize) -> bool) -> bool {
    let Some((first, rest)) = nodes.split_first() else {
        return k(pos);
    };
    match first {
        Node::Class(f) => s.get(pos).is_some_and(|&c| f(c)) && match_seq(rest, s, pos + 1, k),
        Node::Repeat(f, min) => {
            let mut n = 0;
            while s.get(pos + n).is_some_and(|&c| f(c)) {
                n += 1;
            }
            loop {
                if n < *min {
                    return false;
                }
                if match_seq(rest, s, pos + n, k) {
                    return true;
                }
                if n == 0 {
                    return false;
                }
                n -= 1;
            }
        }
        Node::Opt(inner) => {
            if match_seq(inner, s, pos, &mut |p| match_seq(rest, s, p, k)) {
                return true;
            }
            match_seq(rest, s, pos, k)
        }
        Node::Alt(alternatives) => {
            for alt in alternatives.iter() {
                if match_seq(alt, s, pos, &mut |p| match_seq(rest, s, p, k)) {
                    return true;
                }
            }
            false
        }
        Node::End => {
            let at_end = pos == s.len() || (pos + 1 == s.len() && s.get(pos) == Some(&'\n'));
            at_end && match_seq(rest, s, pos, k)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_a(c: char) -> bool {
        c == 'a'
    }
    fn is_b(c: char) -> bool {
        c == 'b'
    }

    // (a?b)?a+$
    static PAT: &[Node] = &[
        Node::Opt(&[Node::Opt(&[Node::Class(is_a)]), Node::Class(is_b)]),
        Node::Repeat(is_a, 1),
        Node::End,
    ];

    fn m(s: &str) -> bool {
        let cs: Vec<char> = s.chars().collect();
        match_start(PAT, &cs)
    }

    #[test]
    fn backtracks() {
        assert!(m("a"));
        assert!(m("aba"));
        assert!(m("ba"));
        assert!(m("aaa\n"));
        assert!(!m("aaa\n\n"));
        assert!(!m("ab"));
        assert!(!m(""));
    }
}
