// The logging model: the part of the API that both `wasm-logging` (src/logging.js, which adds
// the configuration and transport layers) and `wasm-logging/lite` (src/lite.js) export. A
// name added here reaches both entries; js/types/lite.d.ts lists the same names for types.
export { BASIC_FORMAT, CRITICAL, DEBUG, ERROR, FATAL, INFO, NOTSET, WARN, WARNING } from "./state.js";
export { setCallerInfo } from "./callerinfo.js";
export { Logger, getLogger } from "./logger.js";
export { critical, debug, error, exception, fatal, info, log, warn, warning } from "./root.js";
export { LoggerAdapter } from "./adapter.js";
export { getContext, runWithContext } from "./context.js";
export { Formatter } from "./formatter.js";
export { LogRecord, getLogRecordFactory, setLogRecordFactory } from "./factory.js";
export { Filter } from "./filter.js";
export {
  BufferingHandler,
  CallbackHandler,
  ConsoleHandler,
  Handler,
  MemoryHandler,
  NullHandler,
  StreamHandler,
} from "./handlers.js";
export { LoggerWriter, captureConsole, captureErrors } from "./capture.js";
export {
  addLevelName,
  basicConfig,
  disable,
  errorCount,
  flush,
  getLevelName,
  getLevelNamesMapping,
  getStartTime,
  setFixedTime,
  setProcessName,
  setRaiseExceptions,
  setStartTime,
  setTaskName,
  setThreadName,
  shutdown,
} from "./config.js";
//# sourceMappingURL=api.js.map
