// `wasm-logging/lite`: the small module, for apps that need the logging model but not its
// configuration and transport layers. The same core, built without its `full` feature
// (Cargo.toml) and with the full module's speed profile, inlined as base64 and instantiated
// synchronously like the default browser entry (src/browser.js), so any bundler or plain page
// loads it with no configuration.
//
// It has the hierarchy, levels, `%`-style Formatter, basicConfig (no `filename`), the
// console, stream, callback, memory, buffering and null handlers, filters, adapters, the
// record factory, context fields and console capture. dictConfig, JsonFormatter, the `{` and
// `$` styles (a clear ValueError), BraceMessage/DollarMessage, storage, queues, remote and
// worker handlers are in `wasm-logging` only. An app uses one entry or the other: the two are
// separate instances, so mixing them makes two independent logging trees.
import * as glue from "../pkg/lite-inline/wasm_logging.js";
import bind, { flush } from "./logging.js";
import { browserIdentity, flushOnPageHide } from "./identity.js";

bind(glue, browserIdentity());
flushOnPageHide(flush);

export * from "./api.js";
//# sourceMappingURL=lite.js.map
