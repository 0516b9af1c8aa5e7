// `npm pack` makes a tarball a fresh project can install and use: install it into an empty
// temporary project (no registry needed: the package has no dependencies) and run an ESM
// script that logs through a configured hierarchy, then check its output and the tarball's
// contents.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PKG_DIR = fileURLToPath(new URL("..", import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "wasm-logging-pack-"));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "error", npm_config_update_notifier: "false" } });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}\n${r.stdout}\n${r.stderr}`);
  return r;
}

const APP = `
import * as logging from "wasm-logging";

logging.setFixedTime(1700000000123.456, { utcOffset: 0, zone: "UTC" });
logging.basicConfig({
  level: "DEBUG",
  format: "%(asctime)s %(name)-16s %(levelname)-8s %(message)s",
  stream: "stdout",
});
const errors = new logging.CallbackHandler((text) => process.stdout.write("ERRORS-ONLY " + text + "\\n"));
errors.setLevel(logging.ERROR);
errors.setFormatter(new logging.Formatter("{levelname}: {message}", null, "{"));
logging.getLogger("shop").addHandler(errors);

const db = logging.getLogger("shop.db");
const api = new logging.LoggerAdapter(logging.getLogger("shop.api"), { user: "ann" });
db.debug("connecting to %s", "db.local");
api.info("GET %s by %s", "/cart", "ann");
logging.getLogger("shop").setLevel("WARNING");
db.info("hidden: below shop's new level");
db.error("query failed after %d retries", 3);
`;

const LITE_APP = `
import * as logging from "wasm-logging/lite";

const out = new logging.CallbackHandler((text) => process.stdout.write(text + "\\n"));
out.setFormatter(new logging.Formatter("%(levelname)s %(name)s: %(message)s"));
logging.getLogger("shop").addHandler(out);
logging.getLogger("shop").setLevel("WARNING");
logging.getLogger("shop.db").info("hidden");
logging.getLogger("shop.db").warning("slow query (%d ms)", 250);
new logging.LoggerAdapter(logging.getLogger("shop.api"), { user: "ann" }).error("GET %s by %s failed", "/cart", "ann");
try {
  new logging.Formatter("{message}", null, "{");
} catch (e) {
  process.stdout.write(e.name + "\\n");
}
`;

test("npm pack → npm install in a fresh project → an ESM script logs through a hierarchy", () => {
  const [info] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tmp], PKG_DIR).stdout);
  const files = info.files.map((f) => f.path).sort();
  for (const needed of [
    "package.json",
    "src/node.js",
    "src/bundler.js",
    "src/web.js",
    "src/browser.js",
    "src/web.d.ts",
    "src/logging.js",
    "types/index.d.ts",
    "types/web.d.ts",
    "dist/node.js",
    "pkg/web/wasm_logging.js",
    "pkg/bundler/wasm_logging_bg.wasm",
    "pkg/inline/wasm_logging.js",
    "pkg/inline/wasm_bytes.js",
    "src/lite.js",
    "types/lite.d.ts",
    "pkg/lite/wasm_logging_bg.js",
    "pkg/lite-inline/wasm_logging.js",
    "pkg/lite-inline/wasm_bytes.js",
  ]) {
    assert.ok(files.includes(needed), `${needed} missing from the tarball: ${files.join(", ")}`);
  }
  // Issue 13: the module is carried once as a file (the web glue and the Node entry load the
  // bundler build's copy), and there is no `nodejs` build (dist/node.js bundles the web glue).
  // wasm-logging/lite's small module travels inlined only (pkg/lite-inline).
  assert.deepEqual(
    files.filter((f) => f.endsWith(".wasm")),
    ["pkg/bundler/wasm_logging_bg.wasm"],
  );
  assert.ok(!files.some((f) => f.startsWith("pkg/nodejs/")), files.join(", "));
  assert.ok(!files.some((f) => f.startsWith("test/") || f.startsWith("node_modules/")), files.join(", "));

  const app = path.join(tmp, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", path.join(tmp, info.filename)], app);
  fs.writeFileSync(path.join(app, "main.js"), APP);
  const { stdout, stderr } = run(process.execPath, ["main.js"], app);
  const T = "2023-11-14 22:13:20,123";
  // stream "stdout" is the process's stdout, whatever the level (as in CPython).
  assert.deepEqual(stdout.trimEnd().split("\n"), [
    `${T} shop.db          DEBUG    connecting to db.local`,
    `${T} shop.api         INFO     GET /cart by ann`,
    "ERRORS-ONLY ERROR: query failed after 3 retries",
    `${T} shop.db          ERROR    query failed after 3 retries`,
  ]);
  assert.equal(stderr, "");

  // wasm-logging/lite from the installed package: the same kind of hierarchy, the `%` style.
  fs.writeFileSync(path.join(app, "lite.js"), LITE_APP);
  const lite = run(process.execPath, ["lite.js"], app);
  assert.deepEqual(lite.stdout.trimEnd().split("\n"), [
    "WARNING shop.db: slow query (250 ms)",
    "ERROR shop.api: GET /cart by ann failed",
    "ValueError",
  ]);
});
