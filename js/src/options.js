// The optional last argument of a log call.


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
  if (x === null || typeof x !== "object" || Object.getPrototypeOf(x) !== Object.prototype) {
    return false;
  }
  let any = false;
  for (const k in x) {
    if (!OPTION_KEYS.has(k)) return false;
    const v = x[k];
    if (v !== undefined) {
      if (k === "extra" && (v === null || typeof v !== "object" || Array.isArray(v))) return false;
      if ((k === "stackInfo" || k === "stack_info") && typeof v !== "boolean") return false;
      if (k === "stacklevel" && typeof v !== "number") return false;
    }
    any = true;
  }
  return any;
}
//# sourceMappingURL=options.js.map
