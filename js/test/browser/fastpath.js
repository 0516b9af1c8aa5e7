// The package's default browser entry (the inline module), the scenarios of
// fastpath-scenarios.js, results on window.__results for ../fastpath.test.js.
import * as logging from "../../src/browser.js";
import { raw } from "../../src/state.js";
import { runFastpath } from "./fastpath-scenarios.js";

const NS = 1_700_000_000_123_456_789n;
logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
logging.setStartTime(NS);

/** What `fn` reported on the console, one line per console call. */
function capture(fn) {
  const methods = ["debug", "info", "warn", "error", "log"];
  const saved = methods.map((m) => console[m]);
  const seen = [];
  for (const m of methods) console[m] = (...args) => seen.push(args.map(String).join(" "));
  try {
    fn();
  } finally {
    methods.forEach((m, i) => {
      console[m] = saved[i];
    });
  }
  return seen.join("\n");
}

try {
  window.__results = runFastpath(logging, raw, capture);
} catch (e) {
  window.__results = { failed: `${e.name}: ${e.message}\n${e.stack}` };
}
