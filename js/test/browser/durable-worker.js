// The Worker side of durable.js: runs the steps it is sent, answers with their results.
import { Scenarios } from "./durable-scenarios.js";

const s = new Scenarios();
self.onmessage = async (ev) => {
  const { id, method, args } = ev.data;
  try {
    postMessage({ id, ok: true, value: await s[method](args) });
  } catch (e) {
    postMessage({ id, ok: false, value: String(e && e.stack ? e.stack : e) });
  }
};
