import * as logging from "wasm-logging";

logging.basicConfig({ level: "DEBUG", format: "%(levelname)s %(name)s %(threadName)s: %(message)s", stream: "stdout" });
logging.getLogger("consumer.esm").info("esm says %s", "hello");
