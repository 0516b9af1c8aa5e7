// Type declarations for wasm-logging: Python's `logging` for JavaScript.
// Hand-written for the wrapper in src/logging.js (the wasm-bindgen glue is an implementation
// detail and is not part of the API).

/** `logging.CRITICAL` (50). */
export const CRITICAL: 50;
/** `logging.FATAL`, an alias of `CRITICAL`. */
export const FATAL: 50;
/** `logging.ERROR` (40). */
export const ERROR: 40;
/** `logging.WARNING` (30). */
export const WARNING: 30;
/** `logging.WARN`, an alias of `WARNING`. */
export const WARN: 30;
/** `logging.INFO` (20). */
export const INFO: 20;
/** `logging.DEBUG` (10). */
export const DEBUG: 10;
/** `logging.NOTSET` (0). */
export const NOTSET: 0;
/** `logging.BASIC_FORMAT`: `"%(levelname)s:%(name)s:%(message)s"`. */
export const BASIC_FORMAT: string;

/** A level: a number, or a registered name such as `"INFO"`. */
export type Level = number | string;
/** The names CPython registers at import (`getLevelName` maps them to their numbers). */
export type LevelName = "CRITICAL" | "FATAL" | "ERROR" | "WARN" | "WARNING" | "INFO" | "DEBUG" | "NOTSET";

/** A record as handlers, filters and formatters receive it: CPython's attribute names. */
export interface LogRecord {
  name: string;
  msg: unknown;
  /** The `%`-arguments (an array), or the single mapping argument. */
  args: unknown[] | Record<string, unknown>;
  levelname: string;
  levelno: number;
  pathname: string;
  filename: string;
  module: string;
  lineno: number;
  funcName: string;
  /** Seconds since the epoch. */
  created: number;
  msecs: number;
  /** Milliseconds since logging started. */
  relativeCreated: number;
  thread: number | null;
  /** `"MainThread"`, a Web Worker's name, `worker-<id>` in a Node worker thread, or what `setThreadName` set. */
  threadName: string | null;
  process: number | null;
  /** `"MainProcess"`, or what `setProcessName` set. */
  processName: string | null;
  taskName: string | null;
  /** The logged error (the very object passed as `excInfo`), or `null`. */
  exc_info: unknown;
  exc_text: string | null;
  stack_info: string | null;
  /** The merged message, once a formatter has run. */
  message?: string;
  asctime?: string;
  /** `extra` attributes and attributes added by filters. */
  [extra: string]: unknown;
}

/** The optional last argument of a log call. */
export interface LogOptions {
  /** Attributes added to the record (keys may not shadow record attributes). */
  extra?: Record<string, unknown>;
  /** An error (or any thrown value) rendered after the message as a traceback. */
  excInfo?: unknown;
  /** Append the caller's stack (`Stack (most recent call last): …`). */
  stackInfo?: boolean;
  /** Attribute the call to the caller `stacklevel - 1` frames further out. */
  stacklevel?: number;
}

/** A log method: `%`-format, arguments, optionally a last `LogOptions`. */
export type LogMethod = (msg: unknown, ...args: unknown[]) => void;

/** A filter function: truthy keeps the record (and its in-place changes), falsy drops it, an object replaces it. */
export type FilterFunction = (record: LogRecord) => boolean | LogRecord | unknown;

/** Anything `addFilter` accepts. */
export type FilterLike = Filter | FilterFunction | { filter(record: LogRecord): unknown };

/** Anything `setFormatter` accepts. */
export type FormatterLike = Formatter | { format(record: LogRecord): string };

/** `logging.Logger`: get one with `getLogger(name)`. */
export class Logger {
  private constructor();
  /** The logger's name (`"root"` for the root logger). */
  readonly name: string;
  /** The parent logger, `null` for the root. */
  readonly parent: Logger | null;
  /** The level set on this logger (`NOTSET` if none). */
  readonly level: number;
  /** Whether records go on to the ancestors' handlers. */
  propagate: boolean;
  /** A disabled logger drops every record. */
  disabled: boolean;
  /** The filters added with `addFilter`. */
  readonly filters: FilterLike[];
  /** The handlers attached to this logger. */
  readonly handlers: Handler[];

  debug: LogMethod;
  info: LogMethod;
  warning: LogMethod;
  /** Alias of `warning`. */
  warn: LogMethod;
  error: LogMethod;
  /**
   * ERROR with the exception: `exception(err)`, `exception(msg, ...args, err)` or
   * `exception(msg, ...args, {excInfo: err})`.
   */
  exception: LogMethod;
  critical: LogMethod;
  /** Alias of `critical`. */
  fatal: LogMethod;
  /** `log(level, msg, ...args)`; `level` must be an integer. */
  log(level: number, msg: unknown, ...args: unknown[]): void;

  setLevel(level: Level): void;
  getEffectiveLevel(): number;
  isEnabledFor(level: number): boolean;
  getChild(suffix: string): Logger;
  getChildren(): Set<Logger>;
  addHandler(handler: Handler): void;
  removeHandler(handler: Handler): void;
  /** `handle(record)`: a record object through this logger's filters and handlers (and its ancestors'). */
  handle(record: LogRecord): void;
  hasHandlers(): boolean;
  addFilter(filter: FilterLike): void;
  removeFilter(filter: FilterLike): void;
}

/** `logging.getLogger(name)`: the same logger for the same name; no name gives the root. */
export function getLogger(name?: string): Logger;

