// Durable browser storage (issue 14) in real headless Chromium: OPFSStorage (from a page:
// writables; from a dedicated Worker: sync access handles) and IndexedDBStorage (page and
// Worker). Logs written through RotatingFileHandler, dictConfig's FileHandler and
// TimedRotatingFileHandler survive a reload byte for byte as CPython 3.13 writes them; records
// logged just before the page is left or closed are there on the next visit; a real quota
// (DevTools' Storage.overrideQuotaForOrigin) makes writes fail — reported through handleError,
// never thrown — and records after it are written again; 20,000 records rotating through small
// files come back in order, none lost, none twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startChromium } from "./chromium.js";
import { pythonPath, NS } from "./helpers.js";

let chromium;
let browser;
let base;
const scratch = [];

before(async () => {
  chromium = await startChromium();
  ({ browser, base } = chromium);
});

after(async () => {
  await chromium?.close();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Opens durable.html with its steps on the page or in a Worker. */
async function visit(page, where) {
  await page.goto(`${base}/test/browser/durable.html?where=${where}`);
  await page.waitForFunction(() => window.__ready === true, { timeout: 60_000 });
}

function rpc(page, method, args = {}) {
  return page.evaluate((m, a) => window.rpc(m, a), method, args);
}

/** What CPython 3.13 writes for the `write` step (durable-scenarios.js), name → text. */
function cpythonWrite() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-durable-"));
  scratch.push(dir);
  const src = `
import json, logging, logging.config, logging.handlers, os, time
NS = ${NS}
NOW = [NS]
time.time_ns = lambda: NOW[0]
time.time = lambda: NOW[0] / 1e9
h = logging.handlers.RotatingFileHandler('r.log', maxBytes=120, backupCount=3)
h.setFormatter(logging.Formatter('%(asctime)s %(levelname)s %(message)s'))
l = logging.getLogger('rot'); l.propagate = False; l.setLevel(logging.DEBUG); l.addHandler(h)
for i in range(40):
    l.info('record number %d with some padding', i)
h.close(); l.removeHandler(h)
os.makedirs('logs')
logging.config.dictConfig({'version': 1, 'disable_existing_loggers': False,
    'formatters': {'f': {'format': '%(asctime)s %(name)s %(levelname)s %(message)s'}},
    'handlers': {'file': {'class': 'logging.FileHandler', 'filename': 'logs/app.log', 'formatter': 'f'}},
    'loggers': {'cfg': {'handlers': ['file'], 'level': 'DEBUG', 'propagate': False}}})
cfg = logging.getLogger('cfg')
cfg.debug('ünïcödé %s', 'débug')
cfg.info('%d%% done', 50)
cfg.warning('a warning with %r', 'repr')
cfg.error('an error')
# The core has no modification times: a timed handler starts from the time it is built,
# which is CPython's st_mtime of a log it has just created.
open('logs/t.log', 'a').close(); os.utime('logs/t.log', ns=(NS, NS))
logging.config.dictConfig({'version': 1, 'disable_existing_loggers': False,
    'formatters': {'f': {'format': '%(message)s'}},
    'handlers': {'t': {'class': 'logging.handlers.TimedRotatingFileHandler', 'filename': 'logs/t.log',
                       'when': 'S', 'backupCount': 2, 'formatter': 'f'}},
    'loggers': {'timed': {'handlers': ['t'], 'level': 'DEBUG', 'propagate': False}}})
for i, m in enumerate('abcde'):
    NOW[0] = NS + i * 10**9
    logging.getLogger('timed').info(m)
logging.shutdown()
out = {}
for root, dirs, files in os.walk('.'):
    for f in files:
        p = os.path.relpath(os.path.join(root, f), '.')
        with open(p, encoding='utf-8') as fh:
            out[p] = fh.read()
print(json.dumps(out))
`;
  const r = spawnSync(pythonPath(), ["-c", src], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
  });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return Object.fromEntries(Object.entries(JSON.parse(r.stdout)).sort(([a], [b]) => (a < b ? -1 : 1)));
}

let expectedWrite = null;

const WHERE = [
  ["opfs", "page", "async"],
  ["opfs", "worker", "sync"],
  ["idb", "page", null],
  ["idb", "worker", null],
];

