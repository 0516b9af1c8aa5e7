// The npm package carries its .wasm once. wasm-pack's two builds (bundler, web)
// produce byte-identical modules (one cargo build, the same wasm-bindgen and wasm-opt runs);
// this keeps pkg/bundler/wasm_logging_bg.wasm (the `./wasm` export; the bundler glue's
// ESM-integration import must stay beside it, since a bundler resolves the module's own
// imports, "./wasm_logging_bg.js" and the snippets, next to the .wasm) and points the web
// glue, which loads the bytes itself, at it:
//   pkg/web/wasm_logging.js     fetches new URL('../bundler/wasm_logging_bg.wasm', import.meta.url)
// then deletes its copy. (The Node entry reads the same file; src/node.js.) It refuses (exit 1) if the copies differ or a glue no longer has
// the shape it rewrites, so a wasm-bindgen upgrade cannot silently ship a wrong path.
// Idempotent. Usage:
//   node scripts/js-dedupe.mjs js/pkg
import fs from "node:fs";
import path from "node:path";

const pkg = process.argv[2];
if (!pkg) {
  console.error("usage: node scripts/js-dedupe.mjs <js/pkg>");
  process.exit(2);
}
const WASM = "wasm_logging_bg.wasm";
const keep = path.join(pkg, "bundler", WASM);
const kept = fs.readFileSync(keep);

/** Rewrites `file` with `from` → `to` (exactly once), unless it already has `to`. */
function repoint(file, from, to) {
  const text = fs.readFileSync(file, "utf8");
  if (text.includes(to)) return;
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) {
    console.error(`js-dedupe: ${file} no longer has exactly one ${JSON.stringify(from)}; update scripts/js-dedupe.mjs`);
    process.exit(1);
  }
  fs.writeFileSync(file, text.slice(0, at) + to + text.slice(at + from.length));
}

const targets = [
  ["web", "new URL('wasm_logging_bg.wasm', import.meta.url)", "new URL('../bundler/wasm_logging_bg.wasm', import.meta.url)"],
];
for (const [target, from, to] of targets) {
  // mk/js.mk compares the two builds' modules before it optimizes the kept one and
  // removes the others; a copy left here must be that same module.
  const copy = path.join(pkg, target, WASM);
  if (fs.existsSync(copy) && !kept.equals(fs.readFileSync(copy))) {
    console.error(`js-dedupe: ${copy} differs from ${keep}; the builds no longer share one module`);
    process.exit(1);
  }
  repoint(path.join(pkg, target, "wasm_logging.js"), from, to);
  fs.rmSync(copy, { force: true });
}
