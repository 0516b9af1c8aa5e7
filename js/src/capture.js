// Loggers as output streams (the cookbook's recipe 35): `console.*` calls and uncaught errors
// captured into loggers — CPython's `captureWarnings` in spirit, each with an undo — and
// `LoggerWriter`, a stream object that logs what is written to it.

import { DEBUG, ERROR, INFO, WARNING, report } from "./state.js";
import { Logger, getLogger } from "./logger.js";

let inspect = null;

/** Node's `util.format` for console arguments (set by the Node entry). @internal */
export function setConsoleFormat(fn) {
  inspect = fn;
}

function show(v) {
  if (typeof v === "string") return v;
  try {
    if (v instanceof Error) return v.stack ?? String(v);
    if (v !== null && typeof v === "object") return JSON.stringify(v) ?? String(v);
    return String(v);
  } catch {
    return "[unprintable]";
  }
}

/** The text `console.log(...args)` prints: `%s %d %i %f %o %O %j %c` in a first string, then the rest. */
function consoleText(args) {
  if (inspect !== null) return inspect(...args);
  if (args.length === 0) return "";
  let i = 0;
  let out;
  if (typeof args[0] === "string") {
    i = 1;
    out = args[0].replace(/%([sdifoOjc%])/g, (m, c) => {
      if (c === "%") return "%";
      if (i >= args.length) return m;
      const v = args[i++];
      switch (c) {
        case "s":
          return show(v);
        case "d":
          return String(Number(v));
        case "i":
          return String(parseInt(v, 10));
        case "f":
          return String(parseFloat(v));
        case "c":
          return "";
        default:
          return show(v);
      }
    });
  } else {
    out = show(args[i++]);
  }
  for (; i < args.length; i++) out += ` ${show(args[i])}`;
  return out;
}

function loggerOf(logger, fallback, what) {
  if (logger === undefined || logger === null) return getLogger(fallback);
  if (typeof logger === "string") return getLogger(logger);
  if (logger instanceof Logger || (typeof logger === "object" && typeof logger.log === "function")) return logger;
  throw new TypeError(`${what}: expected a Logger, a logger name or nothing`);
}

/** Logs `text` at `level` on `logger`, the caller of the caller of this function as its location. */
function logText(logger, level, text, excInfo) {
  if (!logger.isEnabledFor(level)) return;
  const kw = excInfo === undefined ? undefined : { excInfo };
  if (logger instanceof Logger) logger._log(level, text, [], kw, false, 3);
  else if (kw === undefined) logger.log(level, text);
  else logger.log(level, text, kw);
}

/** The console methods captured, and the level each logs at. */
const CONSOLE_LEVELS = { debug: DEBUG, log: INFO, info: INFO, warn: WARNING, error: ERROR };

let undoConsole = null;

/**
 * Captures `console.debug/log/info/warn/error` calls into `logger` (a `Logger`, a name;
 * default `getLogger("console")`) at DEBUG, INFO, INFO, WARNING and ERROR: each call becomes
 * one record whose message is the text the console would have printed. `levels` changes the
 * mapping (`{log: DEBUG}`). Returns the undo function; a second capture replaces the first.
 *
 * While a captured call is being logged, the console methods are the original ones, so a
 * handler that writes to the console (`ConsoleHandler`, a stream handler in a browser) does
 * not loop.
 */
export function captureConsole(logger = undefined, { levels = {} } = {}) {
  const target = loggerOf(logger, "console", "captureConsole");
  if (undoConsole !== null) undoConsole();
  const c = globalThis.console;
  const originals = {};
  const ours = {};
  let busy = false;
  for (const [name, defaultLevel] of Object.entries(CONSOLE_LEVELS)) {
    const level = levels[name] ?? defaultLevel;
    const original = c[name];
    originals[name] = original;
    ours[name] = function captured(...args) {
      if (busy) return original.apply(c, args);
      busy = true;
      try {
        logText(target, level, consoleText(args));
      } catch (e) {
        report("RuntimeError", e);
      } finally {
        busy = false;
      }
      return undefined;
    };
    c[name] = ours[name];
  }
  const undo = () => {
    for (const name of Object.keys(ours)) if (c[name] === ours[name]) c[name] = originals[name];
    if (undoConsole === undo) undoConsole = null;
  };
  undoConsole = undo;
  return undo;
}