/** The fields of a per-request context (`runWithContext`), as records get them. */
export type ContextFields = Readonly<Record<string, unknown>>;

/**
 * Runs `fn` with `fields` added to the current context (over the outer context's fields) and
 * returns what `fn` returns (its promise, for an async `fn`). Every record made inside gets
 * the fields as attributes, as if passed in `extra` (an explicit `extra` key wins; a record
 * attribute's name is CPython's KeyError, reported). In Node the context follows `await`,
 * timers and callbacks (AsyncLocalStorage); in browsers it is a synchronous stack (or a TC39
 * `AsyncContext.Variable` where the engine has one). Throws a `TypeError` if `fields` is not
 * an object or `fn` not a function.
 */
export function runWithContext<T>(fields: Record<string, unknown>, fn: () => T): T;
/** The current context's fields: a frozen object, `{}` outside any `runWithContext`. */
export function getContext(): ContextFields;

/** `logging.LoggerAdapter(logger, extra, mergeExtra)`. */
export class LoggerAdapter {
  constructor(logger: Logger | LoggerAdapter, extra?: Record<string, unknown> | null, mergeExtra?: boolean);
  readonly logger: Logger | LoggerAdapter;
  extra: Record<string, unknown> | null;
  mergeExtra: boolean;
  readonly name: string;
  /** Override to rewrite the message and options of every call; returns `[msg, kwargs]`. */
  process(msg: unknown, kwargs: LogOptions): [unknown, LogOptions];
  debug: LogMethod;
  info: LogMethod;
  warning: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  exception: LogMethod;
  critical: LogMethod;
  fatal: LogMethod;
  log(level: number, msg: unknown, ...args: unknown[]): void;
  isEnabledFor(level: number): boolean;
  getEffectiveLevel(): number;
  setLevel(level: Level): void;
  hasHandlers(): boolean;
}

/** Options of `new Formatter({...})`. */
export interface FormatterOptions {
  fmt?: string | null;
  datefmt?: string | null;
  style?: "%" | "{" | "$";
  validate?: boolean;
  /** Values for fields a record lacks. */
  defaults?: Record<string, unknown>;
  /** UTC times (`converter = time.gmtime`). */
  utc?: boolean;
}

/**
 * `logging.Formatter(fmt, datefmt, style, validate, defaults)`. An invalid format throws
 * CPython's `ValueError` (an `Error` whose `name` is `"ValueError"`).
 */
export class Formatter {
  constructor(
    fmt?: string | null,
    datefmt?: string | null,
    style?: "%" | "{" | "$",
    validate?: boolean,
    defaults?: Record<string, unknown>,
  );
  constructor(options: FormatterOptions);
  readonly fmt: string;
  readonly datefmt: string | null;
  readonly style: "%" | "{" | "$";
  usesTime(): boolean;
  /**
   * Formats a record object (as callbacks and filters receive it). Override it, or any of
   * the methods below, in a subclass: handlers then call the overrides, and the base
   * `format` is CPython's (sets `record.message`, `record.asctime`, caches
   * `formatException` in `record.exc_text`).
   */
  format(record: LogRecord): string;
  /** `formatTime(record, datefmt)`: `record.created` formatted with `datefmt` (or the default). */
  formatTime(record: LogRecord, datefmt?: string | null): string;
  /** `formatMessage(record)`: the format string applied to the record's attributes. */
  formatMessage(record: LogRecord): string;
  /** `formatException(excInfo)`: the traceback text of a record's `exc_info`. */
  formatException(excInfo: unknown): string;
  /** `formatStack(stackInfo)`: the stack text as is. */
  formatStack(stackInfo: string): string;
}

/** Options of `new JsonFormatter({...})`. */
export interface JsonFormatterOptions {
  /** Record attributes to output, in order. Default `["asctime", "name", "levelname", "message"]`. */
  keys?: readonly string[];
  /** Whether the record's `extra` fields follow the keys (default `true`). */
  extra?: boolean;
  /** `datefmt` for `asctime`. */
  datefmt?: string | null;
  /** UTC times (`converter = time.gmtime`). */
  utc?: boolean;
}

/**
 * Structured logging: one JSON object per record, byte-identical to CPython 3.13's idiomatic
 * recipe (`json.dumps` of the `keys`, then the extras, then `"exc_info"` / `"stack_info"`
 * texts when present). A `Formatter` subclass at runtime; `fmt` is `null`. A key the record
 * lacks, or a value JSON cannot encode (a `Date`, a class instance), is reported through
 * `handleError` as CPython reports it.
 */
export class JsonFormatter {
  constructor(options?: JsonFormatterOptions);
  readonly fmt: null;
  readonly datefmt: string | null;
  readonly keys: readonly string[];
  readonly extra: boolean;
  usesTime(): boolean;
  /** Formats a record object (as callbacks and filters receive it). */
  format(record: LogRecord): string;
}

/** `logging.Filter(name)`: records of logger `name` and its descendants. */
export class Filter {
  constructor(name?: string);
  readonly name: string;
  filter(record: LogRecord): boolean;
}

