// Web entry: the `web` wasm-bindgen build, for a plain <script type="module"> with no
// bundler. `await init()` once before using the API (it fetches the .wasm next to this
// package's files, or what you pass).
import initWasm, * as glue from "../pkg/web/wasm_logging.js";
import { initSync as initWasmSync } from "../pkg/web/wasm_logging.js";
import bind, { flush } from "./logging.js";
import { browserIdentity, flushOnPageHide } from "./identity.js";

export * from "./logging.js";

let ready = null;

function connect() {
  bind(glue, browserIdentity());
  flushOnPageHide(flush);
}

/**
 * Loads the Wasm module: from `input` (a URL, a `Response`, bytes or a
 * `WebAssembly.Module`) or from `wasm_logging_bg.wasm` next to the package. Idempotent.
 */
export default function init(input) {
  if (ready === null) {
    ready = initWasm(input === undefined ? undefined : { module_or_path: input }).then(connect);
  }
  return ready;
}

/** Synchronous `init` from bytes or a compiled `WebAssembly.Module` (e.g. in a Worker). */
export function initSync(module) {
  if (ready === null) {
    initWasmSync({ module });
    connect();
    ready = Promise.resolve();
  }
}
//# sourceMappingURL=web.js.map
