// The workloads of the comparison harness (issues 6 and 13), for wasm-logging and each Node
// peer, each set up in its fastest idiomatic way and writing to one in-process sink that reads
// the formatted text of every record. Used by compare-child.js (one peer × workload per process); the
// methodology is in ../../bench/README.md.
//
// W1 disabled   level WARNING, debug('message %d', i)                          → ns/op
// W2 text       info('Message no. %d', i) as "<time> <name> <LEVEL> <message>" → records/s
// W3 hierarchy  the same on logger app.net.http, the handler only on an ancestor
// W4 structured a record with 5 fields (string, int, float, bool, nested object), one JSON line
// W5 context    an adapter / child logger with 2 bound fields, one JSON line
//
// Caller location (file/line) is off for every peer: ours by setCallerInfo(false), CPython by
// logging._srcfile = None; the others never capture it.

export const WORKLOADS = ["W1", "W2", "W3", "W4", "W5"];

export const WORKLOAD_INFO = {
  W1: { title: "disabled call", unit: "ns/op", expectLines: false },
  W2: { title: "enabled text", unit: "records/s", expectLines: true },
  W3: { title: "hierarchy (handler on an ancestor)", unit: "records/s", expectLines: true },
  W4: { title: "structured (5 fields, JSON line)", unit: "records/s", expectLines: true },
  W5: { title: "context (2 bound fields, JSON line)", unit: "records/s", expectLines: true },
};

/**
 * The peers, in table order (the measuring order rotates per round: compare.js). `pkg` is the
 * npm package whose version is reported. The three pino rows differ only in pino's options.
 */
export const PEERS = [
  { id: "ours", label: "wasm-logging", pkg: null, how: "CallbackHandler + Formatter / JsonFormatter, setCallerInfo(false)" },
  { id: "pino-fastest", label: "pino (fastest)", pkg: "pino", how: "pino({level, base: {name}}, {write}): epoch-ms time, no pid/hostname: pino's fastest configuration (issue 13's reference)" },
  { id: "pino-iso", label: "pino (ISO time)", pkg: "pino", how: "as pino (fastest) plus timestamp: pino.stdTimeFunctions.isoTime (a formatted time, as ours and the others write)" },
  { id: "pino", label: "pino (defaults)", pkg: "pino", how: "pino({level, name}, {write}): pino's defaults: epoch-ms time, pid + hostname, numeric level" },
  { id: "loglevel", label: "loglevel", pkg: "loglevel", how: "methodFactory plugin formatting to the sink (util.format)" },
  { id: "logtape", label: "LogTape", pkg: "@logtape/logtape", how: "configureSync, function sink + getTextFormatter / getJsonLinesFormatter" },
  { id: "winston", label: "winston", pkg: "winston", how: "createLogger, format.combine(timestamp, splat, printf/json), custom Transport" },
  { id: "cpython", label: "CPython logging", pkg: null, how: "Handler subclass, logging._srcfile=None, logThreads/Processes/Multiprocessing off" },
];

/**
 * The sink every peer writes to, the same function for all. It reads the text of every record:
 * a lazily concatenated string (a V8 cons-string, as pino and the plugins build their lines)
 * must be materialized (flattened) before a character inside it can be read, so the cost of
 * building a line is paid inside the timing, as any real sink (a stream, a file, a socket)
 * would pay it. The character from the middle and the length are folded into `sum`, which
 * compare-child.js prints, so the reads cannot be optimized away. bench/python/run_one.py
 * does the same for CPython.
 */
export const sink = { count: 0, bytes: 0, sum: 0, last: "" };
function write(text) {
  const n = text.length;
  sink.count++;
  sink.bytes += n;
  sink.sum = (Math.imul(sink.sum, 31) + text.charCodeAt(n >> 1) + n) | 0;
  sink.last = text;
}

export class NotAvailable extends Error {}

const TEXT_FMT = "%(asctime)s %(name)s %(levelname)s %(message)s";
const JSON_KEYS = ["asctime", "name", "levelname", "message"];
const fields = (i) => ({ s: "str", n: i, f: 1.5, b: true, o: { k: "v", n: 1 } });
const BOUND = { user: "ann", req: 42 };

