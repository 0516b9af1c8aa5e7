// Module-level functions: levels by name, disable, basicConfig, shutdown, the clock and
// identity used on records.

import { CRITICAL, need, raw, report, setRealmName } from "./state.js";
import { resyncAll } from "./logger.js";
import { Handler } from "./handlers.js";
import { noteFormat } from "./callerinfo.js";


/** `logging.addLevelName(level, name)`. */
export function addLevelName(level, name) {
  if (!Number.isInteger(level)) {
    report("TypeError", "addLevelName: level must be an integer");
    return;
  }
  need().addLevelName(level, String(name));
}

/** `logging.getLevelName(level)`: a number gives a name, a name gives a number. */
export function getLevelName(level) {
  return need().getLevelName(level);
}

/** `logging.getLevelNamesMapping()`. */
export function getLevelNamesMapping() {
  return need().getLevelNamesMapping();
}

/** `logging.disable(level = CRITICAL)`: no record at or below `level`, on any logger. */
export function disable(level = CRITICAL) {
  if (!Number.isInteger(level)) {
    report("TypeError", "disable: level must be an integer");
    return;
  }
  need().disable(level);
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
 * `stream` (`'stderr'` or `'stdout'`: the console), `filename` (a `FileHandler` over the storage
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
  if (options.handlers !== undefined && options.handlers !== null) {
    if (!Array.isArray(options.handlers) || !options.handlers.every((h) => h instanceof Handler)) {
      throw new TypeError("basicConfig: handlers must be an array of Handler");
    }
    ids = Uint32Array.from(options.handlers, (h) => h._raw.id);
  }
  let stream = options.stream;
  if (stream === globalThis.console) stream = "stderr";
  r.basicConfig(
    options.level ?? undefined,
    options.format ?? undefined,
    options.datefmt ?? undefined,
    options.style ?? undefined,
    stream === undefined || stream === null ? undefined : String(stream),
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

/** Sets this realm's name on new records (`threadName`, `processName`); default: the worker's name or `"main"`. */
export function setWorkerName(name) {
  setRealmName(String(name));
}

/** Sets `taskName` on new records (`null` clears it). */
export function setTaskName(name) {
  need().setTaskName(name === null || name === undefined ? undefined : String(name));
}

/**
 * Fixes the clock for reproducible output (tests, snapshots): `ms` since the epoch (a number
 * or a bigint of nanoseconds), and optionally the local zone as `{utcOffset (seconds east),
 * zone, isDst}`. `null` restores the real clock.
 */
export function setFixedTime(time, zone = undefined) {
  const r = need();
  if (time === null || time === undefined) {
    r.setFixedClock(undefined, undefined, undefined, undefined);
    return;
  }
  if (typeof time !== "bigint" && !Number.isFinite(time)) {
    throw new TypeError("setFixedTime: expected milliseconds (a finite number), nanoseconds (a bigint) or null");
  }
  const ns = typeof time === "bigint" ? time : BigInt(Math.round(time * 1e6));
  r.setFixedClock(ns, zone?.utcOffset, zone?.zone, zone?.isDst);
}
