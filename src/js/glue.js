// The JavaScript half of the wasm-bindgen layer: small helpers the Rust side imports (see
// externs.rs). Each is called with user values (log-call arguments, records returned by
// filters), so none of them may throw: a JS exception unwinding through Wasm frames would
// leave the core's state half-updated. Every helper catches and returns a safe value.

// Value tags shared with convert.rs (`Tag`).
const T_STRING = 0;
const T_NUMBER = 1;
const T_BOOL = 2;
const T_NULL = 3;
const T_UNDEFINED = 4;
const T_BIGINT = 5;
const T_ARRAY = 6;
const T_PLAIN = 7;
const T_ERROR = 8;
const T_OBJECT = 9;
const T_FUNCTION = 10;
const T_SYMBOL = 11;
const T_MESSAGE = 12;

/**
 * The key under which `BraceMessage` / `DollarMessage` (js/src/message.js) carry their style
 * character: a registered symbol, so this snippet and the wrapper agree without importing
 * each other.
 */
const MESSAGE = Symbol.for("wasm-logging.message");

/** The kind of `v`, as one of the tags above (one call instead of a chain of checks). */
export function tagOf(v) {
  switch (typeof v) {
    case "string":
      return T_STRING;
    case "number":
      return T_NUMBER;
    case "boolean":
      return T_BOOL;
    case "undefined":
      return T_UNDEFINED;
    case "bigint":
      return T_BIGINT;
    case "function":
      return T_FUNCTION;
    case "symbol":
      return T_SYMBOL;
  }
  if (v === null) return T_NULL;
  try {
    if (Array.isArray(v)) return T_ARRAY;
    if (v instanceof Error) return T_ERROR;
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return T_PLAIN;
    if (typeof v[MESSAGE] === "string") return T_MESSAGE;
  } catch {
    // A revoked Proxy, or a Proxy whose getPrototypeOf trap throws: an opaque object.
  }
  return T_OBJECT;
}

/** `String(v)`, never throwing; an `Error` gives its message (Python's `str(exc)`). */
export function strOf(v) {
  try {
    if (v instanceof Error) return String(v.message);
    if (typeof v === "function") return `<function ${v.name || "<anonymous>"}>`;
    return String(v);
  } catch {
    return "<unprintable object>";
  }
}

/** A `repr()` for objects Python has no spelling for: `TypeError('boom')`, `[object Foo]`. */
export function reprOf(v) {
  try {
    if (v instanceof Error) {
      return `${v.name}(${JSON.stringify(String(v.message))})`;
    }
    if (typeof v === "function") return `<function ${v.name || "<anonymous>"}>`;
    if (typeof v === "symbol") return v.toString();
    if (v instanceof Date) return `Date(${JSON.stringify(v.toISOString())})`;
    return String(v);
  } catch {
    return "<unprintable object>";
  }
}

/** Own enumerable string-keyed entries of a plain object, flattened `[k0, v0, k1, v1, …]`. */
export function entriesOf(v) {
  try {
    const out = [];
    for (const k of Object.keys(v)) out.push(k, v[k]);
    return out;
  } catch {
    return [];
  }
}

/** A name of the constructor, for error messages (`%d format: … not Foo`). */
export function typeNameOf(v) {
  try {
    if (v instanceof Error) return String(v.name);
    const c = v && v.constructor;
    if (c && typeof c.name === "string" && c.name) return c.name;
  } catch {
    // fall through
  }
  return typeof v;
}

/** A JS number usable by `%d`/`%f` for objects that have one (`Date`, `Number` objects). */
export function numberOf(v) {
  try {
    if (v instanceof Date || v instanceof Number) return Number(v);
  } catch {
    // fall through
  }
  return NaN;
}

// Node (not a bundler's `process` shim, which has no `versions.node`).
const proc = globalThis.process;
const NODE = typeof proc === "object" && proc !== null && typeof proc.versions?.node === "string";

// ---- clock -------------------------------------------------------------------------------

// Node: process.hrtime, a process method (reading `globalThis.performance` there loads
// perf_hooks, ~0.7 ms of start-up, and hrtime is no slower per call). Elsewhere:
// `performance.now()`.
const hrtime = NODE && typeof proc.hrtime === "function" ? proc.hrtime : null;
const perf = hrtime
  ? {
      now() {
        const t = hrtime();
        return t[0] * 1e3 + t[1] / 1e6;
      },
    }
  : globalThis.performance;
