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
let identity = { name: "main", thread: undefined, process: undefined };

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
 * @param {{name: string, thread?: number, process?: number}} who the identity of this realm
 */
export function bind(glue, who) {
  raw = glue;
  identity = { ...identity, ...who };
  raw.init(identity.name, identity.thread, identity.process);
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

/** Renames this realm on new records (`threadName`, `processName`). */
export function setRealmName(name) {
  identity = { ...identity, name };
  need().setIdentity(identity.name, identity.thread, identity.process);
}
