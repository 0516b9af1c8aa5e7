// The log viewer (cookbook recipe 33, a GUI viewer, in a browser): records from this page, its
// Web Workers and `wasm-logging serve` in one virtualised table; the logger tree with live
// level switches and a dictConfig box (recipe 6); demos; the logs kept in browser storage.
import * as logging from "../js/src/browser.js";
import { RecordStore, levelClass, levelNumber } from "./records.js";
import { runDemo } from "./demos.js";
import { ServeConnection } from "./serve.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const ROW = 22;
const LEVELS = ["NOTSET", "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
const LOG_BASE = "viewer.log";

const store = new RecordStore(Number(params.get("capacity")) || 200_000);
let storage = null;
let storageKind = "none";
let userConfig = { version: 1, root: { level: "DEBUG" } };
let shipping = false;
let selected = -1; // index in the filtered view
let dirty = true;
let lastDownload = null;

// ---- the collecting handler -------------------------------------------------------------

/** Every record the page's loggers handle (workers' ones too, through the listener). */
class ViewerHandler extends logging.Handler {
  emit(record) {
    const src = record.threadName && record.threadName !== "MainThread" ? `worker:${record.threadName}` : "page";
    ingest(store.slim(record, src));
  }
}
logging.registerFactory("wasm_logging_www.ViewerHandler", () => new ViewerHandler());

function ingest(r) {
  store.push(r);
  noteLogger(r);
  schedule();
}

// ---- configuration: the user's, plus the viewer's own handlers -------------------------------

/** The user's configuration with the viewer's handlers added to the root. */
function withViewerHandlers(config) {
  if (config.incremental) return config;
  const c = structuredClone(config);
  c.handlers = { ...(c.handlers ?? {}) };
  c.formatters = { ...(c.formatters ?? {}) };
  c.formatters.wasm_logging_www_line = { format: "%(asctime)s %(levelname)-8s %(threadName)s %(name)s %(message)s" };
  c.handlers.wasm_logging_www_view = { "()": "wasm_logging_www.ViewerHandler" };
  const names = ["wasm_logging_www_view"];
  if (storage !== null) {
    c.handlers.wasm_logging_www_file = {
      class: "logging.handlers.RotatingFileHandler",
      filename: LOG_BASE,
      maxBytes: Number(params.get("maxBytes")) || 1_000_000,
      backupCount: 3,
      formatter: "wasm_logging_www_line",
    };
    names.push("wasm_logging_www_file");
  }
  if (shipping) {
    c.handlers.wasm_logging_www_ship = {
      class: "wasm_logging.BufferingHTTPHandler",
      host: shipHost(),
      url: "/batch",
      body: "records",
      capacity: 100,
      interval: 1,
      secure: location.protocol === "https:",
    };
    names.push("wasm_logging_www_ship");
  }
  c.root = { ...(c.root ?? {}) };
  c.root.handlers = [...(c.root.handlers ?? []), ...names];
  if (!("disable_existing_loggers" in c)) c.disable_existing_loggers = false;
  return c;
}

/** The host:port of serve from the viewer-stream URL. */
function shipHost() {
  try {
    return new URL($("serve-url").value).host || location.host;
  } catch {
    return location.host;
  }
}

/**
 * Applies a configuration (verified by dictConfig: a bad one is refused as a whole and names
 * the offending path). Returns the error message, or null.
 */
function applyConfig(config) {
  try {
    if (config === null || typeof config !== "object" || Array.isArray(config)) throw new TypeError("a configuration is a JSON object");
    logging.dictConfig(withViewerHandlers(config));
  } catch (err) {
    return `${err.name ?? "Error"}: ${err.message}`;
  }
  if (!config.incremental) userConfig = config;
  refreshTree();
  return null;
}

// ---- the table ---------------------------------------------------------------------------

const viewport = $("viewport");
const spacer = $("spacer");
const rows = []; // the row elements, reused
let frame = 0;

function schedule() {
  dirty = true;
  if (frame === 0) frame = requestAnimationFrame(render);
}

function header() {
  const cols = ["source", ...store.columns];
  $("thead").replaceChildren(
    ...cols.map((name, i) => {
      const d = document.createElement("div");
      d.className = `th c-${name}${i === cols.length - 1 ? " last" : ""}`;
      d.setAttribute("role", "columnheader");
      d.textContent = name;
      return d;
    }),
  );
}

let rendering = false;
function render() {
  frame = 0;
  if (!dirty) return;
  dirty = false;
  // Scroll events caused by the render itself do not turn "follow" off.
  rendering = true;
  setTimeout(() => (rendering = false), 0);
  const n = store.shown;
  spacer.style.height = `${n * ROW}px`;
  $("table").setAttribute("aria-rowcount", String(n));
  if ($("follow").checked) viewport.scrollTop = viewport.scrollHeight;
  const top = viewport.scrollTop;
  const first = Math.max(0, Math.floor(top / ROW) - 5);
  const count = Math.min(n - first, Math.ceil(viewport.clientHeight / ROW) + 10);
  const cols = store.columns.length + 1;
  for (let i = 0; i < Math.max(count, 0); i++) {
    let tr = rows[i];
    if (tr === undefined) {
      tr = document.createElement("div");
      tr.setAttribute("role", "row");
      rows.push(tr);
      viewport.appendChild(tr);
    }
    const idx = first + i;
    const r = store.at(idx);
    const cells = store.cells(r);
    if (tr.childElementCount !== cols || tr.dataset.fv !== String(store.formatVersion)) {
      tr.replaceChildren();
      for (const name of ["source", ...store.columns]) {
        const td = document.createElement("div");
        td.className = `td c-${name}`;
        td.setAttribute("role", "gridcell");
        tr.appendChild(td);
      }
      tr.lastChild.classList.add("last");
      tr.dataset.fv = String(store.formatVersion);
    }
    tr.className = `tr ${levelClass(r.levelno)}${idx === selected ? " sel" : ""}`;
    tr.style.top = `${idx * ROW}px`;
    tr.dataset.seq = String(r.seq);
    tr.dataset.index = String(idx);
    tr.setAttribute("aria-rowindex", String(idx + 1));
    tr.children[0].textContent = r.source;
    for (let c = 0; c < cells.length; c++) {
      const text = cells[c].split("\n", 1)[0];
      const td = tr.children[c + 1];
      if (td.textContent !== text) td.textContent = text;
    }
    tr.hidden = false;
  }
  for (let i = Math.max(count, 0); i < rows.length; i++) rows[i].hidden = true;
  updateCounts();
}

function updateCounts() {
  const parts = [`${store.shown.toLocaleString("en")} shown of ${store.size.toLocaleString("en")} kept`];
  if (store.evicted > 0) parts.push(`${store.evicted.toLocaleString("en")} evicted (ring of ${store.capacity.toLocaleString("en")})`);
  if (serve.dropped > 0) parts.push(`${serve.dropped} dropped by serve for this viewer`);
  $("counts").textContent = parts.join(" · ");
}

viewport.addEventListener("scroll", () => {
  const atEnd = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - ROW;
  if (!atEnd && $("follow").checked && !rendering) $("follow").checked = false;
  schedule();
});
function select(idx) {
  const n = store.shown;
  if (n === 0) return;
  selected = Math.max(0, Math.min(n - 1, idx));
  const top = selected * ROW;
  if (top < viewport.scrollTop) viewport.scrollTop = top;
  else if (top + ROW > viewport.scrollTop + viewport.clientHeight) viewport.scrollTop = top + ROW - viewport.clientHeight;
  $("follow").checked = selected === n - 1 && $("follow").checked;
  schedule();
}

function showDetail() {
  if (selected < 0 || selected >= store.shown) return;
  const r = store.at(selected);
  const lines = [store.cells(r).join(" ")];
  for (const [k, v] of Object.entries(r)) if (!["cells", "cellsVersion", "seq"].includes(k)) lines.push(`${k}: ${v}`);
  $("detail").textContent = lines.join("\n");
}

$("table").addEventListener("keydown", (e) => {
  const page = Math.max(1, Math.floor(viewport.clientHeight / ROW) - 1);
  const moves = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
  if (e.key in moves) select((selected < 0 ? Math.floor(viewport.scrollTop / ROW) : selected) + moves[e.key]);
  else if (e.key === "Home") select(0);
  else if (e.key === "End") {
    select(store.shown - 1);
    $("follow").checked = true;
  } else if (e.key === "Enter") showDetail();
  else return;
  e.preventDefault();
});
viewport.addEventListener("click", (e) => {
  const tr = e.target.closest(".tr");
  if (tr === null) return;
  selected = Number(tr.dataset.index);
  showDetail();
  schedule();
});

document.addEventListener("keydown", (e) => {
  const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement?.tagName ?? "");
  if (e.key === "Escape") {
    $("table").focus();
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "/") {
    e.preventDefault();
    $("f-text").focus();
  } else if (e.key === "f") {
    $("follow").checked = !$("follow").checked;
    schedule();
  }
});

