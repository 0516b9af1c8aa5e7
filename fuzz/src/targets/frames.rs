//! `frames`: what `wasm-logging serve` reads from a socket: a stream of 4-byte big-endian
//! lengths and payloads (pickles of a record dict, as CPython's `SocketHandler` sends them,
//! or the same dict as JSON), each decoded by the receiver's `decode_frame` (the core's
//! restricted unpickler or JSON reader), rebuilt by `makeLogRecord` and formatted as the
//! cookbook's receiver formats it. A pickle that loads must also survive `dumps` and load
//! again to the same `repr` (the wire's round trip).
//!
//! Input: the byte stream (frames longer than 1 MiB, the receiver's default limit, end the
//! stream as they end a connection).

use wasm_logging::core::config::json::parse_json;
use wasm_logging::core::formatter::{Formatter, RecordFormatter};
use wasm_logging::core::pyfmt::write_repr;
use wasm_logging::core::received::make_log_record;
use wasm_logging::core::value::{Text, Value};
use wasm_logging::core::wire::pickle::{dumps, loads_plain};
#[cfg(feature = "host")]
use wasm_logging_host::serve::decode_frame;

use super::{outcome, quiet_host};
use crate::engine::{message_signature, size_class, Target};

/// The driver.
pub fn target() -> Target {
    Target {
        name: "frames",
        about: "socket frames: length prefixes, restricted unpickler, JSON frames, makeLogRecord",
        seeds,
        dictionary: DICTIONARY,
        run,
        max_len: 4096,
        json: false,
    }
}

/// The receiver's default `max_frame`.
const MAX_FRAME: usize = 1 << 20;

const DICTIONARY: &[&[u8]] = &[
    // Protocol 0-1 opcodes.
    b"(",
    b".",
    b"0",
    b"1",
    b"2",
    b"F",
    b"I",
    b"J",
    b"K",
    b"L",
    b"M",
    b"N",
    b"P",
    b"Q",
    b"R",
    b"S",
    b"T",
    b"U",
    b"V",
    b"X",
    b"a",
    b"b",
    b"c",
    b"d",
    b"}",
    b"e",
    b"g",
    b"h",
    b"i",
    b"j",
    b"l",
    b"]",
    b"o",
    b"p",
    b"q",
    b"r",
    b"s",
    b"t",
    b")",
    b"u",
    b"G",
    // Protocol 2-5 opcodes.
    b"\x80",
    b"\x81",
    b"\x82",
    b"\x83",
    b"\x84",
    b"\x85",
    b"\x86",
    b"\x87",
    b"\x88",
    b"\x89",
    b"\x8a",
    b"\x8b",
    b"\x8c",
    b"\x8d",
    b"\x8e",
    b"\x8f",
    b"\x90",
    b"\x91",
    b"\x92",
    b"\x93",
    b"\x94",
    b"\x95",
    b"\x96",
    b"\x97",
    b"\x98",
    b"B",
    b"C",
    // Phrases.
    b"\x80\x02",
    b"\x80\x05\x95",
    b"}q\x00(",
    b"X\x04\x00\x00\x00name",
    b"X\x03\x00\x00\x00msg",
    b"X\x04\x00\x00\x00args",
    b"X\x07\x00\x00\x00created",
    b"I01\n",
    b"I00\n",
    b"L12L\n",
    b"F1e309\n",
    b"S'x'\n",
    b"V\\u20ac\n",
    b"\x8a\x09\xff\xff\xff\xff\xff\xff\xff\xff\x7f",
    b"cos\nsystem\n",
    b"(lp0\n",
    b"g0\n",
    b"p0\n",
    b"h\x00",
    b"j\x00\x00\x00\x00",
    // JSON frames and lengths.
    b"{\"name\": ",
    b"\"msg\": ",
    b"\"args\": [",
    b"\"created\": 1e308",
    b"\"levelno\": ",
    b"\"lineno\": -1",
    b"\"exc_text\": ",
    b"\x00\x00\x00\x10",
    b"\x00\x10\x00\x00",
    b"\xff\xff\xff\xff",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut out = crate::seeds::files("fuzz/seeds/frames", &[".bin"]);
    // The core's own frames of a typical record, both encodings, back to back.
    quiet_host();
    let mut record = super::sample_record("%s took %d ms", vec![Value::str("q"), Value::Int(1)]);
    record.exc_text = Some(Text::from(
        "Traceback (most recent call last):\nValueError: x",
    ));
    let mut both = Vec::new();
    if let Ok(p) = wasm_logging::core::wire::pickle::make_pickle(&record) {
        out.push(p.clone());
        both.extend(p);
    }
    if let Ok(j) = wasm_logging::core::wire::pickle::make_json_frame(&record) {
        out.push(j.clone());
        both.extend(j);
    }
    out.push(both);
    out
}

