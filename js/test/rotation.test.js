// namer and rotator on RotatingFileHandler (the cookbook's recipe 19, "Using a rotator and
// namer to customize log rotation processing"): compressed backups with CPython's names and
// contents, in Node files and in memory.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { gunzipSync, gzipSync } from "node:zlib";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { logging, fixTime, pythonPath, captureConsole, errorReports, NS } from "./helpers.js";

fixTime();

const tmpdir = () => fs.mkdtempSync(path.join(os.tmpdir(), "wasm-logging-rot-"));

function cpython(code, cwd) {
  const r = spawnSync(pythonPath(), ["-c", `import logging, logging.handlers, time\ntime.time_ns = lambda: ${NS}\n${code}`], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC" },
  });
  assert.equal(r.status, 0, r.stderr);
}

/** The directory's files, gunzipped where named .gz: `{name: text}`. */
function contents(list, read) {
  const out = {};
  for (const name of list) {
    const bytes = read(name);
    out[name] = (name.endsWith(".gz") ? gunzipSync(bytes) : Buffer.from(bytes)).toString("utf8");
  }
  return out;
}

test("recipe 19: a namer and a gzip rotator give CPython's backups (names and contents)", () => {
  const pyDir = tmpdir();
  cpython(
    `import gzip, os, shutil
def namer(name):
    return name + ".gz"
def rotator(source, dest):
    with open(source, "rb") as f_in:
        with gzip.open(dest, "wb") as f_out:
            shutil.copyfileobj(f_in, f_out)
    os.remove(source)
rh = logging.handlers.RotatingFileHandler("rotated.log", maxBytes=128, backupCount=5)
rh.rotator = rotator
rh.namer = namer
root = logging.getLogger()
root.setLevel(logging.INFO)
root.addHandler(rh)
rh.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
for i in range(40):
    root.info(f"Message no. {i + 1}")
rh.close()`,
    pyDir,
  );
  const want = contents(fs.readdirSync(pyDir).sort(), (n) => fs.readFileSync(path.join(pyDir, n)));
  assert.deepEqual(Object.keys(want), ["rotated.log", ...[1, 2, 3, 4, 5].map((i) => `rotated.log.${i}.gz`)]);

  for (const storage of [new logging.NodeFileStorage(tmpdir()), new logging.MemoryStorage()]) {
    logging.setStorage(storage);
    const names = [];
    const rh = new logging.RotatingFileHandler("rotated.log", { maxBytes: 128, backupCount: 5 });
    rh.namer = (name) => `${name}.gz`;
    // Through the storage, so an open log is closed before it goes (Node files or memory alike).
    rh.rotator = (source, dest) => {
      names.push([source, dest]);
      storage.truncate(dest);
      storage.append(dest, gzipSync(storage.read(source)));
      storage.remove(source);
    };
    assert.equal(rh.rotation_filename("rotated.log.1"), "rotated.log.1.gz");
    const root = logging.getLogger(`rot19.${storage.constructor.name}`);
    root.propagate = false;
    root.setLevel(logging.INFO);
    root.addHandler(rh);
    rh.setFormatter(new logging.Formatter("%(asctime)s %(message)s"));
    for (let i = 0; i < 40; i++) root.info(`Message no. ${i + 1}`);
    rh.close();
    root.removeHandler(rh);
    const list = storage instanceof logging.MemoryStorage ? storage.names() : fs.readdirSync(storage.dir).sort();
    assert.deepEqual(contents(list, (n) => storage.read(n)), want, storage.constructor.name);
    // The rotator gets the handler's baseFilename-based names: absolute in Node (CPython's
    // os.path.abspath at construction), as given in memory.
    const base = typeof storage.resolve === "function" ? storage.resolve("rotated.log") : "rotated.log";
    assert.deepEqual(names[0], [base, `${base}.1.gz`]);
  }
  logging.setStorage(null);
});

test("namer and rotator can be reset to the defaults; failures are reported, logging goes on", () => {
  const storage = new logging.MemoryStorage();
  logging.setStorage(storage);
  const rh = new logging.RotatingFileHandler("f.log", { maxBytes: 30, backupCount: 2 });
  rh.setFormatter(new logging.Formatter("%(message)s"));
  const l = logging.getLogger("rot.fail");
  l.propagate = false;
  l.addHandler(rh);
  rh.namer = () => {
    throw new Error("namer broke");
  };
  rh.rotator = () => {
    throw new Error("rotator broke");
  };
  const reports = errorReports(
    captureConsole(() => {
      l.warning("a line of twenty chars");
      l.warning("a second line, which rolls over");
    }),
  );
  assert.ok(reports.some((r) => /namer broke/.test(r)), reports.join("\n"));
  assert.ok(reports.some((r) => /rotator broke/.test(r)), reports.join("\n"));
  rh.namer = null;
  rh.rotator = null;
  assert.equal(rh.namer, null);
  l.warning("a third line, which rolls over again");
  assert.deepEqual(storage.names(), ["f.log", "f.log.1"]);
  assert.throws(() => {
    rh.namer = "x";
  }, TypeError);
  rh.close();
  logging.setStorage(null);
});
