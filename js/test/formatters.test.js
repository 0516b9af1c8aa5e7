// Formatters in all three styles through the JS wrapper, compared with CPython's output for
// the same formats, records and fixed clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();

/** Logs the same calls through `fmt` on both sides; returns [js, python]. */
function both(name, { fmt, datefmt = null, style = "%", defaults = null }, calls) {
  const f = new logging.Formatter(fmt, datefmt, style, true, defaults ?? undefined);
  const col = collector(f);
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(logging.DEBUG);
  l.addHandler(col.handler);
  for (const [level, msg, ...args] of calls) l.log(level, msg, ...args);
  const pyArgs = (args) => args.map((a) => JSON.stringify(a)).join(", ");
  const want = python(`
f = logging.Formatter(${JSON.stringify(fmt)}, ${datefmt === null ? "None" : JSON.stringify(datefmt)}, ${JSON.stringify(style)}, True, defaults=${defaults === null ? "None" : JSON.stringify(defaults)})
l = logging.getLogger(${JSON.stringify(name)})
l.propagate = False
l.setLevel(logging.DEBUG)
l.addHandler(collector(f))
${calls.map(([level, msg, ...args]) => `l.log(${level}, ${JSON.stringify(msg)}${args.length ? ", " + pyArgs(args) : ""})`).join("\n")}
`);
  return [col.lines, want];
}

const CALLS = [
  [logging.DEBUG, "plain"],
  [logging.INFO, "user %s logged in from %s", "ann", "10.0.0.1"],
  [logging.WARNING, "%d%% done, %5.2f s left, %x hex, %-6s|", 42, 3.14159, 255, "pad"],
  [logging.ERROR, "mapping %(user)s/%(id)04d", { user: "bob", id: 7 }],
  [logging.CRITICAL, "unicode ünïcödé ✓ %s", "日本"],
];

test("%-style: fields, widths, alignment, precision, asctime and msecs", () => {
  const [js, py] = both("f1", {
    fmt: "%(asctime)s.%(msecs)03d %(levelname)-8s|%(name)10s|%(levelno)3d %(relativeCreated)d %(created).3f %(message)s",
  }, CALLS);
  assert.deepEqual(js, py);
});

test("{-style: fields with format specs and conversions", () => {
  const [js, py] = both("f2", {
    fmt: "{asctime} {levelname:<8}|{name:>10}|{levelno:03d}|{message!r:.20}|{msecs:06.2f}",
    style: "{",
  }, CALLS);
  assert.deepEqual(js, py);
});

test("$-style: ${name} and $name fields", () => {
  const [js, py] = both("f3", { fmt: "$asctime ${levelname}:$name: ${message} $$", style: "$" }, CALLS);
  assert.deepEqual(js, py);
});

test("datefmt: strftime codes on the fixed clock", () => {
  const [js, py] = both("f4", {
    fmt: "[%(asctime)s] %(message)s",
    datefmt: "%Y-%m-%dT%H:%M:%S %a %b %d %j %p %y %%",
  }, CALLS.slice(0, 2));
  assert.deepEqual(js, py);
});

test("defaults fill fields a record lacks; extra fields override them", () => {
  const f = new logging.Formatter("%(ip)s %(user)s %(message)s", null, "%", true, { ip: "-", user: "nobody" });
  const col = collector(f);
  const l = logging.getLogger("f5");
  l.propagate = false;
  l.addHandler(col.handler);
  l.warning("a");
  l.warning("b", { extra: { user: "ann" } });
  const want = python(`
l = logging.getLogger("f5")
l.propagate = False
l.addHandler(collector(logging.Formatter("%(ip)s %(user)s %(message)s", None, "%", True, defaults={"ip": "-", "user": "nobody"})))
l.warning("a")
l.warning("b", extra={"user": "ann"})
`);
  assert.deepEqual(col.lines, want);
});

