// The module-level functions (logging.debug … logging.log): calls on the root logger that run
// basicConfig() first when the root has no handlers, as CPython's do — checked in child
// processes against CPython 3.13, streams captured separately.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { logging, fixTime, collector, pythonPath, captureConsole, errorReports, NS } from "./helpers.js";

fixTime();

const ENTRY = new URL("../src/node.js", import.meta.url).href;

function node(code) {
  const script = `import * as logging from ${JSON.stringify(ENTRY)};
logging.setFixedTime(${NS}n, { utcOffset: 0, zone: "UTC" });
${code}`;
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
}

function cpython(code) {
  const src = `import logging, sys, time
time.time_ns = lambda: ${NS}
${code}`;
  return spawnSync(pythonPath(), ["-c", src], { encoding: "utf8", env: { ...process.env, TZ: "UTC" } });
}

test("the first module-level call runs basicConfig() (root WARNING, stderr), later ones do not (as CPython)", () => {
  const ours = node(`
logging.info("dropped: the root is at WARNING");
process.stdout.write(String(logging.getLogger().handlers.length) + "\\n");
logging.warning("warning %s", "one");
logging.error("error %d", 2);
logging.critical("critical");
logging.fatal("fatal");
logging.warn("warn");
logging.log(logging.ERROR, "log at %s", "ERROR");
logging.debug("dropped too");
process.stdout.write(String(logging.getLogger().handlers.length) + "\\n");
logging.getLogger().setLevel(logging.DEBUG);
logging.debug("now shown");
`);
  const theirs = cpython(`
import warnings
warnings.simplefilter("ignore")
logging.info("dropped: the root is at WARNING")
print(len(logging.getLogger().handlers))
logging.warning("warning %s", "one")
logging.error("error %d", 2)
logging.critical("critical")
logging.fatal("fatal")
logging.warn("warn")
logging.log(logging.ERROR, "log at %s", "ERROR")
logging.debug("dropped too")
print(len(logging.getLogger().handlers))
logging.getLogger().setLevel(logging.DEBUG)
logging.debug("now shown")
`);
  assert.equal(theirs.status, 0, theirs.stderr);
  assert.equal(ours.status, 0, ours.stderr);
  assert.equal(ours.stdout, theirs.stdout);
  assert.equal(ours.stdout, "1\n1\n");
  assert.equal(ours.stderr, theirs.stderr);
});

test("with handlers on the root, module-level calls use them; exception() carries the traceback", () => {
  const col = collector(new logging.Formatter("%(levelname)s:%(name)s:%(funcName)s:%(message)s"));
  const root = logging.getLogger();
  logging.basicConfig({ handlers: [col.handler], level: logging.INFO, force: true });
  function caller() {
    logging.info("info %s", "here");
    try {
      throw new TypeError("bad");
    } catch (e) {
      logging.exception("failed", e);
    }
  }
  caller();
  assert.equal(root.handlers.length, 1);
  assert.equal(col.lines[0], "INFO:root:caller:info here");
  const [first, second, ...rest] = col.lines[1].split("\n");
  assert.equal(first, "ERROR:root:caller:failed");
  assert.equal(second, "Traceback (most recent call last):");
  assert.equal(rest.at(-1), "TypeError: bad");
});

test("logging.log keeps a level beyond 32 bits (as CPython does) and reports one that is not an integer", () => {
  const col = collector(new logging.Formatter("%(levelname)s %(message)s"));
  logging.basicConfig({ handlers: [col.handler], level: logging.DEBUG, force: true });
  const reports = errorReports(
    captureConsole(() => {
      logging.log(2 ** 32 + 20, "kept, not wrapped to 20");
      logging.log("INFO", "not a number");
      logging.log(1.5, "not an integer");
    }),
  );
  // CPython 3.13: logging.log(2**32 + 20, ...) prints "Level 4294967316 ..." (no level name).
  assert.deepEqual(col.lines, ["Level 4294967316 kept, not wrapped to 20"]);
  assert.equal(reports.length, 2);
  assert.match(reports[0], /^--- Logging error ---\nTypeError: level must be an integer/);
  assert.match(reports[1], /^--- Logging error ---\nTypeError: level must be an integer/);
});
