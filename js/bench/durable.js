// Appends per second of the browser storages in headless Chromium (js/test/chromium.js):
// MemoryStorage, LocalStorage, OPFSStorage on the page (writables) and in a Worker (access
// handles), IndexedDBStorage on the page and in a Worker. Each run logs N records through a
// RotatingFileHandler (256 KB, 3 backups; "%(asctime)s %(levelname)s %(name)s %(message)s",
// about 90 bytes a record) and waits for `await storage.flush()`. Reported: records/s of the
// log calls alone (what the page pays) and records/s until everything is written.
//
// Two regimes: all records in one task (the store gets one big batch), and one record a task
// (a batch a record: what a page logging now and then asks of the store).
//
//   node bench/durable.js [records=20000] [rounds=3] [recordsPerTask=0 (all in one task)]
import { startChromium } from "../test/chromium.js";

const count = Number(process.argv[2] ?? 20000);
const rounds = Number(process.argv[3] ?? 3);
const perTask = Number(process.argv[4] ?? 0);
const CASES = process.env.CASES ? JSON.parse(process.env.CASES) : [
  ["memory", "page"],
  ["local", "page"],
  ["opfs", "page"],
  ["opfs", "worker"],
  ["idb", "page"],
  ["idb", "worker"],
];

const chromium = await startChromium();
const results = [];
try {
  for (const [kind, where] of CASES) {
    const runs = [];
    for (let round = 0; round < rounds; round++) {
      // The default (on-disk) profile: in an incognito context OPFS lives in memory behind
      // IPC, and an access handle's write per task cost 0.5-1 ms there.
      const page = await chromium.browser.newPage();
      await page.goto(`${chromium.base}/test/browser/durable.html?where=${where}`);
      await page.waitForFunction(() => window.__ready === true, { timeout: 60_000 });
      await page.evaluate((k, l) => window.rpc("open", { kind: k, label: l }), kind, `bench-${perTask}-${round}`);
      runs.push(await page.evaluate((n, p) => window.rpc("bench", { count: n, perTask: p }), count, perTask));
      await page.close();
    }
    const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const logged = median(runs.map((r) => r.logged));
    const written = median(runs.map((r) => r.written));
    const failures = runs.reduce((n, r) => n + (r.stats.failures ?? 0) + (r.stats.droppedRecords ?? 0), 0);
    results.push({
      storage: `${kind} (${where})`,
      "log calls, records/s": Math.round(count / (logged / 1000)),
      "until written, records/s": Math.round(count / (written / 1000)),
      "written in ms": Math.round(written),
      "failed or dropped": failures,
    });
  }
} finally {
  await chromium.close();
}
console.log(
  `${count} records a run, ${perTask > 0 ? `${perTask} a task` : "all in one task"}, median of ${rounds} runs, ${new Date().toISOString()}`,
);
console.table(results);
