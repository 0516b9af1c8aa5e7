// Browser transports in Node (docs/browser-transports.md): BrowserRemote carries the core's
// HTTP handlers with `fetch` into a real Node HTTP server. HTTPHandler's form body is
// CPython 3.13's; NDJSON batches are JSONSocketHandler's dicts, one per line, with one
// Idempotency-Key per batch kept across retries; a 503 with Retry-After is retried after the
// delay and delivered once; a 400 is dropped and reported; an outage's overflow is counted and
// reported; OTLP bodies parse as ExportLogsServiceRequest with the real schema.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { logging, pythonPath, NS, errorReports } from "./helpers.js";

/**
 * The stderr writes and console.error calls `fn` makes (handleError's reports). Unlike the
 * shared capture, stdout is left alone: the test runner reports through it meanwhile.
 */
async function captureConsoleAsync(fn) {
  const calls = [];
  const [write, error] = [process.stderr.write, console.error];
  process.stderr.write = (text) => calls.push(["stderr", String(text)]) > 0;
  console.error = (...args) => calls.push(["error", ...args.map(String)]);
  try {
    await fn();
  } finally {
    process.stderr.write = write;
    console.error = error;
  }
  return calls;
}

const saved = logging.getRemote();
after(() => logging.setRemote(saved));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * A collector: records every request (method, url, headers, body, arrival time) and answers
 * with `answer(request index)` → `{status, headers}` (default 200).
 */
async function collector(answer = () => ({ status: 200 })) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const r = { method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks), at: Date.now() };
      const a = answer(requests.length, r);
      requests.push(r);
      res.writeHead(a.status, a.headers ?? {}).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    requests,
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function use(options = {}) {
  const remote = new logging.BrowserRemote({ lifecycle: false, ...options });
  logging.setRemote(remote);
  return remote;
}

function configureRoot(handler) {
  logging.dictConfig({
    version: 1,
    disable_existing_loggers: false,
    handlers: { h: handler },
    root: { level: "DEBUG", handlers: ["h"] },
  });
}

function reset() {
  logging.dictConfig({ version: 1, disable_existing_loggers: false, root: { level: "WARNING", handlers: [] } });
  logging.setFixedTime(null);
  logging.setWorkerName("MainThread");
  logging.setProcessName("MainProcess");
  logging.setCallerInfo("auto");
}

