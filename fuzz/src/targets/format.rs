//! `format`: `Formatter(fmt, style=…, validate=…)` format strings in the three styles,
//! validated, parsed and applied to a record.
//!
//! Input: the first byte picks the style (`%`, `{` or `$` literally; any other byte by its
//! value), the rest is the format.

use wasm_logging::core::formatter::{Formatter, RecordFormatter, Style};
use wasm_logging::core::pyfmt;
use wasm_logging::core::value::{Text, Value};

use super::{outcome, quiet_host, sample_record, text};
use crate::engine::Target;

/// The driver.
pub fn target() -> Target {
    Target {
        name: "format",
        about: "Formatter format strings (%, {, $): validate, parse, format a record",
        seeds,
        dictionary: DICTIONARY,
        run,
        max_len: 512,
        json: false,
    }
}

const DICTIONARY: &[&[u8]] = &[
    b"%(",
    b")s",
    b"%(message)s",
    b"%(asctime)s",
    b"%(levelname)-8s",
    b"%(name)s",
    b"%(created)f",
    b"%(msecs)03d",
    b"%(relativeCreated)d",
    b"%(lineno)d",
    b"%(ip)s",
    b"%(n)x",
    b"%(args)r",
    b"%s",
    b"%d",
    b"%r",
    b"%c",
    b"%*",
    b".*",
    b"%%",
    b"%-",
    b"%#",
    b"%+",
    b"% ",
    b"%0",
    b"{",
    b"}",
    b"{}",
    b"{0}",
    b"{message}",
    b"{asctime}",
    b"{levelname:8s}",
    b"{name!r}",
    b"{n:,}",
    b"{n:_x}",
    b"{created:.3f}",
    b"{msecs:03.0f}",
    b"!r",
    b"!s",
    b"!a",
    b":",
    b":>",
    b":<",
    b":^",
    b":=",
    b":*^",
    b"[0]",
    b".real",
    b".imag",
    b"${",
    b"$$",
    b"$message",
    b"${levelname}",
    b"$",
    b"\xc3\xa9",
    b"\xf0\x9d\x84\x9e",
    b"\x00",
    b"\n",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for f in super::cookbook_strings(&["formats"]) {
        let style = if f.contains("%(") {
            b'%'
        } else if f.contains('{') {
            b'{'
        } else {
            b'$'
        };
        let mut s = vec![style];
        s.extend_from_slice(f.as_bytes());
        out.push(s);
    }
    for s in [
        "%%(message)s",
        "%%(asctime)s.%(msecs)03d %(levelname)-8s [%(name)s:%(lineno)d] %(message)s",
        "%%(created)f %(relativeCreated)12.3f %(thread)x %(process)d %(ip)s %(user)r %(n)+05d",
        "%%s %(message)s",
        "%%(message)*d",
        "{{asctime}.{msecs:03.0f} {levelname:<8} {name!r:>20} {message} {n:#x} {created:e}",
        "{{0}",
        "{{message!a:{n}}",
        "{{created:_^30,.2f}",
        "${asctime} $levelname ${name}: $message $$",
        "$$ip $user ${n}",
    ] {
        out.push(s.as_bytes().to_vec());
    }
    out
}

fn style_of(b: u8) -> Style {
    match b {
        b'%' => Style::Percent,
        b'{' => Style::Brace,
        b'$' => Style::Dollar,
        _ => [Style::Percent, Style::Brace, Style::Dollar][usize::from(b) % 3],
    }
}

fn run(data: &[u8]) -> u64 {
    quiet_host();
    let Some((&first, rest)) = data.split_first() else {
        return 0;
    };
    let style = style_of(first);
    let fmt = text(rest);
    let tag = match style {
        Style::Percent => 1,
        Style::Brace => 2,
        Style::Dollar => 3,
    };

    // The style's own checks, as `Formatter(validate=True)` runs them.
    let validated = match style {
        Style::Percent => pyfmt::validate_percent_style(&fmt),
        Style::Brace => {
            let _ = pyfmt::parse_fields(&fmt);
            pyfmt::validate_str_format_style(&fmt)
        }
        Style::Dollar => pyfmt::validate_template_style(&fmt),
    };
    let mut sig = outcome(tag, &validated.as_ref().map(|()| 0).map_err(|e| e.clone()));

    // Formatter(validate=True) must agree with the validator; then format a record either
    // way (validate=False formats that fail, fail per record).
    let built = Formatter::builder()
        .fmt(Text::from(fmt.to_string()))
        .style(style)
        .datefmt("%Y-%m-%dT%H:%M:%S%z")
        .defaults(vec![(Text::from("user"), Value::str("nobody"))])
        .build();
    assert_eq!(
        built.is_ok(),
        validated.is_ok() || fmt.is_empty(),
        "Formatter(validate=True) and the validator disagree on {fmt:?}"
    );
    let formatter = match built {
        Ok(f) => f,
        Err(_) => match Formatter::builder()
            .fmt(Text::from(fmt.to_string()))
            .style(style)
            .validate(false)
            .build()
        {
            Ok(f) => f,
            Err(e) => panic!("Formatter(validate=False) refused {fmt:?}: {e}"),
        },
    };
    let mut record = sample_record("%s took %d ms", vec![Value::str("query"), Value::Int(12)]);
    let r = formatter.format(&mut record).map(|s| s.len());
    sig ^= outcome(tag + 10, &r);
    let r = formatter.format_message(&record).map(|s| s.len());
    sig ^ outcome(tag + 20, &r).rotate_left(7)
}
