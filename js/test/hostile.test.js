// Hostile inputs (issue 15, "Breaks"): each with the exact input the outside review used, and
// its neighbours. A log call never throws, never loses a record silently, and keeps working.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

function logger(name, fmt = "%(levelno)s %(levelname)s %(message)s") {
  const col = collector(new logging.Formatter(fmt));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(1);
  for (const h of l.handlers) l.removeHandler(h);
  l.addHandler(col.handler);
  return [l, col];
}

// ---- 1. hostile Proxy arguments and throwing option getters ------------------------------

const trapProto = () =>
  new Proxy(
    {},
    {
      getPrototypeOf() {
        throw new Error("x");
      },
    },
  );

function revoked() {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

test("the review's inputs: each is one handleError report and the record is still logged, every time", () => {
  const [l, col] = logger("hostile.proxy", "%(levelname)s %(message)s");
  const before = logging.errorCount();
  const reports = errorReports(
    captureConsole(() => {
      // Twice each: the old internal-error path reported once and then dropped silently.
      for (let i = 0; i < 2; i++) {
        l.info("a %s", trapProto());
        l.info("b %s", 1, {
          get extra() {
            throw new Error("y");
          },
        });
        l.info("c %s", revoked());
      }
      l.info("after");
    }),
  );
  assert.deepEqual(col.lines, [
    "INFO a <unprintable object>",
    "INFO b 1",
    "INFO c <unprintable object>",
    "INFO a <unprintable object>",
    "INFO b 1",
    "INFO c <unprintable object>",
    "INFO after",
  ]);
  assert.equal(logging.errorCount(), before + 6);
  assert.equal(reports.length, 6);
  assert.match(reports[0], /^--- Logging error ---\nRuntimeError: the last argument of a log call cannot be inspected \(taken as a %-argument\): x$/);
  assert.match(reports[1], /^--- Logging error ---\nRuntimeError: the log call's option 'extra' cannot be read \(left out\): y$/);
  assert.match(reports[2], /^--- Logging error ---\nTypeError: the last argument of a log call cannot be inspected .*revoked/);
  assert.deepEqual(reports.slice(3), reports.slice(0, 3));
});

test("hostile objects elsewhere in a call: message, middle arguments, exception(), extra values, adapters", () => {
  const [l, col] = logger("hostile.more", "%(levelname)s %(message)s|%(k)s");
  const adapter = new logging.LoggerAdapter(l, { k: "A" });
  const before = logging.errorCount();
  const reports = errorReports(
    captureConsole(() => {
      l.info(trapProto(), { extra: { k: 1 } }); // the message itself
      l.info("m %s %s", revoked(), "z", { extra: { k: 2 } }); // not the last argument
      l.exception(trapProto(), { extra: { k: 3 } }); // exception() inspects the message
      l.error("e", { excInfo: revoked(), extra: { k: 4 } });
      l.info("v", {
        extra: {
          get k() {
            throw new Error("getter");
          },
        },
      });
      adapter.info("ad %s", trapProto());
      adapter.info("ad2", {
        get stacklevel() {
          throw new Error("sl");
        },
      });
      l.info("stacklevel getter", {
        extra: { k: 5 },
        get stacklevel() {
          throw new Error("sl2");
        },
      });
    }),
  );
  assert.equal(col.lines.length, 8, col.lines.join("\n"));
  assert.deepEqual(col.lines.slice(0, 2), ["INFO <unprintable object>|1", "INFO m <unprintable object> z|2"]);
  assert.match(col.lines[2], /^ERROR <unprintable object>\|3/);
  assert.match(col.lines[3], /^ERROR e\|4/);
  assert.equal(col.lines[4], "INFO v|<unprintable object>");
  assert.deepEqual(col.lines.slice(5), [
    "INFO ad <unprintable object>|A",
    "INFO ad2|A",
    "INFO stacklevel getter|5",
  ]);
  // Reports for what could not be read; none for values the converters print as opaque.
  assert.ok(reports.some((r) => /adapter|cannot be inspected \(taken as a %-argument\): x/.test(r)));
  assert.ok(reports.some((r) => /option 'stacklevel' cannot be read \(left out\): sl$/.test(r)));
  assert.ok(reports.some((r) => /option 'stacklevel' cannot be read \(left out\): sl2$/.test(r)));
  assert.ok(reports.some((r) => /the log call's extra 'k' cannot be read: getter$/.test(r)));
  assert.equal(logging.errorCount() - before, reports.length);
  l.info("still working");
  assert.equal(col.lines.length, 8, "a record without `k` fails to format (CPython's ValueError), as before");
});

// ---- 2. levels are 64-bit integers, as CPython's arbitrary ints are for every real level ---

test("levels at and beyond 2**31 are kept, as in CPython: log, addLevelName, disable, setLevel", () => {
  const [l, col] = logger("hostile.levels");
  l.log(2 ** 32 + 20, "big");
  logging.addLevelName(2 ** 32 + 20, "BIGINFO");
  l.log(2 ** 32 + 20, "named");
  l.log(20, "plain info");
  logging.disable(2 ** 32);
  l.info("disabled info");
  l.log(2 ** 32, "at the disable level");
  l.log(2 ** 32 + 20, "above it");
  logging.disable(0);
  l.setLevel(2 ** 40);
  l.log(2 ** 40 - 1, "below a 2**40 logger level");
  l.log(2 ** 53, "2**53");
  l.log(2n ** 60n, "bigint 2**60");
  l.setLevel(-(2 ** 40));
  l.log(-(2 ** 35), "negative");
  l.log(-(2n ** 63n), "the lowest");
  l.setLevel(1);
  const want = python(`
l = logging.getLogger("hostile.levels")
l.propagate = False
l.setLevel(1)
l.addHandler(collector(logging.Formatter("%(levelno)s %(levelname)s %(message)s")))
l.log(2**32 + 20, "big")
logging.addLevelName(2**32 + 20, "BIGINFO")
l.log(2**32 + 20, "named")
l.log(20, "plain info")
logging.disable(2**32)
l.info("disabled info")
l.log(2**32, "at the disable level")
l.log(2**32 + 20, "above it")
logging.disable(0)
l.setLevel(2**40)
l.log(2**40 - 1, "below a 2**40 logger level")
l.log(2**53, "2**53")
l.log(2**60, "bigint 2**60")
l.setLevel(-2**40)
l.log(-2**35, "negative")
l.log(-2**63, "the lowest")
`);
  assert.deepEqual(col.lines, want);
  assert.equal(logging.getLevelName(20), "INFO", "INFO keeps its name");
  assert.equal(logging.getLevelName("BIGINFO"), 2 ** 32 + 20);
  assert.equal(logging.getLevelName(2n ** 32n + 20n), "BIGINFO");
});

test("a bigint level a double cannot hold exactly is an OverflowError report, not a rounded level", () => {
  const [l, col] = logger("hostile.bigint");
  const reports = errorReports(
    captureConsole(() => {
      l.log(2n ** 60n + 1n, "inexact");
      l.log(2n ** 64n, "beyond 64 bits");
      logging.addLevelName(2n ** 53n + 1n, "ODD");
    }),
  );
  assert.deepEqual(col.lines, []);
  assert.equal(reports.length, 3);
  assert.match(reports[0], /OverflowError: level 1152921504606846977 cannot be held exactly/);
  assert.match(reports[1], /OverflowError: level 18446744073709551616 is out of range/);
  assert.match(reports[2], /OverflowError: addLevelName: level 9007199254740993 cannot be held exactly/);
  assert.equal(logging.getLevelName(2n ** 64n), "Level 18446744073709551616");
});

// ---- 3. logger names are bounded (the same bound as every host) -----------------------------

test("a logger name of 16,000 dotted parts: one report, a working logger under the root, and the next call is normal", () => {
  const root = logging.getLogger();
  const col = collector(new logging.Formatter("%(levelname)s %(message)s"));
  root.addHandler(col.handler);
  try {
    const before = logging.errorCount();
    const deep = Array(16000).fill("a").join(".");
    const reports = errorReports(
      captureConsole(() => {
        logging.getLogger(deep).warning("deep");
        logging.getLogger("after.deep").warning("after");
      }),
    );
    assert.equal(logging.errorCount(), before + 1);
    assert.equal(reports.length, 1);
    assert.match(
      reports[0],
      /^--- Logging error ---\nValueError: logger name too long \(31999 bytes, 16000 dotted parts; the limits are 1024 bytes and 128 parts\)/,
    );
    assert.deepEqual(col.lines, ["WARNING deep", "WARNING after"]);
  } finally {
    root.removeHandler(col.handler);
  }
});

// ---- 6. NodeFileStorage: the working directory as CPython's FileHandler uses it; confine ---

import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";

function scratchDir(t) {
  const d = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-hostile-"));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

test("after process.chdir a handler keeps its file and a new handler uses the new directory, as in CPython", (t) => {
  const a = scratchDir(t);
  const b = scratchDir(t);
  const cwd = process.cwd();
  const saved = logging.getStorage();
  const l = logging.getLogger("hostile.chdir");
  l.propagate = false;
  try {
    process.chdir(a);
    logging.setStorage(new logging.NodeFileStorage()); // as the Node entry sets it at import
    const h1 = new logging.FileHandler("app.log");
    l.addHandler(h1);
    l.warning("one");
    process.chdir(b);
    l.warning("two"); // h1 keeps a/app.log
    const h2 = new logging.FileHandler("app.log"); // made after chdir: b/app.log
    l.addHandler(h2);
    l.warning("three");
    h1.close();
    h2.close();
    l.removeHandler(h1);
    l.removeHandler(h2);
    assert.equal(h1.baseFilename, path.join(a, "app.log"));
    assert.equal(h2.baseFilename, path.join(b, "app.log"));
    const ours = [readFileSync(path.join(a, "app.log"), "utf8"), readFileSync(path.join(b, "app.log"), "utf8")];
    // CPython: FileHandler takes os.path.abspath(filename) when it is made.
    const py = python(`
import os, logging
a, b = ${JSON.stringify(a)}, ${JSON.stringify(b)}
for d in (a, b):
    p = os.path.join(d, "app.log")
    os.rename(p, p + ".ours")
l = logging.getLogger("hostile.chdir")
l.propagate = False
os.chdir(a)
h1 = logging.FileHandler("app.log"); l.addHandler(h1)
l.warning("one")
os.chdir(b)
l.warning("two")
h2 = logging.FileHandler("app.log"); l.addHandler(h2)
l.warning("three")
h1.close(); h2.close()
out.append(open(os.path.join(a, "app.log")).read())
out.append(open(os.path.join(b, "app.log")).read())
out.append(h1.baseFilename); out.append(h2.baseFilename)
`);
    assert.deepEqual([...ours, h1.baseFilename, h2.baseFilename], py);
    assert.deepEqual(ours, ["one\ntwo\nthree\n", "three\n"]);
  } finally {
    process.chdir(cwd);
    logging.setStorage(saved);
  }
});

test("{root, confine: true} refuses names escaping the root (.., absolute, a symlink out) with a clear error", (t) => {
  const root = scratchDir(t);
  const outside = scratchDir(t);
  mkdirSync(path.join(root, "logs"));
  symlinkSync(outside, path.join(root, "out"));
  const saved = logging.getStorage();
  const storage = new logging.NodeFileStorage({ root, confine: true });
  try {
    logging.setStorage(storage);
    const ok = new logging.FileHandler("logs/app.log");
    assert.equal(ok.baseFilename, path.join(root, "logs/app.log"));
    ok.close();
    for (const name of ["../escape.log", path.join(outside, "abs.log"), "out/link.log", "logs/../../up.log"]) {
      assert.throws(
        () => new logging.FileHandler(name),
        (e) => e.message.includes(`NodeFileStorage: '${name}' is outside the confined root ${root}`),
        name,
      );
    }
    assert.ok(!existsSync(path.join(outside, "abs.log")) && !existsSync(path.join(outside, "link.log")));
    assert.ok(!existsSync(path.join(path.dirname(root), "escape.log")));
    // Inside the root, absolute spellings are fine.
    const abs = new logging.FileHandler(path.join(root, "x.log"));
    abs.close();
    // A configuration naming an escaping file fails, names the handler, and changes nothing.
    const before = logging.getLogger("hostile.confine").handlers.length;
    assert.throws(
      () =>
        logging.dictConfig({
          version: 1,
          incremental: false,
          disable_existing_loggers: false,
          handlers: { bad: { class: "logging.FileHandler", filename: "../../etc/evil.log" } },
          loggers: { "hostile.confine": { handlers: ["bad"] } },
        }),
      /Unable to configure handler 'bad': filename: NodeFileStorage: '\.\.\/\.\.\/etc\/evil\.log' is outside the confined root/,
    );
    assert.equal(logging.getLogger("hostile.confine").handlers.length, before);
    assert.throws(() => new logging.NodeFileStorage(undefined, { confine: true }), /confine: true needs a root/);
  } finally {
    logging.setStorage(saved);
  }
});
