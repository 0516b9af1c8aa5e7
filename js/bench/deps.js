// The dependency experiment of issue 15 (docs/dependencies.md): the same workloads on builds
// of the package that differ in how Rust reaches JavaScript (glue.js vs web-sys, hand-written
// conversion vs serde-wasm-bindgen), in Node and headless Chromium.
//
//   node bench/deps.js --variants base=DIR,websys=DIR,... [--rounds 21] [--batch-ms 30]
//        [--workloads W1,W2,...] [--no-node] [--no-chromium] [--out DIR]
//
// Each DIR holds `src/` (the JS wrapper) and `pkg/web` (that variant's wasm-pack build, its
// module also at pkg/bundler/, where src/node.js reads it). Every variant is loaded into the
// same process (Node) or page (Chromium), one process / page per workload, and their batches alternate (A B C, C B A, …), so each
// round's ratio compares the variants under the same machine load; the 2-core machine is
// shared, and separate processes minutes apart measured the load more than the variants.
// Node is timed twice: wall clock and the process's CPU time (process.cpuUsage).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import zlib from "node:zlib";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
};

// ---- child mode: one workload, every variant in this process ---------------------------------
if (argv[0] === "--child") {
  const [, dirs, w, rounds, batchMs, clock] = argv;
  const loops = [];
  for (const [k, dir] of dirs.split(",").entries()) {
    // A module instance of the workloads per variant (`?v=`): no feedback shared between them.
    const { setup } = await import(`./deps-workloads.js?v=${k}`);
    const logging = await import(pathToFileURL(path.join(dir, "src/node.js")).href);
    loops.push(setup(logging, w));
  }
  const { interleave } = await import("./deps-workloads.js");
  const cpu = () => {
    const u = process.cpuUsage();
    return u.user + u.system;
  };
  const r = interleave(loops, w, Number(rounds), Number(batchMs), clock === "cpu" ? cpu : undefined);
  process.stdout.write(JSON.stringify(r));
  process.exit(0);
}

const variants = opt("--variants", "")
  .split(",")
  .filter(Boolean)
  .map((s) => {
    const [name, dir] = s.split("=");
    return { name, dir: path.resolve(dir) };
  });
const ROUNDS = Number(opt("--rounds", 21));
const BATCH_MS = Number(opt("--batch-ms", 30));
const { WORKLOADS } = await import("./deps-workloads.js");
const WS = opt("--workloads", Object.keys(WORKLOADS).join(",")).split(",");
const log = (...a) => console.error(...a);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- sizes --------------------------------------------------------------------------------
async function sizes(v) {
  const wasm = fs.readFileSync(path.join(v.dir, "pkg/web/wasm_logging_bg.wasm"));
  const esbuild = await import("esbuild");
  const r = await esbuild.build({
    entryPoints: [path.join(v.dir, "src/web.js")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    external: ["*.wasm"],
    logLevel: "silent",
  });
  const js = Buffer.concat(r.outputFiles.map((f) => Buffer.from(f.contents)));
  const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
  return { wasmRaw: wasm.length, wasmGzip: gz(wasm), jsRaw: js.length, jsGzip: gz(js) };
}

// ---- Node ----------------------------------------------------------------------------------
function nodeRuns(clock) {
  const out = {};
  for (const w of WS) {
    const r = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), "--child", variants.map((v) => v.dir).join(","), w, String(ROUNDS), String(BATCH_MS), clock],
      { encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`node ${w}: ${r.stderr}`);
    const { rates, last } = JSON.parse(r.stdout);
    variants.forEach((v, k) => ((out[v.name] ??= {})[w] = { runs: rates[k], last: last[k] }));
    log(`node (${clock}) ${w} done (load ${os.loadavg()[0].toFixed(2)})`);
  }
  return out;
}