/** `logging.Handler`: subclass it and override `emit(record)`. */
export class Handler {
  constructor(level?: number);
  readonly level: number;
  name: string | null;
  readonly formatter: FormatterLike | null;
  readonly filters: FilterLike[];
  /** Override in subclasses; a throw is reported through `handleError`. */
  emit(record: LogRecord): void;
  /** The record formatted by this handler's formatter. */
  format(record: LogRecord): string;
  setLevel(level: Level): void;
  setFormatter(formatter: FormatterLike | null): void;
  addFilter(filter: FilterLike): void;
  removeFilter(filter: FilterLike): void;
  /** Flushes output; a subclass's override is also called by `shutdown()`. */
  flush(): void;
  /** Releases the handler; a subclass's override is also called by `shutdown()` (call `super.close()`). */
  close(): void;
  /** `handle(record)`: the handler's filters, then `emit`; whether the filters passed it. */
  handle(record: LogRecord): boolean;
  /** Reports `err`, caught inside `emit`, as a logging error (`--- Logging error ---`). */
  handleError(record: LogRecord, err?: unknown): void;
  /** `false` keeps `shutdown()` from flushing this handler before closing it. */
  flushOnClose?: boolean;
  /** For a `QueueHandler` made by `dictConfig`, its listener; otherwise `null`. */
  readonly listener: QueueListener | null;
}

/** `logging.handlers.QueueListener`, as a configured `QueueHandler`'s `listener`. */
export interface QueueListener {
  /** From now on `pump()` dispatches this listener's queued records. */
  start(): void;
  /** Dispatches what is queued, then stops. */
  stop(): void;
}

/** Options of `new ConsoleHandler({...})`. */
export interface ConsoleHandlerOptions {
  /** `"stderr"` (default) or `"stdout"`: matters only for text without a record. */
  stream?: "stderr" | "stdout";
  /** `%c` CSS per level: `true` for the built-in styles, or `{DEBUG: "color: gray", …}`. */
  styles?: boolean | Record<string, string>;
  /** Append the record's extra fields as an inspectable object. */
  extras?: boolean;
}

/** Anything with `write(text)` (and optionally `flush()`): a Node `Writable`, a `LoggerWriter`. */
export interface WritableLike {
  write(text: string): unknown;
  flush?(): unknown;
}

/**
 * `logging.StreamHandler(stream)`: `format(record) + terminator` written to `stream` —
 * `process.stderr` (the default, also `"stderr"`), `process.stdout` (`"stdout"`) or any
 * object with `write`. In Node stdout is stdout and stderr is stderr whatever the level, as
 * in CPython; in a browser (no streams) a standard stream is the devtools console, method by
 * level, as `ConsoleHandler` does.
 */
export class StreamHandler extends Handler {
  constructor(stream?: "stderr" | "stdout" | WritableLike | Console);
  /** The stream, as given. */
  readonly stream: unknown;
  /** Written after each record (`"\n"`; a console replaces one trailing newline with its own). */
  terminator: string;
}

/**
 * The devtools console in every host, Node's included: `console.debug` below INFO, `info`
 * below WARNING, `warn` below ERROR, `error` above.
 */
export class ConsoleHandler extends StreamHandler {
  constructor(options?: "stderr" | "stdout" | ConsoleHandlerOptions);
}

/**
 * `logging.handlers.BufferingHandler(capacity)`: records go to `buffer`; `flush()` (which
 * empties it) runs when `shouldFlush(record)` says so. Override `flush` and `shouldFlush`.
 */
export class BufferingHandler extends Handler {
  constructor(capacity: number);
  capacity: number;
  /** The buffered records. */
  buffer: LogRecord[];
  shouldFlush(record: LogRecord): boolean;
}

/**
 * `logging.handlers.MemoryHandler(capacity, flushLevel, target, flushOnClose)`: its buffer
 * lives in the core (`buffered` counts it, `clear()` discards it).
 */
export class MemoryHandler extends BufferingHandler {
  constructor(capacity: number, flushLevel?: Level, target?: Handler | null, flushOnClose?: boolean);
  setTarget(target: Handler | null): void;
  readonly target: Handler | null;
  readonly flushLevel: number;
  /** How many records are buffered. */
  readonly buffered: number;
  /** Discards the buffered records without sending them (recipe 28); returns how many. */
  clear(): number;
}

/** `logging.NullHandler`. */
export class NullHandler extends Handler {
  constructor();
}

/**
 * Calls `fn(text)` for each record — or `fn(text, record)` when `fn` declares a second
 * parameter (the plain record object is built only then); a throwing `fn` is reported,
 * logging goes on.
 */
export class CallbackHandler extends Handler {
  constructor(fn: (text: string, record: LogRecord) => void);
}

/** Options of `basicConfig`. */
export interface BasicConfigOptions {
  level?: Level;
  format?: string;
  datefmt?: string;
  /** `"%"` (default), `"{"` or `"$"`; any other string is refused (a plain `string` is accepted so an options object held in a variable needs no annotation). */
  style?: "%" | "{" | "$" | (string & {});
  handlers?: Handler[];
  force?: boolean;
  /** `process.stderr` (default, `"stderr"`), `process.stdout` (`"stdout"`) or any object with `write`. */
  stream?: "stderr" | "stdout" | WritableLike | Console;
  /** A `FileHandler` on this log in the storage set with `setStorage` (Node: a file). */
  filename?: string;
  /** `"a"` (default) or `"w"`. */
  filemode?: "a" | "w" | (string & {});
  /** Only UTF-8. */
  encoding?: string;
}

/** `logging.basicConfig(options)`: invalid options throw and change nothing. */
export function basicConfig(options?: BasicConfigOptions): void;
/**
 * A `dictConfig` configuration: CPython 3.13's schema (`version: 1`, `formatters`, `filters`,
 * `handlers`, `loggers`, `root`, `incremental`, `disable_existing_loggers`).
 */
