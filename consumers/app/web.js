// The smaller download: wasm-logging/web with the .wasm as a separate asset, its URL from the
// bundler's asset import of the ./wasm subpath (`?url` in Vite; esbuild's file loader).
import init, * as logging from "wasm-logging/web";
import wasmUrl from "wasm-logging/wasm?url";

await init(wasmUrl);
const lines = [];
const h = new logging.CallbackHandler((text) => lines.push(text));
h.setFormatter(new logging.Formatter("%(levelname)s %(name)s %(threadName)s: %(message)s"));
logging.getLogger().addHandler(h);
logging.getLogger("consumer.web").warning("fetched %s", "the .wasm");
globalThis.__consumer = lines;
