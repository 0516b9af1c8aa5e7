// BrowserRemote: the remote object (see remote.js) that carries the core's HTTP handlers'
// requests — `HTTPHandler`, `wasm_logging.BufferingHTTPHandler`, `wasm_logging.OTLPHandler`
// — with `fetch`, in pages, Web Workers and Node.
//
// The core keeps the buffer, the order, the back-off and the reports (src/core/handlers/
// remote.rs); this object only moves requests. A frame stays at the head of the core's
// buffer while its request is in flight (`send` answers "not ready"); when the response
// arrives the core is pumped and asks again: a 2xx takes the frame, a 408/429/5xx or a
// network error breaks the connection (the core backs off, at least as long as a
// `Retry-After` asks, and resends the same bytes, so a batch keeps its Idempotency-Key), any
// other status takes the frame as refused for good (dropped and reported). One request per
// handler is in flight at a time, so records arrive in order and none is sent twice.
//
// When the page is hidden (`pagehide`, `visibilitychange` → hidden) every waiting request
// leaves at once with `fetch(..., {keepalive: true})`, or `navigator.sendBeacon` when keepalive
// is refused, within the browsers' 64 KiB in-flight budget; with a `spill` storage, requests
// for an endpoint that is down (or that the budget cannot carry) are kept there and put back
// into their handler on the next page load.

import { raw } from "./state.js";

/** Statuses worth retrying: the request may succeed later. */
const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);
/** The Fetch standard's (and Chromium's) budget for bodies of in-flight keepalive requests. */
export const KEEPALIVE_BUDGET = 65536;

function endpointKey(e) {
  return `${e.transport}://${e.host.includes(":") ? `[${e.host}]` : e.host}:${e.port}`;
}

function sameBytes(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The request a frame holds: the bytes `http.client` would write, read back for `fetch`. */
export function parseRequest(bytes, endpoint) {
  let end = -1;
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error("not an HTTP request (no end of headers)");
  let head = "";
  for (let i = 0; i < end; i += 8192) {
    head += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)));
  }
  const [line, ...fields] = head.split("\r\n");
  const [method, target] = line.split(" ");
  const headers = {};
  for (const f of fields) {
    const colon = f.indexOf(":");
    const name = f.slice(0, colon).trim();
    // The fetch implementation writes these itself (browsers refuse them).
    if (/^(host|content-length|accept-encoding|connection)$/i.test(name)) continue;
    headers[name] = f.slice(colon + 1).trim();
  }
  const body = bytes.subarray(end + 4);
  return {
    method,
    url: `${endpoint.transport}://${endpoint.host.includes(":") ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}${target}`,
    headers,
    body: method === "GET" || method === "HEAD" ? undefined : body,
  };
}

/** Whether a frame is a `WebSocketHandler`'s (its request asks for `Upgrade: websocket`). */
function isWebSocketFrame(bytes) {
  const n = Math.min(bytes.length, 4096);
  let head = "";
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) break;
    head += String.fromCharCode(bytes[i]);
  }
  return /\r\nUpgrade: websocket(\r\n|$)/i.test(head);
}

/** `Retry-After` in seconds (delta-seconds or an HTTP date), or `null`. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null) return null;
  const v = String(value).trim();
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, (t - now) / 1000) : null;
}

function toBase64(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
  }
  return btoa(s);
}

function fromBase64(text) {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * HTTP(S) for the core's network handlers over `fetch` (and `sendBeacon` when the page goes
 * away). Options: `allow` (`"*"` or `["host:port", "host:*"]`), `fetch`, `sendBeacon`,
 * `spill` (a `Storage` such as `localStorage`), `spillKey`, `spillLimit` (characters),
 * `timeout` (ms per request), `lifecycle` (listen to `pagehide`/`visibilitychange`; default
 * true where those events exist).
 */
export class BrowserRemote {
  constructor(options = {}) {
    this.allow = options.allow ?? "*";
    this.fetch = options.fetch ?? (typeof fetch === "function" ? fetch.bind(globalThis) : null);
    const nav = globalThis.navigator;
    this.sendBeacon =
      options.sendBeacon ??
      (nav && typeof nav.sendBeacon === "function" ? (url, data) => nav.sendBeacon(url, data) : null);
    this.spill = options.spill ?? null;
    this.spillKey = options.spillKey ?? "wasm-logging:spill";
    this.spillLimit = options.spillLimit ?? 2_000_000;
    this.timeout = options.timeout ?? 30_000;
    this.WebSocket = options.WebSocket ?? globalThis.WebSocket ?? null;
    this._conns = new Map();
    this._next = 1;
    this._retryAfter = new Map();
    this._down = new Set();
    this._hiding = false;
    this._keepaliveBytes = 0;
    this._waiters = [];
    this.stats = { requests: 0, messages: 0, ok: 0, failed: 0, rejected: 0, keepalive: 0, beacons: 0, spilled: 0, resent: 0, lost: 0 };
    if (options.lifecycle !== false) this._listen();
    if (this.spill !== null) setTimeout(() => this.resendSpilled(), 0);
  }

