// The module-level logging functions (`logging.info(...)` and friends): calls on the root
// logger that first run `basicConfig()` when the root has no handlers, as CPython's do.

import { CRITICAL, DEBUG, ERROR, INFO, WARNING, levelArgument } from "./state.js";
import { getLogger } from "./logger.js";
import { basicConfig } from "./config.js";

/** The root logger, with `basicConfig()` run first if it has no handlers (CPython's rule). */
function configuredRoot() {
  const root = getLogger();
  // `len(root.handlers) == 0`: the root alone (its hasHandlers has no ancestors to ask).
  if (!root._raw.hasHandlers()) basicConfig();
  return root;
}

/* Each calls the root's `_log` itself (depth 2, as a level method does), so `%(lineno)d`
   names the caller's line, not this file's. */

/** `logging.debug(msg, ...args)`: on the root logger, after `basicConfig()` if it has no handlers. */
export function debug(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(DEBUG)) root._log(DEBUG, msg, args, undefined, false, 2);
}

/** `logging.info(msg, ...args)`. */
export function info(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(INFO)) root._log(INFO, msg, args, undefined, false, 2);
}

/** `logging.warning(msg, ...args)`. */
export function warning(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(WARNING)) root._log(WARNING, msg, args, undefined, false, 2);
}

/** `logging.warn`: `warning` (deprecated in CPython, kept as an alias). */
export function warn(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(WARNING)) root._log(WARNING, msg, args, undefined, false, 2);
}

/** `logging.error(msg, ...args)`. */
export function error(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(ERROR)) root._log(ERROR, msg, args, undefined, false, 2);
}

/** `logging.exception(msg, ...args, err)`: `error` with the exception's traceback. */
export function exception(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(ERROR)) root._log(ERROR, msg, args, undefined, true, 2);
}

/** `logging.critical(msg, ...args)`. */
export function critical(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(CRITICAL)) root._log(CRITICAL, msg, args, undefined, false, 2);
}

/** `logging.fatal`: `critical`. */
export function fatal(msg, ...args) {
  const root = configuredRoot();
  if (root.isEnabledFor(CRITICAL)) root._log(CRITICAL, msg, args, undefined, false, 2);
}

/** `logging.log(level, msg, ...args)`: `level` an integer (64 bits), else a reported error. */
export function log(level, msg, ...args) {
  const root = configuredRoot();
  level = levelArgument(level);
  if (level === undefined) return;
  if (root.isEnabledFor(level)) root._log(level, msg, args, undefined, false, 2);
}
//# sourceMappingURL=root.js.map
