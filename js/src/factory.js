// setLogRecordFactory / getLogRecordFactory: CPython's hook for every new record, in the
// form the cookbook uses it (call the old factory, add attributes, return the record).

import { need } from "./state.js";

/** The record the core is making right now (what the default factory hands out). */
let pending = null;

/**
 * The default record factory, CPython's `LogRecord(name, level, pathname, lineno, msg, args,
 * exc_info, func, sinfo)`: inside a log call, the record being made (with any argument a
 * custom factory changed on its way here); outside one, a new record object.
 */
/** `filename` and `module` from `pathname`: os.path.basename and splitext, as
 * LogRecord.__init__ derives them. */
function pathParts(pathname) {
  const path = String(pathname ?? "");
  const filename = path.slice(path.lastIndexOf("/") + 1);
  const dot = filename.lastIndexOf(".");
  const module = dot > 0 && /[^.]/.test(filename.slice(0, dot)) ? filename.slice(0, dot) : filename;
  return { path, filename, module };
}

export function LogRecord(name, level, pathname, lineno, msg, args, excInfo, func = null, sinfo = null) {
  const r = pending;
  if (r === null) {
    const { path, filename, module } = pathParts(pathname);
    return need().makeLogRecord({
      name,
      levelno: level,
      levelname: need().getLevelName(level),
      pathname: path,
      filename,
      module,
      lineno,
      msg,
      args,
      exc_info: excInfo,
      funcName: func,
      stack_info: sinfo,
    });
  }
  pending = null;
  if (r.name !== name) r.name = name;
  if (r.levelno !== level) {
    r.levelno = level;
    r.levelname = need().getLevelName(level);
  }
  if (r.pathname !== pathname) {
    // A factory that passes another pathname gets the filename and module that go with it.
    const { path, filename, module } = pathParts(pathname);
    r.pathname = path;
    r.filename = filename;
    r.module = module;
  }
  if (r.lineno !== lineno) r.lineno = lineno;
  if (r.msg !== msg) r.msg = msg;
  if (r.args !== args) r.args = args;
  if (r.exc_info !== excInfo) r.exc_info = excInfo;
  if (r.funcName !== func && func !== null) r.funcName = func;
  if (r.stack_info !== sinfo && sinfo !== null) r.stack_info = sinfo;
  return r;
}

let current = LogRecord;

/** Called by the core for each new record (before `extra` is applied, as in CPython). */
function dispatch(record) {
  const saved = pending;
  pending = record;
  try {
    const made = current(
      record.name,
      record.levelno,
      record.pathname,
      record.lineno,
      record.msg,
      record.args,
      record.exc_info,
      record.funcName,
      record.stack_info,
    );
    if (made === null || typeof made !== "object") {
      throw new TypeError(`the log record factory returned ${made === null ? "null" : typeof made}, not a record`);
    }
    return made;
  } finally {
    pending = saved;
  }
}

/**
 * `logging.setLogRecordFactory(factory)`: `factory(name, level, pathname, lineno, msg, args,
 * excInfo, funcName, stackInfo)` makes every new record; the usual one calls the previous
 * factory (`getLogRecordFactory()`), adds attributes and returns the record. A factory that
 * throws is reported through `handleError` (the record goes on unchanged). `LogRecord` (or
 * `null`) restores the default, which costs nothing.
 */
export function setLogRecordFactory(factory) {
  if (factory === null || factory === undefined) factory = LogRecord;
  if (typeof factory !== "function") throw new TypeError("setLogRecordFactory: expected a function");
  current = factory;
  need().setRecordFactory(factory === LogRecord ? undefined : dispatch);
}

/** `logging.getLogRecordFactory()`: the factory in use (`LogRecord` by default). */
export function getLogRecordFactory() {
  return current;
}
//# sourceMappingURL=factory.js.map
