//! `HTTPHandler`'s request against CPython 3.13: `tests/python/wire_http_oracle.py` runs
//! `HTTPHandler(host, url, method, secure, credentials).emit(record)` against a raw-socket
//! server that records the exact bytes, for GET and POST (any case), urls with and without
//! `?` or a full `http://netloc`, hosts with and without ports (IPv6, zones, `int()`-style
//! ports, bad ports), credentials, unicode messages, `%`-args and extras; `request` must
//! produce the same bytes, or fail where CPython raised. Without Python 3.13 that test
//! skips. `WIRE_SEED` (u64) changes the seed.

#![cfg(not(target_arch = "wasm32"))]

#[path = "remote/wire_support.rs"]
mod wire_support;

use wasm_logging::core::wire::http::{parse_host, quote_plus, request, urlencode};
use wasm_logging::{Location, LogRecord, Text, Value};
use wire_support::{gen_record_case, json_str, oracle, python, show, unhex, RecordCase, Rng};

fn seed() -> u64 {
    std::env::var("WIRE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_4177_0001)
}

const HOSTS: &[&str] = &[
    "127.0.0.1:8080",
    "localhost",
    "example.com:80",
    "example.com:443",
    "example.com:",
    "[::1]:9000",
    "[::1]",
    "::1",
    "[fe80::1%eth0]:8080",
    "h: 80",
    "h:+8_0",
    "h:0443",
    "h:abc",
    "h:1__0",
    "a b:80",
    "h:70000",
    "h:-1",
    "",
    "xn--bcher-kva.example",
    "h%x",
];

const URLS: &[&str] = &[
    "/log",
    "/log?x=1",
    "/log?",
    "",
    "/",
    "/a b",
    "/é",
    "/tab\there",
    "http://example.com:8080/log",
    "https://[::1]:5/x",
    "http://[fe80::1%25eth0]:8080/x",
    "http://user%40x@h/x",
    "http://[::1/x",
    "http://[1.2.3.4]/x",
    "http://[v1.fe]/x",
    "http://[vz.fe]/x",
    "httpfoo",
    "http:/x",
    "HTTP://X/y",
    "http://h?q",
    "http://",
    "//h/x",
];

const METHODS: &[&str] = &["GET", "POST", "get", "post", "Post", "PUT", "po\u{17f}t"];

const CREDENTIALS: &[Option<(&str, &str)>] = &[
    None,
    Some(("user", "pass")),
    Some(("ünï", "p:w ord")),
    Some(("", "")),
];

struct Case {
    record: RecordCase,
    host: &'static str,
    url: &'static str,
    method: &'static str,
    secure: bool,
    credentials: Option<(&'static str, &'static str)>,
}

impl Case {
    fn json(&self) -> String {
        let mut more = vec![
            ("host", self.host.to_owned()),
            ("url", self.url.to_owned()),
            ("method", self.method.to_owned()),
        ];
        let mut o = self.record.json(&[]);
        o.pop();
        for (k, v) in more.drain(..) {
            o.push_str(&format!(",\"{k}\":"));
            json_str(&v, &mut o);
        }
        o.push_str(&format!(",\"secure\":{},\"credentials\":", self.secure));
        match self.credentials {
            Some((u, p)) => {
                o.push('[');
                json_str(u, &mut o);
                o.push(',');
                json_str(p, &mut o);
                o.push(']');
            }
            None => o.push_str("null"),
        }
        o.push('}');
        o
    }
}

#[test]
fn request_matches_http_handler_bytes() {
    let Some(py) = python() else { return };
    let mut rng = Rng(seed());
    let cases: Vec<Case> = (0..400)
        .map(|i| {
            let mut record = gen_record_case(&mut rng);
            // mapLogRecord sends str() of every attribute; exc_info is None here (a
            // traceback's repr holds an address).
            record.exc_text = None;
            Case {
                record,
                // The first cases walk every host and url; the rest are random.
                host: HOSTS.get(i).copied().unwrap_or_else(|| {
                    if rng.chance(60) {
                        HOSTS[rng.below(3) as usize]
                    } else {
                        rng.pick(HOSTS)
                    }
                }),
                url: i
                    .checked_sub(HOSTS.len())
                    .and_then(|j| URLS.get(j))
                    .copied()
                    .unwrap_or_else(|| {
                        if rng.chance(60) {
                            URLS[rng.below(2) as usize]
                        } else {
                            rng.pick(URLS)
                        }
                    }),
                method: if rng.chance(80) {
                    rng.pick(&METHODS[..2])
                } else {
                    rng.pick(METHODS)
                },
                secure: rng.chance(30),
                credentials: rng.pick(CREDENTIALS),
            }
        })
        .collect();
    let input = format!(
        "[{}]",
        cases.iter().map(Case::json).collect::<Vec<_>>().join(",")
    );
    let want = oracle(&py, "wire_http_oracle.py", &[], &input);
    let mut failures = Vec::new();
    let (mut sent, mut refused) = (0, 0);
    for (c, w) in cases.iter().zip(want.as_array().expect("a list")) {
        let got = request(
            c.method,
            c.host,
            c.url,
            c.secure,
            c.credentials,
            &c.record.record(),
        );
        let label = format!(
            "{} {:?} {:?} secure={} creds={:?}",
            c.method, c.host, c.url, c.secure, c.credentials
        );
        match (&got, w.as_str(), w["err"].as_str()) {
            (Ok(got), Some(hex), _) => {
                sent += 1;
                let want = unhex(hex);
                if *got != want {
                    failures.push(format!(
                        "{label}\n  python: {}\n  rust:   {}",
                        show(&want),
                        show(got)
                    ));
                }
            }
            (Err(e), None, Some(err)) => {
                refused += 1;
                // The same exception class; messages are CPython's where they can be.
                let class = |m: &str| m.split(':').next().unwrap_or_default().to_owned();
                if class(e.message()) != class(err) {
                    failures.push(format!("{label}\n  python: {err}\n  rust:   {e}"));
                }
            }
            _ => failures.push(format!("{label}\n  python: {w}\n  rust:   {got:?}")),
        }
    }
    eprintln!("{sent} requests compared, {refused} refused by both");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}

#[test]
fn quote_plus_and_urlencode_follow_urllib() {
    assert_eq!(
        quote_plus("a b/c?d=e&f~g_h.i-j"),
        "a+b%2Fc%3Fd%3De%26f~g_h.i-j"
    );
    assert_eq!(quote_plus("é😀"), "%C3%A9%F0%9F%98%80");
    assert_eq!(
        urlencode(&[
            (Text::from("msg"), Value::from("hi there")),
            (
                Text::from("args"),
                Value::tuple([Value::Int(1), Value::from("x")])
            ),
            (Text::from("n"), Value::None),
            (Text::from("f"), Value::Float(0.1)),
        ])
        .unwrap(),
        "msg=hi+there&args=%281%2C+%27x%27%29&n=None&f=0.1"
    );
}

#[test]
fn request_known_bytes() {
    let mut r = LogRecord::new(
        "app".into(),
        20,
        "INFO".into(),
        Location {
            pathname: "/a.py".into(),
            lineno: 1,
            func_name: "f".into(),
        },
        Value::from("hi"),
        vec![],
        None,
        1_700_000_000_000_000_000,
        1_700_000_000_000_000_000,
    );
    r.thread = None;
    r.thread_name = None;
    r.process = None;
    r.process_name = None;
    let data = "name=app&msg=hi&args=%28%29&levelname=INFO&levelno=20&pathname=%2Fa.py&\
                filename=a.py&module=a&exc_info=None&exc_text=None&stack_info=None&lineno=1&\
                funcName=f&created=1700000000.0&msecs=0.0&relativeCreated=0.0&thread=None&\
                threadName=None&processName=None&process=None&taskName=None";
    let post = request("post", "h:8080", "/log", false, Some(("u", "p")), &r).unwrap();
    assert_eq!(
        String::from_utf8(post).unwrap(),
        format!(
            "POST /log HTTP/1.1\r\nHost: h:8080\r\nAccept-Encoding: identity\r\n\
             Content-type: application/x-www-form-urlencoded\r\nContent-length: {}\r\n\
             Authorization: Basic dTpw\r\n\r\n{data}",
            data.len()
        )
    );
    let get = request("GET", "[::1]:443", "/log?x=1", true, None, &r).unwrap();
    assert_eq!(
        String::from_utf8(get).unwrap(),
        format!("GET /log?x=1&{data} HTTP/1.1\r\nHost: [::1]\r\nAccept-Encoding: identity\r\n\r\n")
    );
    assert!(request("PUT", "h", "/", false, None, &r).is_err());
    assert!(request("GET", "bücher.example", "/", false, None, &r)
        .unwrap_err()
        .message()
        .contains("IDNA"));
    assert_eq!(parse_host("h:", false).unwrap(), ("h".to_owned(), 80));
}

mod no_panic {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::Config;

    proptest! {
        #![proptest_config(Config { cases: 5000, failure_persistence: None, ..Config::default() })]

        #[test]
        fn request_never_panics(
            host in "[\\[\\]:%a-f0-9v. +_é-]{0,16}|\\PC{0,12}",
            url in "(https?://)?[\\[\\]:%@a-f0-9v./?#é -]{0,20}|\\PC{0,12}",
            method in "GET|POST|get|\\PC{0,4}",
            secure in any::<bool>(),
        ) {
            let r = LogRecord::new(
                "a".into(), 20, "INFO".into(), Location::unknown(), Value::from("m"),
                vec![], None, 0, 0,
            );
            let _ = request(&method, &host, &url, secure, Some(("u", "p")), &r);
            let _ = parse_host(&host, secure);
        }
    }
}
