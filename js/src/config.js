// Module-level functions: levels by name, disable, basicConfig, shutdown, the clock and
// identity used on records.

import { CRITICAL, levelArgument, need, raw, realmNames, reportCaught, setRealmNames } from "./state.js";
import { resyncAll } from "./logger.js";
import { Handler, StreamHandler, standardStream } from "./handlers.js";
import { noteFormat } from "./callerinfo.js";


/** `logging.addLevelName(level, name)`. */
export function addLevelName(level, name) {
  level = levelArgument(level, "addLevelName");
  if (level === undefined) return;
  need().addLevelName(level, String(name));
}

/** `logging.getLevelName(level)`: a number gives a name, a name gives a number. */
export function getLevelName(level) {
  // A bigint level names the same level as the double that holds it exactly; an integer the
  // core cannot hold (beyond 64 bits) has no name: CPython's "Level N", N printed exactly.
  if (typeof level === "bigint") {
    if (BigInt(Number(level)) !== level) return `Level ${level}`;
    level = Number(level);
  }
  if (Number.isInteger(level) && (level >= 2 ** 63 || level < -(2 ** 63))) return `Level ${BigInt(level)}`;
  return need().getLevelName(level);
}

/** `logging.getLevelNamesMapping()`. */
export function getLevelNamesMapping() {
  return need().getLevelNamesMapping();
}

/**
 * `logging.disable(level = CRITICAL)`: no record at or below `level`, on any logger. A number
 * or a registered name (`"INFO"`, as CPython 3.13 accepts); anything else is reported through
 * `handleError` and changes nothing.
 */
export function disable(level = CRITICAL) {
  try {
    need().disable(level);
  } catch (e) {
    reportCaught(e);
  }
  resyncAll();
}

const BASIC_KEYS = new Set([
  "level",
  "format",
  "datefmt",
  "style",
  "handlers",
  "force",
  "stream",
  "filename",
  "filemode",
  "encoding",
  "errors",
]);

/**
 * `logging.basicConfig(options)`: `level`, `format`, `datefmt`, `style`, `handlers`, `force`,
 * `stream` (`process.stderr` — the default — or `process.stdout`, also `'stderr'` /
 * `'stdout'`: in Node the process's streams whatever the level, in a browser the devtools
 * console; or any object with `write(text)`), `filename` (a `FileHandler` over the storage
 * set with `setStorage`; in Node a file under the working directory), `filemode`, `encoding`
 * (UTF-8 only). Does nothing if the root logger already
 * has handlers, unless `force`. Invalid options throw, as in CPython, and change nothing.
 */
export function basicConfig(options = {}) {
  const r = need();
  if (options === null || typeof options !== "object") {
    throw new TypeError("basicConfig: expected an options object");
  }
  const unknown = Object.keys(options).filter((k) => !BASIC_KEYS.has(k));
  if (unknown.length) {
    const e = new Error(`Unrecognised argument(s): ${unknown.join(", ")}`);
    e.name = "ValueError";
    throw e;
  }
  let ids;
  let handlers = options.handlers;
  if (handlers !== undefined && handlers !== null) {
    if (!Array.isArray(handlers) || !handlers.every((h) => h instanceof Handler)) {
      throw new TypeError("basicConfig: handlers must be an array of Handler");
    }
  }
  let stream = options.stream;
  if (stream !== undefined && stream !== null) {
    const standard = standardStream(stream);
    const clash = (handlers !== undefined && handlers !== null) || (options.filename !== undefined && options.filename !== null);
    if (standard !== null || clash) {
      // A standard stream, or a clash the core reports as CPython does.
      stream = standard ?? "stderr";
    } else {
      // Any other stream object: CPython's StreamHandler(stream), made only when the root is
      // to be configured (CPython does nothing at all otherwise).
      if (!options.force && r.JsLogger.get(undefined).hasHandlers()) return;
      handlers = [new StreamHandler(stream)];
      stream = undefined;
    }
  }
  if (handlers !== undefined && handlers !== null) ids = Uint32Array.from(handlers, (h) => h._raw.id);
  r.basicConfig(
    options.level ?? undefined,
    options.format ?? undefined,
    options.datefmt ?? undefined,
    options.style ?? undefined,
    stream ?? undefined,
    ids,
    Boolean(options.force),
    options.filename ?? undefined,
    options.filemode ?? undefined,
    options.encoding ?? undefined,
  );
  noteFormat(options.format);
  resyncAll();
}

