// wasm-logging: Python's `logging` for JavaScript, over one Rust core compiled to Wasm.
//
// This file is the public API, gathered from one file per concept. The entry points (node.js,
// bundler.js, web.js) load the wasm-bindgen glue for their platform and hand it to the
// default export (`bind`); everything else is shared.
//
// Cost model. A level method of a logger is either the shared no-op (the level is disabled)
// or the logger's bound level function, which crosses into Wasm once. Which one is decided
// when levels change (setLevel, disabled, disable(), basicConfig, dictConfig): every logger's
// threshold is re-read then, so a disabled `log.debug(...)` is a property load and a call of
// an empty function. Caller location costs a stack capture (microseconds), so it is taken
// only when a formatter uses it (see `setCallerInfo`).

export { bind as default } from "./state.js";
export * from "./api.js";
export { JsonFormatter } from "./formatter.js";
export { BraceMessage, DollarMessage } from "./message.js";
export { getWorkerNames, setWorkerName } from "./config.js";
export {
  dictConfig,
  getHandlerByName,
  getHandlerNames,
  pump,
  registerFactory,
  unregisterFactory,
} from "./dictconfig.js";
export {
  FileHandler,
  LocalStorage,
  MemoryStorage,
  Queue,
  QueueHandler,
  QueueListener,
  RotatingFileHandler,
  getStorage,
  makeLogRecord,
  setStorage,
} from "./storage.js";
export { flushAsync, getRemote, remotePending, remotePump, setRemote } from "./remote.js";
export { BrowserRemote } from "./browserremote.js";
export { BroadcastChannelBus, PortBus, PortQueueHandler, PortQueueListener, WebSocketBus } from "./workers.js";
export { OPFSStorage } from "./opfs.js";
export { IndexedDBStorage } from "./idbstorage.js";
//# sourceMappingURL=logging.js.map
