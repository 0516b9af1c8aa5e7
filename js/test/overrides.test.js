// Formatter subclasses: overrides of format, formatTime, formatMessage, formatException and
// formatStack are what handlers use, and the base format is CPython's step for step (message,
// asctime, exc_text cached on the record for the handlers after this one) — recipe 26's
// one-line exception formatter included.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python } from "./helpers.js";

fixTime();

function logger(name, ...handlers) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  for (const h of handlers) l.addHandler(h);
  return l;
}

/** Python's repr() of a str, enough for tracebacks (quotes and backslash escapes). */
function pyRepr(s) {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === quote) out += `\\${quote}`;
    else out += ch;
  }
  return out + quote;
}

class OneLineExceptionFormatter extends logging.Formatter {
  formatException(excInfo) {
    const result = super.formatException(excInfo);
    return pyRepr(result);
  }

  format(record) {
    let s = super.format(record);
    if (record.exc_text) s = `${s.replace(/\n/g, "")}|`;
    return s;
  }
}

test("recipe 26: a one-line exception formatter, exactly as the cookbook's (with the same traceback text)", () => {
  const one = collector(new OneLineExceptionFormatter("%(asctime)s|%(levelname)s|%(message)s|", "%d/%m/%Y %H:%M:%S"));
  // A second handler after it sees the exc_text the first one cached, as in CPython.
  const plain = collector(new logging.Formatter("%(levelname)s %(message)s"));
  const l = logger("ovr1", one.handler, plain.handler);
  let err;
  try {
    JSON.parse("{");
  } catch (e) {
    err = e;
    l.exception("Sample message", e);
  }
  l.info("no exception here");
  const traceback = new logging.Formatter().formatException(err);
  assert.match(traceback, /^Traceback \(most recent call last\):\n[\s\S]*\nSyntaxError: /);
  const want = python(`
TB = ${JSON.stringify(traceback)}
class Base(logging.Formatter):
    def formatException(self, ei):
        return TB
class OneLineExceptionFormatter(Base):
    def formatException(self, exc_info):
        result = super().formatException(exc_info)
        return repr(result)
    def format(self, record):
        s = super().format(record)
        if record.exc_text:
            s = s.replace('\\n', '') + '|'
        return s
one, plain = [], []
l = logging.getLogger("ovr1")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(OneLineExceptionFormatter("%(asctime)s|%(levelname)s|%(message)s|", "%d/%m/%Y %H:%M:%S"), one))
l.addHandler(collector(logging.Formatter("%(levelname)s %(message)s"), plain))
try:
    1 / 0
except ZeroDivisionError:
    l.exception("Sample message")
l.info("no exception here")
out.extend(one + plain)
`);
  assert.deepEqual([...one.lines, ...plain.lines], want);
  assert.match(one.lines[0], /^14\/11\/2023 22:13:20\|ERROR\|Sample message\|'Traceback \(most recent call last\):\\n {2}File /);
  assert.equal(one.lines[0].split("\n").length, 1);
});

test("overrides of formatTime, formatMessage and formatStack are used; the base format calls them in CPython's order", () => {
  const calls = [];
  class Custom extends logging.Formatter {
    formatTime(record, datefmt) {
      calls.push(["formatTime", datefmt]);
      return `T${Math.floor(record.created)}`;
    }

    formatMessage(record) {
      calls.push(["formatMessage", record.message, record.asctime]);
      return super.formatMessage(record).toUpperCase();
    }

    formatStack(stackInfo) {
      calls.push(["formatStack"]);
      return `[${stackInfo.split("\n")[0]}]`;
    }
  }
  const col = collector(new Custom("%(asctime)s %(message)s", "%H"));
  const l = logger("ovr2", col.handler);
  l.warning("hello %s", "you", { stackInfo: true });
  assert.deepEqual(col.lines, ["T1700000000 HELLO YOU\n[Stack (most recent call last):]"]);
  assert.deepEqual(calls, [["formatTime", "%H"], ["formatMessage", "hello you", "T1700000000"], ["formatStack"]]);
  const want = python(`
class Custom(logging.Formatter):
    def formatTime(self, record, datefmt=None):
        return "T%d" % int(record.created)
    def formatMessage(self, record):
        return super().formatMessage(record).upper()
    def formatStack(self, stack_info):
        return "[" + stack_info.split("\\n")[0] + "]"
l = logging.getLogger("ovr2")
l.propagate = False
l.addHandler(collector(Custom("%(asctime)s %(message)s", "%H")))
l.warning("hello %s", "you", stack_info=True)
`);
  assert.deepEqual(col.lines, want);
});

test("the base methods a subclass inherits give what the core formatter gives", () => {
  class Same extends logging.Formatter {
    usesTime() {
      return super.usesTime();
    }
  }
  const fmt = "%(asctime)s %(levelname)-8s %(name)s %(message)s";
  const a = collector(new Same(fmt));
  const b = collector(new logging.Formatter(fmt));
  const l = logger("ovr3", a.handler, b.handler);
  l.info("same %d", 1);
  try {
    throw new RangeError("r");
  } catch (e) {
    l.error("with exc", { excInfo: e });
  }
  assert.deepEqual(a.lines, b.lines);
  assert.equal(new Same("%(message)s", null, "%", true, { x: 1 }).formatTime({ created: 1700000000.5, msecs: 500 }, "%Y"), "2023");
});

test("a formatter subclass from a dictConfig factory is honoured too", () => {
  logging.registerFactory("test.OneLine", () => new OneLineExceptionFormatter("%(levelname)s|%(message)s|"));
  const lines = [];
  logging.registerFactory("test.Collect", () => new logging.CallbackHandler((t) => lines.push(t)));
  logging.dictConfig({
    version: 1,
    disable_existing_loggers: false,
    formatters: { one: { "()": "test.OneLine" } },
    handlers: { c: { "()": "test.Collect", formatter: "one" } },
    loggers: { ovr4: { handlers: ["c"], level: "DEBUG", propagate: false } },
  });
  try {
    null.x;
  } catch (e) {
    logging.getLogger("ovr4").exception("boom", e);
  }
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^ERROR\|boom\|'Traceback \(most recent call last\):\\n.*TypeError: .*'\|$/);
});