// ---- Chromium --------------------------------------------------------------------------------
async function chromiumRuns() {
  const puppeteer = (await import("puppeteer-core")).default;
  const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".html": "text/html" };
  // /<variant>/... serves that variant's directory; /bench/... this directory.
  const server = http.createServer((req, res) => {
    if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>deps</title>");
      return;
    }
    const [, head, ...rest] = decodeURIComponent(new URL(req.url, "http://x").pathname).split("/");
    const v = variants.find((x) => x.name === head);
    const root = head === "bench" ? HERE : v?.dir;
    const file = root && path.join(root, ...rest);
    if (!file || !file.startsWith(root) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await puppeteer.launch({
    executablePath: ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => fs.existsSync(p)),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const out = {};
  try {
    for (const w of WS) {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      const r = await page.evaluate(
        async (base, names, w, rounds, batchMs) => {
          const loops = [];
          for (const [k, name] of names.entries()) {
            const logging = await import(`${base}/${name}/src/web.js`);
            await logging.default();
            const { setup } = await import(`${base}/bench/deps-workloads.js?v=${k}`);
            loops.push(setup(logging, w));
          }
          const { interleave } = await import(`${base}/bench/deps-workloads.js`);
          return interleave(loops, w, rounds, batchMs);
        },
        base,
        variants.map((v) => v.name),
        w,
        ROUNDS,
        BATCH_MS,
      );
      await page.close();
      variants.forEach((v, k) => ((out[v.name] ??= {})[w] = { runs: r.rates[k], last: r.last[k] }));
      log(`chromium ${w} done (load ${os.loadavg()[0].toFixed(2)})`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  return out;
}

// ---- report ---------------------------------------------------------------------------------
const loadBefore = os.loadavg();
const result = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadBefore, sizes: {}, node_runs: null, chromium_runs: null };
for (const v of variants) result.sizes[v.name] = await sizes(v);
if (!argv.includes("--no-node")) {
  result.node_runs = nodeRuns("wall");
  result.node_cpu_runs = nodeRuns("cpu");
}
if (!argv.includes("--no-chromium")) result.chromium_runs = await chromiumRuns();
result.loadAfter = os.loadavg();

const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
const rate = (x, w) => (w === "W1" ? `${x.toFixed(1)} ns` : x >= 1e4 ? `${(x / 1000).toFixed(0)} k/s` : `${x.toFixed(0)}/s`);
const lines = [];
lines.push(`${result.date}, node ${result.node}, ${result.cpus} cores, load ${loadBefore.map((x) => x.toFixed(2)).join(" ")} → ${result.loadAfter.map((x) => x.toFixed(2)).join(" ")}, ${ROUNDS} interleaved rounds of ~${BATCH_MS} ms batches per workload, medians; cells: median (best round); ratios: medians of same-round ratios`);
lines.push("");
lines.push("| variant | wasm raw | wasm gzip | web JS gzip (esbuild min) | total gzip |");
lines.push("|---|---|---|---|---|");
for (const v of variants) {
  const s = result.sizes[v.name];
  lines.push(`| ${v.name} | ${kb(s.wasmRaw)} | ${kb(s.wasmGzip)} | ${kb(s.jsGzip)} | ${kb(s.wasmGzip + s.jsGzip)} |`);
}
for (const [host, runs] of [["Node (wall)", result.node_runs], ["Node (CPU time)", result.node_cpu_runs], ["Chromium (wall)", result.chromium_runs]]) {
  if (!runs) continue;
  lines.push("");
  lines.push(`| ${host} | ${variants.map((v) => v.name).join(" | ")} | ${variants.slice(1).map((v) => `${v.name}/${variants[0].name}`).join(" | ")} |`);
  lines.push(`|---|${variants.map(() => "---").join("|")}|${variants.slice(1).map(() => "---").join("|")}|`);
  for (const w of WS) {
    const m = variants.map((v) => median(runs[v.name][w].runs));
    // The best round too: dictConfig batches are short and a major GC in one of them halves it.
    const best = variants.map((v) => (w === "W1" ? Math.min : Math.max)(...runs[v.name][w].runs));
    // Same-round ratios: median of (variant / base) within each round.
    const ratios = variants.slice(1).map((v) => {
      const rs = runs[v.name][w].runs.map((x, i) => x / runs[variants[0].name][w].runs[i]);
      return median(rs).toFixed(3);
    });
    lines.push(`| ${w} | ${m.map((x, k) => `${rate(x, w)} (${rate(best[k], w)})`).join(" | ")} | ${ratios.join(" | ")} |`);
  }
}
const text = lines.join("\n");
console.log(text);
const outDir = opt("--out");
if (outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = result.date.replace(/[:.]/g, "-");
  fs.writeFileSync(path.join(outDir, `deps-${stamp}.json`), JSON.stringify(result, null, 1));
  fs.writeFileSync(path.join(outDir, `deps-${stamp}.md`), text + "\n");
}