let base = perf ? Date.now() - perf.now() : 0;

/**
 * Milliseconds since the epoch with sub-millisecond precision: `performance.now()` on an
 * anchor taken from `Date.now()`, re-anchored when the two drift apart by more than 2 ms
 * (a suspended laptop, a clock change), so the wall clock stays the authority.
 */
let sinceCheck = 0;

export function nowMs() {
  if (!perf) return Date.now();
  const p = perf.now();
  let t = base + p;
  // Date.now() costs as much as performance.now(): compare with it every 16th call, and
  // whenever time seems to stand still or jump (the cases a re-anchor is for).
  if (++sinceCheck >= 16) {
    sinceCheck = 0;
    const wall = Date.now();
    if (t < wall - 2 || t > wall + 2) {
      base = wall - p;
      t = wall;
    }
  }
  return t;
}

/** `Date.prototype.getTimezoneOffset` at `ms`: minutes *west* of UTC. */
export function tzOffsetMinutes(ms) {
  try {
    return new Date(ms).getTimezoneOffset();
  } catch {
    return 0;
  }
}

let zoneFormat = null;

/** The short zone name at `ms` (`"UTC"`, `"EST"`, `"GMT+1"`) from `Intl`, or `""`. */
export function tzName(ms) {
  try {
    if (zoneFormat === null) {
      zoneFormat = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" });
    }
    for (const part of zoneFormat.formatToParts(new Date(ms))) {
      if (part.type === "timeZoneName") return part.value;
    }
  } catch {
    // No Intl (a minimal embedding): no name.
  }
  return "";
}

// ---- console -----------------------------------------------------------------------------

const METHODS = ["debug", "info", "warn", "error", "log"];

/**
 * Writes `text` with `console[METHODS[method]]`, looked up at each call (tests and devtools
 * extensions replace console methods). `'%s'` keeps `%` sequences in the text from being
 * read as console format directives; `style` adds a `%c` CSS style; `extras`, when an
 * object, is appended as an inspectable argument. Returns false if the console threw.
 */
function consoleWrite(method, text, style, extras) {
  try {
    const c = globalThis.console;
    const name = METHODS[method] || "log";
    const fn = c[name] || c.log;
    if (style === undefined || style === null) {
      if (extras === undefined || extras === null) fn.call(c, "%s", text);
      else fn.call(c, "%s", text, extras);
    } else if (extras === undefined || extras === null) {
      fn.call(c, "%c%s", style, text);
    } else {
      fn.call(c, "%c%s", style, text, extras);
    }
    return true;
  } catch {
    return false;
  }
}

// ---- formatted lines, read from Wasm memory -----------------------------------------------
//
// The core formats a line into a reused buffer and passes its address and length; the line
// is decoded here once, with the fastest decoder the platform has: in Node, Buffer's
// latin1Slice for ASCII (the usual line) and utf8Slice otherwise (both about half of
// TextDecoder's cost on a short line); elsewhere TextDecoder.

let memory = null;
let view = null;
const NODE_BUFFER =
  NODE &&
  typeof globalThis.Buffer === "function" &&
  typeof globalThis.Buffer.prototype.latin1Slice === "function" &&
  typeof globalThis.Buffer.prototype.utf8Slice === "function";
const decoder = typeof TextDecoder === "function" ? new TextDecoder("utf-8", { ignoreBOM: true }) : null;

/** The instance's memory (`WebAssembly.Memory`), set once by the Rust side. */
export function setLineMemory(m) {
  memory = m;
  view = null;
}

/** The UTF-8 text at `ptr` (`len` bytes; `ascii` when every byte is below 0x80). */
function lineText(ptr, len, ascii) {
  // A grown memory detaches the old buffer (its views then have length 0).
  if (view === null || view.byteLength === 0) {
    view = NODE_BUFFER ? globalThis.Buffer.from(memory.buffer) : new Uint8Array(memory.buffer);
  }
  if (NODE_BUFFER) return ascii ? view.latin1Slice(ptr, ptr + len) : view.utf8Slice(ptr, ptr + len);
  return decoder.decode(view.subarray(ptr, ptr + len));
}

