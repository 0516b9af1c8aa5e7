// JS errors rendered the way formatException renders a traceback: frames from the error's
// stack (outermost first), `Name: message`, and `cause` chains; exception(err),
// exception(msg, ...args, err) and {excInfo: err}; the record keeps the very Error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { logging, fixTime, collector, python } from "./helpers.js";

fixTime();
const FILE = fileURLToPath(import.meta.url);

function setup(name) {
  const col = collector(new logging.Formatter("%(levelname)s %(message)s"));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.addHandler(col.handler);
  return [l, col];
}

/** CPython's rendering of a traceback with these frames (innermost last) and final line. */
function pythonTraceback(frames, lastLine) {
  return python(`
import traceback
s = traceback.StackSummary.from_list([traceback.FrameSummary(f, n, fn, line="") for f, n, fn in ${JSON.stringify(frames)}])
out.append("Traceback (most recent call last):\\n" + "".join(s.format()) + ${JSON.stringify(lastLine)})
`)[0];
}

/** The frames of `err.stack` as [file, line, function], outermost first. */
function framesOf(err) {
  return err.stack
    .split("\n")
    .filter((l) => /^\s+at /.test(l))
    .map((l) => {
      const m = /^\s+at (?:(.*?) \((.*)\)|(.*))$/.exec(l);
      const where = m[2] ?? m[3];
      let name = m[1] ?? "<anonymous>";
      name = name.replace(/^async /, "").replace(/^new /, "").split(".").pop();
      const loc = /^(.*?):(\d+):\d+$/.exec(where);
      if (loc === null) return [where, 0, name];
      const file = loc[1].startsWith("file://") ? fileURLToPath(loc[1]) : loc[1];
      return [file, Number(loc[2]), name];
    })
    .reverse();
}

function parseConfig(text) {
  return JSON.parse(text);
}

test("exception(err) renders the message, then the traceback as formatException does", () => {
  const [l, col] = setup("e1");
  let err;
  try {
    parseConfig("{oops");
  } catch (e) {
    err = e;
    l.exception(e);
  }
  const [first, ...rest] = col.lines[0].split("\n");
  assert.equal(first, `ERROR ${err.message}`);
  const frames = framesOf(err);
  assert.ok(frames.some(([f, , n]) => f === FILE && n === "parseConfig"), JSON.stringify(frames));
  assert.equal(rest.join("\n"), pythonTraceback(frames, `SyntaxError: ${err.message}`));
});

test("exception(msg, ...args, err) and error(msg, {excInfo: err}) attach the error", () => {
  const [l, col] = setup("e2");
  const err = new TypeError("bad input");
  l.exception("failed to load %s", "/cfg", err);
  l.error("with options %d", 2, { excInfo: err });
  l.warning("not an exception call %s", err);
  const tb = pythonTraceback(framesOf(err), "TypeError: bad input");
  assert.deepEqual(col.lines, [
    `ERROR failed to load /cfg\n${tb}`,
    `ERROR with options 2\n${tb}`,
    "WARNING not an exception call bad input",
  ]);
});

test("a cause chain prints the cause first, then CPython's 'direct cause' line", () => {
  const [l, col] = setup("e3");
  const low = new RangeError("socket closed");
  const high = new Error("request failed", { cause: low });
  l.exception("giving up", high);
  const want = python(`
import traceback
def tb(frames):
    s = traceback.StackSummary.from_list([traceback.FrameSummary(f, n, fn, line="") for f, n, fn in frames])
    return "Traceback (most recent call last):\\n" + "".join(s.format())
out.append("ERROR giving up\\n" + tb(${JSON.stringify(framesOf(low))}) + "RangeError: socket closed\\n"
    + "\\nThe above exception was the direct cause of the following exception:\\n\\n"
    + tb(${JSON.stringify(framesOf(high))}) + "Error: request failed")
`);
  assert.deepEqual(col.lines, want);
});

test("a thrown non-Error value and an error without a stack render their line only", () => {
  const [l, col] = setup("e4");
  l.error("string thrown", { excInfo: "oops" });
  const bare = new Error("no stack");
  bare.stack = undefined;
  l.error("bare", { excInfo: bare });
  l.exception("exception() without an error adds nothing");
  assert.deepEqual(col.lines, [
    "ERROR string thrown\nString: oops",
    "ERROR bare\nError: no stack",
    "ERROR exception() without an error adds nothing",
  ]);
});

test("callbacks receive the very Error as record.exc_info, and exc_text after formatting", () => {
  const seen = [];
  const l = logging.getLogger("e5");
  l.propagate = false;
  l.addHandler(new logging.CallbackHandler((text, r) => seen.push([text, r.exc_info, r.exc_text])));
  const err = new Error("kept");
  l.exception(err);
  assert.equal(seen.length, 1);
  assert.equal(seen[0][1], err);
  assert.match(seen[0][0], /^kept\nTraceback \(most recent call last\):\n/);
  assert.equal(seen[0][0].split("\n").slice(1).join("\n"), seen[0][2]);
});

test("an error with a throwing getter is still rendered, and the call does not throw", () => {
  const [l, col] = setup("e6");
  const evil = new Error("evil");
  Object.defineProperty(evil, "stack", {
    get() {
      throw new Error("no stack for you");
    },
  });
  assert.doesNotThrow(() => l.exception(evil));
  assert.deepEqual(col.lines, ["ERROR evil\nError: evil"]);
});
