// Stack traces: the caller of a log call (CPython's findCaller) and JS errors as Python
// tracebacks (formatException). Hand-written rather than taken from npm (error-stack-parser
// and friends): the package must load in a plain <script type="module"> with no bundler, where
// a bare import cannot resolve, and only the two engine formats below are needed.
//
//   V8 (Chrome, Node, Edge):     "    at fn (file:///app/x.mjs:12:5)"  /  "    at file:///app/x.mjs:12:5"
//   SpiderMonkey, JavaScriptCore: "fn@https://host/app/x.js:12:5"     /  "@https://host/app/x.js:12:5"

const V8_FRAME = /^\s*at (?:(.*?) \((.*)\)|(.*))$/;
const GECKO_FRAME = /^(.*?)@(.*)$/;
const LOCATION = /^(.*?):(\d+)(?::\d+)?$/;

const PATHS = new Map();

/** `pathOf`, memoised: a log call site's file is the same from one call to the next. */
function cachedPathOf(url) {
  let p = PATHS.get(url);
  if (p === undefined) {
    p = pathOf(url);
    if (PATHS.size >= 256) PATHS.clear();
    PATHS.set(url, p);
  }
  return p;
}

/** A source location as CPython would name it: file URLs become paths; query and hash go. */
export function pathOf(url) {
  if (url.startsWith("file://")) {
    let p = url.slice(7);
    try {
      p = decodeURIComponent(p);
    } catch {
      // keep it encoded
    }
    // file:///C:/x on Windows is C:/x.
    return /^\/[A-Za-z]:\//.test(p) ? p.slice(1) : p;
  }
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : url.slice(0, cut);
}

/** A V8/Gecko function label as CPython's `funcName` (`co_name`): the bare name. */
export function funcNameOf(label) {
  if (!label) return "<anonymous>";
  let name = label.replace(/ \[as [^\]]*\]$/, "").replace(/^(?:async|new) /, "");
  // Gecko marks nested functions "outer/inner<" and anonymous ones "outer/<".
  const slash = name.lastIndexOf("/");
  if (slash >= 0) name = name.slice(slash + 1);
  name = name.replace(/<+$/, "");
  if (!name.endsWith(">")) {
    const dot = name.lastIndexOf(".");
    if (dot >= 0) name = name.slice(dot + 1);
  } else if (name.endsWith(".<anonymous>")) {
    name = "<anonymous>";
  }
  return name || "<anonymous>";
}

/**
 * The frames of an `Error.stack` string, innermost first, as `[file, line, funcName]`.
 * Lines that are not frames (the `Name: message` header, message continuation lines) are
 * skipped.
 */
export function parseStack(stack) {
  const frames = [];
  if (typeof stack !== "string") return frames;
  for (const line of stack.split("\n")) {
    let label;
    let where;
    let m = V8_FRAME.exec(line);
    if (m !== null) {
      if (m[2] !== undefined) {
        label = m[1];
        where = m[2];
      } else {
        label = "";
        where = m[3];
      }
    } else if (!/^\s/.test(line) && (m = GECKO_FRAME.exec(line)) !== null) {
      label = m[1];
      where = m[2];
    } else {
      continue;
    }
    const loc = LOCATION.exec(where);
    if (loc === null) {
      frames.push([where, 0, funcNameOf(label)]);
    } else {
      frames.push([cachedPathOf(loc[1]), Number(loc[2]), funcNameOf(label)]);
    }
  }
  return frames;
}

// V8 (Chrome, Node, Edge) hands out structured call sites through Error.prepareStackTrace:
// reading the caller from them skips formatting the stack into text and parsing it back,
// which is most of the cost of a location (measured: ~3x faster per enabled call).
const callSites = typeof Error.captureStackTrace === "function";

function asCallSites(_error, sites) {
  return sites;
}

function v8Frames(drop, limit) {
  const E = Error;
  const savedLimit = E.stackTraceLimit;
  const savedPrepare = E.prepareStackTrace;
  let sites;
  try {
    E.stackTraceLimit = limit;
    E.prepareStackTrace = asCallSites;
    const holder = {};
    // Frames from callerFrames outwards (v8Frames itself is left out).
    E.captureStackTrace(holder, v8Frames);
    sites = holder.stack;
  } finally {
    E.prepareStackTrace = savedPrepare;
    E.stackTraceLimit = savedLimit;
  }
  if (!Array.isArray(sites)) return null;
  const frames = [];
  for (let i = drop + 1; i < sites.length; i++) {
    const site = sites[i];
    let file = site.getFileName();
    let line = site.getLineNumber() ?? 0;
    if (file === undefined || file === null) {
      // eval'd code (webpack's default development devtool, "eval") has no file name, only
      // the //# sourceURL it names itself by; its lines count from the eval'd text's start.
      const named = typeof site.getScriptNameOrSourceURL === "function" ? site.getScriptNameOrSourceURL() : undefined;
      if (typeof named === "string" && named !== "") {
        line = Math.max(1, line - evalPrologue(named));
        file = named;
      } else {
        file = site.isNative() ? "native" : "<anonymous>";
      }
    }
    frames.push([cachedPathOf(file), line, site.getFunctionName() || "<anonymous>"]);
  }
  return frames;
}

