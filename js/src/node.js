// Node entry: the `web` wasm-bindgen glue (an ES module, bundled with the wrapper into
// dist/node.js, so start-up loads one file) over the package's one .wasm, read and
// instantiated synchronously (src/nodehost.js).
import * as glue from "../pkg/web/wasm_logging.js";
import { connectNode } from "./nodehost.js";

connectNode(glue);

export * from "./logging.js";
export { NodeFileStorage } from "./nodestorage.js";
export { NodeRemote } from "./noderemote.js";
//# sourceMappingURL=node.js.map
