// Levels are 64-bit integers in the core, so every level CPython programs use is kept as is
// (2**32 + 20 stays 4294967316, never wraps into INFO); a JS number beyond 64 bits is refused
// with a logging error rather than rounded or wrapped; level names work where CPython 3.13
// accepts them (disable("INFO")).
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

test("a level beyond 64 bits is refused with an OverflowError report: never logged, never wrapped", () => {
  const [l, col] = logger("lv1");
  const adapter = new logging.LoggerAdapter(l, {});
  const before = logging.errorCount();
  const reports = errorReports(
    captureConsole(() => {
      l.log(2 ** 64 + 2 ** 20, "wraps?");
      l.log(-(2 ** 63) - 2 ** 11, "below the range");
      adapter.log(2 ** 70, "through an adapter");
      l.setLevel(2 ** 63);
      logging.addLevelName(2 ** 64, "HUGE");
      l.log(2 ** 31 - 1, "in range");
    }),
  );
  assert.deepEqual(col.lines, ["2147483647 Level 2147483647 in range"]);
  assert.equal(logging.errorCount(), before + 5);
  assert.equal(reports.length, 5);
  for (const r of reports) assert.match(r, /^--- Logging error ---\nOverflowError: .*level -?\d+ is out of range/);
  assert.match(reports[0], /level 18446744073710600192 is out of range \(levels are 64-bit integers/);
  assert.equal(l.level, 1, "setLevel(2**63) changed nothing");
  assert.equal(logging.getLevelName(20), "INFO");
  // getLevelName answers for any integer, as CPython does.
  assert.deepEqual(
    [logging.getLevelName(2 ** 32 + 20), logging.getLevelName(2 ** 64)],
    python("out.append(logging.getLevelName(2**32 + 20)); out.append(logging.getLevelName(2**64))"),
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
