// The module Worker of the consumer app: its own copy of the package, threadName = its name.
import * as logging from "wasm-logging";

const lines = [];
const h = new logging.CallbackHandler((text) => lines.push(text));
h.setFormatter(new logging.Formatter("%(levelname)s %(name)s %(threadName)s: %(message)s"));
logging.getLogger().addHandler(h);
logging.getLogger("consumer.worker").warning("worker says %s", "hi");
postMessage(lines);
