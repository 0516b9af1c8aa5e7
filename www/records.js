// The viewer's record store: a bounded ring of slim records (plain attribute dicts), the
// filtered view over it (sequence numbers), and columns from a %-style Formatter string.
// Formatting is lazy: only the rows on screen are formatted (makeLogRecord + Formatter).
import * as logging from "../js/src/browser.js";

/** Attributes a record copy never keeps: the message text replaces them. */
const DROP = new Set(["args", "exc_info", "exc_text", "stack_info", "message", "asctime"]);

/** The level a name or number stands for (`"WARNING"` → 30), or NaN. */
export function levelNumber(v) {
  if (typeof v === "number") return v;
  if (/^\d+$/.test(String(v))) return Number(v);
  const n = logging.getLevelName(String(v).toUpperCase());
  return typeof n === "number" ? n : NaN;
}

/** A CSS class for a level: the nearest standard level at or below it. */
export function levelClass(levelno) {
  if (levelno >= 50) return "lv-critical";
  if (levelno >= 40) return "lv-error";
  if (levelno >= 30) return "lv-warning";
  if (levelno >= 20) return "lv-info";
  return "lv-debug";
}

/**
 * Splits a %-style format into columns: each placeholder with the literal text after it
 * (leading text goes with the first). Returns `{names, joined}` where `joined` is the format
 * with U+001F between columns, formatted once per row and split again.
 */
export function splitColumns(fmt) {
  const re = /%\(([^)]+)\)[#0+ -]*(?:\*|\d+)?(?:\.\d+)?[diouxXeEfFgGcrsa]/g;
  const parts = [];
  let m;
  let last = 0;
  let lead = "";
  while ((m = re.exec(fmt)) !== null) {
    const before = fmt.slice(last, m.index);
    if (parts.length === 0) lead = before;
    else parts[parts.length - 1].text += before;
    parts.push({ name: m[1], text: (parts.length === 0 ? lead : "") + m[0] });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return { names: ["line"], joined: fmt };
  parts[parts.length - 1].text += fmt.slice(last);
  return { names: parts.map((p) => p.name), joined: parts.map((p) => p.text.trim() || p.text).join("\u001f") };
}

/** The store: `capacity` records at most; older ones are evicted and counted. */
export class RecordStore {
  constructor(capacity = 200_000) {
    this.capacity = capacity;
    this.buf = new Array(capacity);
    this.first = 0; // sequence number of the oldest record kept
    this.next = 0; // sequence number the next record gets
    this.evicted = 0;
    this.view = []; // sequence numbers passing the filters, ascending
    this.viewStart = 0; // view[viewStart..] are the live entries
    this.filters = { level: 0, subtree: "", text: "", regex: null };
    this.messageFormatter = new logging.Formatter("%(message)s");
    this.setFormat("%(asctime)s %(levelname)-8s %(name)s %(message)s");
  }

  /**
   * A new column format; throws CPython's ValueError for an invalid one (nothing changes).
   */
  setFormat(fmt, datefmt = null) {
    const { names, joined } = splitColumns(fmt);
    const formatter = new logging.Formatter(joined, datefmt);
    this.format = fmt;
    this.columns = names;
    this.formatter = formatter;
    this.formatVersion = (this.formatVersion ?? 0) + 1;
  }

  /** A slim copy of a record as a handler gets it: primitive attributes, message merged. */
  slim(record, source) {
    const r = { source };
    for (const k in record) {
      if (DROP.has(k)) continue;
      const v = record[k];
      const t = typeof v;
      if (v === null || t === "string" || t === "number" || t === "boolean") r[k] = v;
    }
    // message + traceback + stack, as a Formatter("%(message)s") writes them.
    r.msg = this.messageFormatter.format(record);
    r.args = null;
    return r;
  }

  /** Adds a slim record; returns whether it passes the filters. */
  push(r) {
    const seq = this.next++;
    r.seq = seq;
    this.buf[seq % this.capacity] = r;
    if (seq - this.first >= this.capacity) {
      this.first++;
      this.evicted++;
      while (this.viewStart < this.view.length && this.view[this.viewStart] < this.first) this.viewStart++;
      if (this.viewStart > 65536 && this.viewStart > this.view.length / 2) {
        this.view = this.view.slice(this.viewStart);
        this.viewStart = 0;
      }
    }
    if (this.matches(r)) {
      this.view.push(seq);
      return true;
    }
    return false;
  }

  get size() {
    return this.next - this.first;
  }

  get shown() {
    return this.view.length - this.viewStart;
  }

  /** The `i`th record of the filtered view. */
  at(i) {
    return this.buf[this.view[this.viewStart + i] % this.capacity];
  }

  /**
   * New filters: `{level, subtree, text, regex}` (regex a source string). An invalid regex
   * throws a SyntaxError and leaves the filters as they were.
   */
  setFilters({ level = 0, subtree = "", text = "", regex = "" }) {
    const re = regex === "" ? null : new RegExp(regex, "u");
    const sub = subtree.trim();
    this.filters = {
      level: Number.isFinite(level) ? level : 0,
      subtree: sub === "root" ? "" : sub,
      text: text.toLowerCase(),
      regex: re,
    };
    this.refilter();
  }

  refilter() {
    const view = [];
    for (let s = this.first; s < this.next; s++) if (this.matches(this.buf[s % this.capacity])) view.push(s);
    this.view = view;
    this.viewStart = 0;
  }

  matches(r) {
    const f = this.filters;
    if (r.levelno < f.level) return false;
    if (f.subtree !== "" && r.name !== f.subtree && !r.name.startsWith(f.subtree + ".")) return false;
    if (f.text !== "" && !r.msg.toLowerCase().includes(f.text) && !r.name.toLowerCase().includes(f.text)) return false;
    if (f.regex !== null && !f.regex.test(r.msg)) return false;
    return true;
  }

  /** The cells of a record under the current format (cached per record). */
  cells(r) {
    if (r.cellsVersion === this.formatVersion) return r.cells;
    let line;
    try {
      line = this.formatter.format(logging.makeLogRecord(r));
    } catch (err) {
      line = `(cannot format: ${err.message}) ${r.msg}`;
    }
    let cells = line.split("\u001f");
    if (cells.length !== this.columns.length) cells = [...new Array(this.columns.length - 1).fill(""), line];
    r.cells = cells;
    r.cellsVersion = this.formatVersion;
    return cells;
  }

  /** Drops every record (counters kept). */
  clear() {
    this.first = this.next;
    this.view = [];
    this.viewStart = 0;
  }
}
