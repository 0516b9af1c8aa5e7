// Browser transports in a page (loaded by ../browser-transports-chromium.test.js). The query
// string picks what runs; `window.__ready` resolves with the page's state once it is set up.
import { setup, logMany } from "./transports-setup.js";

const q = new URLSearchParams(location.search);
const opts = {
  kind: q.get("kind") ?? "http",
  collector: q.get("collector") ?? location.host,
  spill: q.has("spill"),
  retry: Number(q.get("retry") ?? 0.2),
  capacity: Number(q.get("capacity") ?? 10),
  beacon: q.has("beacon"),
};

async function main() {
  if (q.get("mode") === "worker") {
    const w = new Worker(new URL(`./transports-worker.js?${q}`, import.meta.url), { type: "module" });
    window.__worker = w;
    const done = new Promise((resolve) => w.addEventListener("message", (e) => resolve(e.data)));
    return { worker: await done };
  }
  const { logging, remote } = setup(opts);
  window.__logging = logging;
  window.__remote = remote;
  window.__log = (n, prefix) => logMany(logging, n, prefix);
  return { spilled: remote.spilled().length, resent: remote.stats.resent };
}

window.__ready = main();
