// The targets and the Markdown report of the comparison harness (compare.js measures; this
// file only judges and prints). Issue 13's targets, each judged on same-round ratios:
//
//   W2–W5 ≥ 1.25× pino (fastest); W2/W3 ≥ 1.25× loglevel; W1's time ≤ loglevel's;
//   the default-entry app ≤ 40 KB gzip (JS + inlined Wasm); the npm tarball carries each Wasm
//   module once; cold start ≤ pino's; WASI ≤ 2× native per record, ≤ 1.5× with log-many.
import path from "node:path";
import { PEERS, WORKLOADS, WORKLOAD_INFO } from "./peers.js";

const KB40 = 40 * 1024;
const fmtX = (x) => (x === undefined || x === null || Number.isNaN(x) ? "—" : `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`);
const nf = (x, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const perSec = (ns) => nf(1e9 / ns);
const kib = (b) => `${nf(b / 1024, 1)} KiB`;
const load1 = (l) => (l ? l[0].toFixed(2) : "?");
/** "1.23× (0.98–1.40)": the median of the same-round ratios and their range. */
const ratioText = (r) => (r ? `${fmtX(r.median)} (${fmtX(r.min).slice(0, -1)}–${fmtX(r.max)})` : "—");

/** The targets of issue 13: [{name, met (true/false/null = not measured), detail}]. */
export function targetsOf(d) {
  const { ratios, na, size, pack, coldVsPino, cold, wasi } = d;
  const targets = [];
  const target = (name, met, detail) => targets.push({ name, met, detail });
  const rounds = (r) => `${r.runs.length} round${r.runs.length === 1 ? "" : "s"}`;
  const byRatio = (name, w, peer, threshold, what) => {
    const r = ratios[w]?.[peer];
    if (!r) target(name, null, na[w]?.ours ? `n/a (${na[w].ours})` : na[w]?.[peer] ? `n/a (${na[w][peer]})` : "not measured");
    else target(name, r.median >= threshold, `${what}: ${ratioText(r)}, median (min–max) of ${rounds(r)}`);
  };
  byRatio("W1: ours' time ≤ loglevel's", "W1", "loglevel", 1, "loglevel's ns/op ÷ ours");
  for (const w of ["W2", "W3", "W4", "W5"]) byRatio(`${w} ≥ 1.25× pino (fastest)`, w, "pino-fastest", 1.25, "ours ÷ pino (fastest), records/s");
  for (const w of ["W2", "W3"]) byRatio(`${w} ≥ 1.25× loglevel`, w, "loglevel", 1.25, "ours ÷ loglevel, records/s");

  const appName = "app (getLogger, basicConfig, Formatter, CallbackHandler, ConsoleHandler) ≤ 40 KB gzip, JS + Wasm";
  const app = size.app;
  if (app?.total) {
    const parts = app.js ? `: JS ${kib(app.js.gzip)} + Wasm (inline base64) ${kib(app.wasm.gzip)}, each gzipped alone` : "";
    target(appName, app.total.gzip <= KB40, `${kib(app.total.gzip)} gzip -9 as one file (${nf(app.total.gzip)} bytes, ${fmtX(app.total.gzip / KB40)} the budget)${parts}`);
  } else target(appName, null, app?.error ?? "not measured");
  const lite = size.appLite;
  if (lite?.total) {
    const parts = lite.js ? `: JS ${kib(lite.js.gzip)} + Wasm (inline base64) ${kib(lite.wasm.gzip)}` : "";
    target(
      "the same app from wasm-logging/lite (the small module) ≤ 40 KB gzip",
      lite.total.gzip <= KB40,
      `${kib(lite.total.gzip)} gzip -9 as one file (${fmtX(lite.total.gzip / KB40)} the budget)${parts}`,
    );
  } else if (lite) target("the same app from wasm-logging/lite ≤ 40 KB gzip", null, lite.error ?? "not measured");

  if (pack?.copies) {
    const kinds = (k) => pack.copies.filter((c) => c.kind === k).length;
    target(
      "npm tarball carries each .wasm once",
      pack.maxCopies <= 1,
      `${pack.modules} module${pack.modules === 1 ? "" : "s"}, ${pack.copies.length} copies (${kinds("wasm")} .wasm, ${kinds("base64")} base64); packed ${nf(pack.packed / 1000)} kB, unpacked ${nf(pack.unpacked / 1000)} kB`,
    );
  } else target("npm tarball carries each .wasm once", null, pack?.error ?? "not measured");

  if (coldVsPino)
    target(
      "cold start ≤ pino's (same run)",
      coldVsPino.median <= 1,
      `ours ÷ pino per spawn round: ${ratioText(coldVsPino)}; medians ${nf(cold.ours.median, 1)} ms vs ${nf(cold.pino.median, 1)} ms`,
    );
  else target("cold start ≤ pino's (same run)", null, "not measured");

  const nv = wasi.native?.median;
  const wasiTarget = (name, s, limit) => {
    if (!s || !nv) return target(name, null, wasi.error ?? wasi.nativeError ?? "not measured");
    const x = s.median / nv;
    const note = wasi.optimized ? "" : " (debug host build: not comparable)";
    target(name, wasi.optimized ? x <= limit : null, `component ${nf(s.median)} ns/record vs native ${nf(nv)} ns/record: ${fmtX(x)}${note}`);
  };
  wasiTarget("WASI: component ≤ 2× native per record", wasi.enabled, 2);
  wasiTarget(`WASI: component ≤ 1.5× native with \`log-many\` (${wasi.batch ?? "?"} records per call)`, wasi.batched, 1.5);
  return targets;
}

/** The Markdown report. */
export function reportOf(d) {
  const { env, smoke, root, runs, targetMs, coldSpawns, rounds, throughput, ratios, na, samples, size, pack, COLD, cold, coldSample, coldVsPino, coldOverBaseline, wasi, targets, errors } = d;
  const lines = [];
  const P = (s = "") => lines.push(s);
  const loads = rounds.flatMap((r) => [r.loadavgStart[0], r.loadavgEnd[0]]);
  P(`# wasm-logging comparison benchmark — ${env.date.slice(0, 10)} on ${env.host}${smoke ? " (SMOKE MODE: tiny counts, not results)" : ""}`);
  P();
  P(`Produced by \`make bench\` (js/bench/compare.js); methodology in bench/README.md.`);
  P();
  P(`| | |`);
  P(`|---|---|`);
  P(`| machine | ${env.cpu}, ${env.memory}, ${env.os} |`);
  P(`| load average (1/5/15 min) | before ${env.loadavgBefore.map((x) => x.toFixed(2)).join(" / ")}, after ${env.loadavgAfter.map((x) => x.toFixed(2)).join(" / ")}; 1-min during the rounds ${loads.length ? `${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)}` : "?"} |`);
  P(`| node | ${env.node} |`);
  P(`| python | ${env.python} |`);
  P(`| packages | ${Object.entries(env.versions).filter(([k]) => k !== "python").map(([k, v]) => `${k} ${v}`).join(", ")} |`);
  P(`| commit | ${env.commit} |`);
  P(`| took | ${env.seconds} s |`);
  P();
  P(`## Method`);
  P();
  P(`- ${runs} round${runs === 1 ? "" : "s"}; in each, every peer × workload once, each in a **fresh process**: warm-up ≥ ${targetMs} ms, then one timed batch of ≈ ${targetMs} ms.`);
  P(`- **One sink for every peer, and it reads the text**: for each record it reads the character in the middle and folds it and the length into a checksum the child prints. A lazily concatenated string must be flattened to be read, so building a line is paid inside the timing.`);
  P(`- **Order rotates**: in each round the peers' order is rotated by 2 × round + workload (reversed in odd rounds), so no peer is always first or last; the orders are in the JSON.`);
  P(`- **Same-round ratios**: for each workload and round, the peer's time per call ÷ ours (= ours ÷ theirs in records/s; for W1 their ns ÷ ours); reported as the median (min–max) over rounds. Above 1× ours is faster. The 1-min load average is recorded at each round's start and end.`);
  P(`- Caller location off for every peer; output shapes checked after the timing; no I/O (in-process sink). Cold start: spawns interleaved, order alternating, ratios per spawn round.`);
  P();
  P(`## Targets (issue 13)`);
  P();
  P(`| target | result | measured |`);
  P(`|---|---|---|`);
  for (const t of targets) P(`| ${t.name} | ${t.met === null ? "not measured" : t.met ? "**met**" : "**not met**"} | ${t.detail} |`);
  P();
  P(`## Same-round ratios (ours ÷ theirs in records/s; W1: their ns/op ÷ ours): median (min–max)`);
  P();
  const others = PEERS.filter((p) => p.id !== "ours");
  P(`| workload | ours (median) | ${others.map((p) => `× ${p.label}`).join(" | ")} |`);
  P(`|---|---:|${others.map(() => "---:").join("|")}|`);
  for (const w of WORKLOADS) {
    const o = throughput[w].ours;
    const ours = o ? (WORKLOAD_INFO[w].unit === "ns/op" ? `${nf(o.median, 2)} ns/op` : `${perSec(o.median)}/s`) : na[w]?.ours ? "n/a" : "failed";
    P(`| ${w} ${WORKLOAD_INFO[w].title} | ${ours} | ${others.map((p) => ratioText(ratios[w][p.id])).join(" | ")} |`);
  }
  P();
  P(`| round | 1-min load (start → end) | W2 order (first → last) |`);
  P(`|---:|---|---|`);
  for (const r of rounds) P(`| ${r.round} | ${load1(r.loadavgStart)} → ${load1(r.loadavgEnd)} | ${r.order.W2.join(", ")} |`);
  P();
  P(`## Throughput per peer (medians over rounds)`);
  P();
  P(`"ours vs this" is the median same-round ratio (above 1× ours is faster).`);
  for (const w of WORKLOADS) {
    const info = WORKLOAD_INFO[w];
    P();
    P(`### ${w} — ${info.title} (${info.unit})`);
    P();
    if (info.unit === "ns/op") {
      P(`| peer | median ns/op | min | max | ours vs this |`);
      P(`|---|---:|---:|---:|---:|`);
    } else {
      P(`| peer | median records/s | min | max | ns/record (median) | ours vs this |`);
      P(`|---|---:|---:|---:|---:|---:|`);
    }
    for (const p of PEERS) {
      const s = throughput[w][p.id];
      if (!s) {
        const why = na[w]?.[p.id] ? `n/a (${na[w][p.id]})` : "failed";
        P(info.unit === "ns/op" ? `| ${p.label} | ${why} | | | |` : `| ${p.label} | ${why} | | | | |`);
        continue;
      }
      const vs = p.id === "ours" ? "—" : ratioText(ratios[w][p.id]);
      if (info.unit === "ns/op") P(`| ${p.label} | ${nf(s.median, 2)} | ${nf(s.min, 2)} | ${nf(s.max, 2)} | ${vs} |`);
      else P(`| ${p.label} | ${perSec(s.median)} | ${perSec(s.max)} | ${perSec(s.min)} | ${nf(s.median)} | ${vs} |`);
    }
  }
  P();
  P(`## What each peer produced (one sample line per workload, from the first round)`);
  P();
  for (const w of WORKLOADS) {
    P(`### ${w}`);
    P();
    P("```text");
    for (const p of PEERS) {
      const s = samples[w]?.[p.id];
      const shown = w === "W1" ? "(nothing: disabled, checked)" : s ?? (na[w]?.[p.id] ? `n/a (${na[w][p.id]})` : "(failed)");
      P(`${p.id.padEnd(12)} ${shown}`);
    }
    P("```");
    P();
  }
  P(`How each peer is set up:`);
  P();
  for (const p of PEERS) P(`- **${p.label}**: ${p.how}`);
  P();
  sizeSection(P, size, pack);
  P(`## Cold start in Node: spawn to the first line on stdout (ms, ${coldSpawns} spawns each, interleaved, order alternating)`);
  P();
  P(`| script | median | min | max | over bare node (same round, median) | line |`);
  P(`|---|---:|---:|---:|---:|---|`);
  for (const c of COLD) {
    const s = cold[c.id];
    if (!s) {
      P(`| ${c.label} | failed | | | | |`);
      continue;
    }
    const over = coldOverBaseline[c.id] ? `${coldOverBaseline[c.id].median >= 0 ? "+" : ""}${nf(coldOverBaseline[c.id].median, 1)}` : "—";
    P(`| ${c.label} | ${nf(s.median, 1)} | ${nf(s.min, 1)} | ${nf(s.max, 1)} | ${over} | \`${(coldSample[c.id] ?? "").slice(0, 90)}\` |`);
  }
  P();
  P(`ours ÷ pino, same spawn round: ${ratioText(coldVsPino)}.`);
  P();
  wasiSection(P, wasi, root);
  if (errors.length) {
    P();
    P(`## Errors`);
    P();
    for (const e of errors) P(`- ${e}`);
  }
  return lines.join("\n") + "\n";
}

