// The consumer matrix (issue 15): the packed package (`npm pack` of js/, once) installed into
// one tiny project per consumer, built with that consumer's own tool at an exact pinned
// version, served over HTTP and loaded in headless Chromium, asserting the console lines and
// a module Worker's lines; Node ESM and CommonJS run directly; TypeScript --strict compiles
// the README's examples as they are written there. Run by `make test-consumers` (mk/consumers.mk).
//
// Each project's tools come from its package-lock.json (`npm ci`, skipped while the lockfile
// is unchanged); the package itself is unpacked from the tarball into node_modules, as npm
// installs a dependency-free package, so the lockfiles do not change with every build.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const JS = path.join(HERE, "..", "js");
const APP = path.join(HERE, "app");
const puppeteer = createRequire(path.join(JS, "package.json"))("puppeteer-core");
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => fs.existsSync(p));
const ENV = { ...process.env, npm_config_loglevel: "error", npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

/** What the app logs, through the CallbackHandler (main thread, then the Worker). */
const LINES = [
  "INFO consumer.main MainThread: main says hello",
  "DEBUG consumer.main MainThread: 3 items",
  "WARNING consumer.worker log-worker: worker says hi",
];
/** What basicConfig writes to the page's console: [console method, text]. */
const CONSOLE = [
  ["info", "INFO:consumer.main:main says hello"],
  ["debug", "DEBUG:consumer.main:3 items"],
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wasm-logging-consumers-"));
let tarball;
let browser;
/** name → { files, bytes, gzip } of each built output, printed at the end. */
const sizes = {};

function run(cmd, args, cwd, extra = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: ENV, ...extra });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")} in ${cwd}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** The project's pinned tools (npm ci when its lockfile changed) and the packed package. */
function install(dir) {
  const lock = path.join(dir, "package-lock.json");
  const installed = path.join(dir, "node_modules", ".package-lock.json");
  if (fs.existsSync(lock) && (!fs.existsSync(installed) || fs.statSync(installed).mtimeMs < fs.statSync(lock).mtimeMs)) {
    run("npm", ["ci", "--no-audit", "--no-fund"], dir);
  }
  const target = path.join(dir, "node_modules", "wasm-logging");
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  run("tar", ["-xzf", tarball, "--strip-components=1", "-C", target], dir);
}

/** Copies the app into `dir` (its src/ by default), `rewrite` applied to each file. */
function copyApp(dir, { sub = "src", rewrite = (s) => s, main = "main.js" } = {}) {
  const to = path.join(dir, sub);
  fs.mkdirSync(to, { recursive: true });
  fs.writeFileSync(path.join(to, main), rewrite(fs.readFileSync(path.join(APP, "main.js"), "utf8")));
  fs.writeFileSync(path.join(to, "worker.js"), rewrite(fs.readFileSync(path.join(APP, "worker.js"), "utf8")));
}

function tool(dir, name, args) {
  return run(path.join(dir, "node_modules", ".bin", name), args, dir);
}

function measure(name, dir) {
  let files = 0;
  let bytes = 0;
  let gzip = 0;
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, f);
    if (!fs.statSync(p).isFile() || !/\.(js|mjs|wasm)$/.test(f)) continue;
    const data = fs.readFileSync(p);
    files += 1;
    bytes += data.length;
    gzip += zlib.gzipSync(data, { level: 9 }).length;
  }
  sizes[name] = { files, bytes, gzip };
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".map": "application/json" };