// What the last callback threw (see callLine), until takeLineError reads it.
let lineError;

/** `f(line)`: a callback handler's function; false if it threw (then see takeLineError). */
export function callLine(f, ptr, len, ascii) {
  try {
    f(lineText(ptr, len, ascii));
    return true;
  } catch (e) {
    lineError = e;
    return false;
  }
}

/** `f(line, record)`: a callback handler's function that takes the record too. */
export function callLineRecord(f, ptr, len, ascii, record) {
  try {
    f(lineText(ptr, len, ascii), record);
    return true;
  } catch (e) {
    lineError = e;
    return false;
  }
}

/** What the last failed callLine / callLineRecord caught (once). */
export function takeLineError() {
  const e = lineError;
  lineError = undefined;
  return e;
}

/** {@link streamWrite} of the line at `ptr`. */
export function streamWriteAt(fd, ptr, len, ascii) {
  return streamWrite(fd, lineText(ptr, len, ascii));
}

/** {@link consoleWrite} of the line at `ptr`. */
export function consoleWriteAt(method, ptr, len, ascii, style, extras) {
  return consoleWrite(method, lineText(ptr, len, ascii), style, extras);
}

/**
 * `process.stdout.write(text)` (fd 1) or `process.stderr.write(text)` (fd 2), looked up at
 * each call (tests and tools replace them). False if there is no such stream or it threw.
 */
function streamWrite(fd, text) {
  try {
    const p = globalThis.process;
    const s = fd === 1 ? p.stdout : p.stderr;
    s.write(text);
    return true;
  } catch {
    return false;
  }
}

/** A message object's `[style, fmt, args, kwargs]`, or `null` (see `MESSAGE`). */
export function messageOf(v) {
  try {
    const style = v[MESSAGE];
    if (typeof style !== "string") return null;
    return [style, String(v.fmt), Array.isArray(v.args) ? v.args : [], v.kwargs ?? null];
  } catch {
    return null;
  }
}

// ---- records -----------------------------------------------------------------------------

const ORIGINAL = Symbol("wasm-logging original record");

/**
 * A record as a plain object with CPython's attribute names, then the `extra` attributes
 * (`extra` is a flat `[k0, v0, …]` array). For a filter (`snapshot`), a hidden copy of the
 * values is kept so `recordChanges` can tell what it changed.
 */
export function makeRecord(
  name, msg, args, levelname, levelno, pathname, filename, module, lineno, funcName,
  created, msecs, relativeCreated, thread, threadName, process, processName, taskName,
  excInfo, excText, stackInfo, message, asctime, extra, snapshot,
) {
  const r = {
    name, msg, args, levelname, levelno, pathname, filename, module, lineno, funcName,
    created, msecs, relativeCreated, thread, threadName, process, processName, taskName,
    exc_info: excInfo, exc_text: excText, stack_info: stackInfo,
  };
  if (message !== undefined) r.message = message;
  if (asctime !== undefined) r.asctime = asctime;
  for (let i = 0; i + 1 < extra.length; i += 2) r[extra[i]] = extra[i + 1];
  if (snapshot) Object.defineProperty(r, ORIGINAL, { value: { ...r }, enumerable: false });
  return r;
}

/**
 * What a filter changed on a record from `makeRecord`, flattened `[k0, v0, …]`: keys whose
 * value is no longer the same (`Object.is`), new keys, and removed keys (value `undefined`).
 * A record the filter built itself (no hidden copy) reports every key.
 */
export function recordChanges(r) {
  const out = [];
  try {
    const orig = r[ORIGINAL];
    for (const k of Object.keys(r)) {
      const v = r[k];
      if (orig === undefined || !Object.is(orig[k], v)) out.push(k, v);
    }
    if (orig !== undefined) {
      for (const k of Object.keys(orig)) if (!(k in r)) out.push(k, undefined);
    }
  } catch {
    // A record turned into something unreadable: report what was read.
  }
  return out;
}

/** Whether `v` is a non-null object (a replacement record returned by a filter). */
export function isObject(v) {
  return v !== null && (typeof v === "object" || typeof v === "function");
}
