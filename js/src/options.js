// The optional last argument of a log call.

import { reportCaught } from "./state.js";

const OPTION_KEYS = new Set([
  "extra",
  "excInfo",
  "exc_info",
  "stackInfo",
  "stack_info",
  "stacklevel",
]);

/**
 * Whether the last argument of a log call is its options object rather than a `%` mapping
 * argument: a plain object whose keys are all option names, with values of the options'
 * types (`extra` an object, `stackInfo` a boolean, `stacklevel` a number).
 */
export function isOptions(x) {
  return readOptions(x, false) !== undefined;
}

/**
 * The options object of a log call read once into a plain object of plain data properties, or
 * `undefined` when `x` is not one (it is then a `%` argument). Never throws, whatever `x` is:
 * an object that cannot be inspected (a revoked Proxy, a `getPrototypeOf` or `ownKeys` trap
 * that throws) is an argument, and an option whose getter throws is left out; each is reported
 * through `handleError` (when `reportErrors`) and the call goes on.
 */
export function readOptions(x, reportErrors = true) {
  if (x === null || typeof x !== "object") return undefined;
  const keys = [];
  try {
    if (Array.isArray(x) || Object.getPrototypeOf(x) !== Object.prototype) return undefined;
    for (const k in x) {
      if (!OPTION_KEYS.has(k)) return undefined;
      keys.push(k);
    }
  } catch (e) {
    if (reportErrors) reportCaught(e, "the last argument of a log call cannot be inspected (taken as a %-argument)");
    return undefined;
  }
  if (keys.length === 0) return undefined;
  const out = {};
  for (const k of keys) {
    let v;
    try {
      v = x[k];
    } catch (e) {
      if (reportErrors) reportCaught(e, `the log call's option '${k}' cannot be read (left out)`);
      continue;
    }
    if (v !== undefined) {
      if (k === "extra" && (v === null || typeof v !== "object" || Array.isArray(v))) return undefined;
      if ((k === "stackInfo" || k === "stack_info") && typeof v !== "boolean") return undefined;
      if (k === "stacklevel" && typeof v !== "number") return undefined;
    }
    out[k] = v;
  }
  return out;
}

/**
 * The option fields of `kw` (an adapter's `process` result: any object) copied into a plain
 * object, each read once; a field whose getter throws is reported and left out. Never throws.
 */
export function copyOptions(kw) {
  const out = {};
  if (kw === null || typeof kw !== "object") return out;
  for (const k of OPTION_KEYS) {
    try {
      const v = kw[k];
      if (v !== undefined) out[k] = v;
    } catch (e) {
      reportCaught(e, `the log call's option '${k}' cannot be read (left out)`);
    }
  }
  return out;
}

/**
 * `extra` for the core, each entry read once: an entry whose getter throws is reported and
 * stands as `"<unprintable object>"` (as an unreadable argument prints), so the record keeps
 * the key its formatters may name; an object whose keys cannot be listed is reported and
 * left out. Never throws.
 */
export function readExtra(extra) {
  if (extra === null || typeof extra !== "object") return extra;
  let keys;
  try {
    keys = Object.keys(extra);
  } catch (e) {
    reportCaught(e, "the log call's extra cannot be read (left out)");
    return undefined;
  }
  const out = {};
  for (const k of keys) {
    try {
      out[k] = extra[k];
    } catch (e) {
      reportCaught(e, `the log call's extra '${k}' cannot be read`);
      out[k] = "<unprintable object>";
    }
  }
  return out;
}
//# sourceMappingURL=options.js.map
