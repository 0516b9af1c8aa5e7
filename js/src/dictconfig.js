// logging.config.dictConfig, the factories its `()` and `class` keys name, handler names, and
// the pump that drains queue listeners.

import { need } from "./state.js";
import { resyncAll } from "./logger.js";
import { Handler, handlerFromId } from "./handlers.js";
import { rawFormatterOf } from "./formatter.js";
import { rawFilterOf } from "./filter.js";
import { noteFormat } from "./callerinfo.js";
import { Queue } from "./storage.js";

/**
 * `logging.config.dictConfig(config)`: CPython 3.13's schema, as a plain object. A refused
 * configuration throws an `Error` (named `ValueError`) whose `path` names the offending value
 * (`"handlers.m.capacity"`); nothing has changed then.
 */
export function dictConfig(config) {
  const r = need();
  for (const fn of rewriters) config = rewritten(fn, config);
  try {
    r.dictConfig(config);
  } finally {
    // Levels and `disabled` flags may have moved (and a factory may have changed some even
    // when the configuration was refused): re-sync every logger's level methods.
    resyncAll();
  }
  noteFormats(config);
}

// Pre-passes over a configuration before the core reads it (workers.js turns a QueueHandler
// whose queue is a port into a PortQueueHandler). A pass that throws leaves it unchanged.
const rewriters = [];

function rewritten(fn, config) {
  try {
    return fn(config) ?? config;
  } catch {
    return config;
  }
}

/** Adds a pre-pass `fn(config) => config` that dictConfig runs before the core reads it. */
export function addConfigRewriter(fn) {
  rewriters.push(fn);
}

// The JS factories by name, for pre-passes that must see what an `ext://` name makes.
const jsFactories = new Map();

/** The function registered under `name` with `registerFactory`, or undefined. */
export function lookupFactory(name) {
  return jsFactories.get(name);
}

/** Tells caller-info "auto" about the configured formats (a `%(lineno)d` turns capture on). */
function noteFormats(config) {
  try {
    const formatters = config.formatters;
    if (formatters === null || typeof formatters !== "object") return;
    for (const f of Object.values(formatters)) {
      if (f !== null && typeof f === "object") {
        noteFormat(f.format);
        noteFormat(f.fmt);
      }
    }
  } catch {
    // An exotic object as configuration: it was accepted, only the hint is lost.
  }
}

function describe(v) {
  if (v === null) return "null";
  if (typeof v === "function") return `function ${v.name || "<anonymous>"}`;
  if (typeof v === "object") return v.constructor?.name ? `a ${v.constructor.name}` : "an object";
  return typeof v;
}

function isClass(fn) {
  try {
    return /^class[\s{]/.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/** Calls the user's factory, checks what it built against the section, hands it to the core. */
function build(name, fn, kind, kwargs) {
  const made = isClass(fn) ? new fn(kwargs) : fn(kwargs);
  const r = need();
  switch (kind) {
    case "filter": {
      const f = rawFilterOf(made);
      if (f === null) {
        throw new TypeError(
          `factory '${name}' returned ${describe(made)}, not a filter (a function, an object with filter() or a Filter)`,
        );
      }
      r.stashFilter(f);
      return;
    }
    case "handler":
      if (!(made instanceof Handler)) {
        throw new TypeError(`factory '${name}' returned ${describe(made)}, not a Handler`);
      }
      r.stashHandler(made._raw);
      return;
    case "formatter":
      if (rawFormatterOf(made) !== null) {
        r.stashFormatter(rawFormatterOf(made));
      } else if (made !== null && typeof made === "object" && typeof made.format === "function") {
        r.stashFormatterFunction((record) => made.format(record));
      } else {
        throw new TypeError(
          `factory '${name}' returned ${describe(made)}, not a formatter (a Formatter or an object with format())`,
        );
      }
      return;
    case "queue":
      if (!(made instanceof Queue)) {
        throw new TypeError(`factory '${name}' returned ${describe(made)}, not a Queue`);
      }
      made._raw.stash();
      return;
    default:
      throw new TypeError(`factory '${name}': a JavaScript factory cannot build a ${kind}`);
  }
}

/**
 * Makes `name` usable as a `()` factory or a `class` in `dictConfig`. `fn(kwargs)` (or
 * `new fn(kwargs)` for a class) receives the entry's other keys as a plain object and returns
 * what the section asks for: in `filters` a filter (a function, an object with `filter()`, a
 * `Filter`), in `handlers` a `Handler`, in `formatters` a `Formatter` or an object with
 * `format(record)`, for a `QueueHandler`'s `queue` a `Queue` (`() => q` shares one queue
 * between configurations, as the cookbook's `"queue": "ext://__main__.q"` does). What it throws becomes the configuration error's message.
 */
export function registerFactory(name, fn) {
  if (typeof name !== "string" || name === "") {
    throw new TypeError("registerFactory: name must be a non-empty string");
  }
  if (typeof fn !== "function") {
    throw new TypeError("registerFactory: expected a function");
  }
  need().registerFactory(name, (kind, kwargs) => build(name, fn, kind, kwargs));
  jsFactories.set(name, fn);
}

/** Forgets the factory registered under `name`. */
export function unregisterFactory(name) {
  need().unregisterFactory(String(name));
  jsFactories.delete(String(name));
}

/** `logging.getHandlerByName(name)`: the configured handler named `name`, or `null`. */
export function getHandlerByName(name) {
  const id = need().handlerIdByName(String(name));
  return id === undefined ? null : handlerFromId(id);
}

/** `logging.getHandlerNames()`: the names of the live named handlers, sorted. */
export function getHandlerNames() {
  return need().getHandlerNames();
}

/**
 * Drains every started queue listener (`handler.listener.start()`), dispatching the queued
 * records to the listener's handlers — what CPython's listener thread does. Call it from the
 * event loop (`setInterval(logging.pump, 100)`); returns how many records were dispatched.
 */
export function pump() {
  return need().pump();
}
//# sourceMappingURL=dictconfig.js.map
