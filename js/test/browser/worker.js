// A named module Worker (see page.js): logs once and reports what the record carried.
import init, * as logging from "../../src/web.js";

await init();
const l = logging.getLogger("in.worker");
l.addHandler(new logging.CallbackHandler((text, r) => postMessage([text, r.threadName, r.processName])));
l.warning("hello from %s", self.name);
