// Many workers, one log in headless Chromium: real module Web Workers send their records
// through MessagePorts, their own port and a BroadcastChannel to a PortQueueListener in the
// page that owns a rotating file over MemoryStorage and a file over the real localStorage; one
// more worker sends over a WebSocket to a listener in Node (Chromium → Node).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { WebSocketServer } from "ws";
import { logging } from "./helpers.js";
import { startChromium } from "./chromium.js";

let chromium;
before(async () => {
  chromium = await startChromium({ cache: true });
});
after(async () => {
  await chromium?.close();
});

const COUNT = 1000;

test("in Chromium: 6 module Web Workers over MessagePort, self and BroadcastChannel into one page listener; a worker over WebSocket into Node", async () => {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((r) => server.once("listening", r));
  const wsUrl = `ws://127.0.0.1:${server.address().port}`;
  const nodeLines = [];
  const sink = new logging.CallbackHandler((text) => nodeLines.push(text));
  sink.setFormatter(new logging.Formatter("%(threadName)s|%(name)s|%(message)s|%(n)s|%(created)f"));
  const nodeListener = new logging.PortQueueListener([], sink);
  nodeListener.start();
  server.on("connection", (socket) => nodeListener.attach(new logging.WebSocketBus(socket)));

  const page = await chromium.browser.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${chromium.base}/test/browser/workers.html`);
  await page.waitForFunction(() => window.__ready === true, { timeout: 30_000 });
  const t0 = performance.now();
  const r = await page.evaluate((opts) => window.__run(opts), { count: COUNT, wsUrl });
  const elapsed = performance.now() - t0;
  await page.evaluate(() => localStorage.clear());
  await page.close();
  const deadline = Date.now() + 10_000;
  while (nodeListener.received < COUNT && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
  nodeListener.stop();
  await new Promise((res) => server.close(res));
  assert.deepEqual(pageErrors, []);

  // Every worker sent everything; only port-b reported its function value.
  const byName = Object.fromEntries(r.done.map((d) => [d.done, d]));
  for (const name of ["port-a", "port-b", "self-a", "self-b", "bc-a", "bc-b", "ws-a"]) {
    assert.equal(byName[name].sent, COUNT, name);
    assert.equal(byName[name].lost, 0, name);
    assert.equal(byName[name].errors, name === "port-b" ? 1 : 0, name);
  }
  assert.equal(r.received, 6 * COUNT);
  assert.equal(r.missing, 0);
  assert.equal(r.dropped, 0);
  assert.equal(r.errors, 0);

  // The rotating log over MemoryStorage: all.log.N … all.log.1, all.log, oldest first.
  const names = Object.keys(r.files);
  const backups = names.filter((n) => n !== "all.log").sort((a, b) => Number(b.split(".").pop()) - Number(a.split(".").pop()));
  assert.ok(backups.length >= 3, `rotated: ${names.join(", ")}`);
  const lines = [...backups, "all.log"].flatMap((n) => r.files[n].split("\n").slice(0, -1));
  assert.equal(lines.length, 6 * COUNT);
  const next = new Map();
  for (const line of lines) {
    const m = /^([\w-]+)\|w\.(port|self|broadcast)\|record (\d+) of ([\w-]+) via (\w+)\|(.*)$/.exec(line);
    assert.ok(m, `a whole line: ${JSON.stringify(line)}`);
    const [, thread, transport, i, named, via, n] = m;
    assert.equal(named, thread);
    assert.equal(via, transport);
    assert.equal(Number(i), next.get(thread) ?? 0, `${thread}: in order`);
    next.set(thread, Number(i) + 1);
    if (thread === "port-b" && i === "0") assert.match(n, /^<function/);
    else assert.equal(n, i);
  }
  assert.deepEqual(Object.fromEntries(next), {
    "port-a": COUNT,
    "port-b": COUNT,
    "self-a": COUNT,
    "self-b": COUNT,
    "bc-a": COUNT,
    "bc-b": COUNT,
  });

  // The file over the real localStorage: the MessagePort workers' records, with their time.
  const portLines = r.portLog.split("\n").slice(0, -1);
  assert.equal(portLines.length, 2 * COUNT);
  for (const name of ["port-a", "port-b"]) {
    assert.deepEqual(
      portLines.filter((l) => l.includes(` ${name} `)),
      Array.from({ length: COUNT }, (_, i) => `2023-11-14 22:13:20,123 ${name} record ${i} of ${name} via port`),
    );
  }

  // Chromium → Node over the WebSocket: every record, in order, with the worker's name and time.
  assert.equal(nodeListener.missing, 0);
  assert.deepEqual(
    nodeLines,
    Array.from({ length: COUNT }, (_, i) => `ws-a|w.websocket|record ${i} of ws-a via websocket|${i}|1700000000.123000`),
  );
  console.log(`# Chromium: ${6 * COUNT} records from 6 Web Workers into one page log + ${COUNT} over WebSocket to Node: ${elapsed.toFixed(0)} ms`);
});

test("in Chromium: a closed BroadcastChannel and a closed port are reported and counted; a listener handler that throws is reported and the others still get every record", async () => {
  const page = await chromium.browser.newPage();
  await page.goto(`${chromium.base}/test/browser/workers.html`);
  await page.waitForFunction(() => window.__ready === true, { timeout: 30_000 });
  const r = await page.evaluate(() => window.__hostile());
  await page.close();
  assert.deepEqual(r.lost, [1, 1]);
  assert.deepEqual(r.sent, [0, 0]);
  assert.equal(r.closedReports, 2);
  assert.deepEqual(r.got, ["one", "two"]);
  assert.equal(r.throwReports, 2);
});
