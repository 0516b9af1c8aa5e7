// %(filename)s and %(lineno)d under webpack's development default (devtool "eval").
import * as logging from "wasm-logging";

const lines = [];
const h = new logging.CallbackHandler((text) => lines.push(text));
h.setFormatter(new logging.Formatter("%(filename)s:%(lineno)d %(message)s"));
logging.getLogger().addHandler(h);
logging.getLogger("loc").warning("top level");
function handler() {
  logging.getLogger("loc").warning("in a function");
}
handler();
globalThis.__consumer = lines;
