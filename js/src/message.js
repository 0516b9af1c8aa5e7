// Message objects (the cookbook's recipes 14 and 24): a log call's message may be an object
// whose text is built only when a handler emits the record, with `str.format` or
// `string.Template` rules instead of `%`.

import { need } from "./state.js";

/** Where the conversion layer (src/js/glue.js `messageOf`) finds a message's style. */
const MESSAGE = Symbol.for("wasm-logging.message");

/** Splits `(...args)` into positional arguments and a trailing keyword-arguments object. */
function splitKwargs(args) {
  const last = args[args.length - 1];
  if (last !== null && typeof last === "object" && Object.getPrototypeOf(last) === Object.prototype) {
    return [args.slice(0, -1), last];
  }
  return [args, {}];
}

/**
 * The cookbook's `BraceMessage(fmt, *args, **kwargs)`: its text is
 * `fmt.format(*args, **kwargs)`, made when a handler emits it. `new BraceMessage("{0} {name}",
 * 2, {name: "x"})`: a last plain object holds the keyword arguments (pass `{}` after a plain
 * object meant as the last positional argument). A format that does not match its
 * arguments is a logging error (`--- Logging error ---`), as in CPython.
 */
export class BraceMessage {
  constructor(fmt, ...args) {
    const [positional, kwargs] = splitKwargs(args);
    /** The `str.format` format. */
    this.fmt = String(fmt);
    /** The positional arguments. */
    this.args = positional;
    /** The keyword arguments. */
    this.kwargs = kwargs;
  }

  /** `str(message)`: the formatted text; throws CPython's error if the format fails. */
  toString() {
    return need().messageStr(this);
  }
}
Object.defineProperty(BraceMessage.prototype, MESSAGE, { value: "{" });

/**
 * The cookbook's `DollarMessage(fmt, **kwargs)`: its text is
 * `string.Template(fmt).substitute(**kwargs)`, made when a handler emits it.
 * `new DollarMessage("$what costs $$${price}", {what: "tea", price: 3})`.
 */
export class DollarMessage {
  constructor(fmt, kwargs = {}) {
    /** The `string.Template` template. */
    this.fmt = String(fmt);
    /** The keyword arguments. */
    this.kwargs = kwargs ?? {};
  }

  /** `str(message)`: the substituted text; throws CPython's `KeyError` for a missing name. */
  toString() {
    return need().messageStr(this);
  }
}
Object.defineProperty(DollarMessage.prototype, MESSAGE, { value: "$" });
//# sourceMappingURL=message.js.map
