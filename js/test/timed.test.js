// TimedRotatingFileHandler in Node: configured by class name, its backups named and deleted
// as CPython 3.13 names and deletes them (the arithmetic is compared with CPython in
// tests/timed_rotation.rs), over NodeFileStorage (real files) and MemoryStorage, both of
// which list their logs for backupCount.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { logging, NS } from "./helpers.js";

const scratch = [];
after(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
  logging.setStorage(new logging.NodeFileStorage());
  logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
});

const CONFIG = (filename) => ({
  version: 1,
  disable_existing_loggers: false,
  formatters: { f: { format: "%(message)s" } },
  handlers: {
    t: { class: "logging.handlers.TimedRotatingFileHandler", filename, when: "S", backupCount: 2, formatter: "f" },
  },
  root: { handlers: ["t"], level: "DEBUG" },
});

/** One record a second from 2023-11-14 22:13:20.123 UTC, then shutdown. */
function logFiveSeconds(filename) {
  logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
  logging.dictConfig(CONFIG(filename));
  ["a", "b", "c", "d", "e"].forEach((m, i) => {
    logging.setFixedTime(NS + BigInt(i) * 1_000_000_000n, { utcOffset: 0, zone: "UTC" });
    logging.getLogger("app").info(m);
  });
  logging.shutdown();
  logging.dictConfig({ version: 1, disable_existing_loggers: false });
}

const EXPECTED = [
  ["app.log", "e\n"],
  ["app.log.2023-11-14_22-13-22", "c\n"],
  ["app.log.2023-11-14_22-13-23", "d\n"],
];

test("TimedRotatingFileHandler over Node files: backups named and deleted as CPython's", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "wasm-logging-timed-"));
  scratch.push(dir);
  logging.setStorage(new logging.NodeFileStorage(dir));
  logFiveSeconds("app.log");
  const files = readdirSync(dir)
    .sort()
    .map((n) => [n, readFileSync(path.join(dir, n), "utf8")]);
  assert.deepEqual(files, EXPECTED);
});

test("TimedRotatingFileHandler over MemoryStorage, in a folder", () => {
  const storage = new logging.MemoryStorage();
  logging.setStorage(storage);
  logFiveSeconds("logs/app.log");
  assert.deepEqual(
    storage.names().map((n) => [n, storage.text(n)]),
    EXPECTED.map(([n, t]) => [`logs/${n}`, t]),
  );
  assert.deepEqual(storage.list("logs"), EXPECTED.map(([n]) => `logs/${n}`));
  assert.deepEqual(storage.list(""), []);
});