for (const [kind, where, mode] of WHERE) {
  test(`${kind} from a ${where}: rotation by size and time and dictConfig's FileHandler survive a reload as CPython writes them`, async () => {
    expectedWrite ??= cpythonWrite();
    const want = expectedWrite;
    // CPython's files: the size-rotated set, the dictConfig log, the timed set (its backups
    // named by second, the oldest deleted).
    assert.deepEqual(Object.keys(want), [
      "logs/app.log",
      "logs/t.log",
      "logs/t.log.2023-11-14_22-13-22",
      "logs/t.log.2023-11-14_22-13-23",
      "r.log",
      "r.log.1",
      "r.log.2",
      "r.log.3",
    ]);
    const label = `write-${kind}-${where}`;
    const page = await browser.newPage();
    await visit(page, where);
    const opened = await rpc(page, "open", { kind, label });
    assert.deepEqual(opened, { names: [], mode });
    const wrote = await rpc(page, "write");
    assert.deepEqual(wrote.reports, []);
    assert.deepEqual(wrote.names, Object.keys(want));
    assert.equal(wrote.stats.pendingBytes, 0);
    assert.equal(wrote.stats.failures, 0);

    // A new page (a new Worker): the mirror is loaded from the store, the bytes read back.
    await page.reload();
    await page.waitForFunction(() => window.__ready === true, { timeout: 60_000 });
    const reopened = await rpc(page, "open", { kind, label });
    assert.deepEqual(reopened.names, Object.keys(want));
    const r = await rpc(page, "read", { sets: ["r.log", "logs/t.log"] });
    assert.deepEqual(r.logs, want);
    assert.deepEqual(r.reports, []);
    // The rotated sets as one Blob each, oldest first.
    assert.deepEqual(r.blobs["r.log"].names, ["r.log.3", "r.log.2", "r.log.1", "r.log"]);
    assert.equal(r.blobs["r.log"].log, want["r.log.3"] + want["r.log.2"] + want["r.log.1"] + want["r.log"]);
    assert.deepEqual(r.blobs["logs/t.log"].names, [
      "logs/t.log.2023-11-14_22-13-22",
      "logs/t.log.2023-11-14_22-13-23",
      "logs/t.log",
    ]);
    assert.equal(r.blobs["logs/t.log"].log, "c\nd\ne\n");
    assert.deepEqual(
      r.blobs["logs/t.log"].ndjson.trim().split("\n").map((l) => JSON.parse(l)),
      [
        { file: "logs/t.log.2023-11-14_22-13-22", line: "c" },
        { file: "logs/t.log.2023-11-14_22-13-23", line: "d" },
        { file: "logs/t.log", line: "e" },
      ],
    );
    await page.close();
  });
}

test("download() on a page saves the rotated set, oldest first, as the browser's download", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-download-"));
  scratch.push(dir);
  const page = await browser.newPage();
  const cdp = await page.createCDPSession();
  await cdp.send("Browser.setDownloadBehavior", { behavior: "allow", downloadPath: dir });
  await visit(page, "page");
  await rpc(page, "open", { kind: "idb", label: "download-idb" });
  await rpc(page, "write");
  const want = expectedWrite ?? cpythonWrite();
  const log = await rpc(page, "download", { base: "r.log", filename: "r-set.log" });
  assert.equal(log, want["r.log.3"] + want["r.log.2"] + want["r.log.1"] + want["r.log"]);
  const ndjson = await rpc(page, "download", { base: "logs/t.log", format: "ndjson" });
  const saved = async (name) => {
    const file = path.join(dir, name);
    for (let i = 0; i < 200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
    return readFileSync(file, "utf8");
  };
  assert.equal(await saved("r-set.log"), log);
  // The default name: the base's last part, .ndjson for that format.
  assert.equal(await saved("t.log.ndjson"), ndjson);
  assert.deepEqual(ndjson.trim().split("\n").map((l) => JSON.parse(l).line), ["c", "d", "e"]);
  await page.close();
});

/** The lines "line <start>" … "line <start + count - 1>", newline-terminated. */
function lines(start, count) {
  return Array.from({ length: count }, (_, i) => `line ${start + i}\n`).join("");
}

