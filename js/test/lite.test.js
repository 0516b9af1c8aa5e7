// wasm-logging/lite (src/lite.js): the small module's API is a subset of the full package's,
// what it leaves out is refused with errors that say so, and it logs CPython's lines. (Its
// output is checked scenario by scenario against CPython in differential.test.js and
// differential-browser.test.js; the packed package imports it in pack.test.js; esbuild and
// Vite build it in consumers/.)
import { test } from "node:test";
import assert from "node:assert/strict";
// The full API's names, without binding it (importing an entry binds the shared wrapper to
// that entry's module: one entry per realm).
import * as full from "../src/logging.js";
// helpers.js loads the Node entry, which binds the shared wrapper: lite is imported after it,
// so lite's module serves (the last entry bound wins, and says so on the console).
import { NS, python } from "./helpers.js";
import * as lite from "../src/lite.js";

test("lite: its exports are the full package's, minus the configuration and transport layers", () => {
  const names = Object.keys(lite).sort();
  for (const n of names) assert.ok(n in full, `${n} is not in the full package`);
  for (const n of ["dictConfig", "JsonFormatter", "BraceMessage", "DollarMessage", "FileHandler", "RotatingFileHandler", "QueueHandler", "BrowserRemote", "OPFSStorage", "PortQueueHandler", "setStorage"]) {
    assert.ok(!(n in lite), `${n} should not be in lite`);
  }
  for (const n of ["getLogger", "basicConfig", "Formatter", "CallbackHandler", "ConsoleHandler", "StreamHandler", "LoggerAdapter", "Filter", "MemoryHandler"]) {
    assert.equal(typeof lite[n], "function", n);
  }
});

test("lite: the `{` and `$` styles and basicConfig's filename are ValueErrors that name the full package", () => {
  for (const style of ["{", "$"]) {
    assert.throws(
      () => new lite.Formatter("{message}", null, style),
      (e) => e.name === "ValueError" && e.message === `Style '${style}' is not in this build, which has the '%' style only (wasm-logging/lite: import wasm-logging for '{' and '$')`,
    );
    assert.throws(() => lite.basicConfig({ style, force: true }), (e) => e.name === "ValueError" && e.message.includes(`Style '${style}' is not in this build`));
  }
  assert.throws(
    () => lite.basicConfig({ filename: "app.log", force: true }),
    (e) => e.name === "ValueError" && /a log file is not in this build \(wasm-logging\/lite: import wasm-logging/.test(e.message),
  );
  // An unknown style is still CPython's message.
  assert.throws(() => new lite.Formatter("x", null, "#"), (e) => e.name === "ValueError" && e.message === "Style must be one of: %,{,$");
});

test("lite: a hierarchy, an adapter and % formatting print CPython's lines", () => {
  lite.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
  lite.setStartTime(NS);
  const lines = [];
  const h = new lite.CallbackHandler((t) => lines.push(t));
  h.setFormatter(new lite.Formatter("%(asctime)s %(name)-8s %(levelname)-7s %(message)s|%(user)s", null, "%", true, { user: "-" }));
  const shop = lite.getLogger("shop");
  shop.addHandler(h);
  shop.setLevel("INFO");
  lite.getLogger("shop.db").debug("hidden %d", 1);
  lite.getLogger("shop.db").info("rows: %5.2f%% of %r in %s", 12.345, "orders", [1, "a"]);
  new lite.LoggerAdapter(lite.getLogger("shop.api"), { user: "ann" }).warning("GET %s", "/cart");
  const want = python(`
shop = logging.getLogger("shop")
shop.addHandler(collector(logging.Formatter("%(asctime)s %(name)-8s %(levelname)-7s %(message)s|%(user)s", defaults={"user": "-"})))
shop.setLevel("INFO")
logging.getLogger("shop.db").debug("hidden %d", 1)
logging.getLogger("shop.db").info("rows: %5.2f%% of %r in %s", 12.345, "orders", [1, "a"])
logging.LoggerAdapter(logging.getLogger("shop.api"), {"user": "ann"}).warning("GET %s", "/cart")
`);
  assert.equal(lines.length, 2);
  assert.deepEqual(lines, want);
});

test("lite: loading both entries in one realm is said on the console (the last one serves)", async () => {
  const { spawnSync } = await import("node:child_process");
  const src = new URL("../src/", import.meta.url).href;
  const code = `await import(${JSON.stringify(src + "browser.js")}); const L = await import(${JSON.stringify(src + "lite.js")}); L.getLogger("x").warning("still logs %d", 1);`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /a second entry of the package was loaded in this realm \(wasm-logging and wasm-logging\/lite\?\)/);
});