function sizeSection(P, size, pack) {
  P(`## Size (esbuild --bundle --minify --format=esm --platform=browser; gzip -9, brotli 11)`);
  P();
  const app = size.app;
  if (app?.total) {
    P(`The app of the size target, bundled from the package's default browser entry (\`exports["."].browser\`: \`${size.entry}\`, the Wasm inlined as base64):`);
    P();
    P("```js");
    P(`import { ${app.imports.join(", ")} } from "wasm-logging";`);
    P(app.code.trimEnd());
    P("```");
    P();
    P(`| part | raw | gzip -9 | brotli 11 | note |`);
    P(`|---|---:|---:|---:|---|`);
    P(`| **app, as shipped (one file)** | **${kib(app.total.raw)}** | **${kib(app.total.gzip)}** | **${kib(app.total.brotli)}** | the 40 KB target's measure |`);
    if (app.js) {
      P(`| its JS | ${kib(app.js.raw)} | ${kib(app.js.gzip)} | ${kib(app.js.brotli)} | the bundle without the base64 string |`);
      P(`| its Wasm (base64) | ${kib(app.wasm.raw)} | ${kib(app.wasm.gzip)} | ${kib(app.wasm.brotli)} | ${nf(app.wasmBytes)} bytes of Wasm |`);
    } else P(`| (parts) | | | | ${app.split} |`);
    const lite = size.appLite;
    if (lite?.total) {
      P(`| **the same app from \`wasm-logging/lite\`** | **${kib(lite.total.raw)}** | **${kib(lite.total.gzip)}** | **${kib(lite.total.brotli)}** | the small module (no dictConfig, JsonFormatter, \`{\`/\`$\`, storage, remote), inlined |`);
      if (lite.js) {
        P(`| its JS | ${kib(lite.js.raw)} | ${kib(lite.js.gzip)} | ${kib(lite.js.brotli)} | |`);
        P(`| its Wasm (base64) | ${kib(lite.wasm.raw)} | ${kib(lite.wasm.gzip)} | ${kib(lite.wasm.brotli)} | ${nf(lite.wasmBytes)} bytes of Wasm |`);
      }
    } else if (lite) P(`| the same app from \`wasm-logging/lite\` | | | | ${lite.error} |`);
    P();
    P(`Each feature's marginal size over that app (the app plus the feature's exports, minus the app). The Wasm is one module holding every feature, so a feature adds only JS; the \`{\` and \`$\` Formatter styles are in the core (a Formatter argument), with nothing to add.`);
    P();
    P(`| feature | exports | + raw | + gzip -9 |`);
    P(`|---|---|---:|---:|`);
    for (const f of size.features) {
      if (f.marginal) P(`| ${f.label} | ${f.exports.join(", ")} | ${nf(f.marginal.raw)} B | ${nf(f.marginal.gzip)} B |`);
      else P(`| ${f.label} | ${f.exports.join(", ")} | ${f.error} | |`);
    }
  } else P(`The app: ${app?.error ?? "failed"}`);
  P();
  P(`| package | raw | gzip -9 | brotli 11 | note |`);
  P(`|---|---:|---:|---:|---|`);
  if (size.web?.total) {
    const s = size.web;
    P(`| wasm-logging/web (JS) | ${kib(s.js.raw)} | ${kib(s.js.gzip)} | ${kib(s.js.brotli)} | js/src/web.js and its imports, whole API |`);
    P(`| wasm-logging/web (.wasm) | ${kib(s.wasm.raw)} | ${kib(s.wasm.gzip)} | ${kib(s.wasm.brotli)} | js/pkg/bundler/wasm_logging_bg.wasm |`);
    P(`| **wasm-logging/web total** | **${kib(s.total.raw)}** | **${kib(s.total.gzip)}** | **${kib(s.total.brotli)}** | JS + Wasm, each compressed on its own |`);
  } else P(`| wasm-logging/web | ${size.web?.error ?? "failed"} | | | |`);
  for (const [id, s] of Object.entries(size.peers)) {
    const label = PEERS.find((p) => p.id === id || p.pkg === id)?.pkg ?? id;
    if (s.js) P(`| ${label} | ${kib(s.js.raw)} | ${kib(s.js.gzip)} | ${kib(s.js.brotli)} | whole public API${id === "pino" ? "; pino's browser build (package.json \"browser\")" : ""} |`);
    else P(`| ${label} | — | — | — | ${s.error} |`);
  }
  P();
  if (pack?.copies) {
    P(`npm tarball (\`npm pack --dry-run --json\` in js/): ${pack.filename}, ${nf(pack.packed)} bytes packed, ${nf(pack.unpacked)} unpacked, ${pack.entries} files. Copies of the Wasm module:`);
    P();
    P(`| file | kind | bytes | module (sha-256) |`);
    P(`|---|---|---:|---|`);
    for (const c of pack.copies) P(`| ${c.path} | ${c.kind} | ${nf(c.bytes)} | ${c.module ?? "?"} |`);
  } else P(`npm tarball: ${pack?.error ?? "not measured"}`);
  P();
}