// ---- wasm-logging ---------------------------------------------------------------------
async function ours(w) {
  // The package as users import it ("exports" → dist/node.js, the bundled Node entry).
  const logging = await import("wasm-logging");
  logging.setCallerInfo(false);
  const h = new logging.CallbackHandler(write);
  if (w === "W4" || w === "W5") {
    if (typeof logging.JsonFormatter !== "function") throw new NotAvailable("JsonFormatter not available");
    let f;
    try {
      f = new logging.JsonFormatter({ keys: JSON_KEYS, extra: true });
    } catch (e) {
      // The wrapper has it but the built package does not (yet): said so, not a failure.
      throw new NotAvailable(`JsonFormatter not available: ${e.message}`);
    }
    h.setFormatter(f);
  } else {
    h.setFormatter(new logging.Formatter(TEXT_FMT));
  }
  const app = logging.getLogger("app");
  app.propagate = false;
  app.addHandler(h);
  app.setLevel(w === "W1" ? logging.WARNING : logging.INFO);
  switch (w) {
    case "W1":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.debug("message %d", i);
      };
    case "W2":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.info("Message no. %d", i);
      };
    case "W3": {
      const http = logging.getLogger("app.net.http");
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) http.info("Message no. %d", i);
      };
    }
    case "W4":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.info("event", { extra: fields(i) });
      };
    case "W5": {
      const ad = new logging.LoggerAdapter(app, BOUND);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) ad.info("Message no. %d", i);
      };
    }
  }
}

// ---- pino -----------------------------------------------------------------------------
async function pinoPeer(w, config) {
  const { default: pino } = await import("pino");
  const dest = { write };
  const level = w === "W1" ? "warn" : "info";
  // "defaults": pino's own (`name` joins the default base {pid, hostname}). "fastest": the base
  // is only the name (no pid/hostname), epoch-ms time. "iso": the same with ISO-8601 time.
  const opts = (name) => {
    if (config === "defaults") return name ? { level, name } : { level };
    const o = { level, base: name ? { name } : null };
    if (config === "iso") o.timestamp = pino.stdTimeFunctions.isoTime;
    return o;
  };
  switch (w) {
    case "W1": {
      const log = pino(opts("app"), dest);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) log.debug("message %d", i);
      };
    }
    case "W2": {
      const log = pino(opts("app"), dest);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) log.info("Message no. %d", i);
      };
    }
    case "W3": {
      // No hierarchy in pino: a child logger of the one that owns the destination.
      const root = pino(opts(undefined), dest);
      const log = root.child({ name: "app.net.http" });
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) log.info("Message no. %d", i);
      };
    }
    case "W4": {
      const log = pino(opts("app"), dest);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) log.info(fields(i), "event");
      };
    }
    case "W5": {
      const log = pino(opts("app"), dest).child(BOUND);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) log.info("Message no. %d", i);
      };
    }
  }
}

// ---- loglevel -------------------------------------------------------------------------
async function loglevelPeer(w) {
  const { default: log } = await import("loglevel");
  const { format } = await import("node:util");
  // The plugin API: a methodFactory returning the level method; loglevel has no formatter, so
  // the plugin formats (util.format is what Node's console uses for %d).
  const text = (methodName, _level, loggerName) => {
    const LEVEL = methodName.toUpperCase();
    const name = String(loggerName);
    return (...args) => write(`${new Date().toISOString()} ${name} ${LEVEL} ${format(...args)}`);
  };
  const json = (bound) => (methodName, _level, loggerName) => {
    const name = String(loggerName);
    return (msg, ...rest) => {
      const last = rest.length > 0 && typeof rest[rest.length - 1] === "object" ? rest.pop() : undefined;
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          name,
          level: methodName,
          message: rest.length > 0 ? format(msg, ...rest) : msg,
          ...bound,
          ...last,
        }),
      );
    };
  };
  switch (w) {
    case "W1": {
      const l = log.getLogger("app");
      l.methodFactory = text;
      l.setLevel("warn");
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) l.debug("message %d", i);
      };
    }
    case "W2": {
      const l = log.getLogger("app");
      l.methodFactory = text;
      l.setLevel("info");
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) l.info("Message no. %d", i);
      };
    }
    case "W3": {
      // loglevel has one level of hierarchy: named loggers take the root's methodFactory and
      // level when created, so the "handler" (the plugin) is installed on the root only.
      log.methodFactory = text;
      log.setLevel("info");
      const l = log.getLogger("app.net.http");
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) l.info("Message no. %d", i);
      };
    }
    case "W4": {
      const l = log.getLogger("app");
      l.methodFactory = json(undefined);
      l.setLevel("info");
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) l.info("event", fields(i));
      };
    }
    case "W5": {
      // No child loggers with bound fields: emulated by a plugin that closes over them.
      const l = log.getLogger("app.ctx");
      l.methodFactory = json(BOUND);
      l.setLevel("info");
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) l.info("Message no. %d", i);
      };
    }
  }
}

