// Network handlers through NodeRemote: SocketHandler, DatagramHandler and HTTPHandler built by
// dictConfig deliver what CPython's own handlers deliver (the Logging Cookbook's receiver prints
// the same lines; the HTTP recorder sees the same request bytes), a refused endpoint never
// connects, records wait out a receiver's outages and arrive exactly once and in order, the
// buffer's overflow is reported once, and a process that exits without flushing still
// delivers. The receivers are the Python harness in tests/remote/.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { logging, pythonPath, NS, REPO, captureConsoleAsync as captureOutputAsync } from "./helpers.js";

const PY = (() => {
  try {
    return pythonPath();
  } catch {
    return null;
  }
})();
const needPython = PY === null ? "no reference python (scripts/python-ref.sh)" : false;

const REMOTE = path.join(REPO, "tests/remote");
const CALLS_FILE = path.join(REPO, "tests/fixtures/remote/calls.json");
const CALLS = JSON.parse(readFileSync(CALLS_FILE, "utf8"));
/** Calls at DEBUG or above: what a root at DEBUG sends. */
const SENT = CALLS.filter((c) => c.level >= logging.DEBUG).length;
const NODE_ENTRY = new URL("../src/node.js", import.meta.url).href;
const BUNDLER_ENTRY = new URL("../src/bundler.js", import.meta.url).href;

