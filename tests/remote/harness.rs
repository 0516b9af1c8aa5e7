//! Shared by the native (`tests/remote_cpython.rs`) and the component
//! (`host/tests/remote.rs`) suites: CPython's cookbook receiver and CPython's own handlers
//! as the other end of a socket, and the scenario of calls every host replays.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The repository root.
pub fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    if here.join("tests/remote").exists() {
        here.to_path_buf()
    } else {
        here.parent().unwrap().to_path_buf()
    }
}

/// The reference CPython (3.13 where the image has it), or `None`.
pub fn python() -> Option<String> {
    let out = Command::new("bash")
        .arg(root().join("scripts/python-ref.sh"))
        .output()
        .ok()?;
    let p = String::from_utf8(out.stdout).ok()?.trim().to_owned();
    (!p.is_empty()).then_some(p)
}

/// One call of the scenario.
#[derive(Clone, Debug)]
pub struct Call {
    pub logger: String,
    pub level: i64,
    pub msg: String,
    pub args: Vec<serde_json::Value>,
    pub extra: Vec<(String, serde_json::Value)>,
}

/// `tests/fixtures/remote/calls.json`.
pub fn calls() -> Vec<Call> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/remote/calls.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc.as_array()
        .unwrap()
        .iter()
        .map(|c| Call {
            logger: c["logger"].as_str().unwrap().to_owned(),
            level: c["level"].as_i64().unwrap(),
            msg: c["msg"].as_str().unwrap().to_owned(),
            args: c["args"].as_array().cloned().unwrap_or_default(),
            extra: c["extra"]
                .as_object()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        })
        .collect()
}

/// How many of the scenario's calls a root at DEBUG sends.
pub fn sent_count() -> usize {
    calls().iter().filter(|c| c.level >= 10).count()
}

/// A python tool from `tests/remote/` running in the background.
pub struct Tool {
    child: Child,
    pub port: u16,
    dir: PathBuf,
    _guard: KillOnDrop,
}

