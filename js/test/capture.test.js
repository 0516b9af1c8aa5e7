// Loggers as output streams (the cookbook's recipe 35): LoggerWriter as CPython's, console.*
// calls captured into a logger (with an undo, and no loop through a console handler), and
// uncaught errors / unhandled rejections captured as CPython programs capture them with
// sys.excepthook — in child processes, compared with CPython.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { logging, fixTime, collector, pythonPath, NS } from "./helpers.js";

fixTime();

const ENTRY = new URL("../src/node.js", import.meta.url).href;

function node(code) {
  const script = `import * as logging from ${JSON.stringify(ENTRY)};
logging.setFixedTime(${NS}n, { utcOffset: 0, zone: "UTC" });
${code}`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
}

function cpython(code) {
  return spawnSync(pythonPath(), ["-c", `import logging, sys, time\ntime.time_ns = lambda: ${NS}\n${code}`], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
}

test("recipe 35: LoggerWriter turns print-style writes into records (as CPython)", () => {
  const ours = node(`
logging.basicConfig({ level: logging.DEBUG });
const logger = logging.getLogger("demo");
const infoFp = new logging.LoggerWriter(logger, logging.INFO);
const debugFp = new logging.LoggerWriter(logger, logging.DEBUG);
// print(s, file=fp) writes s, then "\\n" (skipped).
for (const [fp, s] of [[infoFp, "An INFO message"], [debugFp, "A DEBUG message"]]) {
  fp.write(s);
  fp.write("\\n");
}
// A stream handler writing into a LoggerWriter: records re-logged on another logger.
const relay = new logging.StreamHandler(new logging.LoggerWriter(logging.getLogger("relay"), logging.WARNING));
relay.terminator = "";
relay.setFormatter(new logging.Formatter("relayed %(name)s: %(message)s"));
const src = logging.getLogger("src");
src.propagate = false;
src.addHandler(relay);
src.error("boom");
`);
  const theirs = cpython(`
class LoggerWriter:
    def __init__(self, logger, level):
        self.logger = logger
        self.level = level
    def write(self, message):
        if message != '\\n':
            self.logger.log(self.level, message)
    def flush(self):
        pass
    def close(self):
        pass
logging.basicConfig(level=logging.DEBUG)
logger = logging.getLogger('demo')
info_fp = LoggerWriter(logger, logging.INFO)
debug_fp = LoggerWriter(logger, logging.DEBUG)
print('An INFO message', file=info_fp)
print('A DEBUG message', file=debug_fp)
relay = logging.StreamHandler(LoggerWriter(logging.getLogger("relay"), logging.WARNING))
relay.terminator = ""
relay.setFormatter(logging.Formatter("relayed %(name)s: %(message)s"))
src = logging.getLogger("src")
src.propagate = False
src.addHandler(relay)
src.error("boom")
`);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stderr, theirs.stderr);
  assert.equal(ours.stderr, "INFO:demo:An INFO message\nDEBUG:demo:A DEBUG message\nWARNING:relay:relayed src: boom\n");
});

test("captureConsole: console.* calls become records at their levels, with the console's text and the caller's line; undo restores", () => {
  const col = collector(new logging.Formatter("%(name)s %(levelname)s %(filename)s:%(lineno)d %(message)s"));
  const l = logging.getLogger("captured");
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  const originals = ["debug", "log", "info", "warn", "error"].map((m) => console[m]);
  const undo = logging.captureConsole(l);
  let line;
  try {
    line = new Error().stack.split("\n")[1].match(/:(\d+):\d+\)?$/)[1] * 1 + 1;
    console.log("count %d of %s", 3, "five", { k: [1] });
    console.debug("d");
    console.info("i");
    console.warn("w %i%%", 4.7);
    console.error(new RangeError("bad").message);
  } finally {
    undo();
  }
  assert.deepEqual(["debug", "log", "info", "warn", "error"].map((m) => console[m]), originals);
  assert.deepEqual(col.lines, [
    `captured INFO capture.test.js:${line} count 3 of five { k: [ 1 ] }`,
    `captured DEBUG capture.test.js:${line + 1} d`,
    `captured INFO capture.test.js:${line + 2} i`,
    `captured WARNING capture.test.js:${line + 3} w 4%`,
    `captured ERROR capture.test.js:${line + 4} bad`,
  ]);
  // The default logger is "console"; levels can be remapped.
  const seen = [];
  const h = new logging.CallbackHandler((t, r) => seen.push([r.name, r.levelname, t]));
  logging.getLogger("console").addHandler(h);
  logging.getLogger("console").setLevel(logging.DEBUG);
  const undo2 = logging.captureConsole(undefined, { levels: { log: logging.DEBUG } });
  try {
    console.log("quiet");
  } finally {
    undo2();
  }
  assert.deepEqual(seen, [["console", "DEBUG", "quiet"]]);
});

