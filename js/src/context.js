// Per-request context (cookbook recipe 10, "Using contextvars"): `runWithContext(fields, fn)`
// makes `fields` the current context while `fn` runs, and every record made meanwhile gets
// them as attributes, as if they had been passed in `extra` (an explicit `extra` key wins;
// a field named after a record attribute is CPython's KeyError, reported per record).
//
// Where the context lives depends on the host. The Node entry installs an AsyncLocalStorage
// (`node:async_hooks`, imported there only, never by code the browser builds load), so the
// fields follow `await`, timers and callbacks started inside `fn`. An engine with TC39
// `AsyncContext` gets an `AsyncContext.Variable`, which does the same. Elsewhere (browsers
// today) the context is a synchronous stack: it holds while `fn` runs, up to its first
// `await`.
//
// Cost: nothing until the first `runWithContext`; after that, one read of the store per
// record made (never on a disabled call, which does not reach `_log`).

const EMPTY = Object.freeze({});

/** The synchronous stack: the current fields, restored when `fn` returns or throws. */
function syncStore() {
  let current = EMPTY;
  return {
    run(value, fn) {
      const saved = current;
      current = value;
      try {
        return fn();
      } finally {
        current = saved;
      }
    },
    get() {
      return current;
    },
  };
}

/** TC39 `AsyncContext.Variable`, where the engine has it. */
function asyncContextStore() {
  const AC = globalThis.AsyncContext;
  if (AC === undefined || AC === null || typeof AC.Variable !== "function") return null;
  try {
    const v = new AC.Variable({ name: "wasm-logging context", defaultValue: EMPTY });
    return {
      run: (value, fn) => v.run(value, fn),
      get: () => v.get() ?? EMPTY,
    };
  } catch {
    return null;
  }
}

let store = asyncContextStore() ?? syncStore();
/** Whether `runWithContext` was ever called: until then records skip the store entirely. */
let used = false;

/**
 * Installs the store the context lives in (the Node entry: an `AsyncLocalStorage`, which has
 * `run(value, fn)` and `getStore()`). Internal: not part of the public API.
 * @param {{run(value: object, fn: () => unknown): unknown, getStore(): object | undefined}} als
 */
export function useAsyncLocalStorage(als) {
  store = {
    run: (value, fn) => als.run(value, fn),
    get: () => als.getStore() ?? EMPTY,
  };
}

/**
 * The fields records made now get, or null when there are none (the common case, answered
 * without touching the store until `runWithContext` was first used).
 */
export function contextFields() {
  if (!used) return null;
  const c = store.get();
  return c === EMPTY ? null : c;
}

/**
 * `runWithContext(fields, fn)`: runs `fn()` with `fields` (a plain object; own enumerable
 * string keys) added to the current context, over the outer context's fields, and returns
 * what `fn` returns (its promise, for an async `fn`). Records made inside get the fields as
 * attributes (`%(request_id)s`, `record.request_id` in a filter).
 * @template T
 * @param {Record<string, unknown>} fields
 * @param {() => T} fn
 * @returns {T}
 */
export function runWithContext(fields, fn) {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) {
    throw new TypeError("runWithContext: fields must be an object of field names and values");
  }
  if (typeof fn !== "function") throw new TypeError("runWithContext: fn must be a function");
  const merged = { ...store.get() };
  for (const k of Object.keys(fields)) merged[k] = fields[k];
  used = true;
  return store.run(Object.freeze(merged), fn);
}

/**
 * `getContext()`: the current context's fields, a frozen object (`{}` outside any
 * `runWithContext`). Pass it to `runWithContext` to carry the context somewhere it does not
 * follow by itself (past an `await` in a browser).
 * @returns {Readonly<Record<string, unknown>>}
 */
export function getContext() {
  return used ? store.get() : EMPTY;
}
//# sourceMappingURL=context.js.map