// webpack's eval devtool evaluates each module as `eval("<prologue>\n<module code>\n//#
// sourceURL=webpack://…")`: the prologue (`__webpack_require__.r(…)`, one `/* harmony import
// */` line per import, the `/* harmony export */` block) comes before the module's first line,
// and the import statements it replaces are left as empty lines. So a call site's line in the
// module is its line in the eval'd text minus the prologue's lines. The text is the argument
// of the eval call in the bundle: V8 names no eval origin once a sourceURL is given, so the
// page's scripts (and a worker's own script) are searched for the line that evals this
// sourceURL, each read once (a synchronous same-origin request; development builds only,
// cached), and the prologue is counted once per module.
const PROLOGUE_LINE = /^\{?(?:__webpack_require__\.r\(__webpack_exports__\);|\/\* harmony (?:import|export|default export) \*\/)/;
const BUNDLES = new Map();
const PROLOGUES = new Map();

function bundleLines(url) {
  let lines = BUNDLES.get(url);
  if (lines === undefined) {
    lines = null;
    try {
      const XHR = globalThis.XMLHttpRequest;
      if (typeof XHR === "function" && /^https?:/.test(url)) {
        const req = new XHR();
        req.open("GET", url, false);
        req.send();
        if (req.status === 200) lines = req.responseText.split("\n");
      }
    } catch {
      // no text: lines stay as the engine counts them
    }
    if (BUNDLES.size >= 16) BUNDLES.clear();
    BUNDLES.set(url, lines);
  }
  return lines;
}

/** The scripts this realm loaded: the page's `<script src>`s and chunks, a worker's own script. */
function scriptURLs() {
  const urls = new Set();
  const g = globalThis;
  try {
    for (const s of g.document?.scripts ?? []) if (s.src) urls.add(s.src);
    for (const e of g.performance?.getEntriesByType?.("resource") ?? []) {
      if (e.initiatorType === "script" || e.initiatorType === "other") urls.add(e.name);
    }
    if (g.document === undefined && typeof g.location?.href === "string") urls.add(g.location.href);
  } catch {
    // whatever was found
  }
  return [...urls].filter((u) => /\.m?js(?:[?#]|$)/.test(u)).slice(0, 16);
}

/** How many lines webpack's eval prologue adds before the module `sourceURL` names (0 if unknown). */
export function evalPrologue(sourceURL) {
  if (!sourceURL.startsWith("webpack://")) return 0;
  let lines = PROLOGUES.get(sourceURL);
  if (lines !== undefined) return lines;
  lines = 0;
  try {
    const marker = `sourceURL=${sourceURL}`;
    let call;
    for (const url of scriptURLs()) {
      call = bundleLines(url)?.find((line) => line.includes(marker) && line.includes('eval("'));
      if (call !== undefined) break;
    }
    const start = call === undefined ? -1 : call.indexOf('eval("');
    if (start >= 0) {
      const end = call.lastIndexOf('")');
      const text = JSON.parse(call.slice(start + 5, end + 1));
      for (const line of text.split("\n")) {
        if (!PROLOGUE_LINE.test(line)) break;
        lines += 1;
      }
    }
  } catch {
    lines = 0;
  }
  PROLOGUES.set(sourceURL, lines);
  return lines;
}

/**
 * The frames of the current call stack above `drop` wrapper frames (innermost first). `all`
 * asks for the whole stack (for `stackInfo`); otherwise only as many frames are captured as
 * needed, which is what makes this cheap (the engine walks only that many).
 */
export function callerFrames(drop, all) {
  // +1 for this function's own frame.
  const limit = all ? 200 : drop + 2;
  if (callSites) {
    try {
      const frames = v8Frames(drop, limit);
      if (frames !== null) return frames;
    } catch {
      // A frozen Error (SES lockdown) or a foreign prepareStackTrace: parse the text.
    }
  }
  const E = Error;
  const saved = E.stackTraceLimit;
  try {
    E.stackTraceLimit = limit;
  } catch {
    // A frozen Error constructor: capture with the default limit.
  }
  const stack = new E().stack;
  try {
    E.stackTraceLimit = saved;
  } catch {
    // as above
  }
  return parseStack(stack).slice(drop + 1);
}

/** CPython's `stack_info` body for frames given innermost first: outermost first. */
export function renderStack(frames) {
  let out = "";
  for (let i = frames.length - 1; i >= 0; i--) {
    const [file, line, name] = frames[i];
    out += `  File "${file}", line ${line}, in ${name}\n`;
  }
  return out;
}

function safeString(v) {
  try {
    return String(v);
  } catch {
    return "<unprintable>";
  }
}

/**
 * A thrown value as the Wasm side reads an exception: `{type, message, frames, cause,
 * value}` with `frames` flattened `[file, line, func, …]` outermost first (a Python
 * traceback's order) and `cause` the description of `error.cause`.
 */
export function describeError(err, depth = 0) {
  let isError = false;
  try {
    isError = err instanceof Error;
  } catch {
    // a Proxy whose getPrototypeOf trap throws: described as an object
  }
  if (isError) {
    let type = "Error";
    let message = "";
    let stack;
    try {
      type = safeString(err.name);
      message = safeString(err.message);
      stack = err.stack;
    } catch {
      // A throwing getter: what was read so far.
    }
    const frames = [];
    const parsed = parseStack(stack);
    for (let i = parsed.length - 1; i >= 0; i--) frames.push(...parsed[i]);
    let cause;
    try {
      if (depth < 8 && err.cause !== undefined) cause = describeError(err.cause, depth + 1);
    } catch {
      // ignore an unreadable cause
    }
    return { type, message, frames, cause, value: err };
  }
  let type = typeof err;
  try {
    if (err !== null && err !== undefined && err.constructor && err.constructor.name) {
      type = err.constructor.name;
    }
  } catch {
    // keep typeof
  }
  return { type, message: safeString(err), frames: [], cause: undefined, value: err };
}
//# sourceMappingURL=stack.js.map
