// Bundler entry (webpack, Vite, Rollup …): the `bundler` wasm-bindgen build, whose `.wasm`
// import the bundler resolves. Ready as soon as it is imported.
import * as glue from "../pkg/bundler/wasm_logging.js";
import bind, { flush } from "./logging.js";
import { browserIdentity, flushOnPageHide } from "./identity.js";

bind(glue, browserIdentity());
flushOnPageHide(flush);

export * from "./logging.js";
//# sourceMappingURL=bundler.js.map
