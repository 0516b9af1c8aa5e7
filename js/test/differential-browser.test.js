// The differential scenarios (tests/differential/README.md) in headless Chromium, through the
// package's `web` entry, each compared with what CPython 3.13 printed.
//
// A page has no standard streams: a stream handler's output is the devtools console (one
// console call per record, its method chosen by the record's level), and that is what is
// compared here — the sequence of texts in each phase, whatever the stream, and the method
// each record went out with (its level's: debug / info / warn / error). The texts are
// read from the real devtools console (puppeteer's console events), not from a patched
// `console`. Each scenario runs in a fresh iframe (a new instance of the package), driven by
// browser/differential.html; phase markers in the console attribute each message to its
// scenario and phase. The report is printed and written to target/differential/report-chromium.*.
//
// DIFF_ONLY=<id prefix> runs a subset; DIFF_SHOW=<n> prints more diffs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, startChromium } from "./chromium.js";
import { Report, loadScenarios, outcome } from "./browser/differential.js";

const REPO = path.resolve(ROOT, "..");
const MARK = "\u241edifferential";

let chromium;
let browser;
let base;

before(async () => {
  chromium = await startChromium({ cache: true });
  ({ browser, base } = chromium);
});

after(async () => {
  await chromium?.close();
});

/** A console message's text as devtools shows it: `%s` / `%c` / `%d` / `%o` applied. */
function consoleText(values) {
  if (values.length === 0) return "";
  const [first, ...rest] = values;
  if (typeof first !== "string" || !first.includes("%")) return values.map(String).join(" ");
  let i = 0;
  const text = first.replace(/%([sdifoOc%])/g, (m, c) => {
    if (c === "%") return "%";
    if (i >= rest.length) return m;
    const v = rest[i++];
    return c === "c" ? "" : String(v);
  });
  return [text, ...rest.slice(i).map(String)].join(" ");
}

/**
 * Replays every scenario in Chromium through `entry` ("web" or "lite"), one frame each,
 * compares each with CPython's output, writes the report to
 * target/differential/report-<name>.* and prints it; returns the scenarios and the report.
 */
async function replay(t, entry, host, name) {
  const scenarios = await loadScenarios(REPO);
  // A few pages side by side, each replaying its share of the scenarios one frame at a
  // time; a page's console events are its own, so markers attribute them.
  const lanes = 3;
  const results = new Array(scenarios.length);
  const seen = [];
  const pageErrors = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      const page = await browser.newPage();
      const ended = new Set();
      let where = [null, -1];
      page.on("console", (m) => {
        const values = m.args().map((a) => {
          const o = a.remoteObject();
          return "value" in o ? o.value : (o.description ?? o.type);
        });
        const text = consoleText(values);
        if (text.startsWith(MARK)) {
          const [, id, phase] = text.split(" ");
          where = [id, phase === "end" ? null : Number(phase)];
          if (phase === "end") ended.add(id);
          return;
        }
        const type = m.type() === "warning" ? "warn" : m.type();
        seen.push([where[0], where[1], text, type]);
      });
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      await page.goto(`${base}/test/browser/differential.html`);
      await page.waitForFunction(() => window.hostReady === true, { timeout: 30_000 });
      let lastId = null;
      while (next < scenarios.length) {
        const i = next++;
        results[i] = await page.evaluate((sc, e) => window.runOne(sc, e), scenarios[i], entry);
        lastId = scenarios[i].id;
      }
      // Console events travel apart from evaluate's answers: wait for the last end marker.
      for (let i = 0; i < 400 && lastId !== null && !ended.has(lastId); i++) await new Promise((r) => setTimeout(r, 25));
      await page.close();
    }),
  );
  assert.deepEqual(pageErrors, []);

  const byId = new Map();
  for (const [id, phase, text, method] of seen) {
    if (id === null || phase === null) continue;
    if (!byId.has(id)) byId.set(id, []);
    // One console message per record: its terminator was dropped.
    byId.get(id).push([phase, "console", `${text}\n`, method]);
  }
  const report = new Report(host);
  scenarios.forEach((s, i) => {
    const r = results[i];
    if (r.writes === undefined && r.inexpressible === undefined && r.crash === undefined) r.writes = byId.get(s.id) ?? [];
    report.add(s, outcome(s, r, "console"));
  });
  const text = report.text(Number(process.env.DIFF_SHOW ?? 10));
  const dir = path.join(REPO, "target/differential");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `report-${name}.txt`), `${text}\n`);
  fs.writeFileSync(path.join(dir, `report-${name}.jsonl`), report.rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  for (const line of text.split("\n").slice(0, 60)) t.diagnostic(line);
  console.log(text);
  return { scenarios, report };
}

test("differential scenarios: Chromium matches CPython 3.13 (the console's texts, and each record's console method)", async (t) => {
  const { scenarios, report } = await replay(t, "web", "chromium", "chromium");
  const total = scenarios.length;
  if (process.env.DIFF_ONLY === undefined) assert.ok(total >= 1000, `only ${total} scenarios`);
  // Where Chromium stands: all but a few of the scenarios the API can express match CPython
  // (the failures are listed in the report above: `%d`-style conversions of ints beyond 64
  // bits); what it cannot express is JavaScript's values (tuples, integral floats;
  // None/True/False spelled the JS way are left out of the share).
  assert.equal(report.count("fail"), 0, `${report.passRate().toFixed(1)}% of the expressible scenarios pass in Chromium`);
  assert.equal(report.count("inexpressible", false), 0, "scenarios the API cannot express in Chromium");
  assert.ok(report.inexpressibleRate() <= 2.5, `${report.inexpressibleRate().toFixed(1)}% of the scenarios are inexpressible in Chromium`);
});

test("differential scenarios: wasm-logging/lite in Chromium matches CPython 3.13 wherever its API reaches", async (t) => {
  const { report } = await replay(t, "lite", "chromium (wasm-logging/lite)", "chromium-lite");
  // As in Node: every scenario the small module can express matches; what it leaves out
  // (dictConfig, the `{`/`$` styles, message objects, files) is said per scenario.
  assert.equal(report.count("fail"), 0, `${report.passRate().toFixed(1)}% of the expressible scenarios pass in lite`);
  const passed = report.count("pass");
  if (process.env.DIFF_ONLY === undefined) assert.ok(passed >= 300, `only ${passed} scenarios pass in lite`);
});
