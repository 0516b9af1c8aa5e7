// The logger hierarchy through the JS wrapper: same logger for the same name, placeholders,
// propagation to ancestors' handlers (whose levels apply, while ancestors' logger levels do
// not), propagate = false, and the output compared with CPython's for the same calls.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, collector, python, captureConsole, errorReports } from "./helpers.js";

fixTime();
const FMT = "%(name)s -> %(levelname)s: %(message)s";

test("getLogger returns the same Logger for the same name, and the root for no name", () => {
  assert.equal(logging.getLogger("h1.a"), logging.getLogger("h1.a"));
  assert.equal(logging.getLogger(), logging.getLogger("root"));
  assert.equal(logging.getLogger(""), logging.getLogger());
  assert.equal(logging.getLogger().name, "root");
  assert.equal(logging.getLogger().parent, null);
  assert.equal(logging.getLogger("h1.a").getChild("b"), logging.getLogger("h1.a.b"));
  assert.equal(logging.getLogger().getChild("h1"), logging.getLogger("h1"));
});

test("a child created before its parent is re-linked to it (placeholders)", () => {
  const child = logging.getLogger("h2.x.y");
  assert.equal(child.parent, logging.getLogger());
  const mid = logging.getLogger("h2.x");
  assert.equal(child.parent, mid);
  assert.equal(mid.parent, logging.getLogger());
  const top = logging.getLogger("h2");
  assert.equal(mid.parent, top);
  assert.deepEqual([...top.getChildren()], [mid]);
});

test("propagation: ancestors' handlers with their own levels, not ancestors' logger levels", () => {
  const top = logging.getLogger("h3");
  const mid = logging.getLogger("h3.mid");
  const leaf = logging.getLogger("h3.mid.leaf");
  const f = new logging.Formatter(FMT);
  const a = collector(f);
  const b = collector(f);
  top.addHandler(a.handler);
  mid.addHandler(b.handler);
  top.setLevel(logging.CRITICAL); // not re-checked for propagated records
  b.handler.setLevel(logging.WARNING);
  leaf.setLevel(logging.DEBUG);
  leaf.debug("d %d", 1);
  leaf.warning("w %s", "two");
  mid.propagate = false;
  leaf.error("e");
  leaf.log(25, "custom %s", "level");
  mid.propagate = true;
  leaf.critical("c");
  const want = python(`
f = logging.Formatter(${JSON.stringify(FMT)})
la, lb = [], []
a, b = collector(f, la), collector(f, lb)
top, mid, leaf = (logging.getLogger(n) for n in ("h3", "h3.mid", "h3.mid.leaf"))
top.addHandler(a); mid.addHandler(b)
top.setLevel(logging.CRITICAL)
b.setLevel(logging.WARNING)
leaf.setLevel(logging.DEBUG)
leaf.debug("d %d", 1)
leaf.warning("w %s", "two")
mid.propagate = False
leaf.error("e")
leaf.log(25, "custom %s", "level")
mid.propagate = True
leaf.critical("c")
out.extend(la + ["--"] + lb)
`);
  assert.deepEqual([...a.lines, "--", ...b.lines], want);
  assert.deepEqual(b.lines, [
    "h3.mid.leaf -> WARNING: w two",
    "h3.mid.leaf -> ERROR: e",
    "h3.mid.leaf -> CRITICAL: c",
  ]);
});

test("hierarchy output equals CPython's for the same configuration and calls", () => {
  const root = logging.getLogger();
  const col = collector(new logging.Formatter(FMT));
  root.addHandler(col.handler);
  root.setLevel(logging.INFO);
  const app = logging.getLogger("h4.app");
  const db = logging.getLogger("h4.app.db");
  const ui = logging.getLogger("h4.ui");
  db.setLevel(logging.DEBUG);
  ui.setLevel(logging.ERROR);
  app.info("starting %s v%d", "app", 3);
  db.debug("query %r took %.1f ms", "select 1", 2.5);
  ui.warning("not shown");
  ui.error("shown %s", "error");
  logging.getLogger("h4").setLevel(logging.WARNING);
  app.info("hidden now");
  db.debug("still shown: db has its own level");
  app.disabled = true;
  app.critical("disabled logger drops everything");
  app.disabled = false;
  db.critical("a child of a disabled logger is not disabled");
  root.removeHandler(col.handler);
  root.setLevel(logging.WARNING);
  const want = python(`
root = logging.getLogger()
h = collector(logging.Formatter(${JSON.stringify(FMT)}))
root.addHandler(h)
root.setLevel(logging.INFO)
app, db, ui = (logging.getLogger(n) for n in ("h4.app", "h4.app.db", "h4.ui"))
db.setLevel(logging.DEBUG)
ui.setLevel(logging.ERROR)
app.info("starting %s v%d", "app", 3)
db.debug("query %r took %.1f ms", "select 1", 2.5)
ui.warning("not shown")
ui.error("shown %s", "error")
logging.getLogger("h4").setLevel(logging.WARNING)
app.info("hidden now")
db.debug("still shown: db has its own level")
app.disabled = True
app.critical("disabled logger drops everything")
app.disabled = False
db.critical("a child of a disabled logger is not disabled")
`);
  assert.deepEqual(col.lines, want);
});

test("effective levels, isEnabledFor and hasHandlers follow CPython", () => {
  const a = logging.getLogger("h5");
  const b = logging.getLogger("h5.b");
  assert.equal(b.getEffectiveLevel(), logging.getLogger().getEffectiveLevel());
  a.setLevel("ERROR");
  assert.equal(a.level, logging.ERROR);
  assert.equal(b.level, logging.NOTSET);
  assert.equal(b.getEffectiveLevel(), logging.ERROR);
  assert.equal(b.isEnabledFor(logging.WARNING), false);
  assert.equal(b.isEnabledFor(logging.ERROR), true);
  const n = new logging.NullHandler();
  assert.equal(b.hasHandlers(), logging.getLogger().handlers.length > 0);
  a.addHandler(n);
  assert.equal(b.hasHandlers(), true);
  assert.deepEqual(a.handlers, [n]);
  b.propagate = false;
  assert.equal(b.hasHandlers(), false);
  a.removeHandler(n);
  assert.deepEqual(a.handlers, []);
  assert.equal(String(a), "<Logger h5 (ERROR)>");
  assert.equal(String(logging.getLogger()), `<RootLogger root (${logging.getLevelName(logging.getLogger().getEffectiveLevel())})>`);
});

test("setLevel with an unknown name is reported, not thrown, and changes nothing", () => {
  const l = logging.getLogger("h6");
  l.setLevel(logging.INFO);
  const before = logging.errorCount();
  const seen = errorReports(captureConsole(() => l.setLevel("LOUD")));
  assert.equal(l.level, logging.INFO);
  assert.equal(logging.errorCount(), before + 1);
  assert.match(seen.join("\n"), /--- Logging error ---\nValueError: Unknown level: 'LOUD'/);
});