/** Serves `root` on a loopback port; returns `{ base, close }`. */
async function serve(root) {
  const server = http.createServer((req, res) => {
    let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!file.startsWith(root) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** Loads `url`, waits for the app's lines; returns `{ lines, console, errors }`. */
async function load(url) {
  const page = await browser.newPage();
  const consoleMessages = [];
  const errors = [];
  // The handlers call console.info("%s", text); puppeteer's text() joins the arguments unformatted.
  page.on("console", (m) => consoleMessages.push([m.type(), m.text().replace(/^%s /, "")]));
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => globalThis.__consumer !== undefined, { timeout: 30000 }).catch(() => {});
    const lines = await page.evaluate(() => globalThis.__consumer ?? null);
    return { lines, console: consoleMessages, errors };
  } finally {
    await page.close();
  }
}

function assertApp(result, what) {
  assert.deepEqual(result.errors, [], `${what}: page errors`);
  assert.deepEqual(result.lines, LINES, `${what}: lines (console: ${JSON.stringify(result.console)})`);
  const logged = result.console.filter(([, text]) => text.includes("consumer."));
  assert.deepEqual(logged, CONSOLE, `${what}: console`);
}

async function checkBuilt(name, dist, { html = fs.readFileSync(path.join(APP, "index.html"), "utf8") } = {}) {
  if (html !== null) fs.writeFileSync(path.join(dist, "index.html"), html);
  measure(name, dist);
  const server = await serve(dist);
  try {
    assertApp(await load(`${server.base}/`), name);
  } finally {
    server.close();
  }
}

before(async () => {
  const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tmp], JS).stdout);
  tarball = path.join(tmp, info.filename);
  assert.ok(CHROMIUM, "no Chromium found (scripts/setup.sh installs Debian's chromium)");
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
});

after(async () => {
  await browser?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  const rows = Object.entries(sizes).map(([n, s]) => `${n}: ${s.files} files, ${s.bytes} bytes, ${s.gzip} gzip -9`);
  if (rows.length) console.log(`# built outputs (.js/.wasm):\n# ${rows.join("\n# ")}`);
});

test("Node ESM: import from the package, no flags", () => {
  const dir = path.join(HERE, "node");
  install(dir);
  const r = run(process.execPath, ["esm.mjs"], dir);
  assert.equal(r.stdout, "INFO consumer.esm MainThread: esm says hello\n");
  assert.equal(r.stderr, "");
});

test("Node CommonJS: require() of the package (the require condition, one module instance)", () => {
  const dir = path.join(HERE, "node");
  install(dir);
  const r = run(process.execPath, ["cjs.cjs"], dir);
  assert.equal(r.stdout, "INFO consumer.cjs MainThread: cjs says hello\n");
  assert.equal(r.stderr, "");
});

test("plain <script type=module> page and module Worker, no bundler, no init", async () => {
  const dir = path.join(HERE, "plain");
  install(dir);
  copyApp(dir, { sub: ".", rewrite: (s) => s.replace('from "wasm-logging"', 'from "./node_modules/wasm-logging/src/browser.js"') });
  fs.copyFileSync(path.join(APP, "index.html"), path.join(dir, "index.html"));
  const server = await serve(dir);
  try {
    assertApp(await load(`${server.base}/index.html`), "plain page");
  } finally {
    server.close();
  }
});

test("esbuild: --bundle, no loader", async () => {
  const dir = path.join(HERE, "esbuild");
  install(dir);
  copyApp(dir);
  fs.rmSync(path.join(dir, "dist"), { recursive: true, force: true });
  tool(dir, "esbuild", ["src/main.js", "src/worker.js", "--bundle", "--format=esm", "--minify", "--outdir=dist", "--log-level=warning"]);
  await checkBuilt("esbuild", path.join(dir, "dist"));
});

test("Rollup + @rollup/plugin-node-resolve", async () => {
  const dir = path.join(HERE, "rollup");
  install(dir);
  copyApp(dir);
  fs.rmSync(path.join(dir, "dist"), { recursive: true, force: true });
  tool(dir, "rollup", ["-c", "--silent"]);
  await checkBuilt("rollup", path.join(dir, "dist"));
});

for (const name of ["webpack", "webpack-5.99"]) {
  test(`${name}: zero configuration (src/index.js → dist/main.js), module Worker`, async () => {
    const dir = path.join(HERE, name);
    install(dir);
    copyApp(dir, { main: "index.js" });
    fs.rmSync(path.join(dir, "dist"), { recursive: true, force: true });
    tool(dir, "webpack", ["--mode", "production"]);
    // webpack's default output is a classic script (its automatic publicPath reads
    // document.currentScript, which a module script does not have).
    await checkBuilt(name, path.join(dir, "dist"), { html: '<!doctype html><meta charset="utf-8"><script src="main.js"></script>' });
  });
}