/** A fresh page reading `file` back from the storage `kind`/`label`. */
async function readBack(kind, label, file, where = "page") {
  return (await visit2(kind, label, where)).logs[file];
}

/** A fresh page: the storage's logs, and what the last page saw when it was hidden. */
async function visit2(kind, label, where = "page") {
  const page = await browser.newPage();
  await visit(page, where);
  const hidden = where === "page" ? await rpc(page, "hidden", { label }) : null;
  await rpc(page, "open", { kind, label });
  const r = await rpc(page, "read");
  await page.close();
  return { logs: r.logs, hidden };
}

const HIDE = [
  // IndexedDB on a page: the second burst waits behind the first's transaction when the page
  // is left; page hide starts its transaction at once.
  ["idb", "page", "twoTasks", { count: 3000 }, 6000],
  // OPFS on a page: the writable in progress never closes; the journal kept in localStorage
  // on page hide is replayed by the next open().
  ["opfs", "page", "twoTasks", { count: 3000 }, 6000],
  // OPFS in a Worker: once the access handle is open, records are written in the log call.
  ["opfs", "worker", "burst", { count: 3000, warm: true }, 3001],
];

for (const [kind, where, step, args, total] of HIDE) {
  test(`${kind} from a ${where}: records logged just before the page is left are there on the next visit`, async () => {
    const label = `hide-${kind}-${where}`;
    const page = await browser.newPage();
    await visit(page, where);
    await rpc(page, "open", { kind, label });
    await Promise.all([
      page.waitForNavigation({ timeout: 60_000 }),
      page.evaluate((s, a) => window.leaveNow(s, a), step, { file: "hide.log", ...args }),
    ]);
    assert.equal(page.url(), "about:blank");
    await page.close();
    const { logs, hidden } = await visit2(kind, label, where);
    const text = logs["hide.log"];
    const want = (args.warm ? "warm-up\n" : "") + lines(0, total - (args.warm ? 1 : 0));
    assert.equal(text.split("\n").length - 1, total);
    assert.equal(text, want);
    if (kind === "opfs" && where === "page") {
      // Nothing had been written when the page was hidden: all of it came from the journal.
      assert.deepEqual(hidden, { pendingRecords: 6000, writtenRecords: 0 });
    } else if (hidden !== null) {
      // IndexedDB: often (about half the runs here) 3,000 records were still unwritten when
      // the page was hidden, and arrived all the same.
      assert.equal(hidden.pendingRecords + hidden.writtenRecords, total);
    }
  });
}

test("opfs from a page: a journal whose operations completed after all is replayed without writing them twice", async () => {
  const label = "kept-opfs";
  const page = await browser.newPage();
  await visit(page, "page");
  await rpc(page, "open", { kind: "opfs", label });
  const r = await rpc(page, "keptButWritten", { file: "kept.log", count: 500 });
  assert.equal(r.cleared, true, "the journal is removed once everything is written");
  assert.ok(r.kept >= 1);
  await page.close();
  assert.equal(await readBack("opfs", label, "kept.log"), lines(0, 500));
  // The journal is gone after the replay: a third visit reads the same.
  assert.equal(await readBack("opfs", label, "kept.log"), lines(0, 500));
});

for (const kind of ["idb", "opfs"]) {
  test(`${kind} from a page: records logged just before the page is closed are there on the next visit`, async () => {
    const label = `close-${kind}`;
    const page = await browser.newPage();
    await visit(page, "page");
    await rpc(page, "open", { kind, label });
    const r = await rpc(page, "twoTasks", { file: "close.log", count: 3000 });
    assert.equal(r.threw, null);
    assert.ok(r.pending > 0, "records were still pending when the page was closed");
    await page.close();
    const text = await readBack(kind, label, "close.log");
    assert.equal(text, lines(0, 6000));
  });
}

