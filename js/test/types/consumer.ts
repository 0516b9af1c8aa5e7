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
// A configuration held in a variable (its `version: 1` widens to number) needs no
// annotation; a version other than 1 is refused at run time, as in CPython.
const heldConfig = { version: 1, root: { level: "INFO" } };
logging.dictConfig(heldConfig);

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
  // Records between realms: a port or a bus on each side.
  const channel = new MessageChannel();
  const ph = new logging.PortQueueHandler(channel.port1);
  const wsh = new logging.PortQueueHandler(new logging.WebSocketBus("ws://127.0.0.1:9020"));
  const bus = { send(_obj: object) {}, subscribe: (_cb: (obj: unknown) => void) => () => {} };
  const pl = new logging.PortQueueListener(
    [channel.port2, new logging.BroadcastChannelBus("logs"), bus],
    fh,
    { handle: (r: logging.LogRecord) => logging.getLogger(r.name).handle(r) },
    { respectHandlerLevel: true, capacity: 100 },
  );
  pl.start();
  const passed: boolean = fh.handle(logging.makeLogRecord({ name: "y", msg: "there" }));
  void [ph.sent, wsh.lost, pl.received, passed];
  // @ts-expect-error a listener needs a source
  new logging.PortQueueListener();
  logging.setStorage(new logging.NodeFileStorage("/tmp"));
  logging.setStorage(null);
  void [rot2, text, qh];
  // @ts-expect-error a storage must have every method
  logging.setStorage({ append() {} });
  // @ts-expect-error maxBytes is a number
  new logging.RotatingFileHandler("r.log", { maxBytes: "big" });
}

// Issue 12: streams, the module-level functions, record factories, message objects,
// formatter and handler subclasses, captures, identity and start time. (No @types/node here:
// Node's process streams stand in as writables.)
declare const process: { stdout: logging.WritableLike; stderr: logging.WritableLike };
{
  const out = new logging.StreamHandler(process.stdout);
  const err: logging.StreamHandler = new logging.StreamHandler();
  out.terminator = "\r\n";
  const asConsole: logging.StreamHandler = new logging.ConsoleHandler("stdout");
  logging.basicConfig({ stream: process.stderr, force: true });
  logging.info("root %s", "info");
  logging.warning("root warning");
  logging.exception("failed", new Error("x"));
  logging.log(25, "custom");
  const old: logging.LogRecordFactory = logging.getLogRecordFactory();
  logging.setLogRecordFactory((...args) => {
    const r = old(...args);
    r.custom_attribute = 0xdecafbad;
    return r;
  });
  logging.setLogRecordFactory(null);
  logging.setLogRecordFactory(logging.LogRecord);
  log.info(new logging.BraceMessage("{0} {name}", 2, { name: "x" }));
  log.info(new logging.DollarMessage("$what", { what: "x" }));
  class OneLine extends logging.Formatter {
    formatException(excInfo: unknown): string {
      return JSON.stringify(super.formatException(excInfo));
    }
    format(record: logging.LogRecord): string {
      const s = super.format(record);
      return record.exc_text ? s.replace(/\n/g, "") + "|" : s;
    }
  }
  out.setFormatter(new OneLine("%(asctime)s|%(message)s", "%d/%m/%Y"));
  class Buffered extends logging.BufferingHandler {
    flush(): void {
      const texts: string[] = this.buffer.map((r) => this.format(r));
      void texts;
      super.flush();
    }
    shouldFlush(record: logging.LogRecord): boolean {
      return record.levelno >= logging.ERROR || super.shouldFlush(record);
    }
  }
  const b = new Buffered(10);
  b.flushOnClose = false;
  const mh = new logging.MemoryHandler(10, "ERROR", b);
  const dropped: number = mh.clear();
  const rot = new logging.RotatingFileHandler("r.log", { maxBytes: 100, backupCount: 2 });
  rot.namer = (name) => `${name}.gz`;
  rot.rotator = (source, dest) => void [source, dest];
  rot.namer = null;
  const undo: logging.Undo = logging.captureConsole(log);
  undo();
  logging.captureErrors("errors", { exit: false })();
  const w = new logging.LoggerWriter(log, logging.INFO);
  w.write("text");
  new logging.StreamHandler(w);
  logging.setThreadName("t");
  logging.setProcessName("p");
  const who: { threadName: string; processName: string } = logging.getWorkerNames();
  logging.setStartTime(1_700_000_000_000n);
  logging.setStartTime(Date.now());
  const start: number = logging.getStartTime();
  logging.disable("INFO");
  const fromFn: number = logging.runWithContext({ request_id: "r-1", user: "ann" }, () => 42);
  const later: Promise<string> = logging.runWithContext({ request_id: "r-2" }, async () => {
    await Promise.resolve();
    const ctx: logging.ContextFields = logging.getContext();
    return String(ctx.request_id);
  });
  log.addFilter((record) => record.request_id !== "drop");
  void [err, asConsole, dropped, who, start, fromFn, later];
  // @ts-expect-error: the context is read-only
  logging.getContext().request_id = "x";
  // @ts-expect-error: fields are an object of names and values
  logging.runWithContext("r-1", () => 0);
  // @ts-expect-error: a stream needs write()
  new logging.StreamHandler({ flush() {} });
  // @ts-expect-error: a namer maps a name to a name
  rot.namer = (name: string) => name.length;
}

// Durable browser storage: opened asynchronously, then a synchronous Storage.
async function durable(): Promise<void> {
  const opfs = await logging.OPFSStorage.open({ dir: "logs", mode: "auto", maxPending: 1 << 20 });
  const idb = await logging.IndexedDBStorage.open({ name: "app-logs", durability: "strict" });
  logging.setStorage(opfs);
  const mode: "sync" | "async" = opfs.mode;
  await opfs.flush();
  const text: string | null = await idb.text("app.log");
  const blob: Blob = await idb.readSet("app.log", { format: "ndjson" });
  const saved: Blob = await opfs.download("app.log", { filename: "app-logs.txt" });
  const pending: number = idb.stats().pendingBytes;
  const set: string[] = opfs.setNames("app.log");
  // @ts-expect-error: the format is "log" or "ndjson"
  await idb.readSet("app.log", { format: "csv" });
  // @ts-expect-error: mode is "auto", "sync" or "async"
  await logging.OPFSStorage.open({ mode: "fast" });
  void [mode, text, blob, saved, pending, set];
}
void durable;

// wasm-logging/lite: the small module's subset, the same declarations.
import * as lite from "wasm-logging/lite";
const liteLog: lite.Logger = lite.getLogger("app.lite");
liteLog.info("ready %d", 1);
const liteHandler = new lite.CallbackHandler((text: string) => void text);
liteHandler.setFormatter(new lite.Formatter("%(asctime)s %(name)s %(message)s"));
liteLog.addHandler(liteHandler);
lite.basicConfig({ level: "INFO", format: lite.BASIC_FORMAT });
const liteRecord: lite.LogRecord = lite.LogRecord("n", 20, "p", 1, "m", [], null);
void liteRecord;
// @ts-expect-error: dictConfig is in `wasm-logging` only
lite.dictConfig({ version: 1 });
// @ts-expect-error: JsonFormatter is in `wasm-logging` only
new lite.JsonFormatter();