fn run(data: &[u8]) -> u64 {
    quiet_host();
    let formatter = Formatter::builder()
        .fmt("%(asctime)s %(relativeCreated)5d %(name)-15s %(levelname)-8s %(process)s %(thread)s %(message)s")
        .build()
        .ok();
    let mut sig = 0u64;
    let mut rest = data;
    let mut frames = 0u64;
    while rest.len() >= 4 {
        let n = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
        if n == 0 || n > MAX_FRAME || rest.len() - 4 < n {
            sig ^= 0x5151 + size_class(n);
            break;
        }
        let payload = &rest[4..4 + n];
        rest = &rest[4 + n..];
        frames += 1;
        sig = sig.rotate_left(13) ^ frames;
        // The receiver's entry point.
        #[cfg(feature = "host")]
        let host_view = decode_frame(payload);
        #[cfg(feature = "host")]
        {
            sig = sig.rotate_left(13) ^ outcome(frames, &host_view.as_ref().map(Vec::len));
        }
        // The same payload through the core, as far as a record and its text.
        let value = if payload.first() == Some(&b'{') {
            match std::str::from_utf8(payload) {
                Ok(t) => parse_json(t).map_err(|e| e.to_string()),
                Err(e) => Err(e.to_string()),
            }
        } else {
            let loaded = loads_plain(payload).map_err(|e| e.to_string());
            if let Ok(v) = &loaded {
                round_trip(v);
            }
            loaded
        };
        let value = match value {
            Ok(v) => v,
            Err(e) => {
                sig ^= message_signature(&e);
                continue;
            }
        };
        #[cfg(feature = "host")]
        assert_eq!(
            host_view.is_ok(),
            matches!(&value, Value::Dict(items) if items.iter().all(|(k, _)| matches!(k, Value::Str(_)))),
            "decode_frame and the core disagree on whether a frame is a record"
        );
        let Value::Dict(items) = &value else {
            continue;
        };
        let fields: Vec<(Text, Value)> = items
            .iter()
            .filter_map(|(k, v)| match k {
                Value::Str(s) => Some((s.clone(), v.clone())),
                _ => None,
            })
            .collect();
        let mut record = make_log_record(&fields);
        let msg = record.get_message().map(|s| s.len());
        sig ^= outcome(50, &msg);
        if let Some(f) = &formatter {
            let r = f.format(&mut record).map(|s| s.len());
            sig ^= outcome(60, &r).rotate_left(3);
        }
    }
    sig
}

/// `loads(dumps(v))` must give `v` back (compared by `repr`, which sees every value and
/// the container kinds).
fn round_trip(v: &Value) {
    let Ok(bytes) = dumps(v) else {
        return;
    };
    let again = match loads_plain(&bytes) {
        Ok(a) => a,
        Err(e) => panic!("a pickle that loaded does not load after dumps: {e}"),
    };
    let (mut a, mut b) = (String::new(), String::new());
    if write_repr(v, &mut a).is_ok() && write_repr(&again, &mut b).is_ok() {
        assert_eq!(a, b, "loads(dumps(v)) differs from v");
    }
}