export interface DictConfig {
  /**
   * Must be 1; anything else is refused, as in CPython. Typed `number` so that a
   * configuration held in a variable (where `1` widens to `number`) needs no annotation.
   */
  version: number;
  incremental?: boolean;
  disable_existing_loggers?: boolean;
  formatters?: Record<string, Record<string, unknown>>;
  filters?: Record<string, Record<string, unknown>>;
  handlers?: Record<string, Record<string, unknown>>;
  loggers?: Record<string, Record<string, unknown>>;
  root?: Record<string, unknown>;
  /** Other top-level keys, for `cfg://` references. */
  [key: string]: unknown;
}

/** The error `dictConfig` throws for a refused configuration (named `ValueError`). */
export interface ConfigError extends Error {
  /** The dotted path of the offending value, e.g. `"handlers.m.capacity"` (`""`: the whole). */
  path: string;
}

/**
 * `logging.config.dictConfig(config)`. A refused configuration throws a `ConfigError` and
 * changes nothing.
 */
export function dictConfig(config: DictConfig): void;

/** What a factory builds, by the section that names it. */
export type FactoryProduct = FilterLike | Handler | FormatterLike | Queue;

/**
 * A factory: called with the entry's keyword arguments (a class is constructed with `new`).
 * They are `any`, as Python's `**kwargs` are untyped: they come from the configuration.
 */
export type Factory =
  | ((kwargs: Record<string, any>) => FactoryProduct)
  | (new (kwargs: Record<string, any>) => FactoryProduct);

/**
 * Makes `name` usable as a `()` or `class` in `dictConfig`: in `filters` the factory returns a
 * filter, in `handlers` a `Handler`, in `formatters` a `Formatter` (or an object with
 * `format`). What it throws becomes the configuration error's message.
 */
export function registerFactory(name: string, factory: Factory): void;
/** Forgets the factory registered under `name`. */
export function unregisterFactory(name: string): void;
/** `logging.getHandlerByName(name)`: the configured handler named `name`, or `null`. */
export function getHandlerByName(name: string): Handler | null;
/** `logging.getHandlerNames()`: the names of live named handlers, sorted. */
export function getHandlerNames(): string[];
/** Drains every started queue listener; returns how many records were dispatched. */
export function pump(): number;

/** `logging.addLevelName(level, name)`. Levels are 64-bit integers (a `bigint` too, when a double holds it exactly). */
export function addLevelName(level: number | bigint, name: string): void;
/**
 * `logging.getLevelName(level)`: a number gives its name, a name its number (`"WARNING"` →
 * 30); an unregistered name gives `"Level <name>"`. An untyped (`any`) argument, such as a
 * factory's keyword argument, is taken as a level name.
 */
export function getLevelName(level: LevelName): number;
export function getLevelName(level: number): string;
export function getLevelName(level: string): number | string;
/** `logging.getLevelNamesMapping()`. */
export function getLevelNamesMapping(): Record<string, number>;
/** `logging.disable(level = CRITICAL)`: a number or a level name. */
export function disable(level?: Level): void;
/** `logging.shutdown()`: flush and close every handler. */
export function shutdown(): void;
/** Flush every handler without closing it (done on page hide). */
export function flush(): void;
/** `logging.raiseExceptions`: whether errors inside logging are printed. */
export function setRaiseExceptions(on: boolean): void;
/** How many errors inside logging have been reported. */
export function errorCount(): number;
/** When records get their caller's file, line and function (see the README). */
export function setCallerInfo(mode: "auto" | boolean): "auto" | boolean;
/** Sets both `threadName` and `processName` on new records. */
export function setWorkerName(name: string): void;
/** `threadName` on new records (default `"MainThread"`, or the worker's name). */
export function setThreadName(name: string): void;
/** `processName` on new records (default `"MainProcess"`). */
export function setProcessName(name: string): void;
/** The `threadName` and `processName` new records get. */
export function getWorkerNames(): { threadName: string; processName: string };
/** `taskName` on new records (`null` clears it). */
export function setTaskName(name: string | null): void;
/**
 * Fixes the clock (ms, or a bigint of ns) for reproducible output; `null` restores it. The
 * start time (`relativeCreated`'s origin) does not move.
 */
export function setFixedTime(
  time: number | bigint | null,
  zone?: { utcOffset: number; zone?: string; isDst?: boolean },
): void;
/** Sets logging's start time (`logging._startTime`): ms since the epoch, or a bigint of ns. */
export function setStartTime(time: number | bigint): void;
/** Logging's start time, in ms since the epoch. */
export function getStartTime(): number;

/** `logging.debug(msg, ...args)` on the root logger, after `basicConfig()` if it has no handlers. */
export const debug: LogMethod;
/** `logging.info(...)`, as `debug`. */
export const info: LogMethod;
/** `logging.warning(...)`, as `debug`. */
export const warning: LogMethod;
/** `logging.warn`, an alias of `warning`. */
export const warn: LogMethod;
/** `logging.error(...)`, as `debug`. */
export const error: LogMethod;
/** `logging.exception(msg, ...args, err)`: `error` with the traceback. */
export const exception: LogMethod;
/** `logging.critical(...)`, as `debug`. */
export const critical: LogMethod;
/** `logging.fatal`, an alias of `critical`. */
export const fatal: LogMethod;
/** `logging.log(level, msg, ...args)` on the root logger, after `basicConfig()` if needed. */
export function log(level: number, msg: unknown, ...args: unknown[]): void;

