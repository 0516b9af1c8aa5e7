// `moduleResolution: node10` ignores the exports map: the subpath's types come from
// typesVersions.
import init, { getLogger, type InitInput } from "wasm-logging/web";
import { getLevelName } from "wasm-logging";

const input: InitInput = new URL("https://example.org/wasm_logging_bg.wasm");
const ready: Promise<void> = init(input);
ready.then(() => getLogger("node10").info("level %s", getLevelName(20)));
