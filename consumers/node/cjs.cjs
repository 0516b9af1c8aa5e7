const logging = require("wasm-logging");

logging.basicConfig({ level: "DEBUG", format: "%(levelname)s %(name)s %(threadName)s: %(message)s", stream: "stdout" });
logging.getLogger("consumer.cjs").info("cjs says %s", "hello");
