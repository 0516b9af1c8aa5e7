// Browser entry, the package's default outside Node: the wasm-bindgen module is embedded in
// the JavaScript (pkg/inline, generated from the `bundler` build by scripts/js-inline.mjs) and
// instantiated synchronously, so the API is ready as soon as it is imported and any bundler,
// worker format or plain <script type="module"> page loads it with no configuration.
// `wasm-logging/web` (a separate .wasm fetched by `await init()`, 86 KB less gzip) and
// `wasm-logging/bundler` (the bundler's own Wasm ESM integration) are the alternatives;
// docs/consumers.md compares them.
import * as glue from "../pkg/inline/wasm_logging.js";
import bind, { flush } from "./logging.js";
import { browserIdentity, flushOnPageHide } from "./identity.js";

bind(glue, browserIdentity());
flushOnPageHide(flush);

export * from "./logging.js";
//# sourceMappingURL=browser.js.map
