// Cold start: import wasm-logging (the Node entry instantiates the Wasm synchronously), one line.
// The line reaches stdout as pino's default destination sends it (sonic-boom: a synchronous
// write to fd 1), so both pay the same for the output itself; `process.stdout.write` would
// add ~2.4 ms of stream set-up on its first use (Node 20, stdout a pipe), a cost of the
// callback the program chose, not of either library.
import { writeSync } from "node:fs";
import * as logging from "wasm-logging"; // the package as users import it (dist/node.js)

const h = new logging.CallbackHandler((t) => writeSync(1, t + "\n"));
h.setFormatter(new logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"));
const log = logging.getLogger("app");
log.addHandler(h);
log.setLevel(logging.INFO);
log.info("ready %d", 1);
