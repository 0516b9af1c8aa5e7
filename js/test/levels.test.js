// Levels are 32-bit integers in the core: a larger JS number is refused with a logging error,
// never wrapped into another level (2**32 + 20 must not become INFO); level names work where
// CPython 3.13 accepts them (disable("INFO")).
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

function logger(name) {
  const col = collector(new logging.Formatter("%(levelno)s %(levelname)s %(message)s"));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(1);
  l.addHandler(col.handler);
  return [l, col];
}

test("a level beyond 32 bits is refused with an OverflowError report: never logged, never wrapped", () => {
  const [l, col] = logger("lv1");
  const adapter = new logging.LoggerAdapter(l, {});
  const before = logging.errorCount();
  const reports = errorReports(
    captureConsole(() => {
      l.log(2 ** 32 + 20, "wraps to 20?");
      l.log(-(2 ** 31) - 1, "below the range");
      adapter.log(2 ** 40, "through an adapter");
      l.setLevel(2 ** 31);
      logging.addLevelName(2 ** 32 + 20, "HUGE");
      l.log(2 ** 31 - 1, "the largest level");
    }),
  );
  assert.deepEqual(col.lines, ["2147483647 Level 2147483647 the largest level"]);
  assert.equal(logging.errorCount(), before + 5);
  assert.equal(reports.length, 5);
  for (const r of reports) assert.match(r, /^--- Logging error ---\nOverflowError: .*level -?\d+ is out of range/);
  assert.match(reports[0], /level 4294967316 is out of range/);
  assert.equal(l.level, 1, "setLevel(2**31) changed nothing");
  assert.equal(logging.getLevelName(20), "INFO");
  // getLevelName answers for any integer, as CPython does.
  assert.equal(logging.getLevelName(2 ** 32 + 20), "Level 4294967316");
  assert.deepEqual(
    [logging.getLevelName(2 ** 32 + 20)],
    python("out.append(logging.getLevelName(2**32 + 20))"),
  );
});

test("levels up to 2**31 - 1 and down to -2**31 work as in CPython", () => {
  const [l, col] = logger("lv2");
  logging.addLevelName(2 ** 31 - 1, "TOP");
  l.log(2 ** 31 - 1, "top");
  l.setLevel(-(2 ** 31));
  l.log(-(2 ** 31), "bottom");
  const want = python(`
logging.addLevelName(2**31 - 1, "TOP")
l = logging.getLogger("lv2")
l.propagate = False
l.setLevel(1)
l.addHandler(collector(logging.Formatter("%(levelno)s %(levelname)s %(message)s")))
l.log(2**31 - 1, "top")
l.setLevel(-2**31)
l.log(-2**31, "bottom")
`);
  assert.deepEqual(col.lines, want);
});

test("disable() takes level names (CPython 3.13); an unknown name is reported and changes nothing", () => {
  const [l, col] = logger("lv3");
  logging.disable("INFO");
  l.debug("d");
  l.info("i");
  l.warning("w");
  assert.deepEqual(noops(l), [true, true, false]);
  const reports = errorReports(captureConsole(() => logging.disable("LOUD")));
  l.info("still disabled");
  logging.disable("NOTSET");
  l.info("enabled again");
  const want = python(`
l = logging.getLogger("lv3")
l.propagate = False
l.setLevel(1)
l.addHandler(collector(logging.Formatter("%(levelno)s %(levelname)s %(message)s")))
logging.disable("INFO")
l.debug("d")
l.info("i")
l.warning("w")
try:
    logging.disable("LOUD")
except ValueError as e:
    out.append("ValueError: " + str(e))
l.info("still disabled")
logging.disable("NOTSET")
l.info("enabled again")
`);
  assert.deepEqual([...col.lines.slice(0, 1), reports[0].split("\n")[1], ...col.lines.slice(1)], want);
});

/** Whether debug, info and warning of `l` are the shared no-op. */
function noops(l) {
  return [l.debug, l.info, l.warning].map((m) => m.name === "noop");
}
