// Sizes for the comparison harness (issue 13's size targets), used by compare.js:
//
// - the app: an entry that uses getLogger, basicConfig, Formatter, CallbackHandler and
//   ConsoleHandler, imported from the package's DEFAULT browser entry (package.json
//   exports["."].browser: src/browser.js, which inlines the Wasm as base64 from pkg/inline/),
//   bundled by esbuild (bundle, minify, platform browser, format esm) and measured as it ships:
//   one file, gzip -9 (brotli 11 beside it). Its JS and Wasm parts are the bundle without the
//   base64 string and the base64 string alone, each compressed on its own.
// - the same app imported from `wasm-logging/lite` (the small module: the core built without
//   its `full` feature, inlined the same way), split the same way.
// - each feature's marginal size: the same app plus a reference to the feature's exports,
//   minus the app (one bundle each; so only what that feature pulls in is counted), raw and
//   gzip -9.
// - the `./web` entry (src/web.js and its imports) plus pkg/bundler/wasm_logging_bg.wasm (the one .wasm the
//   package carries; the web glue fetches it), two files.
// - the peers' whole public API, bundled the same way.
// - the npm tarball: `npm pack --dry-run --json`, packed and unpacked bytes, and every copy of
//   the Wasm module it carries (.wasm files and base64-inlined copies, grouped by content).
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

/** raw, gzip -9 and (unless `gzipOnly`: brotli 11 takes about a second per MB) brotli 11 byte counts. */
export function measure(bytes, gzipOnly = false) {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const m = { raw: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length };
  if (!gzipOnly) m.brotli = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  return m;
}

/** The app of the size target: the API it uses, called as an app would. */
const APP_IMPORTS = ["basicConfig", "CallbackHandler", "ConsoleHandler", "Formatter", "getLogger"];
const APP_CODE = `basicConfig({ level: "INFO", format: "%(asctime)s %(name)s %(levelname)s %(message)s" });
const handler = new CallbackHandler((text) => globalThis.dispatchEvent?.(new CustomEvent("log", { detail: text })));
handler.setFormatter(new Formatter("%(asctime)s %(levelname)s %(message)s"));
const log = getLogger("app");
log.addHandler(handler);
log.addHandler(new ConsoleHandler());
log.info("ready %d", 1);
`;

/**
 * The features whose marginal size over the app is reported: the exports each one needs.
 * The `{` and `$` Formatter styles have no export of their own (the style is a Formatter
 * argument handled in the core, in the Wasm the app already ships); BraceMessage and
 * DollarMessage, the message-side classes of those styles, are.
 */
export const FEATURES = [
  { id: "dictConfig", label: "dictConfig", exports: ["dictConfig"] },
  { id: "JsonFormatter", label: "JsonFormatter", exports: ["JsonFormatter"] },
  { id: "styles", label: "`{`/`$` messages (BraceMessage, DollarMessage)", exports: ["BraceMessage", "DollarMessage"] },
  { id: "OPFSStorage", label: "OPFSStorage", exports: ["OPFSStorage"] },
  { id: "IndexedDBStorage", label: "IndexedDBStorage", exports: ["IndexedDBStorage"] },
  { id: "BrowserRemote", label: "BrowserRemote", exports: ["BrowserRemote"] },
  { id: "PortQueueHandler", label: "PortQueueHandler", exports: ["PortQueueHandler"] },
];

const PEER_ENTRIES = {
  pino: 'export { default } from "pino";',
  loglevel: 'export { default } from "loglevel";',
  logtape: 'export * from "@logtape/logtape";',
  winston: 'export { default } from "winston";',
};

function firstError(e) {
  const msgs = [...new Set((e.errors ?? []).map((x) => x.text))];
  return msgs.length ? `esbuild failed (${e.errors.length} errors), e.g. ${msgs.slice(0, 3).join("; ")}` : String(e.message ?? e).split("\n")[0];
}