/** A record factory: CPython's signature; returns the record (usually the old factory's, with attributes added). */
export type LogRecordFactory = (
  name: string,
  level: number,
  pathname: string,
  lineno: number,
  msg: unknown,
  args: LogRecord["args"],
  excInfo: unknown,
  func?: string | null,
  sinfo?: string | null,
) => LogRecord;

/** The default record factory (CPython's `LogRecord` class). */
export const LogRecord: LogRecordFactory;
/** `logging.setLogRecordFactory(factory)`; `null` restores `LogRecord`. */
export function setLogRecordFactory(factory: LogRecordFactory | null): void;
/** `logging.getLogRecordFactory()`. */
export function getLogRecordFactory(): LogRecordFactory;

/**
 * The cookbook's `BraceMessage(fmt, *args, **kwargs)`: a message formatted with
 * `str.format` rules when emitted. A last plain-object argument holds the keyword arguments.
 */
export class BraceMessage {
  constructor(fmt: string, ...args: unknown[]);
  readonly fmt: string;
  readonly args: unknown[];
  readonly kwargs: Record<string, unknown>;
  toString(): string;
}

/** The cookbook's `DollarMessage(fmt, **kwargs)`: `string.Template` substitution when emitted. */
export class DollarMessage {
  constructor(fmt: string, kwargs?: Record<string, unknown>);
  readonly fmt: string;
  readonly kwargs: Record<string, unknown>;
  toString(): string;
}

/** Undoes a capture. */
export type Undo = () => void;

/**
 * Captures `console.debug/log/info/warn/error` into `logger` (default `getLogger("console")`)
 * at DEBUG/INFO/INFO/WARNING/ERROR; returns the undo function.
 */
export function captureConsole(
  logger?: Logger | LoggerAdapter | string | null,
  options?: { levels?: Partial<Record<"debug" | "log" | "info" | "warn" | "error", number>> },
): Undo;

/**
 * Captures uncaught errors and unhandled rejections into `logger` (default the root) with
 * their tracebacks; in Node the process then exits with status 1 unless `exit: false`.
 * Returns the undo function.
 */
export function captureErrors(
  logger?: Logger | LoggerAdapter | string | null,
  options?: { level?: number; exit?: boolean; preventDefault?: boolean },
): Undo;

/** The cookbook's `LoggerWriter(logger, level)` (recipe 35): a stream that logs what is written. */
export class LoggerWriter implements WritableLike {
  constructor(logger: Logger | LoggerAdapter | string | null, level?: number);
  readonly logger: Logger | LoggerAdapter;
  level: number;
  write(text: string | Uint8Array): boolean;
  flush(): void;
  close(): void;
}

/**
 * Where file handlers write. All methods are synchronous; `bytes` is only valid during the
 * call (copy it); a throw is reported through `handleError`.
 */
export interface Storage {
  append(name: string, bytes: Uint8Array): void;
  /** The size in bytes, or `null` if the log does not exist. */
  size(name: string): number | null;
  rename(from: string, to: string): void;
  remove(name: string): void;
  read(name: string): Uint8Array | string | null;
  truncate(name: string): void;
  flush?(name: string): void;
  /** The logs in the folder `dir` ("" for the top), named as the other methods take them;
   * needed by TimedRotatingFileHandler's backupCount. */
  list?(dir: string): string[];
}

/** Logs in memory: the browser's memory mode, tests, in-page viewers. */
export class MemoryStorage implements Storage {
  constructor();
  append(name: string, bytes: Uint8Array): void;
  size(name: string): number | null;
  rename(from: string, to: string): void;
  remove(name: string): void;
  read(name: string): Uint8Array | null;
  truncate(name: string): void;
  /** The log as text, or `null`. */
  text(name: string): string | null;
  /** Every log's name, sorted. */
  names(): string[];
  list(dir: string): string[];
}

/** Logs in `localStorage` (or a Storage-like object), one key per log: `prefix + name`. */
export class LocalStorage implements Storage {
  /** Characters per stored chunk: an append rewrites at most this much. */
  static readonly CHUNK: number;
  constructor(prefix?: string, store?: globalThis.Storage);
  readonly prefix: string;
  append(name: string, bytes: Uint8Array): void;
  size(name: string): number | null;
  rename(from: string, to: string): void;
  remove(name: string): void;
  read(name: string): string | null;
  truncate(name: string): void;
  /** The names of the logs under the prefix, sorted. */
  names(): string[];
  list(dir: string): string[];
}

/** Counters of a durable storage (`stats()`). */
export interface DurableStorageStats {
  writtenBytes: number;
  writtenRecords: number;
  /** Failed writes to the store (each reported through `handleError`). */
  failures: number;
  /** Records and bytes those failures lost. */
  lostRecords: number;
  lostBytes: number;
  /** Records and bytes dropped because more than `maxPending` bytes were waiting. */
  droppedRecords: number;
  droppedBytes: number;
  /** What waits to be written now. */
  pendingBytes: number;
  pendingRecords: number;
}

/** What `readSet` and `download` make of a rotated set. */
export interface ReadSetOptions {
  /** `"log"` (default): the logs' bytes joined; `"ndjson"`: `{"file", "line"}` per line. */
  format?: "log" | "ndjson";
}

/**
 * The synchronous storage interface over an asynchronous browser store: sizes and names from
 * an in-memory mirror, records written behind, in order. Failures and overflow are reported
 * through `handleError`, never thrown into a log call.
 */
