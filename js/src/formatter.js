// logging.Formatter over the core's formatter.

import { need } from "./state.js";
import { noteFormat } from "./callerinfo.js";


/**
 * `logging.Formatter(fmt, datefmt, style, validate, defaults)`, or one options object
 * `{fmt, datefmt, style, validate, defaults, utc}` (`utc: true` is `converter = time.gmtime`).
 * An invalid format throws CPython's `ValueError` (an `Error` named `ValueError`).
 */
export class Formatter {
  constructor(fmt, datefmt, style = "%", validate = true, defaults) {
    let utc = false;
    if (fmt !== null && typeof fmt === "object") {
      ({ fmt, datefmt, style = "%", validate = true, defaults, utc = false } = fmt);
    }
    if (fmt !== undefined && fmt !== null && typeof fmt !== "string") {
      throw new TypeError(`Formatter: fmt must be a string, not ${typeof fmt}`);
    }
    if (datefmt !== undefined && datefmt !== null && typeof datefmt !== "string") {
      throw new TypeError(`Formatter: datefmt must be a string, not ${typeof datefmt}`);
    }
    this._raw = new (need().JsFormatter)(
      fmt ?? undefined,
      datefmt ?? undefined,
      style ?? "%",
      validate !== false,
      defaults ?? undefined,
      Boolean(utc),
    );
    noteFormat(this._raw.fmt);
  }

  /** The format string. */
  get fmt() {
    return this._raw.fmt;
  }

  /** The date format, or `null`. */
  get datefmt() {
    return this._raw.datefmt ?? null;
  }

  /** The style: `'%'`, `'{'` or `'$'`. */
  get style() {
    return this._raw.style;
  }

  /** `usesTime()`. */
  usesTime() {
    return this._raw.usesTime();
  }

  /** `format(record)` for a record object (as callbacks and filters receive it). */
  format(record) {
    return this._raw.format(record);
  }
}

let defaultFmt = null;
/** `Formatter()`, made once. */
export function defaultFormatter() {
  if (defaultFmt === null) defaultFmt = new Formatter();
  return defaultFmt;
}
