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

export function reportCaught(e) {
  let kind = "RuntimeError";
  try {
    if (e instanceof TypeError) kind = "TypeError";
    else if (e instanceof Error && /^[A-Z][A-Za-z]*Error$/.test(e.name)) kind = e.name;
  } catch {
    // keep RuntimeError
  }
  report(kind, e);
}

/** The largest and smallest levels the core holds (32-bit integers). */
const LEVEL_MAX = 0x7fffffff;
const LEVEL_MIN = -0x80000000;

/**
 * Whether `level` is an integer the core can hold; reports CPython's `TypeError` (not an
 * integer) or an `OverflowError` (beyond 32 bits, which would otherwise wrap into another
 * level) through `handleError` and returns false otherwise.
 */
export function levelArgument(level, what = "") {
  const prefix = what === "" ? "" : `${what}: `;
  if (typeof level !== "number" || !Number.isInteger(level)) {
    report("TypeError", `${prefix}level must be an integer`);
    return false;
  }
  if (level > LEVEL_MAX || level < LEVEL_MIN) {
    report(
      "OverflowError",
      `${prefix}level ${level} is out of range (levels are 32-bit integers: ${LEVEL_MIN}..${LEVEL_MAX})`,
    );
    return false;
  }
  return true;
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