let undoErrors = null;

/**
 * Captures uncaught errors into `logger` (a `Logger`, a name; default the root logger) at
 * `level` (default ERROR), with the error's traceback, as CPython programs do by replacing
 * `sys.excepthook`: `"Uncaught exception"` for an uncaught error, `"Unhandled promise
 * rejection"` for a rejection nobody handled.
 *
 * In Node (`process`'s `uncaughtException`, which also receives unhandled rejections) the
 * record replaces Node's own report and, as after CPython's `excepthook`, the process then
 * exits with status 1 (`logging.shutdown()` runs on exit); `exit: false` keeps it running.
 * In a browser (`error` and `unhandledrejection` events) the devtools report stays, unless
 * `preventDefault: true`. Returns the undo function; a second capture replaces the first.
 */
export function captureErrors(logger = undefined, { level = ERROR, exit = true, preventDefault = false } = {}) {
  const target = loggerOf(logger, undefined, "captureErrors");
  if (undoErrors !== null) undoErrors();
  const g = globalThis;
  const removers = [];
  const record = (message, err) => {
    try {
      if (err instanceof Error) logText(target, level, message, err);
      else logText(target, level, `${message}: ${show(err)}`);
    } catch (e) {
      report("RuntimeError", e);
    }
  };
  const proc = g.process;
  if (typeof g.addEventListener === "function" && typeof g.document !== "undefined") {
    const onError = (e) => {
      record("Uncaught exception", e.error ?? new Error(String(e.message)));
      if (preventDefault) e.preventDefault();
    };
    const onRejection = (e) => {
      record("Unhandled promise rejection", e.reason);
      if (preventDefault) e.preventDefault();
    };
    g.addEventListener("error", onError);
    g.addEventListener("unhandledrejection", onRejection);
    removers.push(() => g.removeEventListener("error", onError));
    removers.push(() => g.removeEventListener("unhandledrejection", onRejection));
  } else if (proc !== undefined && proc !== null && typeof proc.on === "function") {
    const onUncaught = (err, origin) => {
      record(origin === "unhandledRejection" ? "Unhandled promise rejection" : "Uncaught exception", err);
      if (exit) proc.exit(1);
    };
    proc.on("uncaughtException", onUncaught);
    removers.push(() => proc.off("uncaughtException", onUncaught));
  } else if (typeof g.addEventListener === "function") {
    // A Web Worker: the same events, on the worker's global.
    const onError = (e) => record("Uncaught exception", e.error ?? new Error(String(e.message)));
    const onRejection = (e) => record("Unhandled promise rejection", e.reason);
    g.addEventListener("error", onError);
    g.addEventListener("unhandledrejection", onRejection);
    removers.push(() => g.removeEventListener("error", onError));
    removers.push(() => g.removeEventListener("unhandledrejection", onRejection));
  }
  const undo = () => {
    for (const r of removers) r();
    removers.length = 0;
    if (undoErrors === undo) undoErrors = null;
  };
  undoErrors = undo;
  return undo;
}

const decoder = new TextDecoder();

/**
 * The cookbook's `LoggerWriter(logger, level)` (recipe 35): a stream whose `write(text)` logs
 * `text` at `level` (a bare `"\n"` is skipped), so anything that writes to a stream — a
 * `StreamHandler`, `process.stdout.write = w.write.bind(w)` — writes to a logger instead.
 */
export class LoggerWriter {
  constructor(logger, level = INFO) {
    /** The logger written to. */
    this.logger = loggerOf(logger, undefined, "LoggerWriter");
    /** The level of each record. */
    this.level = level;
  }

  /** Logs `message` (a string or bytes) unless it is a bare newline; returns true. */
  write(message) {
    const text = typeof message === "string" ? message : decoder.decode(message);
    if (text !== "\n") logText(this.logger, this.level, text);
    return true;
  }

  /** Nothing to flush. */
  flush() {}

  /** Nothing to close. */
  close() {}
}
//# sourceMappingURL=capture.js.map
