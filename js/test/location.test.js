// Caller location: %(pathname)s, %(filename)s, %(module)s, %(lineno)d and %(funcName)s
// name the user's code, not the package's; stacklevel and stackInfo; setCallerInfo.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { logging, fixTime, collector, python } from "./helpers.js";

fixTime();
const FILE = fileURLToPath(import.meta.url);

/** The line this is called from. */
function here() {
  const line = new Error().stack.split("\n")[2];
  return Number(/:(\d+):\d+\)?$/.exec(line)[1]);
}

function recorder(name) {
  const records = [];
  const l = logging.getLogger(name);
  l.propagate = false;
  l.addHandler(new logging.CallbackHandler((_t, r) => records.push(r)));
  return [l, records];
}

// Runs first: this file's process has not created a formatter that uses location yet.
test("'auto': no formatter uses a location field yet, so none is captured", () => {
  const [l, records] = recorder("loc0");
  l.warning("cheap");
  assert.equal(records[0].pathname, "(unknown file)");
  assert.equal(records[0].lineno, 0);
  assert.equal(records[0].funcName, "(unknown function)");
  assert.equal(records[0].filename, "(unknown file)");
});

test("a formatter with %(filename)s:%(lineno)d names the caller's file, line and function", () => {
  const col = collector(new logging.Formatter("%(filename)s:%(lineno)d %(module)s.%(funcName)s %(message)s"));
  const l = logging.getLogger("loc1");
  l.propagate = false;
  l.addHandler(col.handler);
  function handleRequest() {
    l.warning("in a function"); return here();
  }
  const line1 = handleRequest();
  l.error("at test level"); const line2 = here();
  l.log(logging.ERROR, "via log()"); const line3 = here();
  new logging.LoggerAdapter(l, {}).error("via an adapter"); const line4 = here();
  assert.deepEqual(col.lines, [
    `location.test.js:${line1} location.test.handleRequest in a function`,
    `location.test.js:${line2} location.test.<anonymous> at test level`,
    `location.test.js:${line3} location.test.<anonymous> via log()`,
    `location.test.js:${line4} location.test.<anonymous> via an adapter`,
  ]);
});

test("pathname is the file's path; records carry it for callbacks", () => {
  const [l, records] = recorder("loc2");
  l.warning("x"); const line = here();
  assert.equal(records[0].pathname, FILE);
  assert.equal(records[0].filename, "location.test.js");
  assert.equal(records[0].module, "location.test");
  assert.equal(records[0].lineno, line);
});

test("stacklevel attributes the call to a caller further out", () => {
  const [l, records] = recorder("loc3");
  function warnDeprecated(what) {
    l.warning("%s is deprecated", what, { stacklevel: 2 });
  }
  function userCode() {
    warnDeprecated("x"); return here();
  }
  const line = userCode();
  assert.equal(records[0].lineno, line);
  assert.equal(records[0].funcName, "userCode");
});

test("stackInfo appends the caller's stack, outermost first, in CPython's layout", () => {
  const col = collector(new logging.Formatter("%(message)s"));
  const l = logging.getLogger("loc4");
  l.propagate = false;
  l.addHandler(col.handler);
  function inner() {
    l.warning("with stack", { stackInfo: true }); return here();
  }
  function outer() {
    const line = inner(); return [line, here()];
  }
  const [innerLine, outerLine] = outer();
  const text = col.lines[0];
  const lines = text.split("\n");
  assert.equal(lines[0], "with stack");
  assert.equal(lines[1], "Stack (most recent call last):");
  assert.equal(lines.at(-1), `  File "${FILE}", line ${innerLine}, in inner`);
  assert.equal(lines.at(-2), `  File "${FILE}", line ${outerLine}, in outer`);
  assert.ok(lines.slice(2).every((x) => /^ {2}File ".*", line \d+, in .+$/.test(x)), text);
  // The same layout as CPython's for the same frames.
  const frames = lines.slice(2).map((x) => /^ {2}File "(.*)", line (\d+), in (.+)$/.exec(x).slice(1));
  const want = python(`
import traceback
frames = ${JSON.stringify(frames)}
s = traceback.StackSummary.from_list([traceback.FrameSummary(f, int(n), fn, line="") for f, n, fn in frames])
out.append("with stack\\nStack (most recent call last):\\n" + "".join(s.format()).rstrip("\\n"))
`);
  assert.deepEqual(col.lines, want);
});

test("setCallerInfo(false) is CPython's _srcfile = None: unknown placeholders", () => {
  const prev = logging.setCallerInfo(false);
  try {
    const col = collector(new logging.Formatter("%(pathname)s %(filename)s %(module)s %(lineno)d %(funcName)s"));
    const l = logging.getLogger("loc5");
    l.propagate = false;
    l.addHandler(col.handler);
    l.warning("x");
    const want = python(`
logging._srcfile = None
l = logging.getLogger("loc5")
l.propagate = False
l.addHandler(collector(logging.Formatter("%(pathname)s %(filename)s %(module)s %(lineno)d %(funcName)s")))
l.warning("x")
`);
    assert.deepEqual(col.lines, want);
  } finally {
    logging.setCallerInfo(prev);
  }
  assert.throws(() => logging.setCallerInfo("sometimes"), TypeError);
});

test("setCallerInfo(true) gives callbacks the location without a formatter asking for it", () => {
  const prev = logging.setCallerInfo(true);
  try {
    const [l, records] = recorder("loc6");
    l.error("x"); const line = here();
    assert.equal(records[0].lineno, line);
  } finally {
    logging.setCallerInfo(prev);
  }
});