// ---- filters and format --------------------------------------------------------------------

function applyFilters() {
  try {
    store.setFilters({
      level: Number($("f-level").value),
      subtree: $("f-subtree").value,
      text: $("f-text").value,
      regex: $("f-regex").value,
    });
    $("f-error").textContent = "";
    $("f-regex").removeAttribute("aria-invalid");
  } catch (err) {
    $("f-error").textContent = `invalid regex: ${err.message}`;
    $("f-regex").setAttribute("aria-invalid", "true");
    return;
  }
  selected = -1;
  schedule();
}
for (const id of ["f-level", "f-subtree", "f-text", "f-regex"]) $(id).addEventListener("input", applyFilters);
$("follow").addEventListener("change", schedule);
$("clear").addEventListener("click", () => {
  store.clear();
  selected = -1;
  $("detail").textContent = "";
  schedule();
});

$("format").value = store.format;
$("format-form").addEventListener("submit", () => {
  try {
    store.setFormat($("format").value);
    $("format-error").textContent = "";
  } catch (err) {
    $("format-error").textContent = `${err.name}: ${err.message}`;
    return;
  }
  header();
  schedule();
});

// ---- the logger tree -------------------------------------------------------------------------

const knownNames = new Set();
let treeTimer = 0;
function noteLogger(r) {
  if (r.source.startsWith("serve") || knownNames.has(r.name)) return;
  knownNames.add(r.name);
  if (treeTimer === 0) treeTimer = setTimeout(refreshTree, 300);
}

