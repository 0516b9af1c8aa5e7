// Shared by transports.js (a page) and transports-worker.js (a module Worker): BrowserRemote
// plus one handler built by dictConfig, from a plain options object.
import * as logging from "../../src/browser.js";

/**
 * `kind`: "http" (HTTPHandler, POST), "batch" (BufferingHTTPHandler, NDJSON), "otlp" or "ws"
 * (WebSocketHandler);
 * `collector`: "host:port"; `spill`: use localStorage; `retry`: retryStart in seconds.
 */
export function setup({ kind, collector, spill = false, retry = 0.2, capacity = 10, beacon = false }) {
  const options = spill ? { spill: globalThis.localStorage } : {};
  if (beacon) {
    // Keepalive refused when the page is hidden (requests made then carry no signal), so
    // that the beacon fallback runs, as in browsers without keepalive.
    options.fetch = (url, init) => {
      if (init.keepalive && init.signal === undefined) throw new TypeError("keepalive refused (test)");
      return fetch(url, init);
    };
  }
  const remote = new logging.BrowserRemote(options);
  logging.setRemote(remote);
  const handler =
    kind === "ws"
      ? { class: "wasm_logging.WebSocketHandler", url: `ws://${collector}/ws` }
      : kind === "http"
      ? { class: "logging.handlers.HTTPHandler", host: collector, url: "/collect", method: "POST" }
      : kind === "batch"
        ? { class: "wasm_logging.BufferingHTTPHandler", host: collector, url: "/collect", body: "records", capacity, interval: 5 }
        : { class: "wasm_logging.OTLPHandler", host: collector, url: "/v1/logs", capacity, interval: 5 };
  handler["."] = { retryStart: retry, retryMax: retry * 2 };
  logging.dictConfig({ version: 1, handlers: { h: handler }, root: { level: "DEBUG", handlers: ["h"] } });
  return { logging, remote };
}

/** Logs `n` records "r0".."r{n-1}" with a little payload. */
export function logMany(logging, n, prefix = "r") {
  const log = logging.getLogger("page");
  for (let i = 0; i < n; i++) log.info(`${prefix}${i}`, { extra: { i, pad: "x".repeat(40) } });
}
