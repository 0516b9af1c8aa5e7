// When records get their caller's location: only when something reads it (see setCallerInfo).


const LOCATION_FIELD =
  /%\(\s*(?:pathname|filename|module|lineno|funcName)\s*\)|\{\s*(?:pathname|filename|module|lineno|funcName)\s*[}:!.[]|\$\{?(?:pathname|filename|module|lineno|funcName)\b/;
let callerInfoMode = "auto";
let locationSeen = false;
/** Whether log calls capture their caller now. */
export let wantLocation = false;

/** Notes a format string; one that uses a location field turns capture on in "auto". */
export function noteFormat(fmt) {
  if (!locationSeen && typeof fmt === "string" && LOCATION_FIELD.test(fmt)) {
    locationSeen = true;
    wantLocation = callerInfoMode === true || (callerInfoMode === "auto" && locationSeen);
  }
}

/**
 * When records get their caller (`pathname`, `filename`, `module`, `lineno`, `funcName`):
 * `"auto"` (the default) once any formatter's format uses one of those fields, `true`
 * always (for callbacks and filters that read them), `false` never (CPython's
 * `logging._srcfile = None`). Capturing costs a few microseconds per enabled call.
 * @param {"auto" | boolean} mode
 * @returns {"auto" | boolean} the previous mode
 */
export function setCallerInfo(mode) {
  const previous = callerInfoMode;
  if (mode !== "auto" && mode !== true && mode !== false) {
    throw new TypeError(`setCallerInfo: expected "auto", true or false, not ${String(mode)}`);
  }
  callerInfoMode = mode;
  wantLocation = mode === true || (mode === "auto" && locationSeen);
  return previous;
}
//# sourceMappingURL=callerinfo.js.map
