// The package in real Chromium (headless, driven by puppeteer-core with Debian's chromium):
// the `web` build from a plain <script type="module">, level → devtools console method,
// %c styles and extras, caller location, an exception, a named Worker's threadName, and
// issue 12's API (stream handlers as the console, module-level functions, record factories,
// message objects, formatter and handler subclasses, namer/rotator, captures, levels);
// issue 14's per-request context (runWithContext / getContext as a synchronous stack).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startChromium } from "./chromium.js";


let chromium;
let browser;
let base;

before(async () => {
  chromium = await startChromium();
  ({ browser, base } = chromium);
});

after(async () => {
  await chromium?.close();
});

test("in Chromium: levels map to devtools console methods; styles, location, exceptions, workers", async () => {
  const page = await browser.newPage();
  const consoleMessages = [];
  // The arguments as the page passed them ("%s", text): devtools applies the format.
  page.on("console", (m) =>
    consoleMessages.push(Promise.all(m.args().map((a) => a.jsonValue())).then((args) => [m.type(), ...args])),
  );
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.goto(`${base}/test/browser/page.html`);
  await page.waitForFunction(() => window.__results !== undefined, { timeout: 30_000 });
  const r = await page.evaluate(() => window.__results);
  assert.deepEqual(pageErrors, []);
  assert.equal(r.failed, undefined, r.failed);

  const T = "2023-11-14 22:13:20,123";
  const seen = await Promise.all(consoleMessages);
  assert.deepEqual(seen.slice(0, 6), [
    ["debug", "%s", `${T} Level 5 MainThread level five`],
    ["debug", "%s", `${T} DEBUG MainThread debug 10%`],
    ["info", "%s", `${T} INFO MainThread info`],
    ["warn", "%s", `${T} WARNING MainThread warning`],
    ["error", "%s", `${T} ERROR MainThread error`],
    ["error", "%s", `${T} CRITICAL MainThread critical`],
  ]);
  assert.deepEqual(r.styled, [
    ["debug", "%c%s", "color: gray", "styled"],
    ["error", "%c%s", "color: red", "with extra", { user: "ann" }],
  ]);
  assert.deepEqual(r.loc, [`page.js:${r.locLine} handler located`]);
  const [first, second, ...restExc] = r.exc[0].split("\n");
  assert.equal(first, "parse failed");
  assert.equal(second, "Traceback (most recent call last):");
  assert.match(restExc.join("\n"), /File "http:\/\/127\.0\.0\.1:\d+\/test\/browser\/page\.js", line \d+, in run/);
  assert.match(restExc.at(-1), /^SyntaxError: /);
  // A Web Worker is a thread of the page's process: its name is the thread's.
  assert.deepEqual(r.worker, ["hello from render-worker", "render-worker", "MainProcess"]);
  checkIssue12(r.issue12);
  // Issue 14: the per-request context as a synchronous stack (Chromium has no AsyncContext).
  assert.deepEqual(r.context, {
    asyncContext: "undefined",
    returned: { request_id: "r-1", user: "ann" },
    frozen: true,
    after: {},
    afterAwait: {},
    lines: ["r-1 ann outer", "r-1 bob inner", "r-1 call explicit", "r-2 - carried past await"],
  });
  // The one logging error the scenarios provoke on purpose (a bad %d); a level past 32 bits
  // is kept, as in CPython, and reports nothing.
  assert.equal(r.errors, 1);
  await page.close();
});

/** Issue 12's scenarios as the page ran them (js/test/browser/page.js `issue12`). */
function checkIssue12(x) {
  // No streams in a browser: stream handlers, basicConfig(), lastResort and handleError are
  // the devtools console, method by level.
  assert.deepEqual(x.streams, [
    ["info", "%s", "INFO to a stream"],
    ["error", "%s", "ERROR an error"],
    ["warn", "%s", "last resort"],
    ["warn", "%s", "WARNING:root:root warning"],
    ["error", "%s", "--- Logging error ---\nTypeError: %d format: a real number is required, not str\nMessage: '%d'\nArguments: ('bad',)"],
  ]);
  const [who, brace, dollar, oneLine, batch1, batch2, bigLevel, disabled, cap1, cap2, ...errors] = x.lines;
  assert.equal(who, "ui-thread/MainProcess 1500");
  assert.equal(brace, "decafbad Message with 2 placeholders");
  assert.equal(dollar, "decafbad Message with 2 placeholders");
  assert.match(oneLine, /^ERROR\|Sample message\|"Traceback \(most recent call last\):\\n {2}File .*\\nSyntaxError: [^\n]*"\|$/);
  assert.equal(x.cleared, 1);
  assert.deepEqual([batch1, batch2], ["a+b", "c"]);
  assert.deepEqual(x.rotated, {
    "r.log": "rotating line 4\n",
    "r.log.1.bak": "ROTATING LINE 2\nROTATING LINE 3\n",
    "r.log.2.bak": "ROTATING LINE 0\nROTATING LINE 1\n",
  });
  // CPython 3.13 prints logging.log(2**32 + 20, ...) as "Level 4294967316 ...", no report.
  assert.deepEqual(x.overflow, []);
  assert.equal(bigLevel, "Level 4294967316 kept, not wrapped to INFO");
  assert.equal(disabled, "WARNING after disable");
  assert.deepEqual([cap1, cap2], ["INFO page.js count 3", "WARNING page.js careful"]);
  assert.deepEqual(x.captured, [
    ["info", "%s", "count 3"],
    ["warn", "%s", "careful"],
    ["info", "after undo"],
  ]);
  assert.equal(errors.length, 2, errors.join("\n---\n"));
  const uncaught = errors.find((e) => e.startsWith("ERROR Uncaught exception\n"));
  const rejected = errors.find((e) => e.startsWith("ERROR Unhandled promise rejection\n"));
  assert.match(uncaught, /\nTraceback \(most recent call last\):\n[\s\S]*\nTypeError: uncaught in a timer$/);
  assert.match(rejected, /\nTraceback \(most recent call last\):\n[\s\S]*\nRangeError: nobody caught me$/);
}

test("in Chromium: file handlers over the real localStorage rotate and persist across reloads", async () => {
  const page = await browser.newPage();
  const results = [];
  for (let visit = 1; visit <= 3; visit++) {
    if (visit === 1) await page.goto(`${base}/test/browser/storage.html`);
    else await page.reload();
    await page.waitForFunction(() => window.__results !== undefined, { timeout: 30_000 });
    results.push(await page.evaluate(() => window.__results));
  }
  await page.evaluate(() => localStorage.clear());
  await page.close();
  for (const r of results) assert.equal(r.failed, undefined, r.failed);
  assert.deepEqual(results.map((r) => r.visit), [1, 2, 3]);
  const T = "2023-11-14 22:13:20,123";
  // Each line is 53 bytes in UTF-8 ("ünïcödé" is 11): two fit under 120, the third rolls over.
  const line = (n) => `${T} WARNING visit ${n}: ünïcödé\n`;
  assert.equal(new TextEncoder().encode(line(1)).length, 53);
  assert.deepEqual(results[1].logs["ui.log"], line(1) + line(2));
  assert.deepEqual(results[2].names, ["configured.log", "ui.log", "ui.log.1"]);
  assert.equal(results[2].logs["ui.log"], line(3));
  assert.equal(results[2].logs["ui.log.1"], line(1) + line(2));
  // mode "w": the configured log holds only this visit's record.
  assert.equal(results[2].logs["configured.log"], "from dictConfig on visit 3\n");
  assert.equal(results[2].errors, 0);
});