test("captureConsole does not loop: a console handler on the captured logger writes to the real console", () => {
  const real = [];
  const saved = console.warn;
  console.warn = (...args) => real.push(args);
  const l = logging.getLogger("captured.loop");
  l.propagate = false;
  l.addHandler(new logging.ConsoleHandler());
  const undo = logging.captureConsole(l);
  try {
    console.warn("once");
  } finally {
    undo();
    console.warn = saved;
  }
  assert.deepEqual(real, [["%s", "once"]]);
});

test("captureErrors: an uncaught error is logged with its traceback and the process exits with status 1 (as sys.excepthook)", () => {
  const ours = node(`
logging.basicConfig();
logging.captureErrors();
class ValueError extends Error {}
ValueError.prototype.name = "ValueError";
function main() { throw new ValueError("boom"); }
setTimeout(main, 0);
`);
  const theirs = cpython(`
logging.basicConfig()
def handle_exception(exc_type, exc_value, exc_traceback):
    logging.error("Uncaught exception", exc_info=(exc_type, exc_value, exc_traceback))
    sys.exit(1)
sys.excepthook = handle_exception
def main():
    raise ValueError("boom")
main()
`);
  assert.equal(theirs.status, 1);
  assert.equal(ours.status, 1);
  const shape = (s) => {
    const lines = s.trimEnd().split("\n");
    return [lines[0], lines[1], lines.at(-1)];
  };
  assert.deepEqual(shape(ours.stderr), shape(theirs.stderr));
  assert.deepEqual(shape(ours.stderr), ["ERROR:root:Uncaught exception", "Traceback (most recent call last):", "ValueError: boom"]);
  assert.match(ours.stderr, /in main\n/);
  assert.equal(ours.stdout, "");
});

test("captureErrors: an unhandled rejection is logged; exit: false keeps the process; undo restores Node's own report", () => {
  const ours = node(`
logging.basicConfig({ format: "%(levelname)s %(message)s" });
const undo = logging.captureErrors(logging.getLogger("errs"), { level: logging.CRITICAL, exit: false });
Promise.reject(new TypeError("nobody caught me"));
setTimeout(() => {
  Promise.reject("a plain string");
  setTimeout(() => {
    process.stdout.write("still running\\n");
    undo();
    setTimeout(() => { throw new Error("after undo"); }, 0);
  }, 10);
}, 10);
`);
  assert.equal(ours.status, 1, "Node's own handler ends the process after undo");
  const lines = ours.stderr.split("\n");
  assert.equal(lines[0], "CRITICAL Unhandled promise rejection");
  assert.equal(lines[1], "Traceback (most recent call last):");
  assert.ok(lines.includes("TypeError: nobody caught me"), ours.stderr);
  // Node wraps a reason that is not an Error in its own UnhandledPromiseRejection error.
  assert.match(ours.stderr, /\nUnhandledPromiseRejection: .*"a plain string"/);
  assert.equal(ours.stdout, "still running\n");
  assert.match(ours.stderr, /Error: after undo/);
  assert.doesNotMatch(ours.stderr, /CRITICAL Uncaught exception/);
});
