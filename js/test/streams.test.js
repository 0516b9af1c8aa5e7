// Streams are streams (issue 12): in Node, sys.stdout is the process's stdout and sys.stderr
// its stderr whatever the record's level — StreamHandler(process.stdout), ext://sys.stdout and
// ext://sys.stderr, basicConfig(), lastResort and handleError — exactly as CPython. Each case
// runs in a child process on both sides, with stdout and stderr captured separately, and the
// bytes compared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { logging, pythonPath, captureConsole, NS, REPO } from "./helpers.js";

const ENTRY = new URL("../src/node.js", import.meta.url).href;
const FIXTURES = `${REPO}/tests/fixtures/dictconfig`;

/** Runs `code` in a fresh Node process with the package as `logging` and the clock fixed. */
function node(code) {
  const script = `
import * as logging from ${JSON.stringify(ENTRY)};
logging.setFixedTime(${NS}n, { utcOffset: 0, zone: "UTC" });
logging.setStartTime(${NS}n);
${code}
`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `code` under CPython 3.13 with the same clock. */
function cpython(code) {
  const src = `
import json, logging, logging.config, sys, time
NS = ${NS}
time.time_ns = lambda: NS
time.time = lambda: NS / 1e9
logging._startTime = NS
${code}
`;
  const r = spawnSync(pythonPath(), ["-c", src], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("recipe 5's split in a child process: stdout gets INFO..WARNING, stderr ERROR and up, byte for byte as CPython", () => {
  const config = readFileSync(`${FIXTURES}/recipe_5_console.json`, "utf8");
  const ours = node(`
logging.registerFactory("__main__.filter_maker", ({ level }) => {
  const levelno = logging.getLevelName(level);
  return (record) => record.levelno <= levelno;
});
logging.dictConfig(${config});
for (const f of ["debug", "info", "warning", "error", "critical"]) logging[f](f + " message");
`);
  const theirs = cpython(`
def filter_maker(level):
    level = getattr(logging, level)
    return lambda record: record.levelno <= level
logging.config.dictConfig(json.loads(${JSON.stringify(config)}))
for f in (logging.debug, logging.info, logging.warning, logging.error, logging.critical):
    f(f.__name__ + ' message')
`);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stdout, theirs.stdout);
  assert.equal(ours.stderr, theirs.stderr);
  assert.equal(ours.stdout, "INFO     - info message\nWARNING  - warning message\n");
  assert.equal(ours.stderr, "ERROR    - error message\nCRITICAL - critical message\n");
});

test("basicConfig(): every level goes to stderr (INFO included), stdout stays empty, as CPython", () => {
  const ours = node(`
logging.basicConfig({ level: logging.DEBUG });
logging.debug("d");
logging.info("i %d", 1);
logging.getLogger("app").warning("w");
logging.error("e");
`);
  const theirs = cpython(`
logging.basicConfig(level=logging.DEBUG)
logging.debug("d")
logging.info("i %d", 1)
logging.getLogger("app").warning("w")
logging.error("e")
`);
  assert.equal(ours.stdout, "");
  assert.equal(ours.stderr, theirs.stderr);
  assert.equal(ours.stderr, "DEBUG:root:d\nINFO:root:i 1\nWARNING:app:w\nERROR:root:e\n");
});

test("StreamHandler(process.stdout) writes stdout at every level; StreamHandler() writes stderr at every level", () => {
  const ours = node(`
const out = new logging.StreamHandler(process.stdout);
const err = new logging.StreamHandler();
const fmt = new logging.Formatter("%(levelname)s %(name)s %(message)s");
out.setFormatter(fmt);
err.setFormatter(fmt);
const a = logging.getLogger("a");
a.setLevel(logging.DEBUG);
a.addHandler(out);
const b = logging.getLogger("b");
b.setLevel(logging.DEBUG);
b.addHandler(err);
for (const l of [a, b]) {
  l.debug("debug"); l.info("info"); l.warning("warning"); l.error("error"); l.critical("critical");
}
out.terminator = "\\r\\n";
a.critical("crlf");
`);
  const theirs = cpython(`
out = logging.StreamHandler(sys.stdout)
err = logging.StreamHandler()
fmt = logging.Formatter("%(levelname)s %(name)s %(message)s")
out.setFormatter(fmt)
err.setFormatter(fmt)
a = logging.getLogger("a")
a.setLevel(logging.DEBUG)
a.addHandler(out)
b = logging.getLogger("b")
b.setLevel(logging.DEBUG)
b.addHandler(err)
for l in (a, b):
    l.debug("debug"); l.info("info"); l.warning("warning"); l.error("error"); l.critical("critical")
out.terminator = "\\r\\n"
a.critical("crlf")
`);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stdout, theirs.stdout);
  assert.equal(ours.stderr, theirs.stderr);
  assert.match(ours.stdout, /^DEBUG a debug\n[\s\S]*CRITICAL a crlf\r\n$/);
});

test("lastResort and handleError write stderr, as CPython's do", () => {
  const ours = node(`
const l = logging.getLogger("nohandlers");
l.info("not shown");
l.warning("last %s", "resort");
l.error("an error");
const h = new logging.StreamHandler(process.stdout);
const m = logging.getLogger("bad");
m.addHandler(h);
m.warning("%d", "not a number");
m.warning("fine");
`);
  const theirs = cpython(`
l = logging.getLogger("nohandlers")
l.info("not shown")
l.warning("last %s", "resort")
l.error("an error")
h = logging.StreamHandler(sys.stdout)
m = logging.getLogger("bad")
m.addHandler(h)
m.warning("%d", "not a number")
m.warning("fine")
`);
  assert.equal(ours.stdout, theirs.stdout);
  assert.equal(ours.stdout, "fine\n");
  // lastResort's lines, then the report; CPython's also prints a traceback and the call
  // stack, which a Wasm core has neither of: the rest is the same, byte for byte.
  assert.equal(ours.stderr, withoutTracebacks(theirs.stderr));
  assert.match(ours.stderr, /^last resort\nan error\n--- Logging error ---\nTypeError: %d format: a real number is required, not str\nMessage: '%d'\nArguments: \('not a number',\)\n$/);
});

/** CPython's `handleError` report without its traceback and call-stack blocks. */
function withoutTracebacks(text) {
  const out = [];
  let skipping = false;
  for (const line of text.split("\n")) {
    if (line === "Traceback (most recent call last):" || line === "Call stack:") {
      skipping = true;
      continue;
    }
    if (skipping && line.startsWith(" ")) continue;
    skipping = false;
    out.push(line);
  }
  return out.join("\n");
}

test("any object with write() is a stream: text and terminator in one write, flush() after each record", () => {
  const writes = [];
  let flushes = 0;
  const stream = {
    write(text) {
      writes.push(text);
    },
    flush() {
      flushes++;
    },
  };
  const h = new logging.StreamHandler(stream);
  assert.equal(h.stream, stream);
  h.setFormatter(new logging.Formatter("%(levelname)s:%(message)s"));
  const l = logging.getLogger("obj");
  l.propagate = false;
  l.addHandler(h);
  l.warning("one");
  h.terminator = "";
  l.error("two");
  assert.deepEqual(writes, ["WARNING:one\n", "ERROR:two"]);
  assert.equal(flushes, 2);
  assert.throws(() => new logging.StreamHandler({ nowrite: true }), TypeError);
  // basicConfig({stream: obj}) makes the same handler.
  const root = logging.getLogger();
  logging.basicConfig({ stream, format: "%(message)s", force: true });
  logging.getLogger("obj.root").propagate = true;
  root.warning("via basicConfig");
  assert.equal(writes.at(-1), "via basicConfig\n");
  logging.basicConfig({ handlers: [new logging.NullHandler()], force: true });
});

test("ConsoleHandler keeps the devtools mapping in Node (level picks the console method); StreamHandler does not", () => {
  const l = logging.getLogger("mapping");
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  const c = new logging.ConsoleHandler();
  const s = new logging.StreamHandler("stdout");
  assert.ok(c instanceof logging.StreamHandler);
  l.addHandler(c);
  l.addHandler(s);
  const calls = captureConsole(() => {
    l.debug("d");
    l.error("e");
  });
  assert.deepEqual(calls, [
    ["debug", "%s", "d"],
    ["stdout", "d\n"],
    ["error", "%s", "e"],
    ["stdout", "e\n"],
  ]);
});