export abstract class DurableStorage implements Storage {
  /** Who the storage is in reports: `OPFSStorage('logs')`. */
  readonly label: string;
  /** Bound on bytes waiting to be written (default 8 MiB); beyond it the oldest are dropped. */
  maxPending: number;
  append(name: string, bytes: Uint8Array): void;
  size(name: string): number | null;
  rename(from: string, to: string): void;
  remove(name: string): void;
  /** `null` for a missing log; throws for an existing one (use `readAsync`). */
  read(name: string): null;
  truncate(name: string): void;
  /** Starts writing what is pending; resolves (never rejects) once nothing is pending. */
  flush(name?: string): Promise<void>;
  list(dir: string): string[];
  /** Every log's name, sorted. */
  names(): string[];
  /** The rotated set of `base`, oldest first (`base.2`, `base.1`, `base`; timed suffixes). */
  setNames(base: string): string[];
  readAsync(name: string): Promise<Uint8Array | null>;
  text(name: string): Promise<string | null>;
  /** The rotated set of `base` as one Blob, oldest first. */
  readSet(base: string, options?: ReadSetOptions): Promise<Blob>;
  /** `readSet`, saved through a download link on a page; returns the Blob. */
  download(base: string, options?: ReadSetOptions & { filename?: string }): Promise<Blob>;
  stats(): DurableStorageStats;
  /** Writes what is pending, stops watching the page, releases the store. */
  close(): Promise<void>;
}

/** Options of `OPFSStorage.open`. */
export interface OPFSStorageOptions {
  /** The folder of the origin's private file system (default `"logs"`; `""`: its root). */
  dir?: string;
  /** `"sync"`: access handles (dedicated Workers); `"async"`: writables; `"auto"` (default). */
  mode?: "auto" | "sync" | "async";
  maxPending?: number;
}

/** Logs as files in the Origin Private File System (pages and Workers). */
export class OPFSStorage extends DurableStorage {
  static open(options?: OPFSStorageOptions): Promise<OPFSStorage>;
  readonly mode: "sync" | "async";
}

/** Options of `IndexedDBStorage.open`. */
export interface IndexedDBStorageOptions {
  /** The database (default `"wasm-logging"`). */
  name?: string;
  /** The transactions' durability hint (default `"default"`). */
  durability?: "default" | "strict" | "relaxed";
  maxPending?: number;
}

/** Logs in an IndexedDB database (pages and Workers). */
export class IndexedDBStorage extends DurableStorage {
  static open(options?: IndexedDBStorageOptions): Promise<IndexedDBStorage>;
  readonly name: string;
}

/** Node only: files under `dir` (default: the working directory); Node's default storage. */
export class NodeFileStorage implements Storage {
  /**
   * Files under `dir` (default: the working directory when a name is resolved). With
   * `{root, confine: true}` names escaping `root` (`..`, absolute paths elsewhere, links
   * pointing out) are refused.
   */
  constructor(dir?: string | { root: string; confine?: boolean }, options?: { confine?: boolean });
  /** The directory relative names resolve against now. */
  readonly dir: string;
  /** Whether names must stay under the root. */
  readonly confine: boolean;
  /** The absolute path a file handler made now keeps for `name` (its `baseFilename`). */
  resolve(name: string): string;
  /** The path of the log `name`. */
  path(name: string): string;
  /** The files in the folder `dir` ("" for `dir` itself), named `dir/name`. */
  list(dir: string): string[];
  append(name: string, bytes: Uint8Array): void;
  size(name: string): number | null;
  rename(from: string, to: string): void;
  remove(name: string): void;
  read(name: string): Uint8Array | null;
  truncate(name: string): void;
  /** Closes the open descriptors. */
  close(): void;
}

/** Where file handlers write from now on (`null`: nowhere; file handlers then throw). */
export function setStorage(storage: Storage | null): void;
/** The storage set with `setStorage`, or `null`. */
export function getStorage(): Storage | null;

/** `logging.FileHandler(filename, mode, encoding, delay)` over the current storage. */
export class FileHandler extends Handler {
  constructor(filename: string, mode?: "a" | "w", encoding?: string, delay?: boolean);
  readonly baseFilename: string;
}

/** Options of `RotatingFileHandler`. */
export interface RotatingFileHandlerOptions {
  mode?: "a" | "w";
  maxBytes?: number;
  backupCount?: number;
  encoding?: string;
  delay?: boolean;
}

/** `logging.handlers.RotatingFileHandler`: CPython's rollover in the current storage. */
export class RotatingFileHandler extends Handler {
  constructor(filename: string, options?: RotatingFileHandlerOptions);
  constructor(
    filename: string,
    mode?: "a" | "w",
    maxBytes?: number,
    backupCount?: number,
    encoding?: string,
    delay?: boolean,
  );
  readonly baseFilename: string;
  /** `namer` (recipe 19): the name a backup gets; `null` for the default. */
  namer: ((defaultName: string) => string) | null;
  /** `rotator` (recipe 19): moves `source` to the backup `dest`; `null` for a rename. */
  rotator: ((source: string, dest: string) => void) | null;
  /** What the namer makes of `defaultName`. */
  rotation_filename(defaultName: string): string;
}

/** `queue.Queue(maxsize)`; share one with `dictConfig` through `registerFactory(name, () => q)`. */
export class Queue {
  constructor(maxsize?: number);
  qsize(): number;
  empty(): boolean;
}

/** `logging.handlers.QueueHandler(queue)`. */
export class QueueHandler extends Handler {
  constructor(queue: Queue);
  readonly queue: Queue;
}