// ---- LogTape --------------------------------------------------------------------------
async function logtapePeer(w) {
  const lt = await import("@logtape/logtape");
  const fmt = w === "W4" || w === "W5" ? lt.getJsonLinesFormatter() : lt.getTextFormatter();
  lt.configureSync({
    sinks: { mem: (record) => write(fmt(record)) },
    loggers: [
      { category: ["app"], lowestLevel: w === "W1" ? "warning" : "info", sinks: ["mem"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
  });
  const app = lt.getLogger(["app"]);
  switch (w) {
    case "W1":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.debug("message {i}", { i });
      };
    case "W2":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.info("Message no. {i}", { i });
      };
    case "W3": {
      const http = lt.getLogger(["app", "net", "http"]);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) http.info("Message no. {i}", { i });
      };
    }
    case "W4":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.info("event", fields(i));
      };
    case "W5": {
      const ctx = app.with(BOUND);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) ctx.info("Message no. {i}", { i });
      };
    }
  }
}

// ---- winston --------------------------------------------------------------------------
async function winstonPeer(w) {
  const { default: winston } = await import("winston");
  const MESSAGE = Symbol.for("message");
  class SinkTransport extends winston.Transport {
    log(info, callback) {
      write(info[MESSAGE]);
      callback();
    }
  }
  const { format } = winston;
  const structured = w === "W4" || w === "W5";
  const logger = winston.createLogger({
    level: w === "W1" ? "warn" : "info",
    defaultMeta: w === "W3" ? undefined : { name: "app" },
    format: structured
      ? format.combine(format.timestamp(), format.splat(), format.json())
      : format.combine(
          format.timestamp(),
          format.splat(),
          format.printf((i) => `${i.timestamp} ${i.name} ${i.level.toUpperCase()} ${i.message}`),
        ),
    transports: [new SinkTransport()],
  });
  switch (w) {
    case "W1":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) logger.debug("message %d", i);
      };
    case "W2":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) logger.info("Message no. %d", i);
      };
    case "W3": {
      // No hierarchy in winston: a child logger of the one that owns the transport.
      const http = logger.child({ name: "app.net.http" });
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) http.info("Message no. %d", i);
      };
    }
    case "W4":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) logger.info("event", fields(i));
      };
    case "W5": {
      const ctx = logger.child(BOUND);
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) ctx.info("Message no. %d", i);
      };
    }
  }
}

/** A function `(i0, n) => void` running `n` calls of workload `w` for `peer`. */
export async function setup(peer, w) {
  switch (peer) {
    case "ours":
      return ours(w);
    case "pino":
      return pinoPeer(w, "defaults");
    case "pino-fastest":
      return pinoPeer(w, "fastest");
    case "pino-iso":
      return pinoPeer(w, "iso");
    case "loglevel":
      return loglevelPeer(w);
    case "logtape":
      return logtapePeer(w);
    case "winston":
      return winstonPeer(w);
    default:
      throw new Error(`unknown peer ${peer}`);
  }
}

// ---- shape checks (outside the timing) ------------------------------------------------
function deepFind(obj, key, value) {
  if (obj === null || typeof obj !== "object") return false;
  for (const [k, v] of Object.entries(obj)) {
    if (k === key && v === value) return true;
    if (deepFind(v, key, value)) return true;
  }
  return false;
}
function deepHasString(obj, re) {
  if (typeof obj === "string") return re.test(obj);
  if (obj === null || typeof obj !== "object") return false;
  return Object.values(obj).some((v) => deepHasString(v, re));
}

/**
 * Checks that `line` (the last text the sink received) has the expected shape for `w`;
 * returns an error string or null. Shared with the CPython child's output.
 */
export function checkShape(w, line, count) {
  if (w === "W1") return count === 0 ? null : `a disabled call produced ${count} lines`;
  if (count === 0 || typeof line !== "string" || line.length === 0) return "the sink received nothing";
  const text = line.trim();
  if (w === "W2" || w === "W3") {
    if (!/Message no\. \d+/.test(text)) return "no 'Message no. N'";
    const name = w === "W3" ? /app\W{1,3}net\W{1,3}http/ : /\bapp\b/;
    if (!name.test(text)) return `no logger name ${name}`;
    if (!/INFO|\bINF\b|\binfo\b|"level":30/.test(text)) return "no INFO level";
    if (!/\d{4}-\d\d-\d\d|"time":\d{13}/.test(text)) return "no time";
    return null;
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `not one JSON line: ${e.message}`;
  }
  if (w === "W4") {
    for (const [k, v] of [["s", "str"], ["f", 1.5], ["b", true], ["k", "v"]]) {
      if (!deepFind(doc, k, v)) return `field ${k}=${JSON.stringify(v)} missing`;
    }
    if (!deepHasString(doc, /^event$/)) return "no message 'event'";
    return null;
  }
  for (const [k, v] of [["user", "ann"], ["req", 42]]) {
    if (!deepFind(doc, k, v)) return `bound field ${k}=${JSON.stringify(v)} missing`;
  }
  if (!deepHasString(doc, /Message no\. \d+/)) return "no 'Message no. N'";
  return null;
}