function wasiSection(P, wasi, root) {
  P(`## WASI: the component in Wasmtime vs the same core built natively`);
  P();
  if (!wasi.enabled) {
    P(`Not measured: ${wasi.error ?? "?"}`);
    return;
  }
  const n = wasi.native;
  // Paths under the repository relative to it; others (CARGO_TARGET_DIR elsewhere) as they are.
  const shown = (p) => (path.relative(root, p).startsWith("..") ? p : path.relative(root, p));
  P(`Workload: \`info('Message no. %d', i)\` on \`app.net.http\`, the handler on the root, \`%(asctime)s %(name)s %(levelname)s %(message)s\`, fixed clock, UTC, in-process sink.`);
  P(`Component: \`${shown(wasi.component)}\`, driven by \`${shown(wasi.bin)}\`${wasi.optimized ? "" : " (**debug build of the host: not comparable**)"}; native: criterion's samples of \`benches/core.rs\` (${n ? `measured ${n.measured}` : "missing"}).`);
  P();
  const dp = (x) => (x < 100 ? 2 : 0);
  P(`| | median ns/call | min | max | calls/s (median) | vs native |`);
  P(`|---|---:|---:|---:|---:|---:|`);
  const row = (label, s, ref) =>
    s
      ? P(`| ${label} | ${nf(s.median, dp(s.median))} | ${nf(s.min, dp(s.min))} | ${nf(s.max, dp(s.max))} | ${perSec(s.median)} | ${ref ? fmtX(s.median / ref.median) : "—"} |`)
      : P(`| ${label} | ${wasi.nativeError ?? "missing"} | | | | |`);
  row("component in Wasmtime, enabled (host → `logger.log` export → console import)", wasi.enabled, n);
  if (wasi.batched) row(`component, enabled, ${wasi.batch} records per \`logger.log-many\` call (per record)`, wasi.batched, n);
  row("native core, enabled (criterion)", n, null);
  row("component, disabled `debug` (one crossing, level checked inside)", wasi.disabled, wasi.nativeDisabled);
  row("native core, disabled `debug` (criterion)", wasi.nativeDisabled, null);
  P();
  P(`Sample: \`${wasi.sample}\``);
}
