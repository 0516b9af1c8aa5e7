// Cold start: import wasm-logging (the Node entry instantiates the Wasm synchronously), one line.
import * as logging from "wasm-logging"; // the package as users import it (dist/node.js)

const h = new logging.CallbackHandler((t) => process.stdout.write(t + "\n"));
h.setFormatter(new logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"));
const log = logging.getLogger("app");
log.addHandler(h);
log.setLevel(logging.INFO);
log.info("ready %d", 1);
