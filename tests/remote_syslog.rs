//! `SysLogHandler` natively over real sockets into a real rsyslog (Debian's, started here as
//! the current user on high ports by `tests/remote/rsyslog.py`):
//! - CPython's bytes over UDP and TCP: rsyslog stores exactly what it stores for CPython's own
//!   `SysLogHandler` making the same calls;
//! - the cookbook's RFC 5424 format (recipes 21 and 34) with RFC 6587 octet counting over TCP:
//!   rsyslog's RFC 5424 parser finds our APP-NAME, PROCID, MSGID and structured data, and the
//!   message with its BOM is written intact, embedded newlines included.
// Native only: real sockets, processes and threads (`wasm-pack test` builds every test).
#![cfg(not(target_arch = "wasm32"))]

#[path = "remote/harness.rs"]
mod harness;
#[path = "remote/native.rs"]
mod native;

use std::process::Command;

use harness::{calls, python, root, sent_count, Rsyslog};
use native::{configured, replay, root_config};
use wasm_logging::net::AllowList;
use wasm_logging::{Manager, Value};

fn configure(handler: &str) -> Manager {
    configured(
        &root_config(handler, "%(name)s: %(message)s"),
        AllowList::Any,
    )
}

fn cpython_syslog(py: &str, kind: &str, port: u16) {
    let status = Command::new(py)
        .arg(root().join("tests/remote/cpython_sender.py"))
        .args(["--kind", kind, "--port", &port.to_string()])
        .args(["--format", "%(name)s: %(message)s"])
        .status()
        .unwrap();
    assert!(status.success());
}

fn raw(messages: &[serde_json::Value]) -> Vec<String> {
    messages
        .iter()
        .map(|m| m["rawmsg"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn rsyslog_stores_our_syslog_messages_as_it_stores_cpythons_over_udp_and_tcp() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let Some(rsyslog) = Rsyslog::start(&py) else {
        eprintln!("skipped: no rsyslogd (scripts/setup.sh installs it)");
        return;
    };
    let n = sent_count();
    for (kind, input, port, socktype) in [
        ("syslog-udp", "udp", rsyslog.udp, "ext://socket.SOCK_DGRAM"),
        (
            "syslog-tcp",
            "tcp_nul",
            rsyslog.tcp_nul,
            "ext://socket.SOCK_STREAM",
        ),
    ] {
        cpython_syslog(&py, kind, port);
        let theirs = raw(&rsyslog.messages(input, n));
        let manager = configure(&format!(
            r#"{{"class": "logging.handlers.SysLogHandler", "formatter": "f",
                "address": ["127.0.0.1", {port}], "socktype": "{socktype}"}}"#
        ));
        replay(&manager, &[]);
        manager.shutdown();
        let all = raw(&rsyslog.messages(input, 2 * n));
        assert_eq!(&all[n..], &theirs[..], "{kind}");
        assert!(theirs[0].starts_with("<14>root: Jackdaws"), "{}", theirs[0]);
    }
}

#[test]
fn rsyslog_parses_our_rfc5424_frames_with_structured_data_and_the_bom_intact() {
    let Some(py) = python() else {
        eprintln!("skipped: no python3");
        return;
    };
    let Some(rsyslog) = Rsyslog::start(&py) else {
        eprintln!("skipped: no rsyslogd (scripts/setup.sh installs it)");
        return;
    };
    let manager = configure(&format!(
        r#"{{"()": "wasm_logging.SysLogHandler5424", "formatter": "f",
            "address": ["127.0.0.1", {}], "socktype": "ext://socket.SOCK_STREAM",
            "appname": "myapp", "msgid": "ID47", "hostname": "myhost.example",
            "bom": true, "utc_offset": 3600}}"#,
        rsyslog.tcp
    ));
    let sd = Value::dict([(
        "exampleSDID@32473",
        Value::dict([
            ("iut", Value::str("3")),
            ("eventSource", Value::str("Application")),
            ("note", Value::str(r#"a "quoted" ] \ value"#)),
        ]),
    )]);
    replay(&manager, &[("structured_data", sd)]);
    manager.shutdown();
    let n = sent_count();
    let got = rsyslog.messages("tcp", n);
    let sent: Vec<harness::Call> = calls().into_iter().filter(|c| c.level >= 10).collect();
    assert_eq!(got.len(), n);
    for (m, c) in got.iter().zip(&sent) {
        assert_eq!(m["version"], "1", "{m}");
        assert_eq!(m["app_name"], "myapp");
        assert_eq!(m["msgid"], "ID47");
        assert_eq!(m["hostname"], "myhost.example");
        assert_eq!(m["procid"], std::process::id().to_string());
        assert_eq!(
            m["structured_data"],
            r#"[exampleSDID@32473 iut="3" eventSource="Application" note="a \"quoted\" \] \\ value"]"#
        );
        let msg = m["msg"].as_str().unwrap();
        assert!(msg.starts_with('\u{feff}'), "{m}");
        let name = if c.logger.is_empty() {
            "root"
        } else {
            &c.logger
        };
        assert!(
            msg.starts_with(&format!("\u{feff}{name}: ")),
            "{msg:?} for {name}"
        );
        // The timestamp carries the configured offset.
        assert!(m["timestamp"].as_str().unwrap().ends_with("+01:00"), "{m}");
    }
    // Multi-line messages arrive whole: octet counting, not newline framing.
    assert!(got.iter().any(|m| m["msg"]
        .as_str()
        .unwrap()
        .ends_with("first line\nsecond line")));
}
