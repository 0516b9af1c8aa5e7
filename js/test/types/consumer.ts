// Compiled (not run) by types.test.js: the hand-written declarations accept what the README
// shows and reject misuse. Imports the package by its own name, through its exports map.
import * as logging from "wasm-logging";
import init, { getLogger as webGetLogger, initSync } from "wasm-logging/web";

const log: logging.Logger = logging.getLogger("app.net");
log.setLevel("INFO");
log.setLevel(logging.DEBUG);
log.info("connected to %s:%d", "example.org", 443);
log.warning("with options", { extra: { user: "ann" }, stackInfo: true, stacklevel: 2 });
log.exception(new Error("boom"));
log.log(25, "custom");
const child: logging.Logger = log.getChild("tls");
const parent: logging.Logger | null = child.parent;
const enabled: boolean = log.isEnabledFor(logging.WARNING);
log.propagate = false;

const fmt = new logging.Formatter("%(asctime)s %(levelname)-8s %(message)s", "%H:%M:%S");
const fmt2 = new logging.Formatter({ fmt: "{message}", style: "{", utc: true });
const jf = new logging.JsonFormatter({ keys: ["asctime", "message"], extra: false, datefmt: null, utc: true });
const jkeys: readonly string[] = jf.keys;
new logging.CallbackHandler(() => {}).setFormatter(new logging.JsonFormatter());
const h = new logging.ConsoleHandler({ styles: true, extras: true });
h.setFormatter(fmt);
h.setLevel("WARNING");
log.addHandler(h);
log.addHandler(new logging.MemoryHandler(100, logging.ERROR, new logging.CallbackHandler((text, record) => {
  const n: number = record.lineno;
  const s: string = text + record.levelname + n;
  void s;
})));
log.addFilter((record) => record.levelno >= logging.INFO);
log.addFilter(new logging.Filter("app"));
log.addFilter({ filter: (r: logging.LogRecord) => ({ ...r, msg: "x" }) });
const adapter = new logging.LoggerAdapter(log, { connid: 7 }, true);
adapter.info("through %s", "adapter");
class Upper extends logging.Handler {
  emit(record: logging.LogRecord): void {
    void this.format(record).toUpperCase();
  }
}
logging.basicConfig({ level: "INFO", format: "%(message)s", handlers: [new Upper()], force: true });
logging.setFixedTime(1_700_000_000_000n, { utcOffset: 0 });
const n: number = logging.getLevelNamesMapping()["INFO"];
const name: string = logging.getLevelName(20);
logging.setCallerInfo("auto");
logging.disable();
logging.shutdown();
logging.registerFactory("__main__.filter_maker", (kwargs) => {
  const level = logging.getLevelName(String(kwargs.level));
  return (record: logging.LogRecord) => record.levelno <= Number(level);
});
logging.registerFactory("myapp.Upper", () => new Upper());
logging.dictConfig({
  version: 1,
  disable_existing_loggers: false,
  filters: { below: { "()": "__main__.filter_maker", level: "WARNING" } },
  handlers: { out: { class: "logging.StreamHandler", stream: "ext://sys.stdout", filters: ["below"] } },
  root: { level: "DEBUG", handlers: ["out"] },
});
try {
  logging.dictConfig({ version: 1, handlers: { m: { class: "logging.handlers.MemoryHandler" } } });
} catch (e) {
  const path: string = (e as logging.ConfigError).path;
  void path;
}
const named: logging.Handler | null = logging.getHandlerByName("out");
named?.listener?.start();
const names: string[] = logging.getHandlerNames();
const pumped: number = logging.pump();
logging.unregisterFactory("myapp.Upper");
void [child, parent, enabled, fmt2, n, name, webGetLogger, initSync, names, pumped];
async function web(): Promise<void> {
  await init();
  await init(new URL("https://example.org/x.wasm"));
}
void web;

// @ts-expect-error: loggers come from getLogger
new logging.Logger();
// @ts-expect-error: log() needs a numeric level
log.log("INFO", "x");
// @ts-expect-error: unknown option
logging.basicConfig({ filemode: "w", nope: true });
// @ts-expect-error: style is one of % { $
new logging.Formatter("x", null, "^");
// @ts-expect-error: dictConfig needs version 1
logging.dictConfig({ version: 2 });

// Storage, file handlers and the queue pieces.
{
  const mem = new logging.MemoryStorage();
  logging.setStorage(mem);
  const fh: logging.Handler = new logging.FileHandler("app.log", "w");
  const rot = new logging.RotatingFileHandler("r.log", { maxBytes: 1000, backupCount: 3 });
  const rot2 = new logging.RotatingFileHandler("r.log", "a", 1000, 3);
  const text: string | null = mem.text("app.log");
  logging.basicConfig({ filename: "basic.log", filemode: "w" });
  const q = new logging.Queue();
  logging.registerFactory("__main__.q", () => q);
  const qh = new logging.QueueHandler(q);
  const listener = new logging.QueueListener(q, fh, rot, { respectHandlerLevel: true });
  listener.start();
  logging.getLogger("x").handle(logging.makeLogRecord({ name: "x", msg: "hi" }));
  logging.setStorage(new logging.NodeFileStorage("/tmp"));
  logging.setStorage(null);
  void [rot2, text, qh];
  // @ts-expect-error a storage must have every method
  logging.setStorage({ append() {} });
  // @ts-expect-error maxBytes is a number
  new logging.RotatingFileHandler("r.log", { maxBytes: "big" });
}
