// BraceMessage and DollarMessage (the cookbook's recipes on alternative formatting styles): a
// message object formatted with str.format / string.Template rules when a handler emits it,
// compared with the cookbook's classes under CPython.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

const __ = logging.BraceMessage;

const COOKBOOK = `
class BraceMessage:
    def __init__(self, fmt, /, *args, **kwargs):
        self.fmt = fmt
        self.args = args
        self.kwargs = kwargs
    def __str__(self):
        return self.fmt.format(*self.args, **self.kwargs)
class DollarMessage:
    def __init__(self, fmt, /, **kwargs):
        self.fmt = fmt
        self.kwargs = kwargs
    def __str__(self):
        from string import Template
        return Template(self.fmt).substitute(**self.kwargs)
class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y
`;

class Point {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

function logger(name) {
  const col = collector(new logging.Formatter("%(levelname)s %(message)s"));
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  return [l, col];
}

test("BraceMessage: positional and keyword fields, format specs, conversions, attributes (as CPython)", () => {
  const [l, col] = logger("msg1");
  l.info(new __("Message with {0} {name}", 2, { name: "placeholders" }));
  l.info(new __("Message with coordinates: ({point.x:.2f}, {point.y:.2f})", { point: new Point(0.5, 0.5) }));
  l.info(new __("{:>8}|{:<6}|{:^7}|{!r}|{:08.3f}", "x", "ab", "mid", "q'uote", 3.14159));
  l.warning(new __("{0}{1}{0} {x[k]} {y[1]}", "a", "b", { x: { k: "v" }, y: [1, 2] }));
  l.info(new __("positional dict last: {0[k]}", { k: "v" }, {}));
  const want = python(`${COOKBOOK}
__ = BraceMessage
l = logging.getLogger("msg1")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(logging.Formatter("%(levelname)s %(message)s")))
l.info(__("Message with {0} {name}", 2, name="placeholders"))
l.info(__("Message with coordinates: ({point.x:.2f}, {point.y:.2f})", point=Point(0.5, 0.5)))
l.info(__("{:>8}|{:<6}|{:^7}|{!r}|{:08.3f}", "x", "ab", "mid", "q'uote", 3.14159))
l.warning(__("{0}{1}{0} {x[k]} {y[1]}", "a", "b", x={"k": "v"}, y=[1, 2]))
l.info(__("positional dict last: {0[k]}", {"k": "v"}))
`);
  assert.deepEqual(col.lines, want);
  assert.deepEqual(want.slice(0, 2), ["INFO Message with 2 placeholders", "INFO Message with coordinates: (0.50, 0.50)"]);
});

test("DollarMessage: $name, ${name}, $$ (as CPython's string.Template)", () => {
  const [l, col] = logger("msg2");
  l.info(new logging.DollarMessage("Message with $num $what", { num: 2, what: "placeholders" }));
  l.info(new logging.DollarMessage("${a}b costs $$${price}", { a: "x", price: 3.5 }));
  const want = python(`${COOKBOOK}
__ = DollarMessage
l = logging.getLogger("msg2")
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(logging.Formatter("%(levelname)s %(message)s")))
l.info(__("Message with $num $what", num=2, what="placeholders"))
l.info(__("\${a}b costs $$\${price}", a="x", price=3.5))
`);
  assert.deepEqual(col.lines, want);
  assert.deepEqual(col.lines, ["INFO Message with 2 placeholders", "INFO xb costs $3.5"]);
});

test("a message that does not format is a logging error (CPython's exception), and logging goes on", () => {
  const [l, col] = logger("msg3");
  const reports = errorReports(
    captureConsole(() => {
      l.info(new __("{0} {1}", "only one"));
      l.info(new logging.DollarMessage("$missing", {}));
      l.info(new __("{0:d}", "text"));
      l.info(new __("mixed {} {0}", 1));
      l.info(new __("fine"));
    }),
  );
  assert.deepEqual(col.lines, ["INFO fine"]);
  const errors = python(`${COOKBOOK}
out.clear()
for m in (BraceMessage("{0} {1}", "only one"), DollarMessage("$missing"), BraceMessage("{0:d}", "text"), BraceMessage("mixed {} {0}", 1)):
    try:
        str(m)
    except Exception as e:
        out.append(type(e).__name__ + ": " + str(e))
`);
  assert.equal(reports.length, 4);
  // Our report names the message object itself, as CPython's repr would.
  reports.forEach((r, i) => assert.equal(r.split("\n")[1], errors[i], r));
});

test("record.msg is the message object itself; String() and toString() format it", () => {
  const seen = [];
  const l = logging.getLogger("msg4");
  l.propagate = false;
  l.addHandler(new logging.CallbackHandler((text, record) => seen.push([text, record.msg])));
  const m = new __("{0}+{0}={sum}", 1, { sum: 2 });
  l.warning(m);
  assert.equal(seen[0][0], "1+1=2");
  assert.equal(seen[0][1], m);
  assert.equal(String(m), "1+1=2");
  assert.equal(`${new logging.DollarMessage("$x", { x: "y" })}`, "y");
  assert.throws(() => String(new __("{nope}")), /KeyError/);
});
