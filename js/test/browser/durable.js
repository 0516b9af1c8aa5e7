// The page side of ../durable.test.js: `window.rpc(method, args)` runs a step of
// durable-scenarios.js here (?where=page) or in a dedicated module Worker (?where=worker).
import { Scenarios } from "./durable-scenarios.js";

const where = new URLSearchParams(location.search).get("where") ?? "page";

let call;
if (where === "worker") {
  const worker = new Worker(new URL("./durable-worker.js", import.meta.url), { type: "module", name: "log-worker" });
  const waiting = new Map();
  let next = 0;
  worker.onmessage = (ev) => {
    const { id, ok, value } = ev.data;
    const w = waiting.get(id);
    waiting.delete(id);
    if (ok) w.resolve(value);
    else w.reject(new Error(value));
  };
  worker.onerror = (ev) => {
    for (const w of waiting.values()) w.reject(new Error(`worker error: ${ev.message}`));
    waiting.clear();
  };
  call = (method, args) =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, method, args });
    });
} else {
  const s = new Scenarios();
  call = async (method, args) => s[method](args);
}

window.rpc = (method, args = {}) => call(method, args);
window.leaveNow = (method, args = {}) => {
  // Runs a step, then leaves the page in the same task (no await between the two).
  call(method, args).then(() => {
    location.href = "about:blank";
  });
};
window.__ready = true;