/** `logging.shutdown()`: flushes and closes every handler. */
export function shutdown() {
  if (raw !== null) raw.shutdown();
}

/** Flushes every handler without closing it (done on page hide). */
export function flush() {
  if (raw !== null) raw.flush();
}

/** `logging.raiseExceptions`: whether errors inside logging are printed (they are always counted). */
export function setRaiseExceptions(on) {
  need().setRaiseExceptions(Boolean(on));
}

/** How many errors inside logging (bad formats, throwing callbacks …) were reported. */
export function errorCount() {
  return need().errorCount();
}

/**
 * Sets both `threadName` and `processName` on new records (a shorthand for
 * `setThreadName(name)` + `setProcessName(name)`).
 */
export function setWorkerName(name) {
  setRealmNames({ threadName: String(name), processName: String(name) });
}

/**
 * Sets `threadName` on new records: CPython's `threading.current_thread().name`. Defaults:
 * `"MainThread"` on the main thread, the worker's name in a Web Worker, `worker-<threadId>`
 * in a Node worker thread.
 */
export function setThreadName(name) {
  setRealmNames({ threadName: String(name) });
}

/**
 * Sets `processName` on new records: CPython's `multiprocessing.current_process().name`
 * (default `"MainProcess"`).
 */
export function setProcessName(name) {
  setRealmNames({ processName: String(name) });
}

/** The current `threadName` and `processName`, as new records get them. */
export function getWorkerNames() {
  return realmNames();
}

/** Sets `taskName` on new records (`null` clears it). */
export function setTaskName(name) {
  need().setTaskName(name === null || name === undefined ? undefined : String(name));
}

/** A time as nanoseconds since the epoch: milliseconds (a number) or nanoseconds (a bigint). */
function nanoseconds(time, what) {
  if (typeof time === "bigint") return time;
  if (typeof time !== "number" || !Number.isFinite(time)) {
    throw new TypeError(`${what}: expected milliseconds (a finite number) or nanoseconds (a bigint)`);
  }
  // Whole milliseconds exactly (a product in floating point would round at 2^53 ns), then
  // the fraction.
  const whole = Math.trunc(time);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((time - whole) * 1e6));
}

/**
 * Fixes the clock for reproducible output (tests, snapshots): `ms` since the epoch (a number
 * or a bigint of nanoseconds), and optionally the local zone as `{utcOffset (seconds east),
 * zone, isDst}`. `null` restores the real clock. Logging's start time does not move (so
 * `relativeCreated` is the fixed time minus the start time): set it with `setStartTime`.
 */
export function setFixedTime(time, zone = undefined) {
  const r = need();
  if (time === null || time === undefined) {
    r.setFixedClock(undefined, undefined, undefined, undefined);
    return;
  }
  r.setFixedClock(nanoseconds(time, "setFixedTime"), zone?.utcOffset, zone?.zone, zone?.isDst);
}

/**
 * Sets logging's start time (CPython's `logging._startTime`, the origin of
 * `relativeCreated`): milliseconds since the epoch (a number) or nanoseconds (a bigint).
 * It is the moment the package loaded until set.
 */
export function setStartTime(time) {
  need().setStartTime(nanoseconds(time, "setStartTime"));
}

/** Logging's start time, in milliseconds since the epoch. */
export function getStartTime() {
  return need().startTime() / 1e6;
}
//# sourceMappingURL=config.js.map