test("a page hidden (visibilitychange) with records pending: OPFS keeps a journal until they are written, then removes it", async () => {
  for (const kind of ["opfs", "idb"]) {
    const label = `visibility-${kind}`;
    const page = await browser.newPage();
    await visit(page, "page");
    await rpc(page, "open", { kind, label });
    const r = await rpc(page, "twoTasks", { file: "v.log", count: 3000 });
    assert.ok(r.pending > 0);
    const other = await browser.newPage();
    await other.bringToFront(); // hides the first page
    await page.waitForFunction(() => document.visibilityState === "hidden", { timeout: 30_000 });
    await rpc(page, "flush");
    const seen = await rpc(page, "seen");
    assert.equal(seen.visibility[0].state, "hidden");
    if (kind === "opfs") {
      // Kept while pending (a page hidden may never run again), gone once written.
      assert.ok(seen.visibility[0].pendingRecords > 0, JSON.stringify(seen));
      assert.equal(seen.visibility[0].journal, true);
      assert.equal(seen.journal, false);
    }
    assert.equal((await rpc(page, "read")).logs["v.log"], lines(0, 6000));
    await other.close();
    await page.close();
  }
});

test("flushAsync() waits for durable storages (OPFS page, IndexedDB Worker)", async () => {
  for (const [kind, where] of [["opfs", "page"], ["idb", "worker"]]) {
    const page = await browser.newPage();
    await visit(page, where);
    await rpc(page, "open", { kind, label: `flushasync-${kind}-${where}` });
    const r = await rpc(page, "viaFlushAsync", { file: "f.log", count: 2000 });
    assert.ok(r.pending > 0, `${kind}: records were pending after the log calls`);
    assert.equal(r.left, 0);
    assert.equal(r.after, 0, `${kind}: nothing pending after flushAsync()`);
    assert.equal(r.text, lines(0, 2000));
    await page.close();
  }
});

for (const [kind, where] of [["idb", "page"], ["opfs", "worker"]]) {
  test(`${kind} from a ${where}: past maxPending the oldest waiting records are dropped, reported once; the rest kept in order`, async () => {
    const label = `overflow-${kind}-${where}`;
    const page = await browser.newPage();
    await visit(page, where);
    await rpc(page, "open", { kind, label, maxPending: 20_000 });
    // Two bursts of about 30 KB each, in two tasks, against 20 KB of room.
    const r = await rpc(page, "twoTasks", { file: "o.log", count: 3000 });
    assert.equal(r.threw, null);
    const f = await rpc(page, "flush");
    assert.equal(f.reports.length, 1, f.reports.join("\n"));
    const dropped = f.stats.droppedRecords;
    assert.ok(dropped > 0);
    assert.equal(
      f.reports[0],
      `--- Logging error ---\nOSError: ${kind === "idb" ? "IndexedDBStorage" : "OPFSStorage"}('${label}'): ${dropped} records ` +
        `(${f.stats.droppedBytes} bytes) waiting to be written were dropped: more than maxPending (20000 bytes) were ` +
        "waiting; the store is not keeping up",
    );
    const text = (await rpc(page, "read")).logs["o.log"];
    const kept = text.trimEnd().split("\n").map((l) => Number(/^line (\d+)$/.exec(l)[1]));
    assert.equal(kept.length + dropped, 6000);
    assert.ok(kept.every((n, i) => i === 0 || n > kept[i - 1]), "kept records are in order, none twice");
    assert.equal(kept.at(-1), 5999, "the newest record is kept");
    await page.close();
  });
}

// Chromium 156 applies DevTools' quota override to IndexedDB and to writables, not to access
// handles: in the Worker the failure is injected (their write throws QuotaExceededError), with
// the access handle already open, so the first failing record is one written in the log call.
const QUOTA = [
  ["idb", "page", false],
  ["opfs", "page", false],
  ["opfs", "worker", true],
];