/**
 * Every logger of the page: the root's descendants (getChildren, which skips loggers below a
 * placeholder such as "app" for "app.payment") and every name a page or worker record had.
 * Returns [logger, depth, label] sorted by name; depth counts the listed ancestors.
 */
function loggers() {
  const all = new Map();
  const walk = (lg) => {
    all.set(lg.name, lg);
    for (const k of lg.getChildren()) walk(k);
  };
  const root = logging.getLogger();
  walk(root);
  for (const n of knownNames) if (!all.has(n) && n !== "root") all.set(n, logging.getLogger(n));
  const names = [...all.keys()].filter((n) => n !== "root").sort();
  const out = [[root, 0, "root"]];
  for (const n of names) {
    let depth = 1;
    let parent = "";
    for (const m of names) {
      if (n.startsWith(`${m}.`)) {
        depth++;
        if (m.length > parent.length) parent = m;
      }
    }
    out.push([all.get(n), depth, parent === "" ? n : n.slice(parent.length + 1)]);
  }
  return out;
}

function refreshTree() {
  treeTimer = 0;
  const items = loggers().map(([lg, depth, label]) => {
    knownNames.add(lg.name);
    const li = document.createElement("li");
    li.style.paddingLeft = `${depth * 0.9}em`;
    li.dataset.logger = lg.name;
    const name = document.createElement("span");
    name.className = "lname";
    name.textContent = label;
    name.title = lg.name;
    const eff = document.createElement("span");
    eff.className = "eff";
    eff.textContent = logging.getLevelName(lg.getEffectiveLevel());
    const sel = document.createElement("select");
    sel.setAttribute("aria-label", `level of ${lg.name}`);
    for (const lv of LEVELS) {
      if (depth === 0 && lv === "NOTSET") continue;
      const o = document.createElement("option");
      o.value = lv;
      o.textContent = lv === "NOTSET" ? "inherit" : lv;
      sel.appendChild(o);
    }
    const own = logging.getLevelName(lg.level);
    if (![...sel.options].some((o) => o.value === own)) sel.add(new Option(String(own), String(lg.level)));
    sel.value = typeof own === "string" ? own : String(lg.level);
    sel.addEventListener("change", () => {
      lg.setLevel(levelNumber(sel.value));
      refreshTree();
    });
    const sub = document.createElement("button");
    sub.type = "button";
    sub.textContent = "⊂";
    sub.title = `show only ${lg.name} and its children`;
    sub.setAttribute("aria-label", `filter to subtree ${lg.name}`);
    sub.addEventListener("click", () => {
      $("f-subtree").value = depth === 0 ? "" : lg.name;
      applyFilters();
    });
    li.append(name, eff, sel, sub);
    return li;
  });
  $("tree").replaceChildren(...items);
}
$("tree-refresh").addEventListener("click", refreshTree);

