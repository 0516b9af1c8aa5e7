// CommonJS under module nodenext: the `require` condition (Node's require(esm)).
import logging = require("wasm-logging");

logging.getLogger("cjs").warning("from %s", "require");