test("validate: bad formats throw CPython's ValueError from the constructor", () => {
  const cases = [
    ["%(message)", "%"],
    ["no fields", "%"],
    ["{message", "{"],
    ["{}", "{"],
    ["$", "$"],
    ["no fields", "$"],
  ];
  for (const [fmt, style] of cases) {
    const want = python(`
try:
    logging.Formatter(${JSON.stringify(fmt)}, style=${JSON.stringify(style)})
    out.append("ok")
except ValueError as e:
    out.append("ValueError: " + str(e))
`)[0];
    let got = "ok";
    try {
      new logging.Formatter(fmt, null, style);
    } catch (e) {
      got = `${e.name}: ${e.message}`;
    }
    assert.equal(got, want, `${style} ${JSON.stringify(fmt)}`);
  }
  assert.throws(() => new logging.Formatter("%(message)s", null, "^"), { name: "ValueError" });
  assert.throws(() => new logging.Formatter(42), TypeError);
  // validate=false accepts it
  assert.equal(new logging.Formatter("no fields", null, "%", false).fmt, "no fields");
});

test("a missing field at format time is a handleError report, not a throw", () => {
  const col = collector(new logging.Formatter("%(nope)s %(message)s"));
  const l = logging.getLogger("f6");
  l.propagate = false;
  l.addHandler(col.handler);
  const seen = errorReports(
    captureConsole(() => {
      l.error("lost %s", "arg");
      l.error("next");
    }),
  );
  assert.deepEqual(col.lines, []);
  assert.equal(seen.length, 2);
  assert.match(seen[0], /^--- Logging error ---\nValueError: Formatting field not found in record: 'nope'\nMessage: 'lost %s'\nArguments: \('arg',\)$/);
});

test("the default formatter is %(message)s; options objects and getters work", () => {
  const col = collector();
  const l = logging.getLogger("f7");
  l.propagate = false;
  l.addHandler(col.handler);
  l.warning("just %s", "this");
  assert.deepEqual(col.lines, ["just this"]);
  const f = new logging.Formatter({ fmt: "{message}", style: "{", datefmt: "%H" });
  assert.equal(f.fmt, "{message}");
  assert.equal(f.style, "{");
  assert.equal(f.datefmt, "%H");
  assert.equal(f.usesTime(), false);
  assert.equal(new logging.Formatter("%(asctime)s").usesTime(), true);
});

test("Formatter.format formats the record objects callbacks receive", () => {
  const f = new logging.Formatter("%(levelname)s %(name)s %(message)s %(user)s");
  const seen = [];
  const h = new logging.CallbackHandler((_text, record) => seen.push(f.format(record)));
  const l = logging.getLogger("f8");
  l.propagate = false;
  l.addHandler(h);
  l.error("x=%d", 5, { extra: { user: "ann" } });
  assert.deepEqual(seen, ["ERROR f8 x=5 ann"]);
});

test("a formatter written in JS (an object with format) formats records", () => {
  const json = { format: (r) => JSON.stringify({ level: r.levelname, msg: r.message, user: r.user }) };
  const col = collector(json);
  const l = logging.getLogger("f9");
  l.propagate = false;
  l.addHandler(col.handler);
  l.warning("hello %s", "you", { extra: { user: "ann" } });
  assert.deepEqual(col.lines, ['{"level":"WARNING","msg":"hello you","user":"ann"}']);
});

test("local time: a fixed UTC offset on both sides (TZ=Asia/Kolkata, +05:30)", () => {
  logging.setFixedTime(1_700_000_000_123_456_789n, { utcOffset: 19800, zone: "IST" });
  try {
    const col = collector(new logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S %Z %z"));
    const l = logging.getLogger("f10");
    l.propagate = false;
    l.addHandler(col.handler);
    l.warning("local");
    const want = python(`
import os
os.environ["TZ"] = "Asia/Kolkata"
time.tzset()
l = logging.getLogger("f10")
l.propagate = False
l.addHandler(collector(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S %Z %z")))
l.warning("local")
`);
    assert.deepEqual(col.lines, want);
  } finally {
    fixTime();
  }
});

test("utc: true is converter = time.gmtime", () => {
  logging.setFixedTime(1_700_000_000_123_456_789n, { utcOffset: -18000, zone: "EST" });
  try {
    const col = collector(new logging.Formatter({ fmt: "%(asctime)s %(message)s", utc: true }));
    const l = logging.getLogger("f11");
    l.propagate = false;
    l.addHandler(col.handler);
    l.warning("utc");
    const want = python(`
f = logging.Formatter("%(asctime)s %(message)s")
f.converter = time.gmtime
l = logging.getLogger("f11")
l.propagate = False
l.addHandler(collector(f))
l.warning("utc")
`);
    assert.deepEqual(col.lines, want);
  } finally {
    fixTime();
  }
});