$("config-apply").addEventListener("click", () => {
  const out = $("config-result");
  let config;
  try {
    config = JSON.parse($("config").value);
  } catch (err) {
    out.className = "error";
    out.textContent = `not JSON: ${err.message}; nothing changed`;
    return;
  }
  const err = applyConfig(config);
  out.className = err === null ? "ok" : "error";
  out.textContent = err === null ? "applied" : `refused, nothing changed: ${err}`;
});

// ---- demos --------------------------------------------------------------------------------

for (const b of document.querySelectorAll("[data-demo]")) {
  b.addEventListener("click", async () => {
    b.disabled = true;
    try {
      $("demo-result").textContent = await runDemo(b.dataset.demo);
    } catch (err) {
      $("demo-result").textContent = `demo failed: ${err.message}`;
    } finally {
      b.disabled = false;
    }
  });
}

// ---- storage ------------------------------------------------------------------------------

async function openStorage() {
  const tries = [
    ["OPFS", () => logging.OPFSStorage.open({ dir: "wasm-logging-www" })],
    ["IndexedDB", () => logging.IndexedDBStorage.open({ name: "wasm-logging-www" })],
    ["localStorage", async () => new logging.LocalStorage("wasm-logging-www:")],
  ];
  const forced = params.get("storage");
  for (const [kind, open] of tries) {
    if (forced !== null && forced !== kind) continue;
    try {
      storage = await open();
      storageKind = kind;
      logging.setStorage(storage);
      return;
    } catch (err) {
      console.warn(`wasm-logging viewer: ${kind} storage unavailable: ${err.message}`);
    }
  }
}

/** The rotated set of the viewer's log, oldest first. */
function setNames() {
  if (typeof storage.setNames === "function") return storage.setNames(LOG_BASE);
  const names = [];
  for (let i = 3; i >= 1; i--) if (storage.size(`${LOG_BASE}.${i}`) !== null) names.push(`${LOG_BASE}.${i}`);
  if (storage.size(LOG_BASE) !== null) names.push(LOG_BASE);
  return names;
}

async function readSet(format) {
  if (typeof storage.readSet === "function") return storage.readSet(LOG_BASE, { format });
  const dec = new TextDecoder();
  const texts = setNames().map((n) => [n, dec.decode(storage.read(n) ?? new Uint8Array())]);
  if (format === "ndjson") {
    const lines = [];
    for (const [file, text] of texts) for (const line of text.split("\n")) if (line !== "") lines.push(JSON.stringify({ file, line }));
    return new Blob([lines.map((l) => `${l}\n`).join("")], { type: "application/x-ndjson" });
  }
  return new Blob(texts.map(([, t]) => t), { type: "text/plain" });
}