  _listen() {
    if (typeof globalThis.addEventListener !== "function") return;
    const hide = () => this.hide();
    globalThis.addEventListener("pagehide", hide);
    if (typeof document !== "undefined" && typeof document.addEventListener === "function") {
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "hidden") hide();
      });
    }
  }

  /** The core asks whether an endpoint may be used (when a configuration names it). */
  check(endpoint) {
    if (endpoint.transport !== "http" && endpoint.transport !== "https") {
      throw new Error(
        `${endpoint.transport} connections are not available here (browsers have no raw sockets): ` +
          "send records with logging.handlers.HTTPHandler, wasm_logging.BufferingHTTPHandler, " +
          "wasm_logging.OTLPHandler (fetch, keepalive, beacons) or wasm_logging.WebSocketHandler",
      );
    }
    if (this.fetch === null) throw new Error("this runtime has no fetch(): pass one as the 'fetch' option");
    if (this.allow === "*") return;
    const ok = this.allow.some((a) => a === `${endpoint.host}:${endpoint.port}` || a === `${endpoint.host}:*`);
    if (!ok) {
      throw new Error(`requests to ${endpoint.host}:${endpoint.port} are not allowed by this BrowserRemote`);
    }
  }

  open(endpoint) {
    this.check(endpoint);
    const id = this._next++;
    this._conns.set(id, { endpoint, key: endpointKey(endpoint), inflight: null, done: [], rejection: null });
    return id;
  }

  send(id, bytes) {
    const c = this._conns.get(id);
    if (c === undefined) throw new Error("the connection was closed");
    // Outcomes wait, matched by their bytes, until the core asks about their frame: another
    // frame may have been put ahead of it meanwhile (a spilled request put back).
    const i = c.done.findIndex((d) => sameBytes(d.bytes, bytes));
    if (i >= 0) {
      const [d] = c.done.splice(i, 1);
      if (d.outcome === "ok") return true;
      if (d.outcome === "rejected") {
        c.rejection = d.message;
        return true;
      }
      if (d.retryAfter != null) this._retryAfter.set(c.key, d.retryAfter);
      throw new Error(d.message);
    }
    if (c.ws !== undefined || isWebSocketFrame(bytes)) return this._sendWs(c, bytes);
    if (this._hiding) return this._sendHidden(c, bytes);
    if (c.inflight !== null) return false;
    this._start(c, bytes);
    return false;
  }

  /**
   * A `WebSocketHandler` frame: one socket per connection, each record's body one text
   * message. Not ready while connecting (or while a megabyte waits in the socket); a closed
   * socket breaks the connection, so the core backs off and reconnects.
   */
  _sendWs(c, bytes) {
    const req = parseRequest(bytes, c.endpoint);
    if (c.ws === undefined || c.ws === null) {
      if (this.WebSocket === null) throw new Error("this runtime has no WebSocket: pass one as the 'WebSocket' option");
      const scheme = c.endpoint.transport === "https" ? "wss" : "ws";
      const url = req.url.replace(/^https?/, scheme);
      const ws = new this.WebSocket(url);
      c.ws = ws;
      c.wsUrl = url;
      const wake = () => this._pump();
      ws.onopen = wake;
      ws.onclose = (e) => {
        c.wsClosed = `the WebSocket to ${url} closed (code ${e?.code ?? "?"})`;
        wake();
      };
      ws.onerror = () => {};
    }
    const ws = c.ws;
    if (ws.readyState === 0) return false;
    if (ws.readyState !== 1) {
      c.ws = null;
      throw new Error(c.wsClosed ?? `the WebSocket to ${c.wsUrl} closed`);
    }
    if (ws.bufferedAmount > 1 << 20) return false;
    ws.send(new TextDecoder().decode(req.body));
    this.stats.messages++;
    return true;
  }

  /** Why the frame just taken on `id` was refused for good, once; `null` otherwise. */
  rejection(id) {
    const c = this._conns.get(id);
    if (c === undefined || c.rejection === null) return null;
    const r = c.rejection;
    c.rejection = null;
    return r;
  }

  /** Seconds the endpoint asked to wait after its last failure (`Retry-After`), once. */
  retryAfter(endpoint) {
    const key = endpointKey(endpoint);
    const r = this._retryAfter.get(key);
    this._retryAfter.delete(key);
    return r ?? null;
  }

  close(id) {
    const c = this._conns.get(id);
    this._conns.delete(id);
    try {
      c?.ws?.close();
    } catch {
      // already closed
    }
  }

  wakeAfter(ms) {
    // Timers may fire a little before the wall clock the core compares with has moved on
    // (a pump that early finds the back-off not over, and nothing would wake it again).
    const t = setTimeout(() => this._pump(), ms + 20);
    t?.unref?.();
  }

  /** In-flight requests (their frames are still counted by the core). */
  unflushed() {
    return 0;
  }

  /** Resolves when a request finishes. */
  whenProgress() {
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  _pump() {
    try {
      raw?.remotePump();
    } catch {
      // a trapped instance has nothing left to deliver
    }
  }

  _start(c, bytes) {
    let req;
    try {
      req = parseRequest(bytes, c.endpoint);
    } catch (e) {
      c.done.push({ bytes, outcome: "rejected", message: e.message });
      queueMicrotask(() => this._pump());
      return;
    }
    const size = req.body?.length ?? 0;
    const keepalive = this._keepaliveBytes + size <= KEEPALIVE_BUDGET;
    if (keepalive) this._keepaliveBytes += size;
    const inflight = { bytes, keepalive };
    c.inflight = inflight;
    this.stats.requests++;
    const ctl = typeof AbortController === "function" ? new AbortController() : null;
    const timer = ctl ? setTimeout(() => ctl.abort(new Error(`no response in ${this.timeout} ms`)), this.timeout) : null;
    timer?.unref?.();
    const finish = (done) => {
      clearTimeout(timer);
      if (keepalive) this._keepaliveBytes -= size;
      if (c.inflight === inflight) c.inflight = null;
      // A request already handed over as the page was hidden is the browser's now.
      if (!inflight.handedOver) {
        c.done.push(done);
        // An outcome whose frame left the core's buffer (overflow) is never asked about.
        if (c.done.length > 16) c.done.shift();
      }
      const waiters = this._waiters.splice(0);
      for (const w of waiters) w();
      this._pump();
    };
    let p;
    try {
      p = this.fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        keepalive,
        signal: ctl?.signal,
      });
    } catch (e) {
      p = Promise.reject(e);
    }
    Promise.resolve(p).then(
      async (res) => {
        try {
          await res.arrayBuffer();
        } catch {
          // the status is what counts
        }
        const what = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""} from ${req.url}`;
        if (res.status >= 200 && res.status < 300) {
          this._down.delete(c.key);
          this.stats.ok++;
          finish({ bytes, outcome: "ok" });
        } else if (RETRYABLE.has(res.status)) {
          this._down.add(c.key);
          this.stats.failed++;
          finish({ bytes, outcome: "failed", message: what, retryAfter: parseRetryAfter(res.headers.get("retry-after")) });
        } else {
          this.stats.rejected++;
          finish({ bytes, outcome: "rejected", message: what });
        }
      },
      (err) => {
        this._down.add(c.key);
        this.stats.failed++;
        const cause = err?.cause?.code ? ` (${err.cause.code})` : "";
        finish({ bytes, outcome: "failed", message: `${err?.message ?? err}${cause}: ${req.url}` });
      },
    );
  }

  /**
   * The page is going away: every waiting request is handed to the browser now (keepalive
   * fetch or beacon), or spilled to storage. Called on `pagehide` and when the page is
   * hidden; callable directly (a worker told by its page, a test).
   */
  hide() {
    if (this._hiding) return;
    this._hiding = true;
    try {
      raw?.remoteFlush();
    } catch {
      // nothing more can be done for a trapped instance
    } finally {
      this._hiding = false;
    }
  }

  _sendHidden(c, bytes) {
    const inflight = c.inflight !== null && sameBytes(c.inflight.bytes, bytes) ? c.inflight : null;
    // The collector is down: keep the request for the next page (even one in flight, which
    // will most likely fail too; should it succeed, the resent copy carries the same
    // Idempotency-Key).
    if (this.spill !== null && this._down.has(c.key) && this._spillFrame(c.endpoint, bytes)) {
      if (inflight !== null) {
        inflight.handedOver = true;
        c.inflight = null;
      }
      return true;
    }
    if (inflight !== null && inflight.keepalive) {
      // Already on its way and outliving the page.
      inflight.handedOver = true;
      c.inflight = null;
      return true;
    }
    let req;
    try {
      req = parseRequest(bytes, c.endpoint);
    } catch (e) {
      c.rejection = e.message;
      return true;
    }
    const size = req.body?.length ?? 0;
    if (this.fetch !== null && this._keepaliveBytes + size <= KEEPALIVE_BUDGET) {
      try {
        this._keepaliveBytes += size;
        const p = this.fetch(req.url, { method: req.method, headers: req.headers, body: req.body, keepalive: true });
        Promise.resolve(p).then(
          () => (this._keepaliveBytes -= size),
          () => (this._keepaliveBytes -= size),
        );
        this.stats.keepalive++;
        return true;
      } catch {
        this._keepaliveBytes -= size;
      }
    }
    if (this.sendBeacon !== null && req.method === "POST") {
      const header = (name) => Object.entries(req.headers).find(([k]) => k.toLowerCase() === name)?.[1];
      // A beacon carries no headers of its own: the batch's key goes in the query (`?key=`,
      // as `wasm-logging serve --http` reads it), and a content type that is not
      // CORS-safelisted becomes text/plain (a beacon cannot be preflighted).
      const key = header("idempotency-key");
      const url = key ? `${req.url}${req.url.includes("?") ? "&" : "?"}key=${encodeURIComponent(key)}` : req.url;
      const given = header("content-type") ?? "";
      const safe = /^(application\/x-www-form-urlencoded|multipart\/form-data|text\/plain)\b/i.test(given);
      const type = safe ? given : "text/plain;charset=UTF-8";
      try {
        if (this.sendBeacon(url, new Blob([req.body], { type }))) {
          this.stats.beacons++;
          return true;
        }
      } catch {
        // refused (a content type the browser will not beacon): try the storage
      }
    }
    if (this.spill !== null && this._spillFrame(c.endpoint, bytes)) return true;
    this.stats.lost++;
    c.rejection = `the page was hidden and the request could not leave it (the ${KEEPALIVE_BUDGET}-byte keepalive/beacon budget is used up${this.spill === null ? "; no spill storage" : " and the spill storage is full"})`;
    return true;
  }

  _readSpill() {
    try {
      const v = JSON.parse(this.spill.getItem(this.spillKey) ?? "[]");
      return Array.isArray(v) ? v : [];
    } catch {
      return [];
    }
  }

  _writeSpill(list) {
    if (list.length === 0) {
      this.spill.removeItem(this.spillKey);
      return true;
    }
    const text = JSON.stringify(list);
    if (text.length > this.spillLimit) return false;
    this.spill.setItem(this.spillKey, text);
    return true;
  }

  _spillFrame(endpoint, bytes) {
    try {
      const list = this._readSpill();
      list.push({ transport: endpoint.transport, host: endpoint.host, port: endpoint.port, frame: toBase64(bytes) });
      if (!this._writeSpill(list)) return false;
      this.stats.spilled++;
      return true;
    } catch {
      return false;
    }
  }

  /** Requests spilled by an earlier page, as stored (`{transport, host, port, frame}`). */
  spilled() {
    return this.spill === null ? [] : this._readSpill();
  }

  /**
   * Puts spilled requests back at the head of the handlers that send to their endpoints (the
   * core then delivers them with its retry and bounds, Idempotency-Key unchanged); those with
   * no such handler yet stay stored. Returns how many were put back. Called after the page
   * loads; call it again after `dictConfig` if the handlers come later.
   */
  resendSpilled() {
    if (this.spill === null || raw === null) return 0;
    let list;
    try {
      list = this._readSpill();
    } catch {
      return 0;
    }
    if (list.length === 0) return 0;
    const keep = [];
    let n = 0;
    // Each goes to the head of its handler's buffer: the last first keeps the stored order.
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i];
      let ok = false;
      try {
        ok = raw.remoteRequeue(s.transport, s.host, s.port, fromBase64(s.frame));
      } catch {
        ok = false;
      }
      if (ok) n++;
      else keep.unshift(s);
    }
    try {
      this._writeSpill(keep);
    } catch {
      // the storage went away: what was put back is in the handlers now
    }
    this.stats.resent += n;
    return n;
  }
}
//# sourceMappingURL=browserremote.js.map
