// The bundler entry (the package's default export condition): the `bundler` build imports its
// .wasm as an ES module, which bundlers resolve; Node does too with --experimental-wasm-modules,
// so the same file runs here unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const ENTRY = new URL("../src/bundler.js", import.meta.url).href;

test("the bundler build loads and logs through a configured hierarchy", () => {
  const script = `
    import * as logging from ${JSON.stringify(ENTRY)};
    logging.setFixedTime(1700000000123.456, { utcOffset: 0, zone: "UTC" });
    const lines = [];
    const h = new logging.CallbackHandler((t) => lines.push(t));
    h.setFormatter(new logging.Formatter("%(asctime)s %(threadName)s %(name)s %(levelname)s %(message)s"));
    logging.getLogger("app").addHandler(h);
    logging.getLogger("app").setLevel("INFO");
    logging.getLogger("app.db").info("rows=%d", 3);
    logging.getLogger("app.db").debug("hidden");
    console.log(JSON.stringify(lines));
  `;
  const r = spawnSync(process.execPath, ["--experimental-wasm-modules", "--no-warnings", "--input-type=module", "-e", script], {
    encoding: "utf8",
    cwd: fileURLToPath(new URL("..", import.meta.url)),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ["2023-11-14 22:13:20,123 MainThread app.db INFO rows=3"]);
});