async function refreshStorage() {
  if (storage === null) {
    $("storage-kind").textContent = "no browser storage available: records are kept in memory only";
    return [];
  }
  if (typeof storage.flush === "function") await storage.flush();
  const names = setNames();
  $("storage-kind").textContent = `${storageKind}: ${LOG_BASE} rotated at ${Number(params.get("maxBytes")) || 1_000_000} bytes, 3 backups`;
  $("storage-set").replaceChildren(
    ...names.map((n) => {
      const li = document.createElement("li");
      li.textContent = `${n} — ${(storage.size(n) ?? 0).toLocaleString("en")} bytes`;
      li.dataset.name = n;
      return li;
    }),
  );
  return names;
}

async function download(format) {
  if (storage === null) return null;
  if (typeof storage.flush === "function") await storage.flush();
  const name = format === "ndjson" ? `${LOG_BASE}.ndjson` : LOG_BASE;
  const blob = await readSet(format);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  if (params.get("nosave") === null) a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  lastDownload = { format, name, text: await blob.text() };
  return lastDownload;
}
$("storage-refresh").addEventListener("click", refreshStorage);
$("download-log").addEventListener("click", () => download("log"));
$("download-ndjson").addEventListener("click", () => download("ndjson"));

// ---- serve --------------------------------------------------------------------------------

const serve = new ServeConnection({
  onRecord(dict) {
    let r;
    try {
      r = store.slim(logging.makeLogRecord(dict), `serve:${dict.processName ?? "remote"}`);
    } catch (err) {
      r = { source: "serve", name: String(dict.name ?? "?"), levelno: Number(dict.levelno) || 0, msg: `(unreadable record: ${err.message})`, args: null };
    }
    if (typeof r.name !== "string") r.name = String(r.name);
    if (typeof r.levelno !== "number") r.levelno = Number(r.levelno) || 0;
    ingest(r);
  },
  onStatus(text) {
    $("serve-status").textContent = text;
    updateCounts();
  },
});

function defaultServeUrl() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/view`;
}
$("serve-url").value = params.get("connect") && params.get("connect") !== "off" ? params.get("connect") : defaultServeUrl();
$("serve-form").addEventListener("submit", () => serve.connect($("serve-url").value));
$("serve-disconnect").addEventListener("click", () => serve.disconnect());
$("serve-ship").addEventListener("change", () => {
  shipping = $("serve-ship").checked;
  if (shipping) logging.setRemote(new logging.BrowserRemote({ spill: localStorage }));
  const err = applyConfig(userConfig);
  $("serve-status").textContent = err === null ? `${serve.state}; ${shipping ? "sending" : "not sending"} this page's records` : err;
});

// ---- start --------------------------------------------------------------------------------

async function start() {
  await openStorage();
  header();
  $("config").value = JSON.stringify(userConfig, null, 2);
  const err = applyConfig(userConfig);
  if (err !== null) throw new Error(err);
  if (params.get("connect") !== "off") serve.connect($("serve-url").value);
  $("status").textContent = `ready · storage: ${storageKind}`;
  refreshStorage();
  schedule();
  logging.getLogger("wasm_logging_www").info("viewer started (%s storage)", storageKind);
}

/** What the tests (and the devtools console) reach. */
window.viewer = {
  logging,
  store,
  serve,
  applyConfig,
  refreshTree,
  refreshStorage,
  download,
  runDemo,
  get storage() {
    return storage;
  },
  get lastDownload() {
    return lastDownload;
  },
  renderNow() {
    dirty = true;
    render();
  },
  ready: start().catch((err) => {
    $("status").textContent = `failed to start: ${err.message}`;
    throw err;
  }),
};
