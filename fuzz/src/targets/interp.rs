//! `interp`: message interpolation, `msg % args` (`percent_format`), and the two other
//! mini-languages applied to values: `str.format(*args, **kwargs)` (`brace_format`, with the
//! format-spec language of `format(value, spec)`) and `Template.substitute`.
//!
//! Input: the first byte picks the arguments (a tuple of every kind of value, an empty
//! tuple, a dict, one value, a one-item tuple, a record-like mapping), the rest is the format.

use wasm_logging::core::pyfmt::{self, PercentArgs};
use wasm_logging::core::value::Value;

use super::{lookup, outcome, palette, quiet_host, text};
use crate::engine::Target;

/// The driver.
pub fn target() -> Target {
    Target {
        name: "interp",
        about: "msg % args, str.format and Template.substitute over every kind of value",
        seeds,
        dictionary: DICTIONARY,
        run,
        max_len: 512,
        json: false,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b"%",
    b"%(",
    b"%(a)s",
    b"%(name)r",
    b"%(missing)s",
    b")",
    b"%s",
    b"%d",
    b"%i",
    b"%u",
    b"%r",
    b"%a",
    b"%c",
    b"%x",
    b"%X",
    b"%o",
    b"%e",
    b"%E",
    b"%f",
    b"%F",
    b"%g",
    b"%G",
    b"%%",
    b"%*d",
    b"%.*f",
    b"%-",
    b"%+",
    b"% ",
    b"%#",
    b"%0",
    b"%l",
    b"%h",
    b"{",
    b"}",
    b"{}",
    b"{0}",
    b"{1}",
    b"{name}",
    b"{big}",
    b"{dict[name]}",
    b"{list[0]}",
    b"{0.real}",
    b"{0[0]}",
    b"!r",
    b"!s",
    b"!a",
    b":",
    b":>",
    b":<",
    b":^",
    b":=",
    b":+",
    b":#",
    b":,",
    b":_",
    b":n",
    b":%",
    b":c",
    b":b",
    b":e",
    b":g",
    b".2",
    b"{:{}}",
    b"$",
    b"${",
    b"$$",
    b"$name",
    b"${n}",
    b"$nan",
    b"\xc3\xa9",
    b"\xf0\x9d\x84\x9e",
    b"\xef\xbc\x91",
    b"\x00",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let messages = super::cookbook_strings(&["messages"]);
    for (i, m) in messages.iter().enumerate() {
        let mut s = vec![i as u8];
        s.extend_from_slice(m.as_bytes());
        out.push(s);
    }
    for s in [
        "\x00%s %d %i %u %r %a %c %x %X %o %e %E %f %F %g %G %%",
        "\x00%-10s|%+5d|% i|%#x|%#o|%010.3f|%.2e|%*d|%-*.*s",
        "\x01no args %% here",
        "\x02%(name)s %(a)05d %(b).1f %(missing)s",
        "\x03%s",
        "\x04%r %s",
        "\x05%(name)s is %(n)d and %(f)g",
        "\x00{} {} {!r} {:>10} {:<+8.3f} {:^#12x} {:,} {:_b} {:e} {:%} {:c}",
        "\x00{0} {1!a} {2:{3}} {0[0]} {0.real} {14:n}",
        "\x05{name} {n:>{n}} {dict[name]} {list[1]}",
        "\x05$name ${n} $$ $missing ${",
        "\x00%c %c",
        "\x04%.500f %1e %99999999999999999999d",
    ] {
        out.push(s.as_bytes().to_vec());
    }
    out
}

fn run(data: &[u8]) -> u64 {
    quiet_host();
    let Some((&sel, rest)) = data.split_first() else {
        return 0;
    };
    let fmt = text(rest);
    let p = palette();
    let one = p[usize::from(sel / 6) % p.len()].clone();
    let single_tuple = [one.clone()];
    let dict = p[19].clone();
    let args = match sel % 6 {
        0 => PercentArgs::Tuple(&p),
        1 => PercentArgs::Tuple(&[]),
        2 => PercentArgs::Single(&dict),
        3 => PercentArgs::Single(&one),
        4 => PercentArgs::Tuple(&single_tuple),
        _ => PercentArgs::Mapping(&lookup),
    };
    let mut out = String::new();
    let r = pyfmt::percent_format(&fmt, args, &mut out).map(|()| out.len());
    let mut sig = outcome(u64::from(sel % 6), &r);

    let positional: &[Value] = match sel % 6 {
        0 | 5 => &p,
        1 | 2 => &[],
        _ => &single_tuple,
    };
    out.clear();
    let r = pyfmt::brace_format(&fmt, positional, &lookup, &mut out).map(|()| out.len());
    sig ^= outcome(100, &r).rotate_left(11);

    out.clear();
    let r = pyfmt::template_substitute(&fmt, &lookup, &mut out).map(|()| out.len());
    sig ^= outcome(200, &r).rotate_left(23);

    // format(value, spec) on its own: the whole rest as the spec.
    out.clear();
    let r = pyfmt::format_value(&one, &fmt, &mut out).map(|()| out.len());
    sig ^= outcome(300, &r).rotate_left(37);
    sig
}