const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("HTTPHandler over fetch: method, path, content type and body are CPython 3.13's", async (t) => {
  let py;
  try {
    py = pythonPath();
  } catch {
    t.skip("no reference python");
    return;
  }
  const srv = await collector();
  try {
    // CPython's HTTPHandler, its record pinned to what ours carries.
    const code = `
import logging, logging.handlers, sys, time
NS = int(sys.argv[1]); PID = int(sys.argv[2]); PORT = sys.argv[3]
time.time_ns = lambda: NS
time.time = lambda: NS / 1e9
logging._startTime = NS
logging._srcfile = None
_f = logging.getLogRecordFactory()
def pinned(*a, **k):
    r = _f(*a, **k)
    r.thread, r.threadName, r.process, r.processName = 0, "main", PID, "main"
    return r
logging.setLogRecordFactory(pinned)
h = logging.handlers.HTTPHandler("127.0.0.1:" + PORT, "/log?src=py", method="POST")
log = logging.getLogger("web.shop")
log.addHandler(h)
log.setLevel(logging.DEBUG)
log.propagate = False
log.warning("paid %s for %d items: %r", "12.50 €", 3, "a&b=c")
`;
    // Asynchronously: this process's event loop serves CPython's request.
    const r = await new Promise((resolve) => {
      const p = spawn(py, ["-c", code, String(NS), String(process.pid), String(srv.port)]);
      let stderr = "";
      p.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
      p.on("close", (status) => resolve({ status, stderr }));
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(srv.requests.length, 1);
    use();
    logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
    logging.setStartTime(NS);
    logging.setWorkerName("main");
    logging.setProcessName("main");
    logging.setCallerInfo(false);
    configureRoot({ class: "logging.handlers.HTTPHandler", host: `127.0.0.1:${srv.port}`, url: "/log?src=py", method: "POST" });
    logging.getLogger("web.shop").warning("paid %s for %d items: %r", "12.50 €", 3, "a&b=c");
    assert.equal(await logging.flushAsync({ timeout: 5000 }), 0);
    assert.equal(srv.requests.length, 2);
    const [theirs, ours] = srv.requests;
    assert.equal(ours.method, theirs.method);
    assert.equal(ours.url, theirs.url);
    assert.equal(ours.headers["content-type"], theirs.headers["content-type"]);
    assert.equal(ours.body.toString("latin1"), theirs.body.toString("latin1"));
    // CPython's HTTPHandler sends record.__dict__: msg and args apart.
    assert.match(ours.body.toString(), /&msg=paid\+%25s\+for\+%25d\+items%3A\+%25r&args=%28%2712\.50\+%E2%82%AC%27%2C\+3%2C\+%27a%26b%3Dc%27%29&/);
  } finally {
    reset();
    await srv.close();
  }
});

test("NDJSON batches: JSONSocketHandler's dicts one per line, one Idempotency-Key per batch", async () => {
  const srv = await collector();
  // The reference dicts: the JSON socket handler's frames for the same records.
  const frames = [];
  const tcp = net.createServer((s) => s.on("data", (d) => frames.push(d)));
  await new Promise((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  try {
    logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
    logging.setRemote(saved);
    logging.dictConfig({
      version: 1,
      disable_existing_loggers: false,
      handlers: { j: { class: "wasm_logging.JSONSocketHandler", host: "127.0.0.1", port: tcp.address().port } },
      root: { level: "DEBUG", handlers: ["j"] },
    });
    const log = () => {
      for (let i = 0; i < 5; i++) logging.getLogger("app").info("item %d: %s", i, "é", { extra: { user: "ada", n: i } });
    };
    log();
    assert.equal(await logging.flushAsync({ timeout: 5000 }), 0);
    // Reference: the length-prefixed JSON frames, split.
    const want = [];
    await waitFor(() => {
      const all = Buffer.concat(frames);
      want.length = 0;
      for (let o = 0; o + 4 <= all.length; ) {
        const n = all.readUInt32BE(o);
        if (o + 4 + n > all.length) break;
        want.push(all.subarray(o + 4, o + 4 + n).toString());
        o += 4 + n;
      }
      return want.length === 5;
    }, 5000, "the five JSON frames");
    use();
    configureRoot({ class: "wasm_logging.BufferingHTTPHandler", host: `127.0.0.1:${srv.port}`, url: "/ingest", capacity: 2, body: "records" });
    log();
    assert.equal(await logging.flushAsync({ timeout: 5000 }), 0);
    assert.equal(srv.requests.length, 3, "2 + 2 + 1 (the last by flush)");
    const keys = srv.requests.map((r) => r.headers["idempotency-key"]);
    for (const k of keys) assert.match(k, UUID4);
    assert.equal(new Set(keys).size, 3);
    for (const r of srv.requests) {
      assert.equal(r.method, "POST");
      assert.equal(r.url, "/ingest");
      assert.equal(r.headers["content-type"], "application/x-ndjson");
      assert.ok(r.body.toString().endsWith("\n"));
    }
    const lines = srv.requests.flatMap((r) => r.body.toString().split("\n").filter(Boolean));
    // The same records at the same fixed instant: the same dicts, byte for byte.
    assert.deepEqual(lines, want);
    assert.equal(JSON.parse(lines[3]).msg, "item 3: é");
    assert.equal(JSON.parse(lines[3]).user, "ada");
  } finally {
    reset();
    tcp.close();
    await srv.close();
  }
});

test("503 with Retry-After: the batch is resent after the delay, once, with the same key; the outage is reported once", async () => {
  const srv = await collector((i) => (i === 0 ? { status: 503, headers: { "retry-after": "2" } } : { status: 200 }));
  try {
    use();
    const calls = await captureConsoleAsync(async () => {
      configureRoot({ class: "wasm_logging.BufferingHTTPHandler", host: `127.0.0.1:${srv.port}`, url: "/ingest", capacity: 3, body: "records" });
      for (let i = 0; i < 3; i++) logging.getLogger("app").error("r%d", i);
      await waitFor(() => srv.requests.length === 1, 5000, "the first attempt");
      // The back-off alone would retry after 1 s.
      await sleep(1500);
      assert.equal(srv.requests.length, 1, "not before Retry-After");
      await waitFor(() => srv.requests.length === 2, 5000, "the retry");
      await sleep(300);
    });
    assert.equal(srv.requests.length, 2, "delivered once");
    const [first, second] = srv.requests;
    assert.ok(second.at - first.at >= 1900, `${second.at - first.at} ms apart`);
    assert.equal(second.headers["idempotency-key"], first.headers["idempotency-key"]);
    assert.equal(second.body.toString(), first.body.toString());
    assert.deepEqual(second.body.toString().split("\n").filter(Boolean).map((l) => JSON.parse(l).msg), ["r0", "r1", "r2"]);
    const reports = errorReports(calls);
    assert.equal(reports.length, 1, reports.join("\n"));
    assert.match(reports[0], /BufferingHTTPHandler to 127\.0\.0\.1:\d+ \(http\): HTTP 503 Service Unavailable from http:\/\/127\.0\.0\.1:\d+\/ingest; 1 record\(s\) kept for delivery, retrying in 2 s/);
    assert.equal(logging.remotePending(), 0);
  } finally {
    reset();
    await srv.close();
  }
});

test("a 400 is not retried: that request is dropped and reported, the next ones are delivered", async () => {
  const srv = await collector((i) => (i === 0 ? { status: 400 } : { status: 200 }));
  try {
    use();
    const calls = await captureConsoleAsync(async () => {
      configureRoot({ class: "logging.handlers.HTTPHandler", host: `127.0.0.1:${srv.port}`, url: "/log", method: "POST" });
      logging.getLogger("app").warning("bad");
      logging.getLogger("app").warning("good");
      assert.equal(await logging.flushAsync({ timeout: 5000 }), 0);
    });
    assert.deepEqual(
      srv.requests.map((r) => new URLSearchParams(r.body.toString()).get("msg")),
      ["bad", "good"],
    );
    const reports = errorReports(calls);
    assert.equal(reports.length, 1, reports.join("\n"));
    assert.match(reports[0], /HTTPHandler to 127\.0\.0\.1:\d+ \(http\): HTTP 400 Bad Request from http:\/\/127\.0\.0\.1:\d+\/log; the request was dropped/);
  } finally {
    reset();
    await srv.close();
  }
});

test("server down, then up: records wait (bounded), overflow is counted and reported once, the rest arrive once in order", async () => {
  // A port with no listener yet.
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const port = probe.address().port;
  await new Promise((resolve) => probe.close(resolve));
  use();
  let srv = null;
  try {
    const calls = await captureConsoleAsync(async () => {
      configureRoot({ class: "logging.handlers.HTTPHandler", host: `127.0.0.1:${port}`, url: "/log", method: "POST", ".": { capacity: 5, retryStart: 0.2, retryMax: 0.4 } });
      for (let i = 0; i < 12; i++) logging.getLogger("app").warning(`m${i}`);
      await sleep(300);
      assert.equal(logging.remotePending(), 5);
      // The collector comes up on the same port.
      const requests = [];
      const server = http.createServer((req, res) => {
        const chunks = [];
        req.on("data", (c) => chunks.push(c));
        req.on("end", () => {
          requests.push(Buffer.concat(chunks).toString());
          res.writeHead(200).end();
        });
      });
      await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
      srv = { requests, close: () => new Promise((resolve) => server.close(resolve)) };
      await waitFor(() => requests.length === 5, 5000, "the kept records");
      await sleep(200);
    });
    assert.deepEqual(
      srv.requests.map((b) => new URLSearchParams(b).get("msg")),
      ["m7", "m8", "m9", "m10", "m11"],
    );
    const reports = errorReports(calls);
    assert.equal(reports.filter((r) => /buffer of 5 records \/ \d+ bytes is full/.test(r)).length, 1, reports.join("\n"));
    assert.equal(reports.filter((r) => /ECONNREFUSED|fetch failed/.test(r)).length, 1, reports.join("\n"));
  } finally {
    reset();
    await srv?.close();
  }
});

const OTLP_PY = path.join(os.homedir(), ".cache/wasm-logging/otlp-venv/bin/python");

test("OTLPHandler: bodies parse as ExportLogsServiceRequest (opentelemetry-proto, no unknown fields)", async () => {
  assert.ok(existsSync(OTLP_PY), `${OTLP_PY} is missing: run scripts/setup.sh`);
  const srv = await collector();
  try {
    use();
    // A running clock: the interval is measured on it.
    const t0 = BigInt(Date.now()) * 1_000_000n;
    configureRoot({
      class: "wasm_logging.OTLPHandler",
      host: `127.0.0.1:${srv.port}`,
      resource: { "service.name": "checkout", "service.version": "1.2.3" },
      interval: 0.1,
    });
    logging.getLogger("shop.cart").debug("added %s", "apple", { extra: { qty: 3, price: 1.5, ok: true } });
    logging.getLogger("shop").log(25, "between");
    try {
      throw new TypeError("bad card");
    } catch (e) {
      logging.getLogger("shop").error("payment failed", { exc_info: e, extra: { trace_id: "0af7651916cd43dd8448eb211c80319c", span_id: "b7ad6b7169203331" } });
    }
    await waitFor(() => srv.requests.length === 1, 5000, "the interval's batch");
    const req = srv.requests[0];
    assert.equal(req.url, "/v1/logs");
    assert.equal(req.headers["content-type"], "application/json");
    assert.match(req.headers["idempotency-key"], UUID4);
    const body = req.body.toString();
    assert.match(body, /"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"/);
    const code = `
import sys, json
from google.protobuf import json_format
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
req = json_format.Parse(sys.stdin.read(), ExportLogsServiceRequest())
out = []
for rl in req.resource_logs:
    res = {a.key: a.value.string_value for a in rl.resource.attributes}
    for sl in rl.scope_logs:
        for r in sl.log_records:
            attrs = {a.key: json_format.MessageToDict(a.value) for a in r.attributes}
            out.append(dict(res=res, scope=sl.scope.name, time=r.time_unix_nano, sev=r.severity_number,
                            text=r.severity_text, body=r.body.string_value, attrs=attrs))
print(json.dumps(out))
`;
    const r = spawnSync(OTLP_PY, ["-c", code], { input: body, encoding: "utf8" });
    assert.equal(r.status, 0, `json_format.Parse refused the body: ${r.stderr}\n${body}`);
    const recs = JSON.parse(r.stdout);
    assert.deepEqual(
      recs.map((x) => [x.scope, x.sev, x.text, x.body]),
      [
        ["shop.cart", 5, "DEBUG", "added apple"],
        ["shop", 12, "Level 25", "between"],
        ["shop", 17, "ERROR", "payment failed"],
      ],
    );
    for (const x of recs) assert.deepEqual(x.res, { "service.name": "checkout", "service.version": "1.2.3" });
    const t = BigInt(recs[0].time);
    assert.ok(t >= t0 - 1_000_000n && t <= t0 + 5_000_000_000n, `${t} near ${t0}`);
    assert.deepEqual(recs[0].attrs.qty, { intValue: "3" });
    assert.deepEqual(recs[0].attrs.price, { doubleValue: 1.5 });
    assert.deepEqual(recs[0].attrs.ok, { boolValue: true });
    assert.equal(recs[2].attrs["exception.type"].stringValue, "TypeError");
    assert.equal(recs[2].attrs["exception.message"].stringValue, "bad card");
    assert.match(recs[2].attrs["exception.stacktrace"].stringValue, /TypeError: bad card/);
    assert.ok("code.line.number" in recs[2].attrs);
  } finally {
    reset();
    await srv.close();
  }
});

test("WebSocketHandler: one JSON text message per record; the server goes away and comes back: the socket reconnects with back-off, records arrive once, in order", async () => {
  const { WebSocketServer, WebSocket } = await import("ws");
  const got = [];
  const serve = async (port) => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port, path: "/ws" });
    await new Promise((resolve) => wss.on("listening", resolve));
    wss.on("connection", (s, req) => s.on("message", (m, binary) => got.push({ text: m.toString(), binary, url: req.url })));
    return wss;
  };
  let wss = await serve(0);
  const port = wss.address().port;
  use({ WebSocket });
  try {
    const calls = await captureConsoleAsync(async () => {
      configureRoot({ class: "wasm_logging.WebSocketHandler", url: `ws://127.0.0.1:${port}/ws`, ".": { retryStart: 0.2, retryMax: 0.4 } });
      for (let i = 0; i < 3; i++) logging.getLogger("ws").info(`a${i}`, { extra: { i } });
      await waitFor(() => got.length === 3, 5000, "the first three messages");
      // The server goes away (its clients' sockets closed), records wait...
      for (const c of wss.clients) c.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await sleep(100);
      for (let i = 0; i < 3; i++) logging.getLogger("ws").info(`b${i}`);
      await sleep(500);
      assert.equal(got.length, 3);
      // ...and arrive once it is back.
      wss = await serve(port);
      await waitFor(() => got.length === 6, 5000, "the waiting messages");
      await sleep(300);
    });
    assert.deepEqual(got.map((m) => JSON.parse(m.text).msg), ["a0", "a1", "a2", "b0", "b1", "b2"]);
    assert.ok(got.every((m) => m.binary === false && m.url === "/ws"));
    assert.equal(JSON.parse(got[1].text).i, 1);
    assert.equal(JSON.parse(got[1].text).levelname, "INFO");
    const reports = errorReports(calls);
    assert.equal(reports.length, 1, reports.join("\n"));
    assert.match(reports[0], /WebSocketHandler to 127\.0\.0\.1:\d+ \(http\): the WebSocket to ws:\/\/127\.0\.0\.1:\d+\/ws closed/);
  } finally {
    reset();
    for (const c of wss.clients) c.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});
