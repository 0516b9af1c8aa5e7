// The log viewer (www/, recipe 33 in a browser) in real headless Chromium: records from the
// page, from module Web Workers and from the real `wasm-logging serve --www` (CPython's
// SocketHandler, NDJSON from Node, OTLP/HTTP JSON); 100,000 records in a virtualised table;
// filters; a level switch; a refused configuration; the rotated set and its download; a
// phone-sized viewport; page-close delivery to serve and reconnection after serve restarts.
// A screenshot goes to target/www-screenshot.png (docs/www-screenshot.png with WWW_SCREENSHOT=1).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";
import { WebSocket } from "ws";
import { pythonPath } from "./helpers.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".json": "application/json", ".wasm": "application/wasm" };
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => fs.existsSync(p));
const TARGET = process.env.CARGO_TARGET_DIR ? path.resolve(REPO, process.env.CARGO_TARGET_DIR) : path.join(REPO, "target");

let server;
let base;
let browser;

before(async () => {
  // The repository root over HTTP: /www/index.html imports /js/src/browser.js.
  server = http.createServer((req, res) => {
    const file = path.join(REPO, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (!file.startsWith(REPO) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream", "cache-control": "max-age=600" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  assert.ok(CHROMIUM, "no Chromium found (scripts/setup.sh installs Debian's chromium)");
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A fresh page (own browser context: own OPFS) on the viewer; `query` added to the URL. */
async function openViewer(query = "connect=off", { url = null, viewport = { width: 1280, height: 900 } } = {}) {
  const ctx = await browser.createBrowserContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.setViewport(viewport);
  // serve --www (debug build) sometimes stalls a page load that fetches ~40 modules at once:
  // retried, and counted in the output (see docs/www.md, Limits).
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url ?? `${base}/www/index.html?${query}`, { timeout: 10_000 });
      break;
    } catch (err) {
      if (url === null || attempt === 3) throw err;
      console.log(`www: load of ${url} stalled (attempt ${attempt}): ${err.message}`);
    }
  }
  await page.waitForFunction(() => window.viewer !== undefined, { timeout: 30_000 });
  await page.evaluate(() => window.viewer.ready);
  return {
    page,
    errors,
    close: async () => {
      await page.close();
      await ctx.close();
    },
  };
}

/** The texts of the rows in the DOM (visible ones), cells joined by "|". */
function rowTexts(page) {
  return page.evaluate(() => {
    window.viewer.renderNow();
    return [...document.querySelectorAll("#viewport .tr:not([hidden])")].map((tr) => [...tr.children].map((td) => td.textContent).join("|"));
  });
}

/** Sets an input's value as typing would (one input event). */
const setField = (page, id, value) =>
  page.$eval(`#${id}`, (e, v) => {
    e.value = v;
    e.dispatchEvent(new Event("input"));
  }, value);

const shownCount = (page) =>
  page.evaluate(() => {
    window.viewer.renderNow();
    return Number(document.getElementById("counts").textContent.split(" shown")[0].replaceAll(",", ""));
  });

test("records from the page and from two module Web Workers are shown, with their source and level colours", async () => {
  const { page, errors, close } = await openViewer();
  const result = await page.evaluate(async () => {
    await window.viewer.runDemo("modules");
    await window.viewer.runDemo("exception");
    return window.viewer.runDemo("workers");
  });
  assert.equal(result, "2 workers: 16 records received, 0 dropped");
  const rows = await rowTexts(page);
  const has = (re) => rows.some((r) => re.test(r));
  assert.ok(has(/^page\|.*\|INFO {4}\|spam_application\.auxiliary\.Auxiliary\|doing something$/), rows.join("\n"));
  assert.ok(has(/^page\|.*\|ERROR {3}\|app\.payment\|could not read the order$/));
  assert.ok(has(/^worker:w1\|.*\|DEBUG {3}\|worker\.w1\.task\|task 1 of 5 done$/));
  assert.ok(has(/^worker:w2\|.*\|WARNING \|worker\.w2\|worker w2 finished$/));
  // The traceback is kept in the record (details), the row shows its first line.
  const detail = await page.evaluate(() => {
    const s = window.viewer.store;
    for (let i = 0; i < s.shown; i++) if (s.at(i).name === "app.payment") return s.at(i).msg;
    return null;
  });
  assert.match(detail, /^could not read the order\nTraceback \(most recent call last\):\n[\s\S]*SyntaxError/);
  const classes = await page.evaluate(() =>
    [...document.querySelectorAll("#viewport .tr:not([hidden])")].map((tr) => `${tr.className}|${tr.children[3].textContent}`),
  );
  assert.ok(classes.includes("tr lv-error|app.payment"), classes.join("\n"));
  // The tree lists the loggers made by the demos.
  await page.evaluate(() => window.viewer.refreshTree());
  const tree = await page.$$eval("#tree li", (lis) => lis.map((li) => li.dataset.logger));
  for (const n of ["root", "spam_application", "spam_application.auxiliary", "app.payment", "worker.w1.task"]) assert.ok(tree.includes(n), tree.join(","));
  assert.deepEqual(errors, []);
  await close();
});

test("100,000 records: under 200 rows in the DOM, End shows the last one, filters give CPython-free exact counts", async () => {
  const { page, errors, close } = await openViewer("connect=off&maxBytes=4000000");
  const N = 100_000;
  const names = ["bulk.a", "bulk.a.x", "bulk.ab", "other"];
  const levels = [10, 20, 30, 40, 50];
  const ms = await page.evaluate(
    (N, names, levels) => {
      const { logging } = window.viewer;
      const loggers = names.map((n) => logging.getLogger(n));
      const t0 = performance.now();
      for (let i = 0; i < N; i++) loggers[i % 4].log(levels[i % 5], "record %d user-%d", i, i % 7);
      return performance.now() - t0;
    },
    N,
    names,
    levels,
  );
  const base0 = await page.evaluate(() => window.viewer.store.size);
  assert.equal(base0, N + 1); // + "viewer started"
  await page.focus("#table");
  await page.keyboard.press("End");
  const rows = await rowTexts(page);
  assert.ok(rows.length < 200, `${rows.length} rows in the DOM`);
  assert.match(rows.at(-1), new RegExp(`\\|other\\|record ${N - 1} user-${(N - 1) % 7}$`));
  const domRows = await page.$$eval("#viewport .tr", (t) => t.length);
  assert.ok(domRows < 200, `${domRows} row elements`);

  // Expected counts, computed here.
  const count = (pred) => {
    let n = 0;
    for (let i = 0; i < N; i++) if (pred(i, names[i % 4], levels[i % 5], `record ${i} user-${i % 7}`)) n++;
    return n;
  };
  await page.select("#f-level", "30");
  assert.equal(await shownCount(page), count((i, n, l) => l >= 30) + 0);
  await page.type("#f-subtree", "bulk.a");
  assert.equal(await shownCount(page), count((i, n, l) => l >= 30 && (n === "bulk.a" || n.startsWith("bulk.a."))));
  await page.type("#f-text", "USER-3");
  const expectText = count((i, n, l, m) => l >= 30 && (n === "bulk.a" || n.startsWith("bulk.a.")) && m.includes("user-3"));
  assert.equal(await shownCount(page), expectText);
  // An invalid regex is reported, and the filters stay as they were.
  await page.type("#f-regex", "record (");
  assert.match(await page.$eval("#f-error", (e) => e.textContent), /^invalid regex: .*record \(/);
  assert.equal(await page.$eval("#f-regex", (e) => e.getAttribute("aria-invalid")), "true");
  assert.equal(await shownCount(page), expectText);
  await setField(page, "f-regex", "record \\d*7 ");
  assert.equal(await page.$eval("#f-error", (e) => e.textContent), "");
  assert.equal(
    await shownCount(page),
    count((i, n, l, m) => l >= 30 && (n === "bulk.a" || n.startsWith("bulk.a.")) && m.includes("user-3") && /record \d*7 /u.test(m)),
  );
  // Cleared filters: everything again; "/" focuses the text filter.
  await page.evaluate(() => {
    for (const id of ["f-subtree", "f-text", "f-regex"]) document.getElementById(id).value = "";
    document.getElementById("f-level").value = "0";
    document.getElementById("f-level").dispatchEvent(new Event("input"));
  });
  assert.equal(await shownCount(page), N + 1);
  await page.focus("#table");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-text");
  // Arrow keys move the selection; Enter shows the record.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  assert.match(await page.$eval("#detail", (e) => e.textContent), /record 0 user-0[\s\S]*\nname: bulk\.a\n/);
  const firstRows = await rowTexts(page);
  assert.ok(firstRows.length < 200);
  assert.ok(firstRows.some((r) => r.endsWith("|bulk.a|record 0 user-0")));
  // The column format is the user's: a new one re-renders every row from the kept records.
  await page.$eval("#format", (e) => (e.value = "%(levelname)s:%(name)s:%(message)s"));
  await page.click("#format-apply");
  const heads = await page.$$eval("#thead .th", (t) => t.map((x) => x.textContent));
  assert.deepEqual(heads, ["source", "levelname", "name", "message"]);
  assert.ok((await rowTexts(page)).some((r) => r === "page|DEBUG:|bulk.a:|record 0 user-0"));
  await page.$eval("#format", (e) => (e.value = "just text, no field"));
  await page.click("#format-apply");
  assert.equal(await page.$eval("#format-error", (e) => e.textContent), "ValueError: Invalid format 'just text, no field' for '%' style");
  assert.deepEqual(await page.$$eval("#thead .th", (t) => t.map((x) => x.textContent)), heads);
  console.log(`www: ${N} records logged in ${ms.toFixed(0)} ms (${Math.round(N / (ms / 1000))} records/s with the viewer's handler and the OPFS file)`);
  assert.deepEqual(errors, []);
  await close();
});

test("a level switch in the tree takes effect at once; a bad configuration is refused with its path and changes nothing", async () => {
  const { page, errors, close } = await openViewer();
  const msgs = () => page.evaluate(() => {
    const s = window.viewer.store;
    const out = [];
    for (let i = 0; i < s.shown; i++) if (s.at(i).name.startsWith("switch")) out.push(s.at(i).msg);
    return out;
  });
  await page.evaluate(() => {
    window.viewer.logging.getLogger("switch");
    window.viewer.logging.getLogger("switch.child").debug("debug 1");
    window.viewer.refreshTree();
  });
  assert.deepEqual(await msgs(), ["debug 1"]);
  await page.select('select[aria-label="level of switch"]', "INFO");
  await page.evaluate(() => {
    const lg = window.viewer.logging.getLogger("switch.child");
    lg.debug("debug 2");
    lg.info("info 2");
  });
  assert.deepEqual(await msgs(), ["debug 1", "info 2"]);
  assert.equal(await page.$eval('li[data-logger="switch.child"] .eff', (e) => e.textContent), "INFO");
  // A configuration naming a handler class that does not exist: refused as a whole.
  const bad = {
    version: 1,
    handlers: { good: { class: "logging.StreamHandler" }, broken: { class: "logging.NoSuchHandler" } },
    loggers: { switch: { level: "ERROR", handlers: ["good"] } },
    root: { level: "CRITICAL" },
  };
  await page.$eval("#config", (e, v) => (e.value = v), JSON.stringify(bad));
  await page.click("#config-apply");
  const refused = await page.$eval("#config-result", (e) => e.textContent);
  assert.match(refused, /^refused, nothing changed: ValueError: Unable to configure handler 'broken'/);
  await page.evaluate(() => {
    const lg = window.viewer.logging.getLogger("switch.child");
    lg.debug("debug 3");
    lg.info("info 3");
  });
  assert.deepEqual(await msgs(), ["debug 1", "info 2", "info 3"]);
  // Not JSON: said so, nothing changed.
  await page.$eval("#config", (e) => (e.value = "{version: 1"));
  await page.click("#config-apply");
  assert.match(await page.$eval("#config-result", (e) => e.textContent), /^not JSON: /);
  // A good one applies (the viewer's own handlers stay attached).
  await page.$eval("#config", (e) => (e.value = JSON.stringify({ version: 1, loggers: { switch: { level: "ERROR" } }, root: { level: "DEBUG" } })));
  await page.click("#config-apply");
  assert.equal(await page.$eval("#config-result", (e) => e.textContent), "applied");
  await page.evaluate(() => {
    const lg = window.viewer.logging.getLogger("switch.child");
    lg.warning("warning 4");
    lg.error("error 4");
    window.viewer.logging.getLogger("elsewhere").debug("debug elsewhere");
  });
  assert.deepEqual(await msgs(), ["debug 1", "info 2", "info 3", "error 4"]);
  assert.equal(await page.evaluate(() => window.viewer.store.at(window.viewer.store.shown - 1).msg), "debug elsewhere");
  assert.deepEqual(errors, []);
  await close();
});

/**
 * Clicks `selector` until `done` holds in the page: a click can be lost on a loaded machine
 * (once in CI the download never started, and a lone run never reproduced it). Three clicks,
 * 10 s each; then the failure names the page's errors.
 */
async function clickUntil(page, selector, done, errors) {
  for (let attempt = 1; ; attempt++) {
    await page.click(selector);
    try {
      await page.waitForFunction(done, { timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw new Error(`${selector}: no result after 3 clicks; page errors: ${JSON.stringify(errors)}; ${e.message}`);
    }
  }
}

test("storage: the rotated set is listed and the downloads equal the stored text", async () => {
  const { page, errors, close } = await openViewer("connect=off&maxBytes=3000&nosave");
  await page.evaluate(() => {
    const lg = window.viewer.logging.getLogger("store.test");
    for (let i = 0; i < 200; i++) lg.info("stored record %d", i);
  });
  const names = await page.evaluate(() => window.viewer.refreshStorage());
  assert.deepEqual(names, ["viewer.log.3", "viewer.log.2", "viewer.log.1", "viewer.log"]);
  const listed = await page.$$eval("#storage-set li", (lis) => lis.map((li) => li.dataset.name));
  assert.deepEqual(listed, names);
  const kind = await page.$eval("#storage-kind", (e) => e.textContent);
  assert.match(kind, /^OPFS: viewer\.log rotated at 3000 bytes, 3 backups$/);
  const stored = await page.evaluate(async (names) => {
    const s = window.viewer.storage;
    const texts = [];
    for (const n of names) texts.push([n, await s.text(n)]);
    return texts;
  }, names);
  const joined = stored.map(([, t]) => t).join("");
  assert.match(stored.at(-1)[1], /INFO {5}MainThread store\.test stored record 199\n$/);
  await clickUntil(page, "#download-log", () => window.viewer.lastDownload?.format === "log", errors);
  assert.equal(await page.evaluate(() => window.viewer.lastDownload.text), joined);
  await clickUntil(page, "#download-ndjson", () => window.viewer.lastDownload?.format === "ndjson", errors);
  const nd = await page.evaluate(() => window.viewer.lastDownload.text);
  const expected = stored.flatMap(([file, t]) => t.split("\n").filter((l) => l !== "").map((line) => JSON.stringify({ file, line })));
  assert.deepEqual(nd.trim().split("\n"), expected);
  assert.deepEqual(errors, []);
  await close();
});

test("a phone-sized viewport (390x844) renders without horizontal overflow; screenshot", async () => {
  const { page, errors, close } = await openViewer("connect=off", { viewport: { width: 390, height: 844, isMobile: true, hasTouch: true } });
  await page.evaluate(async () => {
    await window.viewer.runDemo("levels");
    await window.viewer.runDemo("modules");
  });
  await page.evaluate(() => window.viewer.renderNow());
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(widths[0] <= widths[1], `scrollWidth ${widths[0]} > ${widths[1]}`);
  // Panels stack: the tree panel is below the records panel.
  const [rec, tree] = await page.evaluate(() => ["records-panel", "tree-panel"].map((id) => document.getElementById(id).getBoundingClientRect().toJSON()));
  assert.ok(tree.top >= rec.bottom, JSON.stringify({ rec, tree }));
  assert.deepEqual(errors, []);
  await close();

  // The README's screenshot: a desktop viewer after a few demos.
  const desk = await openViewer();
  await desk.page.evaluate(async () => {
    await window.viewer.runDemo("modules");
    await window.viewer.runDemo("filter");
    await window.viewer.runDemo("exception");
    await window.viewer.runDemo("workers");
    await window.viewer.runDemo("levels");
    await window.viewer.refreshStorage();
    window.viewer.refreshTree();
  });
  await desk.page.evaluate(() => window.viewer.renderNow());
  fs.mkdirSync(path.join(REPO, "target"), { recursive: true });
  const shot = path.join(REPO, "target", "www-screenshot.png");
  await desk.page.screenshot({ path: shot });
  assert.ok(fs.statSync(shot).size > 10_000);
  if (process.env.WWW_SCREENSHOT === "1") fs.copyFileSync(shot, path.join(REPO, "docs", "www-screenshot.png"));
  await desk.close();
});

// ---- the real `wasm-logging serve --www` ------------------------------------------------------

/** Builds the component and the host binary (cargo's own lock orders concurrent builds). */
function buildServe() {
  for (const args of [
    ["build", "--quiet", "--lib", "--target", "wasm32-wasip2"],
    ["build", "--quiet", "-p", "wasm-logging-host", "--bin", "wasm-logging"],
  ]) {
    const r = spawnSync("cargo", args, { cwd: REPO, stdio: "inherit" });
    assert.equal(r.status, 0, `cargo ${args.join(" ")}`);
  }
  return path.join(TARGET, "debug", "wasm-logging");
}

/** www/ staged as `make www-site` does: the app next to js/src and js/pkg/inline. */
function stageSite() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "www-site-"));
  fs.cpSync(path.join(REPO, "www"), dir, { recursive: true });
  fs.cpSync(path.join(REPO, "js", "src"), path.join(dir, "js", "src"), { recursive: true });
  // The inline glue imports the bundler build's JS (not its .wasm).
  for (const p of ["inline", "bundler"]) {
    fs.cpSync(path.join(REPO, "js", "pkg", p), path.join(dir, "js", "pkg", p), { recursive: true, filter: (f) => !f.endsWith(".wasm") });
  }
  return dir;
}

/** Starts serve; resolves with {proc, http, tcp, out} once both ports are printed. */
function startServe(bin, site, { httpAddr = "127.0.0.1:0" } = {}) {
  const proc = spawn(bin, ["serve", "--config", path.join(REPO, "www", "serve-config.json"), "--listen", "127.0.0.1:0", "--http", httpAddr, "--www", site], {
    cwd: site,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    const onData = (d) => {
      out += d;
      const tcp = /listening on (\S+) \(tcp\)/.exec(out);
      const web = /listening on (\S+) \(http\)/.exec(out);
      if (tcp && web) {
        clearTimeout(timer);
        resolve({ proc, tcp: tcp[1], http: web[1], output: () => out });
      }
    };
    proc.stdout.on("data", onData);
    proc.stderr.on("data", onData);
    proc.on("exit", (code) => reject(new Error(`serve exited (${code}): ${out}`)));
  });
}

async function stopServe(s) {
  const done = new Promise((r) => s.proc.once("exit", r));
  s.proc.kill("SIGTERM");
  await done;
}

async function waitFor(page, fn, arg, timeout = 15_000) {
  await page.waitForFunction(fn, { timeout, polling: 50 }, arg);
}

test("serve --www: the viewer served by serve shows records from CPython, Node (NDJSON) and OTLP live; its own records go to serve and survive a page close; it reconnects after serve comes back", async () => {
  const bin = buildServe();
  const site = stageSite();
  let serve = await startServe(bin, site);
  try {
    const { page, errors, close } = await openViewer(null, { url: `http://${serve.http}/index.html` });
    // The default connection is serve's own viewer stream.
    assert.equal(await page.$eval("#serve-url", (e) => e.value), `ws://${serve.http}/ws/view`);
    await waitFor(page, () => document.getElementById("serve-status").textContent.startsWith("connected to"));

    // CPython 3.13's SocketHandler into serve's TCP port.
    const [host, port] = serve.tcp.split(":");
    const py = spawnSync(
      pythonPath(),
      [
        "-c",
        [
          "import logging, logging.handlers",
          `h = logging.handlers.SocketHandler(${JSON.stringify(host)}, ${port})`,
          'lg = logging.getLogger("cpython.app"); lg.setLevel(logging.DEBUG); lg.addHandler(h); lg.propagate = False',
          'lg.info("hello from CPython %d", 313)',
          'lg.warning("disk %s%% full", 91)',
          "h.close()",
        ].join("\n"),
      ],
      { encoding: "utf8" },
    );
    assert.equal(py.status, 0, py.stderr);
    // Node: an NDJSON batch to /batch.
    const body = [
      { name: "node.app", msg: "from node ndjson", args: null, levelno: 40, levelname: "ERROR", processName: "node-sender" },
      { name: "node.app.db", msg: "query took 12 ms", args: null, levelno: 10, levelname: "DEBUG", processName: "node-sender" },
    ]
      .map((r) => JSON.stringify(r))
      .join("\n");
    const res = await fetch(`http://${serve.http}/batch`, { method: "POST", headers: { "content-type": "application/x-ndjson" }, body });
    assert.deepEqual(await res.json(), { accepted: 2, rejected: 0 });
    // OTLP/HTTP JSON: an ExportLogsServiceRequest as the OpenTelemetry SDKs send it.
    const otlp = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "checkout" } }] },
          scopeLogs: [
            {
              scope: { name: "otel.checkout" },
              logRecords: [
                { timeUnixNano: "1733400000123456789", severityNumber: 13, severityText: "WARN", body: { stringValue: "cart abandoned" } },
              ],
            },
          ],
        },
      ],
    };
    const ores = await fetch(`http://${serve.http}/v1/logs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(otlp) });
    assert.equal(ores.status, 200);
    await waitFor(page, () => window.viewer.store.size >= 6);
    const served = await page.evaluate(() => {
      const s = window.viewer.store;
      const out = [];
      for (let i = 0; i < s.shown; i++) if (s.at(i).source.startsWith("serve")) out.push(`${s.at(i).source}|${s.at(i).levelno}|${s.at(i).name}|${s.at(i).msg}`);
      return out;
    });
    assert.deepEqual(served, [
      "serve:MainProcess|20|cpython.app|hello from CPython 313",
      "serve:MainProcess|30|cpython.app|disk 91% full",
      "serve:node-sender|40|node.app|from node ndjson",
      "serve:node-sender|10|node.app.db|query took 12 ms",
      "serve:remote|30|otel.checkout|cart abandoned",
    ]);
    const rows = await rowTexts(page);
    assert.ok(rows.some((r) => /^serve:MainProcess\|.*\|WARNING \|cpython\.app\|disk 91% full$/.test(r)), rows.join("\n"));
    // The OTLP record's time came through: 2024-12-05 (the page's local time zone).
    assert.match(
      await page.evaluate(() => {
        const s = window.viewer.store;
        for (let i = 0; i < s.shown; i++) if (s.at(i).name === "otel.checkout") return `${s.at(i).created} ${s.at(i).msecs}`;
        return "";
      }),
      /^1733400000\.123456[0-9]* 123(\.0)?$/,
    );

    // The page's own records to serve (BufferingHTTPHandler, NDJSON to /batch): a second viewer
    // in Node sees them, also when the page is closed right after logging.
    const watcher = new WebSocket(`ws://${serve.http}/ws/view`);
    const seen = [];
    watcher.on("message", (d) => seen.push(JSON.parse(String(d))));
    await new Promise((r) => watcher.once("open", r));
    await page.click("#serve-ship");
    await page.evaluate(() => {
      const lg = window.viewer.logging.getLogger("shipped");
      for (let i = 0; i < 30; i++) lg.info("shipped %d", i);
    });
    // They come back through the viewer stream too, marked as from serve.
    await waitFor(page, () => {
      const s = window.viewer.store;
      let n = 0;
      for (let i = 0; i < s.shown; i++) if (s.at(i).name === "shipped" && s.at(i).source.startsWith("serve")) n++;
      return n === 30;
    });
    await page.evaluate(() => {
      const lg = window.viewer.logging.getLogger("shipped.close");
      for (let i = 0; i < 40; i++) lg.info("before close %d", i);
    });
    await close();
    const deadline = Date.now() + 15_000;
    const closing = () => seen.filter((r) => r.name === "shipped.close").map((r) => r.msg);
    while (closing().length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(closing(), Array.from({ length: 40 }, (_, i) => `before close ${i}`));
    assert.equal(seen.filter((r) => r.name === "shipped").length, 30);
    watcher.close();
    assert.deepEqual(errors, []);

    // Reconnection: serve stops, the viewer says it retries; serve comes back on the same port and
    // the viewer shows its records again.
    const second = await openViewer(null, { url: `http://${serve.http}/index.html` });
    await waitFor(second.page, () => document.getElementById("serve-status").textContent.startsWith("connected to"));
    const addr = serve.http;
    await stopServe(serve);
    await waitFor(second.page, () => /^disconnected from .*; retrying in/.test(document.getElementById("serve-status").textContent));
    serve = await startServe(bin, site, { httpAddr: addr });
    await waitFor(second.page, () => window.viewer.serve.connects >= 2 && window.viewer.serve.ws?.readyState === 1, undefined, 30_000);
    await fetch(`http://${serve.http}/batch`, { method: "POST", body: JSON.stringify({ name: "after.restart", msg: "back again", levelno: 20, levelname: "INFO" }) });
    await waitFor(second.page, () => {
      const s = window.viewer.store;
      return s.shown > 0 && s.at(s.shown - 1).name === "after.restart" && s.at(s.shown - 1).msg === "back again";
    });
    assert.deepEqual(second.errors, []);
    await second.close();
  } finally {
    if (serve.proc.exitCode === null) await stopServe(serve);
    fs.rmSync(site, { recursive: true, force: true });
  }
});
