// Shared state of the wrapper: the loaded wasm-bindgen module, this realm's identity, the
// level constants, and the error reporting that keeps exceptions out of log calls.

/** `logging.CRITICAL`. */
export const CRITICAL = 50;
/** `logging.FATAL`, an alias of `CRITICAL`. */
export const FATAL = CRITICAL;
/** `logging.ERROR`. */
export const ERROR = 40;
/** `logging.WARNING`. */
export const WARNING = 30;
/** `logging.WARN`, an alias of `WARNING`. */
export const WARN = WARNING;
/** `logging.INFO`. */
export const INFO = 20;
/** `logging.DEBUG`. */
export const DEBUG = 10;
/** `logging.NOTSET`. */
export const NOTSET = 0;

/** `logging.BASIC_FORMAT`. */
export const BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s";

/** The wasm-bindgen module, once an entry point has loaded it. */
export let raw = null;
let identity = {
  threadName: "MainThread",
  processName: "MainProcess",
  thread: undefined,
  process: undefined,
  streams: false,
};

export function need() {
  if (raw === null) {
    throw new Error(
      "wasm-logging is not initialised: with the 'wasm-logging/web' entry, `await init()` first",
    );
  }
  return raw;
}

/**
 * Connects the API to a loaded wasm-bindgen module (done once by the entry points; the
 * default export of logging.js, so `export *` in the entries leaves it out of the API).
 * @param {object} glue the wasm-bindgen module
 * @param {{threadName?: string, processName?: string, thread?: number, process?: number,
 *   streams?: boolean}} who the identity of this realm, and whether it has real standard
 *   streams (Node: `process.stdout` / `process.stderr`) rather than the devtools console
 */
export function bind(glue, who) {
  if (raw !== null && raw !== glue) {
    // Two entries in one realm (say `wasm-logging` and `wasm-logging/lite`): they share this
    // wrapper, so the one bound last serves every logger from now on. Said on the console
    // when it happens, not thrown.
    try {
      globalThis.console?.error?.(
        "wasm-logging: a second entry of the package was loaded in this realm (wasm-logging and wasm-logging/lite?); the one loaded last now serves every logger. Import one entry.",
      );
    } catch {
      // no console
    }
  }
  raw = glue;
  identity = { ...identity, ...who };
  raw.init(identity.threadName, identity.processName, identity.thread, identity.process, Boolean(identity.streams));
}

/** Whether this realm writes `sys.stdout` / `sys.stderr` to real streams (Node). */
export function hasStreams() {
  return identity.streams === true;
}

// ---- errors that must not escape a log call ------------------------------------------

function messageOf(e) {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return "<unprintable error>";
  }
}

/** Reports `e` the way `handleError` does (`--- Logging error ---` on console.error). */
export function report(kind, e) {
  try {
    if (raw !== null) raw.reportError(kind, typeof e === "string" ? e : messageOf(e));
  } catch {
    // The Wasm instance itself is broken (a trap): nothing left to report through.
  }
}

/**
 * Reports an exception user code threw (a callback, a getter, a Proxy trap) as
 * `handleError` does; `context`, if given, says what was being done (`"…: message"`).
 */
export function reportCaught(e, context) {
  let kind = "RuntimeError";
  try {
    if (e instanceof TypeError) kind = "TypeError";
    else if (e instanceof Error && /^[A-Z][A-Za-z]*Error$/.test(e.name)) kind = e.name;
  } catch {
    // keep RuntimeError
  }
  report(kind, context === undefined ? e : `${context}: ${messageOf(e)}`);
}

/** `v instanceof Error`, never throwing (a Proxy's `getPrototypeOf` trap may). */
export function isError(v) {
  try {
    return v instanceof Error;
  } catch {
    return false;
  }
}

/** The core holds levels as 64-bit integers: -2**63 ≤ level < 2**63 (both exact doubles). */
const LEVEL_TOP = 2 ** 63;
const LEVEL_RANGE = "levels are 64-bit integers: -9223372036854775808..9223372036854775807";

/**
 * `level` as the number the core is given, or `undefined` after a report: CPython's
 * `TypeError` for a non-integer, an `OverflowError` outside the core's 64-bit range (never a
 * wrap into another level). A `bigint` is taken when a double holds it exactly (every one
 * within ±2**53, and larger ones such as 2n**60); another is an `OverflowError` rather than a
 * rounded level.
 */
export function levelArgument(level, what = "") {
  const prefix = what === "" ? "" : `${what}: `;
  let n = level;
  if (typeof level === "bigint") {
    n = Number(level);
    if (BigInt(n) !== level) {
      report("OverflowError", `${prefix}level ${level} cannot be held exactly (a bigint level must be an exact double; ${LEVEL_RANGE})`);
      return undefined;
    }
  } else if (typeof level !== "number" || !Number.isInteger(level)) {
    report("TypeError", `${prefix}level must be an integer`);
    return undefined;
  }
  if (n >= LEVEL_TOP || n < -LEVEL_TOP) {
    // The integer itself (BigInt of an integral double is exact), as CPython would print it.
    report("OverflowError", `${prefix}level ${BigInt(level)} is out of range (${LEVEL_RANGE})`);
    return undefined;
  }
  return n;
}

let trapped = false;

/** An exception from inside Wasm on a log call: a trap (a bug). Said once, never thrown. */
export function internalError(e) {
  if (trapped) return;
  trapped = true;
  try {
    console.error("wasm-logging: internal error; logging may be unreliable from now on:", e);
  } catch {
    // nothing to do
  }
}

/** Changes the identity stamped on new records (`threadName`, `processName`). */
export function setRealmNames(names) {
  identity = { ...identity, ...names };
  need().setIdentity(identity.threadName, identity.processName, identity.thread, identity.process);
}

/** The current `threadName` and `processName`. */
export function realmNames() {
  return { threadName: identity.threadName, processName: identity.processName };
}
//# sourceMappingURL=state.js.map