/** `logging.handlers.QueueListener(queue, ...handlers, {respectHandlerLevel})`; `pump()` drives it. */
export class QueueListener {
  constructor(queue: Queue, ...handlers: (Handler | { respectHandlerLevel?: boolean })[]);
  readonly queue: Queue;
  readonly handlers: Handler[];
  readonly respectHandlerLevel: boolean;
  start(): void;
  stop(): void;
}

/** `logging.makeLogRecord(attrs)`. */
export function makeLogRecord(attrs: Partial<LogRecord> & Record<string, unknown>): LogRecord;

/**
 * The sending side of a bus (recipes 16/17): `send(obj)` carries one record message (throw
 * when it cannot); `encodable(value)` says whether a value survives the trip.
 */
export interface BusSender {
  send(obj: object): void;
  encodable?(value: unknown): boolean;
  readonly closed?: boolean;
  close?(): void;
}

/** The receiving side of a bus: `subscribe(cb)` calls `cb(obj)` per message, returns the unsubscribe. */
export interface BusReceiver {
  subscribe(cb: (obj: unknown) => void): () => void;
  close?(): void;
}

/** Anything with `postMessage`: a `MessagePort`, `Worker`, worker scope, `parentPort`, `BroadcastChannel`. */
export interface PortLike {
  postMessage(message: unknown, ...rest: any[]): void;
}

/** A bus over anything with `postMessage` (structured clone). */
export class PortBus implements BusSender, BusReceiver {
  constructor(port: PortLike);
  readonly port: PortLike;
  readonly closed: boolean;
  send(obj: object): void;
  subscribe(cb: (obj: unknown) => void): () => void;
  encodable(value: unknown): boolean;
  close(): void;
}

/** A bus over a `BroadcastChannel` of that name (or the channel itself). */
export class BroadcastChannelBus extends PortBus {
  constructor(nameOrChannel: string | PortLike);
}

/** A bus over a WebSocket (a URL or a socket with the browser's API, e.g. from `ws`); JSON text. */
export class WebSocketBus implements BusSender, BusReceiver {
  constructor(urlOrSocket: string | URL | object, options?: { backlog?: number });
  readonly socket: any;
  readonly backlog: number;
  readonly closed: boolean;
  send(obj: object): void;
  subscribe(cb: (obj: unknown) => void): () => void;
  encodable(value: unknown): boolean;
  close(): void;
}

/**
 * `QueueHandler` over a transport: posts CPython's prepared record (msg merged, args,
 * exc_info, exc_text, stack_info null; extra fields kept) as one plain object per record.
 */
export class PortQueueHandler extends Handler {
  constructor(target: PortLike | BusSender);
  readonly bus: BusSender;
  /** Records sent. */
  readonly sent: number;
  /** Records that could not be sent (each reported). */
  readonly lost: number;
  /** The plain object sent for `record`. */
  prepare(record: LogRecord): Record<string, unknown>;
}

/** Options of `new PortQueueListener(source, ...handlers, {...})`. */
export interface PortQueueListenerOptions {
  /** Skip a handler whose level is above the record's. */
  respectHandlerLevel?: boolean;
  /** Records kept before `start()` (default 10,000); beyond, dropped and reported. */
  capacity?: number;
}

/** What a `PortQueueListener` hands records to: a `Handler` or an object with `handle(record)`. */
export type RecordHandlerLike = Handler | { handle(record: LogRecord): unknown };

/** `QueueListener` for records arriving over transports, rebuilt with `makeLogRecord`. */
export class PortQueueListener {
  constructor(
    source: PortLike | BusReceiver | readonly (PortLike | BusReceiver)[],
    ...handlers: (RecordHandlerLike | PortQueueListenerOptions)[]
  );
  readonly handlers: RecordHandlerLike[];
  readonly respectHandlerLevel: boolean;
  readonly capacity: number;
  readonly received: number;
  readonly dropped: number;
  readonly missing: number;
  readonly pending: number;
  attach(source: PortLike | BusReceiver): this;
  detach(source: PortLike | BusReceiver): this;
  start(): void;
  stop(): void;
  prepare(record: LogRecord): LogRecord;
  handle(record: LogRecord): void;
}

/** Where a network handler sends: what `check` and `open` receive. */
export interface RemoteEndpoint {
  transport: "tcp" | "udp" | "http" | "https";
  host: string;
  port: number;
}

/**
 * The connections network handlers (`logging.handlers.SocketHandler`, `DatagramHandler`,
 * `SysLogHandler`, `HTTPHandler`, `wasm_logging.JSONSocketHandler`, `SysLogHandler5424` in
 * `dictConfig`) send through. Every method is synchronous and returns at once.
 */
export interface Remote {
  /** Throws to refuse the endpoint: the message becomes the configuration error. */
  check(endpoint: RemoteEndpoint): void;
  /** Starts a connection; returns its number (a non-negative integer). */
  open(endpoint: RemoteEndpoint): number;
  /**
   * Takes one frame (`true`), or is not ready yet (`false`: the core keeps the frame and
   * retries after `remotePump()`); throws when the connection is broken. For HTTP(S) each
   * frame is a whole request.
   */
  send(conn: number, bytes: Uint8Array): boolean;
  /** Closes the connection; throws to report undelivered data. */
  close(conn: number): void;
  /** Asked to call `remotePump()` after `ms` (a reconnect is due then). */
  wakeAfter?(ms: number): void;
  /** Frames taken but not yet written out (`flushAsync` waits for 0). */
  unflushed?(): number;
  /** Resolves on the next sign of progress (`flushAsync` wakes up early). */
  whenProgress?(): Promise<void>;
  /** After a failure: seconds the peer asked to wait (an HTTP `Retry-After`), or `null`. */
  retryAfter?(endpoint: RemoteEndpoint): number | null;
  /** Why the frame just taken on `conn` was refused for good (reported, dropped), or `null`. */
  rejection?(conn: number): string | null;
}