const scratch = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-remote-"));
const children = new Set();
after(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(scratch, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `pred` every 10 ms until it is truthy; fails after `ms`. */
async function waitFor(pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let seq = 0;

/** A child process whose output is collected; `exited` resolves with its exit code. */
function run(cmd, args, options = {}) {
  const p = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  children.add(p);
  let out = "";
  let err = "";
  p.stdout.setEncoding("utf8").on("data", (d) => (out += d));
  p.stderr.setEncoding("utf8").on("data", (d) => (err += d));
  const exited = new Promise((resolve) => p.on("close", (code, signal) => resolve(code ?? signal)));
  exited.then(() => children.delete(p));
  return { proc: p, out: () => out, err: () => err, exited };
}

/** Runs a tests/remote/*.py harness that writes `--ready-file`; resolves once it listens. */
async function listening(script, args) {
  const ready = path.join(scratch, `ready-${++seq}`);
  const h = run(PY, [path.join(REMOTE, script), ...args, "--ready-file", ready], {
    env: { ...process.env, PYTHONIOENCODING: "utf-8", PYTHONUNBUFFERED: "1" },
  });
  let code = null;
  h.exited.then((c) => (code = c));
  await waitFor(() => existsSync(ready) || code !== null, 10_000, `${script} to listen`);
  if (!existsSync(ready)) throw new Error(`${script} exited (${code}):\n${h.err()}`);
  h.port = Number(readFileSync(ready, "utf8").trim());
  return h;
}

/** The cookbook receiver (TCP, or UDP with `udp`), on `port` (0: any free port). */
function receiver({ port = 0, udp = false, expect, timeout = 30 } = {}) {
  const args = ["--port", String(port), "--timeout", String(timeout)];
  if (udp) args.push("--udp");
  if (expect !== undefined) args.push("--expect", String(expect));
  return listening("cookbook_receiver.py", args);
}

/** The messages in the receiver's cookbook lines ("rel name level message"). */
function messages(text) {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.replace(/^ *-?\d+ \S+ +\S+ +/, ""));
}

// CPython's own handler, with what differs between two processes pinned to what our records
// carry: the clock (setFixedTime(NS)), no caller location (setCallerInfo(false) is
// `_srcfile = None`), thread 0 named "main", this process's pid.
const PINNED = `
import logging, os, runpy, sys, time
NS, PID = int(sys.argv[1]), int(sys.argv[2])
time.time_ns = lambda: NS
time.time = lambda: NS / 1e9
logging._startTime = NS
logging._srcfile = None
_factory = logging.getLogRecordFactory()
def _pinned(*a, **k):
    r = _factory(*a, **k)
    r.thread, r.threadName, r.process, r.processName = 0, "main", PID, "main"
    return r
logging.setLogRecordFactory(_pinned)
sys.argv = sys.argv[3:]
runpy.run_path(sys.argv[0], run_name="__main__")
`;

/** tests/remote/cpython_sender.py --kind KIND against 127.0.0.1:port, pinned as above. */
function cpythonSender(kind, port, extra = []) {
  const r = spawnSync(
    PY,
    ["-c", PINNED, String(NS), String(process.pid), path.join(REMOTE, "cpython_sender.py"),
      "--kind", kind, "--host", "127.0.0.1", "--port", String(port), ...extra],
    { encoding: "utf8", timeout: 60_000, env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" } },
  );
  assert.equal(r.status, 0, `cpython_sender ${kind}: ${r.stderr}`);
}

/** Our side of the same: the clock fixed, no caller location. */
function pinOurs() {
  logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
  logging.setStartTime(NS);
  logging.setWorkerName("main");
  logging.setCallerInfo(false);
}

/** calls.json through our loggers, as cpython_sender.py replays it. */
function replay(calls) {
  for (const c of calls) {
    const opts = c.extra && Object.keys(c.extra).length ? [{ extra: c.extra }] : [];
    logging.getLogger(c.logger).log(c.level, c.msg, ...c.args, ...opts);
  }
}

/** One handler `h` on the root at DEBUG (the cookbook's client configuration). */
function configureRoot(handler) {
  logging.dictConfig({
    version: 1,
    disable_existing_loggers: false,
    handlers: { h: handler },
    root: { level: "DEBUG", handlers: ["h"] },
  });
}

/** Back to a fresh process's root (closing the handlers configured before). */
function reset() {
  logging.dictConfig({ version: 1, disable_existing_loggers: false, root: { level: "WARNING", handlers: [] } });
  logging.setFixedTime(null);
  logging.setWorkerName("MainThread");
  logging.setProcessName("MainProcess");
  logging.setCallerInfo("auto");
}

/** A port nobody listens on (yet). */
async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** The texts written to stderr (Node's handleError reports) while async `fn` runs. */
async function captureConsoleAsync(fn) {
  const calls = await captureOutputAsync(fn);
  return calls.filter((c) => c[0] === "stderr" || c[0] === "error").map((c) => c.slice(1).map(String).join(" "));
}

/**
 * The one documented difference: a JS \`true\` / \`null\` argument keeps its JS spelling
 * (README, "Values"), where CPython's True / None print as such. calls.json has one such
 * call; \`from\` must occur exactly once in the reference, which then expects \`to\`.
 */
function jsSpelling(reference, from, to) {
  assert.equal(reference.split(from).length, 2, `expected one ${JSON.stringify(from)} in the reference`);
  return reference.replace(from, to);
}

/** The same in HTTPHandler's urlencoded record dict: the `args` tuple and two `extra` values. */
const HTTP_JS_SPELLINGS = [
  ["%2C+True%2C+None%2C", "%2C+true%2C+null%2C"],
  ["&ok=True&nothing=None", "&ok=true&nothing=null"],
];

const logged = (reports) => reports.filter((r) => r.includes("--- Logging error ---"));

// ---- (a), (b): the cookbook receiver prints the same lines ------------------------------

for (const [kind, cls, udp] of [
  ["socket", "logging.handlers.SocketHandler", false],
  ["datagram", "logging.handlers.DatagramHandler", true],
]) {
  test(`${cls.split(".").pop()} → the cookbook receiver prints what it prints for CPython's ${cls}`, { skip: needPython }, async () => {
    const ref = await receiver({ udp, expect: SENT });
    cpythonSender(kind, ref.port);
    assert.equal(await ref.exited, 0, ref.err());

    const rx = await receiver({ udp, expect: SENT });
    pinOurs();
    try {
      configureRoot({ class: cls, host: "127.0.0.1", port: rx.port });
      replay(CALLS);
      assert.equal(await logging.flushAsync(), 0);
      assert.equal(await rx.exited, 0, rx.err());
    } finally {
      reset();
    }
    assert.equal(messages(rx.out()).length, messages(ref.out()).length);
    assert.equal(rx.out(), jsSpelling(ref.out(), "bool True, none None", "bool true, none null"));
  });
}

// ---- (c): HTTPHandler's requests are CPython's, byte for byte ----------------------------

test("HTTPHandler GET and POST: the recorder sees CPython's request bytes", { skip: needPython }, async () => {
  const out = path.join(scratch, "http.jsonl");
  const rec = await listening("http_recorder.py", ["--port", "0", "--out", out, "--timeout", "60"]);
  const requests = () =>
    readFileSync(out, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  try {
    for (const method of ["GET", "POST"]) {
      const before = requests().length;
      cpythonSender(`http-${method.toLowerCase()}`, rec.port, ["--url", "/log"]);
      await waitFor(() => requests().length === before + SENT, 10_000, "CPython's requests");
      pinOurs();
      try {
        configureRoot({ class: "logging.handlers.HTTPHandler", host: `127.0.0.1:${rec.port}`, url: "/log", method });
        replay(CALLS);
        assert.equal(await logging.flushAsync(), 0);
      } finally {
        reset();
      }
      await waitFor(() => requests().length === before + 2 * SENT, 10_000, "our requests");
      const all = requests().slice(before);
      const theirs = all.slice(0, SENT);
      const ours = all.slice(SENT);
      let spelled = 0;
      for (let i = 0; i < SENT; i++) {
        assert.equal(ours[i].method, method);
        assert.equal(ours[i].complete, true);
        let want = Buffer.from(theirs[i].raw, "base64").toString("latin1");
        for (const [from, to] of HTTP_JS_SPELLINGS) {
          if (want.includes(from)) {
            want = jsSpelling(want, from, to);
            spelled++;
          }
        }
        assert.equal(
          Buffer.from(ours[i].raw, "base64").toString("latin1"),
          want,
          `${method} request ${i} (${CALLS.filter((c) => c.level >= 10)[i].msg.slice(0, 40)})`,
        );
      }
      // args (3.99, true, null, 0.1) and extra {ok: true, nothing: null}: nothing else differs.
      assert.equal(spelled, 2);
    }
  } finally {
    rec.proc.kill("SIGTERM");
    await rec.exited;
  }
});

test("HTTPHandler: a non-2xx answer is reported (by the next request), and records go on", async () => {
  const seen = [];
  const server = net.createServer((s) => {
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString("latin1");
      if (!buf.includes("\r\n\r\n")) return;
      seen.push(buf.split("\r\n")[0]);
      const status = seen.length === 1 ? "503 Service Unavailable" : "200 OK";
      s.end(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  let left;
  const reports = await captureConsoleAsync(async () => {
    try {
      configureRoot({ class: "logging.handlers.HTTPHandler", host: `127.0.0.1:${port}`, url: "/h", method: "GET" });
      logging.getLogger("h").info("one");
      left = await logging.flushAsync();
      logging.getLogger("h").info("two");
      left += await logging.flushAsync({ timeout: 4000 });
    } finally {
      reset();
      server.close();
    }
  });
  assert.equal(left, 0);
  assert.equal(seen.length, 2, JSON.stringify(seen));
  assert.match(seen[0], /^GET \/h\?.*msg=one/);
  assert.match(seen[1], /^GET \/h\?.*msg=two/);
  const errs = logged(reports);
  assert.equal(errs.length, 1, reports.join("\n"));
  assert.match(errs[0], new RegExp(`HTTPHandler to 127\\.0\\.0\\.1:${port} \\(http\\): the server answered "HTTP/1\\.1 503 Service Unavailable"`));
});

// ---- (d): refused endpoints -------------------------------------------------------------

test("an endpoint outside NodeRemote's allow-list fails dictConfig, naming handlers.sock.host, and never connects", async () => {
  let connections = 0;
  const server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  const config = {
    version: 1,
    disable_existing_loggers: false,
    handlers: { sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port } },
    root: { level: "DEBUG", handlers: ["sock"] },
  };
  const saved = logging.getRemote();
  try {
    for (const allow of [[], ["127.0.0.1:1", "localhost:*"], undefined]) {
      logging.setRemote(new logging.NodeRemote(allow === undefined ? {} : { allow }));
      assert.throws(
        () => logging.dictConfig(config),
        (e) => {
          assert.match(`${e.path ?? ""} ${e.message}`, /handlers\.sock\.host/);
          assert.match(e.message, new RegExp(`connections to 127\\.0\\.0\\.1:${port} are not allowed by this host`));
          assert.match(e.message, /new NodeRemote\(\{allow: \[/);
          return true;
        },
      );
    }
    await sleep(200);
    assert.equal(connections, 0);

    // Allowed by host and port wildcard: the same configuration connects.
    logging.setRemote(new logging.NodeRemote({ allow: ["127.0.0.1:*"] }));
    logging.dictConfig(config);
    logging.getLogger("allowed").warning("sent");
    assert.equal(await logging.flushAsync(), 0);
    await waitFor(() => connections === 1, 5000, "the allowed connection");
  } finally {
    logging.setRemote(saved);
    reset();
    server.close();
  }
  assert.throws(() => new logging.NodeRemote({ allow: ["nohost"] }), TypeError);
  assert.throws(() => new logging.NodeRemote({ allow: ["h:99999"] }), TypeError);
  const r = new logging.NodeRemote({ allow: ["[::1]:9020", "Example.org:*"] });
  assert.equal(r.allows("::1", 9020), true);
  assert.equal(r.allows("::1", 9021), false);
  assert.equal(r.allows("example.ORG", 1), true);
  assert.throws(() => r.check({ transport: "tcp", host: "::1", port: 1 }), /connections to \[::1\]:1 are not allowed/);
});

test("without a remote (setRemote(null), as in browsers) network classes are refused, naming the browser transports", () => {
  const saved = logging.getRemote();
  try {
    logging.setRemote(null);
    assert.equal(logging.getRemote(), null);
    assert.throws(
      () => configureRoot({ class: "logging.handlers.SocketHandler", host: "127.0.0.1", port: 9020 }),
      (e) => {
        assert.match(`${e.path ?? ""} ${e.message}`, /handlers\.h\.host/);
        assert.match(e.message, /needs network connections, and this host provides none/);
        assert.match(e.message, /HTTP, beacon or WebSocket/);
        return true;
      },
    );
  } finally {
    logging.setRemote(saved);
    reset();
  }
});

test("the bundler (browser) entry installs no remote: SocketHandler is refused with the browser message", () => {
  const script = `
    import * as logging from ${JSON.stringify(BUNDLER_ENTRY)};
    let out;
    try {
      logging.dictConfig({ version: 1, handlers: { sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port: 9020 } } });
      out = { ok: true };
    } catch (e) {
      out = { name: e.name, message: e.message, path: e.path, remote: logging.getRemote(), left: await logging.flushAsync() };
    }
    console.log(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: path.join(REPO, "js"),
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, undefined, "the bundler entry must refuse SocketHandler");
  assert.match(out.message, /browsers have no raw sockets: send records with an HTTP, beacon or WebSocket handler/);
  assert.match(`${out.path ?? ""} ${out.message}`, /handlers\.sock\.host/);
  assert.equal(out.remote, null);
  assert.equal(out.left, 0);
});

// ---- (e): outages ------------------------------------------------------------------------

/** Waits until our NodeRemote has seen its connection(s) to `port` broken. */
async function noticedDown(port) {
  const remote = logging.getRemote();
  await waitFor(
    () => remote.connections().every((c) => c.endpoint !== `127.0.0.1:${port}` || c.broken !== null),
    5000,
    "the closed connection to be noticed",
  );
}

test("SocketHandler across outages: buffered while down, every record once and in order after each restart", { skip: needPython }, async () => {
  const port = await freePort();
  const log = logging.getLogger("fault");
  const got = [];
  let n = 0;
  const batch = (k) => {
    for (let i = 0; i < k; i++) log.info("record %d", ++n);
  };
  const reports = await captureConsoleAsync(async () => {
    try {
      logging.dictConfig({
        version: 1,
        disable_existing_loggers: false,
        handlers: { sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port } },
        loggers: { fault: { level: "DEBUG", handlers: ["sock"], propagate: false } },
      });
      // Down at first: the records wait in the handler.
      batch(5);
      assert.equal(logging.remotePending(), 5);
      await sleep(100);
      assert.equal(logging.remotePending(), 5);
      for (let round = 0; round < 3; round++) {
        const rx = await receiver({ port, timeout: 60 });
        assert.equal(await logging.flushAsync(), 0);
        await waitFor(() => messages(rx.out()).length === 5, 10_000, `round ${round}'s records`);
        // Killed only once everything sent so far was printed; then more while it is down.
        rx.proc.kill("SIGKILL");
        await rx.exited;
        got.push(...messages(rx.out()));
        await noticedDown(port);
        if (round < 2) {
          batch(5);
          assert.equal(logging.remotePending(), 5);
        }
      }
    } finally {
      reset();
    }
  });
  assert.deepEqual(got, Array.from({ length: 15 }, (_, i) => `record ${i + 1}`));
  // Each outage is reported (once each), naming the handler and the endpoint.
  for (const r of logged(reports)) assert.match(r, new RegExp(`SocketHandler to 127\\.0\\.0\\.1:${port}`));
  assert.ok(logged(reports).length >= 1, reports.join("\n"));
});

test("SocketHandler overflow while down: the last `capacity` records arrive, and the overflow is reported once", { skip: needPython }, async () => {
  const port = await freePort();
  const log = logging.getLogger("overflow");
  let rx;
  const reports = await captureConsoleAsync(async () => {
    try {
      logging.dictConfig({
        version: 1,
        disable_existing_loggers: false,
        handlers: {
          sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port, ".": { capacity: 5 } },
        },
        loggers: { overflow: { level: "DEBUG", handlers: ["sock"], propagate: false } },
      });
      for (let i = 1; i <= 20; i++) log.info("overflow %d", i);
      assert.equal(logging.remotePending(), 5);
      await sleep(100);
      rx = await receiver({ port, expect: 5, timeout: 30 });
      assert.equal(await logging.flushAsync(), 0);
      assert.equal(await rx.exited, 0, rx.err());
    } finally {
      reset();
    }
  });
  assert.deepEqual(messages(rx.out()), [16, 17, 18, 19, 20].map((i) => `overflow ${i}`));
  const buffer = logged(reports).filter((r) => /buffer/.test(r));
  assert.equal(buffer.length, 1, reports.join("\n"));
  assert.match(buffer[0], /the buffer of 5 records/);
});

// ---- (f): exit without flushing ----------------------------------------------------------

test("a process that logs 100 records and exits without flushing delivers all 100", { skip: needPython }, async () => {
  const rx = await receiver({ expect: 100, timeout: 30 });
  const script = `
    import * as logging from ${JSON.stringify(NODE_ENTRY)};
    logging.dictConfig({
      version: 1,
      handlers: { sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port: ${rx.port} } },
      root: { level: "DEBUG", handlers: ["sock"] },
    });
    const log = logging.getLogger("exit");
    for (let i = 1; i <= 100; i++) log.info("exit %d", i);
  `;
  const child = run(process.execPath, ["--input-type=module", "-e", script]);
  assert.equal(await child.exited, 0, child.err());
  assert.equal(child.err(), "");
  assert.equal(await rx.exited, 0, rx.err());
  assert.deepEqual(messages(rx.out()), Array.from({ length: 100 }, (_, i) => `exit ${i + 1}`));
});

test("records waiting out a back-off when the event loop empties are delivered by the beforeExit flush", { skip: needPython }, async () => {
  const port = await freePort();
  const script = `
    import * as logging from ${JSON.stringify(NODE_ENTRY)};
    logging.dictConfig({
      version: 1,
      handlers: { sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port: ${port} } },
      root: { level: "DEBUG", handlers: ["sock"] },
    });
    for (let i = 1; i <= 3; i++) logging.getLogger("late").info("late %d", i);
  `;
  const child = run(process.execPath, ["--input-type=module", "-e", script]);
  // The first connect failed (reported once); the records wait, the process has not exited.
  await waitFor(() => child.err().includes("ECONNREFUSED"), 5000, "the refused connect");
  const rx = await receiver({ port, expect: 3, timeout: 30 });
  assert.equal(await child.exited, 0, child.err());
  assert.equal(await rx.exited, 0, rx.err());
  assert.deepEqual(messages(rx.out()), ["late 1", "late 2", "late 3"]);
  assert.equal(logged([child.err()]).length, 1, child.err());
  assert.doesNotMatch(child.err(), /undelivered/);
});

test("a process whose receiver is down at exit gives up after flushAsync's timeout and reports the loss", async () => {
  const port = await freePort();
  const script = `
    import * as logging from ${JSON.stringify(NODE_ENTRY)};
    logging.dictConfig({
      version: 1,
      handlers: { sock: { class: "logging.handlers.SocketHandler", host: "127.0.0.1", port: ${port} } },
      root: { level: "DEBUG", handlers: ["sock"] },
    });
    logging.getLogger("lost").info("never delivered");
  `;
  const started = Date.now();
  const child = run(process.execPath, ["--input-type=module", "-e", script]);
  assert.equal(await child.exited, 0, child.err());
  const took = Date.now() - started;
  assert.ok(took >= 4000 && took < 15_000, `exit took ${took} ms`);
  assert.match(child.err(), /closed with 1 record\(s\) undelivered/);
});