/** All the browser sizes; `js` is the package directory. Errors are reported per row. */
export async function sizes(js) {
  const esbuild = await import("esbuild");
  const bundle = async (opts) => {
    const r = await esbuild.build({
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
      absWorkingDir: js,
      ...opts,
    });
    return Buffer.concat(r.outputFiles.map((f) => Buffer.from(f.contents)));
  };
  const pkg = JSON.parse(fs.readFileSync(path.join(js, "package.json"), "utf8"));
  const entry = pkg.exports?.["."]?.browser;
  const out = { entry, features: [] };

  // ---- the app, from the default browser entry ----
  const bundleApp = (extra) => {
    const names = [...APP_IMPORTS, ...extra];
    const contents =
      `import { ${names.join(", ")} } from ${JSON.stringify(entry)};\n${APP_CODE}` +
      (extra.length ? `globalThis.__feature = [${extra.join(", ")}];\n` : "");
    return bundle({ stdin: { contents, resolveDir: js, loader: "js", sourcefile: "app.js" } });
  };
  try {
    if (typeof entry !== "string") throw new Error('package.json has no exports["."].browser');
    const app = await bundleApp([]);
    const b64 = /export default "([A-Za-z0-9+/=]+)"/.exec(fs.readFileSync(path.join(js, "pkg/inline/wasm_bytes.js"), "utf8"))?.[1];
    const text = app.toString("latin1");
    const at = b64 ? text.indexOf(b64) : -1;
    out.app = { imports: APP_IMPORTS, code: APP_CODE, total: measure(app) };
    if (at >= 0) {
      out.app.wasm = measure(Buffer.from(b64, "latin1"));
      out.app.js = measure(Buffer.concat([app.subarray(0, at), app.subarray(at + b64.length)]));
      out.app.wasmBytes = Buffer.from(b64, "base64").length;
    } else {
      out.app.split = "the inlined base64 (pkg/inline/wasm_bytes.js) was not found in the bundle";
    }
    // The same app from wasm-logging/lite (the small module, inlined the same way).
    try {
      const liteEntry = pkg.exports?.["./lite"]?.default;
      if (typeof liteEntry !== "string") throw new Error('package.json has no exports["./lite"]');
      const lite = await bundle({
        stdin: { contents: `import { ${APP_IMPORTS.join(", ")} } from ${JSON.stringify(liteEntry)};\n${APP_CODE}`, resolveDir: js, loader: "js", sourcefile: "app.js" },
      });
      const liteB64 = /export default "([A-Za-z0-9+/=]+)"/.exec(fs.readFileSync(path.join(js, "pkg/lite-inline/wasm_bytes.js"), "utf8"))?.[1];
      const liteText = lite.toString("latin1");
      const liteAt = liteB64 ? liteText.indexOf(liteB64) : -1;
      out.appLite = { entry: liteEntry, total: measure(lite) };
      if (liteAt >= 0) {
        out.appLite.wasm = measure(Buffer.from(liteB64, "latin1"));
        out.appLite.js = measure(Buffer.concat([lite.subarray(0, liteAt), lite.subarray(liteAt + liteB64.length)]));
        out.appLite.wasmBytes = Buffer.from(liteB64, "base64").length;
      }
    } catch (e) {
      out.appLite = { error: firstError(e) };
    }
    for (const f of FEATURES) {
      try {
        // gzip -9 only: the marginal figures are gzip's (the target's measure).
        const with_ = measure(await bundleApp(f.exports), true);
        out.features.push({ ...f, total: with_, marginal: { raw: with_.raw - out.app.total.raw, gzip: with_.gzip - out.app.total.gzip } });
      } catch (e) {
        out.features.push({ ...f, error: firstError(e) });
      }
    }
  } catch (e) {
    out.app = { error: firstError(e) };
  }

  // ---- the ./web entry and its separate .wasm ----
  try {
    const webJs = await bundle({ entryPoints: [path.join(js, "src/web.js")], outfile: "out.js", loader: { ".wasm": "file" } });
    const wasm = fs.readFileSync(path.join(js, "pkg/bundler/wasm_logging_bg.wasm"));
    const j = measure(webJs);
    const m = measure(wasm);
    out.web = { js: j, wasm: m, total: { raw: j.raw + m.raw, gzip: j.gzip + m.gzip, brotli: j.brotli + m.brotli } };
  } catch (e) {
    out.web = { error: firstError(e) };
  }

  // ---- the peers ----
  out.peers = {};
  for (const [id, contents] of Object.entries(PEER_ENTRIES)) {
    try {
      out.peers[id] = { js: measure(await bundle({ stdin: { contents, resolveDir: js, loader: "js" } })) };
    } catch (e) {
      out.peers[id] = { error: firstError(e) };
    }
  }
  return out;
}

/**
 * The npm tarball as `npm pack --dry-run --json` lists it: packed and unpacked bytes, file
 * count, and each copy of a Wasm module it carries (.wasm files, and base64 copies in
 * pkg/inline/*.js), grouped by the module's SHA-256, so "each .wasm once" can be checked.
 */
export function npmPack(js) {
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: js, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) return { error: `npm pack --dry-run: ${r.error?.message ?? `exit ${r.status}`}: ${(r.stderr || "").trim().split("\n").slice(-2).join(" | ")}` };
  let doc;
  try {
    doc = JSON.parse(r.stdout)[0];
  } catch (e) {
    return { error: `npm pack --dry-run --json: unreadable output (${e.message})` };
  }
  const copies = [];
  const sha = (b) => crypto.createHash("sha256").update(b).digest("hex").slice(0, 16);
  for (const f of doc.files) {
    const file = path.join(js, f.path);
    if (f.path.endsWith(".wasm")) {
      copies.push({ path: f.path, kind: "wasm", bytes: f.size, module: fs.existsSync(file) ? sha(fs.readFileSync(file)) : null });
    } else if (f.path.endsWith(".js") && fs.existsSync(file)) {
      // A base64-inlined module: a string literal starting with "\0asm" in base64 (AGFzbQ).
      const m = /"(AGFzbQ[A-Za-z0-9+/=]+)"/.exec(fs.readFileSync(file, "latin1"));
      if (m) copies.push({ path: f.path, kind: "base64", bytes: f.size, module: sha(Buffer.from(m[1], "base64")) });
    }
  }
  const perModule = {};
  for (const c of copies) perModule[c.module] = (perModule[c.module] ?? 0) + 1;
  return {
    filename: doc.filename,
    packed: doc.size,
    unpacked: doc.unpackedSize,
    entries: doc.entryCount ?? doc.files.length,
    copies,
    modules: Object.keys(perModule).length,
    maxCopies: Math.max(0, ...Object.values(perModule)),
  };
}