/** A `Storage` (`localStorage`, `sessionStorage`) or anything with its three methods. */
export interface SpillStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of `BrowserRemote`. */
export interface BrowserRemoteOptions {
  /** `"*"` (default), or `"host:port"` / `"host:*"` entries. */
  allow?: "*" | readonly string[];
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch;
  /** The WebSocket class for `wasm_logging.WebSocketHandler` (default: the global one; in Node 20, `ws`'s). */
  WebSocket?: unknown;
  /** `navigator.sendBeacon` or a stand-in (default: the browser's, where there is one). */
  sendBeacon?: ((url: string, data: Blob) => boolean) | null;
  /** Keeps requests that cannot leave a hidden page (collector down, budget used up). */
  spill?: SpillStorage | null;
  /** The storage key (`"wasm-logging:spill"`). */
  spillKey?: string;
  /** The most characters the spill may hold (2,000,000). */
  spillLimit?: number;
  /** Milliseconds a request may take before it counts as failed (30000). */
  timeout?: number;
  /** Listen to `pagehide` / `visibilitychange` (default true where they exist). */
  lifecycle?: boolean;
}

/**
 * HTTP(S) for `HTTPHandler`, `wasm_logging.BufferingHTTPHandler` and `wasm_logging.OTLPHandler`
 * over `fetch` (pages, Web Workers, Node), keepalive fetches and beacons when the page is
 * hidden, an optional spill to storage, and WebSocket for `wasm_logging.WebSocketHandler`.
 * See docs/browser-transports.md.
 */
export class BrowserRemote implements Remote {
  constructor(options?: BrowserRemoteOptions);
  readonly stats: {
    requests: number;
    messages: number;
    ok: number;
    failed: number;
    rejected: number;
    keepalive: number;
    beacons: number;
    spilled: number;
    resent: number;
    lost: number;
  };
  check(endpoint: RemoteEndpoint): void;
  open(endpoint: RemoteEndpoint): number;
  send(conn: number, bytes: Uint8Array): boolean;
  close(conn: number): void;
  wakeAfter(ms: number): void;
  unflushed(): number;
  whenProgress(): Promise<void>;
  retryAfter(endpoint: RemoteEndpoint): number | null;
  rejection(conn: number): string | null;
  /** Hands every waiting request to the browser now (what `pagehide` does). */
  hide(): void;
  /** Requests spilled by an earlier page. */
  spilled(): { transport: string; host: string; port: number; frame: string }[];
  /** Puts spilled requests back into their handlers; returns how many. */
  resendSpilled(): number;
}

/** Options of `NodeRemote`. */
export interface NodeRemoteOptions {
  /** `"*"`, or `"host:port"` / `"host:*"` entries (`"[::1]:9020"`); default: nothing. */
  allow?: "*" | true | readonly string[];
  /** Milliseconds a TCP connect may take (5000). */
  connectTimeout?: number;
  /** Milliseconds an HTTP request may take, connect to status line (10000). */
  httpTimeout?: number;
  /** Extra `tls.connect` options for HTTPS (`ca`, `rejectUnauthorized` …). */
  tls?: Record<string, unknown>;
  /** What to call when a connection becomes ready (default: the core's `remotePump`). */
  pump?: () => void;
}

/**
 * Node only: TCP (`node:net`), UDP (`node:dgram`) and HTTP(S) (`node:net` / `node:tls`)
 * connections within an allow-list. The Node entry installs `new NodeRemote({allow: "*"})`;
 * `setRemote(new NodeRemote({allow: [...]}))` restricts it.
 */
export class NodeRemote implements Remote {
  constructor(options?: NodeRemoteOptions);
  readonly connectTimeout: number;
  readonly httpTimeout: number;
  /** Whether connections to `host:port` are allowed. */
  allows(host: string, port: number): boolean;
  check(endpoint: RemoteEndpoint): void;
  open(endpoint: RemoteEndpoint): number;
  send(conn: number, bytes: Uint8Array): boolean;
  close(conn: number): void;
  wakeAfter(ms: number): void;
  unflushed(): number;
  whenProgress(): Promise<void>;
  /** The open connections, for diagnostics. */
  connections(): {
    id: number;
    transport: RemoteEndpoint["transport"];
    endpoint: string;
    ready: boolean;
    broken: string | null;
    unflushed: number;
  }[];
}

/**
 * The connections network handlers made from now on use (`null`: none; their classes are
 * then refused by `dictConfig`, as in browsers). Handlers already made keep theirs.
 */
export function setRemote(remote: Remote | null): void;
/** The remote set with `setRemote`, or `null` (browsers). */
export function getRemote(): Remote | null;
/** Moves waiting records on, respecting reconnect back-off; returns how many still wait. */
export function remotePump(): number;
/** How many records network handlers hold, waiting for delivery. */
export function remotePending(): number;
/**
 * Flushes every handler, then waits until network handlers' records have left the process
 * (none waiting, none in a socket buffer) or `timeout` ms (5000) pass. Resolves with the
 * number still undelivered; never rejects.
 */
export function flushAsync(options?: { timeout?: number } | number): Promise<number>;