test("webpack development build (devtool eval): %(filename)s and %(lineno)d are the module's", async () => {
  const dir = path.join(HERE, "webpack");
  install(dir);
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.copyFileSync(path.join(APP, "location.js"), path.join(dir, "src", "location.js"));
  const dist = path.join(dir, "dist-dev");
  fs.rmSync(dist, { recursive: true, force: true });
  tool(dir, "webpack", ["--mode", "development", "--entry", "./src/location.js", "--output-path", "dist-dev"]);
  assert.match(fs.readFileSync(path.join(dist, "main.js"), "utf8"), /eval\("/, "not an eval build");
  fs.writeFileSync(path.join(dist, "index.html"), '<!doctype html><meta charset="utf-8"><script src="main.js"></script>');
  const server = await serve(dist);
  try {
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    const lines = await page.evaluate(() => globalThis.__consumer);
    await page.close();
    assert.deepEqual(lines, ["location.js:8 top level", "location.js:10 in a function"]);
  } finally {
    server.close();
  }
});

test("Vite build: zero configuration, the default iife worker format", async () => {
  const dir = path.join(HERE, "vite");
  install(dir);
  copyApp(dir);
  fs.rmSync(path.join(dir, "dist"), { recursive: true, force: true });
  tool(dir, "vite", ["build", "--logLevel", "warn"]);
  await checkBuilt("vite", path.join(dir, "dist"), { html: null });
});

// wasm-logging/lite: the same app (its API is all in the small module), by esbuild and Vite.
const toLite = (s) => s.replaceAll('from "wasm-logging"', 'from "wasm-logging/lite"');

test("esbuild with wasm-logging/lite: the same app, the small module inlined", async () => {
  const dir = path.join(HERE, "esbuild");
  install(dir);
  copyApp(dir, { sub: "src-lite", rewrite: toLite });
  const dist = path.join(dir, "dist-lite");
  fs.rmSync(dist, { recursive: true, force: true });
  tool(dir, "esbuild", ["src-lite/main.js", "src-lite/worker.js", "--bundle", "--format=esm", "--minify", "--outdir=dist-lite", "--log-level=warning"]);
  await checkBuilt("esbuild (lite)", dist);
  // Each of main.js and worker.js carries the module: the lite pair is the smaller.
  if (sizes.esbuild !== undefined) assert.ok(sizes["esbuild (lite)"].gzip < sizes.esbuild.gzip, JSON.stringify(sizes));
});

test("Vite build with wasm-logging/lite: zero configuration", async () => {
  const dir = path.join(HERE, "vite");
  install(dir);
  const root = path.join(dir, "lite");
  copyApp(dir, { sub: "lite", rewrite: toLite });
  const html = fs.readFileSync(path.join(dir, "index.html"), "utf8").replace('src="/src/main.js"', 'src="./main.js"');
  fs.writeFileSync(path.join(root, "index.html"), html);
  const dist = path.join(dir, "dist-lite");
  fs.rmSync(dist, { recursive: true, force: true });
  tool(dir, "vite", ["build", "lite", "--outDir", "../dist-lite", "--emptyOutDir", "--logLevel", "warn"]);
  await checkBuilt("vite (lite)", dist, { html: null });
});

const WEB_LINES = ["WARNING consumer.web MainThread: fetched the .wasm"];

/** Builds app/web.js (wasm-logging/web, the .wasm as an asset), loads it, checks its line. */
async function checkWeb(name, dist, entry) {
  fs.writeFileSync(path.join(dist, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./${entry}"></script>`);
  const wasm = fs.readdirSync(dist, { recursive: true }).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `${name}: one .wasm asset, not ${wasm.join(", ")}`);
  measure(name, dist);
  const server = await serve(dist);
  try {
    const result = await load(`${server.base}/`);
    assert.deepEqual(result.errors, [], `${name}: page errors`);
    assert.deepEqual(result.lines, WEB_LINES, name);
  } finally {
    server.close();
  }
}

test("esbuild with wasm-logging/web: --loader:.wasm=file and the ./wasm subpath", async () => {
  const dir = path.join(HERE, "esbuild");
  install(dir);
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  const source = fs.readFileSync(path.join(APP, "web.js"), "utf8").replace('"wasm-logging/wasm?url"', '"wasm-logging/wasm"');
  fs.writeFileSync(path.join(dir, "src", "web.js"), source);
  const dist = path.join(dir, "dist-web");
  fs.rmSync(dist, { recursive: true, force: true });
  tool(dir, "esbuild", ["src/web.js", "--bundle", "--format=esm", "--minify", "--loader:.wasm=file", "--outdir=dist-web", "--log-level=warning"]);
  await checkWeb("esbuild (web)", dist, "web.js");
});

test("Vite build with wasm-logging/web: the ./wasm subpath's ?url", async () => {
  const dir = path.join(HERE, "vite");
  install(dir);
  const root = path.join(dir, "web");
  fs.mkdirSync(root, { recursive: true });
  fs.copyFileSync(path.join(APP, "web.js"), path.join(root, "web.js"));
  fs.writeFileSync(path.join(root, "index.html"), '<!doctype html><meta charset="utf-8"><script type="module" src="./web.js"></script>');
  const dist = path.join(dir, "dist-web");
  fs.rmSync(dist, { recursive: true, force: true });
  tool(dir, "vite", ["build", "web", "--outDir", "../dist-web", "--emptyOutDir", "--logLevel", "warn"]);
  const entry = fs.readdirSync(path.join(dist, "assets")).find((f) => f.endsWith(".js"));
  await checkWeb("vite (web)", dist, `assets/${entry}`);
});

async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

test("Vite dev server: zero configuration (dependency pre-bundling on)", async () => {
  const dir = path.join(HERE, "vite");
  install(dir);
  copyApp(dir);
  fs.rmSync(path.join(dir, "node_modules", ".vite"), { recursive: true, force: true });
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dir, "node_modules", ".bin", "vite"), "--port", String(port), "--strictPort", "--host", "127.0.0.1"], {
    cwd: dir,
    env: ENV,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  try {
    const deadline = Date.now() + 60000;
    while (!/ready in/.test(output)) {
      assert.ok(Date.now() < deadline && child.exitCode === null, `vite dev did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assertApp(await load(`http://127.0.0.1:${port}/`), "vite dev");
    assert.doesNotMatch(output, /error/i, output);
  } finally {
    process.kill(-child.pid, "SIGTERM");
  }
});

/** The README's `## The npm package` section: its ```js blocks and its page's module script. */
function readmeExamples() {
  const readme = fs.readFileSync(path.join(HERE, "..", "README.md"), "utf8");
  const section = readme.split(/\n## The npm package\n/)[1]?.split(/\n## /)[0];
  assert.ok(section, "README.md has no '## The npm package' section");
  const blocks = [];
  for (const m of section.matchAll(/```(js|ts|html)\n([\s\S]*?)```/g)) {
    const [, lang, body] = m;
    if (lang === "html") {
      for (const s of body.matchAll(/<script type="module">\n([\s\S]*?)<\/script>/g)) blocks.push({ ext: "js", code: s[1] });
    } else {
      blocks.push({ ext: lang, code: body });
    }
  }
  return blocks;
}

test("TypeScript --strict: the README's examples as written, typed configs, node10 subpath types, require", () => {
  const dir = path.join(HERE, "typescript");
  install(dir);
  // In the project's root, where the page example's ./node_modules/… path resolves.
  for (const f of fs.readdirSync(dir)) if (/^readme-example\d+\.(js|ts)$/.test(f)) fs.rmSync(path.join(dir, f));
  const blocks = readmeExamples();
  assert.ok(blocks.length >= 4, `only ${blocks.length} examples found in README.md`);
  blocks.forEach(({ ext, code }, i) => {
    // A block continues the first one (`logging` imported) unless it imports for itself;
    // names the README leaves to the reader are declared.
    let prelude = /^\s*import /m.test(code) ? "" : 'import * as logging from "wasm-logging";\n';
    for (const free of ["workerConfig", "listenerConfig"]) {
      if (new RegExp(`\\b${free}\\b`).test(code)) prelude += `/** @type {import("wasm-logging").DictConfig} */\nconst ${free} = { version: 1 };\n`;
    }
    fs.writeFileSync(path.join(dir, `readme-example${i}.${ext}`), prelude + code);
  });
  const r = spawnSync(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  // Every README example compiles under --strict with no diagnostic at all.
  const diagnostics = r.stdout.split("\n").filter((l) => l.trim() !== "");
  assert.deepEqual(diagnostics, [], r.stdout + r.stderr);
  const node10 = spawnSync(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.node10.json", "--pretty", "false"], { cwd: dir, encoding: "utf8" });
  assert.equal(node10.status, 0, node10.stdout + node10.stderr);
});