for (const [kind, where, inject] of QUOTA) {
  test(`${kind} from a ${where}: a full quota is reported through handleError, never thrown; records after it are written`, async () => {
    const label = `quota-${kind}-${where}`;
    // A context of its own: its storage starts empty, so an absolute quota means the same
    // room every time, and the override ends with it.
    const context = await browser.createBrowserContext();
    const origin = new URL(base).origin;
    let cdp = null;
    try {
      const page = await context.newPage();
      await visit(page, where);
      await rpc(page, "open", { kind, label });
      cdp = await page.createCDPSession();
      if (inject) {
        await rpc(page, "burst", { file: "q.log", count: 0, warm: true });
        await rpc(page, "inject", { on: true });
      } else {
        await cdp.send("Storage.overrideQuotaForOrigin", { origin, quotaSize: 200_000 });
      }
      // About 1 MB of records in one burst against 200 KB of room.
      const full = await rpc(page, "burst", { file: "q.log", count: 4000, pad: 250 });
      assert.equal(full.threw, null);
      const f = await rpc(page, "flush");
      assert.ok(f.stats.failures >= 1, JSON.stringify(f.stats));
      assert.ok(f.stats.lostRecords >= 1, JSON.stringify(f.stats));
      assert.ok(f.reports.length >= 1);
      const who = kind === "opfs" ? `OPFSStorage\\('${label}'\\)` : `IndexedDBStorage\\('${label}'\\)`;
      assert.match(
        f.reports[0],
        new RegExp(`^--- Logging error ---\\nOSError: ${who}: could not write \\d+ records \\(\\d+ bytes\\) to 'q\\.log': QuotaExceededError: `),
      );
      // Room again: later records are written, after what the store did keep.
      if (inject) await rpc(page, "inject", { on: false });
      else await cdp.send("Storage.overrideQuotaForOrigin", { origin });
      const reported = f.reports.length;
      await rpc(page, "burst", { file: "q.log", count: 10, start: 100000 });
      const g = await rpc(page, "flush");
      assert.equal(g.reports.length, reported, g.reports.slice(reported).join("\n"));
      assert.equal(g.stats.failures, f.stats.failures);
      const r = await rpc(page, "read");
      const text = r.logs["q.log"].replace(/^warm-up\n/, "");
      assert.ok(text.endsWith(lines(100000, 10)), text.slice(-200));
      // What was kept is whole records, in order, and the size the core sees is the real one.
      const kept = text.split("\n").slice(0, -11);
      const numbers = kept.map((l) => Number(/^line (\d+) x+$/.exec(l)?.[1]));
      assert.ok(numbers.every((n, i) => n === i), "the kept records are the first ones, in order");
      assert.equal(f.stats.lostRecords + kept.length, 4000);
      assert.equal(r.sizes["q.log"], new TextEncoder().encode(r.logs["q.log"]).length);
    } finally {
      await cdp?.send("Storage.overrideQuotaForOrigin", { origin }).catch(() => {});
      await context.close();
    }
  });
}

/** How many files CPython's RotatingFileHandler(maxBytes=4096) makes of "n=0" … "n=19999". */
function cpythonOrderFiles() {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-durable-"));
  scratch.push(dir);
  const src = `
import logging, logging.handlers, os
h = logging.handlers.RotatingFileHandler('o.log', maxBytes=4096, backupCount=10000)
h.setFormatter(logging.Formatter('%(message)s'))
l = logging.getLogger('order'); l.propagate = False; l.setLevel(logging.DEBUG); l.addHandler(h)
for i in range(20000):
    l.info('n=%d', i)
h.close()
print(len(os.listdir('.')))
`;
  const r = spawnSync(pythonPath(), ["-c", src], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return Number(r.stdout.trim());
}

let expectedOrderFiles = null;

const ORDER = [
  ["idb", "page"],
  ["opfs", "page"],
  ["opfs", "worker"],
];

for (const [kind, where] of ORDER) {
  test(`${kind} from a ${where}: 20,000 records rotating through 4 KB files come back in order, none lost or doubled`, async () => {
    const page = await browser.newPage();
    await visit(page, where);
    await rpc(page, "open", { kind, label: `order-${kind}-${where}` });
    const r = await rpc(page, "order", { count: 20000, maxBytes: 4096 });
    assert.deepEqual(r.reports, []);
    const want = Array.from({ length: 20000 }, (_, i) => `n=${i}\n`).join("");
    assert.equal(r.text.length, want.length);
    assert.equal(r.text, want);
    assert.equal(r.stats.droppedRecords, 0);
    // As many files as CPython makes of the same records.
    expectedOrderFiles ??= cpythonOrderFiles();
    assert.equal(r.files, expectedOrderFiles);
    assert.equal(r.first, `o.log.${r.files - 1}`);
    assert.equal(r.last, "o.log");
    await page.close();
  });
}