/// Kills a child process when a test ends without stopping it (an assertion failed): a
/// receiver left running would outlive the test run, holding its ports and any lock the
/// test runner's parent took.
pub struct KillOnDrop(pub u32);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = Command::new("kill")
                .args(["-KILL", &self.0.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

fn wait_port(ready: &Path, child: &mut Child) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(t) = std::fs::read_to_string(ready) {
            if let Ok(p) = t.trim().parse() {
                return p;
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the tool exited early: {status}");
        }
        assert!(Instant::now() < deadline, "the tool did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A fresh temporary directory.
pub fn temp_dir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "wasm-logging-remote-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

impl Tool {
    /// Starts `tests/remote/<script>` with `args` plus `--port 0 --ready-file …`.
    pub fn start(py: &str, script: &str, args: &[&str]) -> Tool {
        Self::start_on(py, script, args, 0)
    }

    /// [`Tool::start`] on a given port (restarting a receiver where it was).
    pub fn start_on(py: &str, script: &str, args: &[&str], port: u16) -> Tool {
        let dir = temp_dir("tool");
        let ready = dir.join("port");
        let mut child = Command::new(py)
            .arg(root().join("tests/remote").join(script))
            .args(args)
            .args(["--port", &port.to_string(), "--ready-file"])
            .arg(&ready)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let port = wait_port(&ready, &mut child);
        let guard = KillOnDrop(child.id());
        Tool {
            child,
            port,
            dir,
            _guard: guard,
        }
    }

    /// Waits for the tool to exit by itself; its stdout.
    pub fn output(self) -> String {
        let out = self.child.wait_with_output().unwrap();
        let _ = std::fs::remove_dir_all(&self.dir);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Kills it at once (a collector that crashes); its stdout so far.
    pub fn kill(mut self) -> String {
        let _ = self.child.kill();
        self.output()
    }

    /// Stops it with SIGTERM; its stdout.
    pub fn terminate(self) -> String {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        self.output()
    }
}

/// The cookbook receiver's lines for CPython's own handler of `kind` (`socket`,
/// `datagram`) replaying the scenario.
pub fn cpython_reference(py: &str, kind: &str) -> String {
    let n = sent_count().to_string();
    let mut args = vec!["--expect", n.as_str(), "--timeout", "30"];
    if kind == "datagram" {
        args.push("--udp");
    }
    let receiver = Tool::start(py, "cookbook_receiver.py", &args);
    let status = Command::new(py)
        .arg(root().join("tests/remote/cpython_sender.py"))
        .args(["--kind", kind, "--port", &receiver.port.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    receiver.output()
}

/// The receiver's lines without the `relativeCreated` column (the sender's own clock: it
/// differs between any two senders).
pub fn without_relative_created(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            match t.split_once(' ') {
                Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit() || c == '-') => {
                    rest.to_owned()
                }
                _ => l.to_owned(),
            }
        })
        .collect()
}

/// A private rsyslogd (`tests/remote/rsyslog.py`): its UDP, TCP (LF or NUL framing) and
/// TCP (NUL framing only) inputs.
pub struct Rsyslog {
    py: String,
    dir: PathBuf,
    pub udp: u16,
    pub tcp: u16,
    pub tcp_nul: u16,
}

impl Rsyslog {
    /// Starts one, or `None` where rsyslogd is not installed.
    pub fn start(py: &str) -> Option<Rsyslog> {
        if !Path::new("/usr/sbin/rsyslogd").exists() {
            return None;
        }
        let dir = temp_dir("rsyslog");
        let out = Command::new(py)
            .arg(root().join("tests/remote/rsyslog.py"))
            .args(["start", "--dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "rsyslog did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ports: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("ports.json")).unwrap())
                .unwrap();
        let port = |k: &str| ports[k].as_u64().unwrap() as u16;
        Some(Rsyslog {
            py: py.to_owned(),
            udp: port("udp"),
            tcp: port("tcp"),
            tcp_nul: port("tcp_nul"),
            dir,
        })
    }

    /// The messages rsyslog wrote from `input`, once there are `n` of them.
    pub fn messages(&self, input: &str, n: usize) -> Vec<serde_json::Value> {
        let status = Command::new(&self.py)
            .arg(root().join("tests/remote/rsyslog.py"))
            .args(["wait", "--dir"])
            .arg(&self.dir)
            .args(["--expect", &n.to_string(), "--input", input])
            .status()
            .unwrap();
        assert!(
            status.success(),
            "rsyslog did not get {n} messages on {input}"
        );
        std::fs::read_to_string(self.dir.join("messages.jsonl"))
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|m| m["input"] == input)
            .collect()
    }
}

impl Drop for Rsyslog {
    fn drop(&mut self) {
        let _ = Command::new(&self.py)
            .arg(root().join("tests/remote/rsyslog.py"))
            .args(["stop", "--dir"])
            .arg(&self.dir)
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Standard base64 decoding (the recorder's bodies).
pub fn b64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let v: Vec<u8> = s.bytes().filter(|&c| c != b'=').map(val).collect();
    v.chunks(4)
        .flat_map(|ch| {
            let n = ch
                .iter()
                .enumerate()
                .fold(0u32, |a, (i, &x)| a | (u32::from(x) << (18 - 6 * i)));
            (0..ch.len().saturating_sub(1)).map(move |i| (n >> (16 - 8 * i)) as u8)
        })
        .collect()
}

/// A `wasm-logging serve` a test started: the port of each receiver it announced on stderr
/// (`"tcp"`, `"udp"`, `"http"`), and its later stderr lines.
pub struct Announced {
    child: Child,
    /// Each receiver's port, by kind.
    pub ports: std::collections::HashMap<String, u16>,
    stderr: std::sync::mpsc::Receiver<String>,
    _guard: KillOnDrop,
}

impl Announced {
    /// Runs `cmd` (a `wasm-logging serve …`) and waits until it has announced a receiver of
    /// each of `kinds` (`wasm-logging serve: listening on 127.0.0.1:PORT (tcp)`).
    pub fn start(mut cmd: Command, kinds: &[&str]) -> Announced {
        use std::io::BufRead;
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let guard = KillOnDrop(child.id());
        let (tx, rx) = std::sync::mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(err).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut ports = std::collections::HashMap::new();
        while !kinds.iter().all(|k| ports.contains_key(*k)) {
            let line = rx
                .recv_timeout(Duration::from_secs(60))
                .expect("serve did not start");
            if let Some(rest) = line.strip_prefix("wasm-logging serve: listening on ") {
                let (addr, kind) = rest.split_once(' ').unwrap();
                let port: u16 = addr.rsplit_once(':').unwrap().1.parse().unwrap();
                ports.insert(kind.trim_matches(['(', ')']).to_owned(), port);
            }
        }
        Announced {
            child,
            ports,
            stderr: rx,
            _guard: guard,
        }
    }

    /// The port of the receiver of `kind`.
    pub fn port(&self, kind: &str) -> u16 {
        self.ports[kind]
    }

    /// SIGTERM, then (stdout, stderr lines).
    pub fn stop(self) -> (String, Vec<String>) {
        Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status()
            .unwrap();
        let out = self.child.wait_with_output().unwrap();
        let err: Vec<String> = self.stderr.iter().collect();
        (String::from_utf8_lossy(&out.stdout).into_owned(), err)
    }
}
