// Node's network connections for the remote handlers (`SocketHandler`, `DatagramHandler`,
// `SysLogHandler`, `HTTPHandler` and their JSON / RFC 5424 twins): TCP over `node:net`, UDP over
// `node:dgram`, HTTP(S) requests over raw `node:net` / `node:tls` sockets. Node only: the Node
// entry imports it; browser bundles never see `node:net`.
//
// The core calls the methods synchronously and never waits: `send` answers "not ready"
// (`false`) while a socket connects or is backed up, and this object calls the core's
// `remotePump()` when it becomes ready again. Event handlers never throw into Node.

import { createRequire } from "node:module";
import { raw } from "./state.js";

// Node's socket modules are loaded on first use, not at import: `node:tls` alone (OpenSSL's
// set-up) costs ~5 ms of every process's start, and most processes never open a socket.
const require = createRequire(import.meta.url);
let sockets = null;
/** `{net, dgram, dns}`, loaded once. */
function nodeSockets() {
  if (sockets === null) sockets = { net: require("node:net"), dgram: require("node:dgram"), dns: require("node:dns") };
  return sockets;
}
let tlsModule = null;
/** `node:tls`, loaded once (an HTTPS `HTTPHandler` only). */
function nodeTls() {
  if (tlsModule === null) tlsModule = require("node:tls");
  return tlsModule;
}

/** `HOST:PORT` as messages and allow-lists spell it (`[::1]:9020` for IPv6). */
function display(host, port) {
  return `${String(host).includes(":") ? `[${host}]` : host}:${port}`;
}

/** A socket error's code (`ECONNREFUSED`), or its message. */
function reason(e) {
  return typeof e?.code === "string" && /^E[A-Z0-9]+$/.test(e.code) ? e.code : messageOf(e);
}

function messageOf(e) {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return "unknown error";
  }
}

/**
 * Parses the `allow` option: `"*"` (or `true`) allows everything; an array of `"host:port"`,
 * `"host:*"`, `"[::1]:9020"` entries (or `"*"`) allows those; nothing allows nothing.
 * @returns {true | Array<[string, number | null]>}
 */
function parseAllow(allow) {
  if (allow === "*" || allow === true) return true;
  if (allow === undefined || allow === null || allow === false) return [];
  const entries = typeof allow === "string" ? [allow] : allow;
  if (!Array.isArray(entries)) {
    throw new TypeError('NodeRemote: allow must be "*" or an array of "host:port" / "host:*" strings');
  }
  const out = [];
  for (const entry of entries) {
    const e = String(entry).trim();
    if (e === "*") return true;
    const colon = e.lastIndexOf(":");
    let host = colon < 0 ? "" : e.slice(0, colon);
    const port = colon < 0 ? "" : e.slice(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) host = host.slice(1, -1);
    if (!host) throw new TypeError(`NodeRemote: '${e}': expected "host:port" or "host:*"`);
    let p = null;
    if (port !== "*") {
      p = Number(port);
      if (!/^\d+$/.test(port) || p > 65535) {
        throw new TypeError(`NodeRemote: '${e}': '${port}' is not a port`);
      }
    }
    out.push([host.toLowerCase(), p]);
  }
  return out;
}

/** A pending "something moved" notification, for `flushAsync`. */
class Signal {
  constructor() {
    this._waiters = [];
  }

  wait() {
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  fire() {
    const w = this._waiters;
    if (w.length === 0) return;
    this._waiters = [];
    for (const resolve of w) resolve();
  }
}

/**
 * The core's remote connections over Node sockets, limited to an allow-list.
 *
 * ```js
 * import { NodeRemote, setRemote } from "wasm-logging";
 * setRemote(new NodeRemote({ allow: ["logs.example.org:9020", "localhost:*"] }));
 * ```
 *
 * The Node entry installs `new NodeRemote({allow: "*"})`: a Node program trusts its own
 * configuration, as CPython does. Install a narrower one to restrict where a configuration
 * may send records; a refused endpoint makes `dictConfig` throw and opens nothing.
 *
 * Options: `allow` (`"*"` or `["host:port", "host:*"]`; default: nothing), `connectTimeout`
 * (ms, default 5000), `httpTimeout` (ms per HTTP request, default 10000), `tls` (extra
 * `tls.connect` options for `HTTPHandler(secure=True)`, e.g. `{ca}`), `pump` (the function to
 * call when a connection becomes ready; default: the core's `remotePump`).
 *
 * Sockets do not keep the process alive while idle: they are ref'd only while connecting,
 * writing or waiting for an HTTP response. Records still waiting in the core when the event
 * loop empties are delivered by the Node entry's `beforeExit` hook (`flushAsync`).
 */
export class NodeRemote {
  constructor(options = {}) {
    if (options === null || typeof options !== "object") {
      throw new TypeError("NodeRemote: expected an options object");
    }
    this._allow = parseAllow(options.allow);
    /** Milliseconds a TCP connect may take. */
    this.connectTimeout = Number(options.connectTimeout ?? 5000);
    /** Milliseconds an HTTP request may take, connect to status line. */
    this.httpTimeout = Number(options.httpTimeout ?? 10000);
    this._tls = options.tls ?? {};
    this._pumpFn = typeof options.pump === "function" ? options.pump : null;
    /** @type {Map<number, object>} */
    this._conns = new Map();
    this._next = 0;
    this._pumpQueued = false;
    this._wakeTimer = null;
    this._wakeAt = Infinity;
    /** The times (Date.now()) the core asked to be pumped at, ascending. */
    this._wakes = [];
    this._progress = new Signal();
    /** Closed connections whose sockets still write what they took. */
    this._closing = new Set();
  }

  // ---- the allow-list ------------------------------------------------------------------

  /** Whether connections to `host:port` are allowed. */
  allows(host, port) {
    if (this._allow === true) return true;
    const h = String(host).toLowerCase();
    return this._allow.some(([ah, ap]) => ah === h && (ap === null || ap === Number(port)));
  }

  /** `check(endpoint)`: throws when the endpoint is not allowed. */
  check(endpoint) {
    const { transport, host, port } = endpoint;
    if (!["tcp", "udp", "http", "https"].includes(transport)) {
      throw new Error(`transport '${transport}' is not supported by this host`);
    }
    if (!this.allows(host, port)) {
      const ep = display(host, port);
      throw new Error(
        `connections to ${ep} are not allowed by this host (allow it with new NodeRemote({allow: [${JSON.stringify(ep)}]}))`,
      );
    }
  }

  // ---- connections ---------------------------------------------------------------------

  /** `open(endpoint)`: starts a connection; returns its number at once. */
  open(endpoint) {
    this.check(endpoint);
    const c = {
      id: 0,
      transport: endpoint.transport,
      host: String(endpoint.host),
      port: Number(endpoint.port),
      ep: display(endpoint.host, endpoint.port),
      socket: null,
      ready: false,
      blocked: false,
      broken: null,
      closed: false,
      /** Frames taken and not yet handed to the kernel (TCP, UDP) or answered (HTTP). */
      unflushed: 0,
      // UDP
      address: null,
      // HTTP
      failure: null,
    };
    do {
      this._next = this._next >= 0xffffffff ? 1 : this._next + 1;
    } while (this._conns.has(this._next));
    c.id = this._next;
    this._conns.set(c.id, c);
    if (c.transport === "tcp") this._openTcp(c);
    else if (c.transport === "udp") this._openUdp(c);
    else c.ready = true; // HTTP: one fresh socket per request
    return c.id;
  }

  _conn(id) {
    const c = this._conns.get(id);
    if (c === undefined) throw new Error(`connection ${id} is not open`);
    return c;
  }

  /** `send(conn, bytes)`: `true` when taken, `false` when not ready; throws when broken. */
  send(id, bytes) {
    const c = this._conn(id);
    if (c.transport === "http" || c.transport === "https") return this._sendHttp(c, bytes);
    if (c.broken !== null) throw new Error(c.broken);
    if (!c.ready || c.blocked) return false;
    // The core hands a fresh copy: it is ours to keep until the socket has written it.
    return c.transport === "tcp" ? this._sendTcp(c, bytes) : this._sendUdp(c, bytes);
  }

  /** `close(conn)`: closes gracefully; throws what was not delivered, if anything is known. */
  close(id) {
    const c = this._conns.get(id);
    if (c === undefined) return;
    this._conns.delete(id);
    c.closed = true;
    if (c.unflushed > 0) this._closing.add(c);
    if (c.transport === "tcp") {
      const s = c.socket;
      if (c.broken !== null) {
        s?.destroy();
        return;
      }
      // end() writes what is buffered first; the socket stays ref'd while it has writes.
      try {
        if (s !== null && c.ready) s.end();
        else s?.destroy();
      } catch {
        // already gone
      }
    } else if (c.transport === "udp") {
      if (c.unflushed === 0) this._closeUdp(c);
    } else {
      // A request in flight finishes on its own; a failure nothing reported yet is said now.
      const failure = c.failure;
      c.failure = null;
      if (failure !== null) throw new Error(failure);
    }
  }

  /**
   * `wakeAfter(ms)`: calls the pump after `ms`. One unref'd timer, set for the earliest
   * time asked; the later ones are kept (each handler has its own back-off) and served in turn.
   */
  wakeAfter(ms) {
    // A little late rather than early: the core re-checks its back-off deadline.
    const at = Date.now() + Math.max(0, Number(ms) || 0) + 5;
    if (this._wakes.some((t) => Math.abs(t - at) < 5)) return;
    this._wakes.push(at);
    this._wakes.sort((a, b) => a - b);
    this._armWake();
  }

  _armWake() {
    const next = this._wakes[0];
    if (next === undefined || next === this._wakeAt) return;
    if (this._wakeTimer !== null) clearTimeout(this._wakeTimer);
    this._wakeAt = next;
    this._wakeTimer = setTimeout(() => {
      try {
        this._wakeTimer = null;
        this._wakeAt = Infinity;
        const now = Date.now();
        this._wakes = this._wakes.filter((t) => t > now);
        this._pumpNow();
        this._armWake();
      } catch {
        // never into Node
      }
    }, Math.max(0, next - Date.now()));
    this._wakeTimer.unref?.();
  }

  // ---- what flushAsync asks ------------------------------------------------------------

  /** Frames taken but not yet written to the kernel (or, for HTTP, not yet answered). */
  unflushed() {
    let n = 0;
    for (const c of this._conns.values()) n += c.unflushed;
    for (const c of this._closing) n += c.unflushed;
    return n;
  }

  /** Resolves on the next sign of progress (a connect, a write flushed, a 2xx answer). */
  whenProgress() {
    return this._progress.wait();
  }

  /** Open connections, for diagnostics: `[{id, transport, endpoint, ready, broken, unflushed}]`. */
  connections() {
    return [...this._conns.values()].map((c) => ({
      id: c.id,
      transport: c.transport,
      endpoint: c.ep,
      ready: c.ready,
      broken: c.broken,
      unflushed: c.unflushed,
    }));
  }

  // ---- internals -----------------------------------------------------------------------

  _pumpNow() {
    try {
      if (this._pumpFn !== null) this._pumpFn();
      else if (raw !== null) raw.remotePump();
    } catch {
      // The core reports its own failures; nothing may escape into Node's event loop.
    }
  }

  /** A pump after the current task (coalesced), never inside a core call. */
  _schedulePump() {
    if (this._pumpQueued) return;
    this._pumpQueued = true;
    queueMicrotask(() => {
      this._pumpQueued = false;
      this._pumpNow();
    });
  }

  /** One frame of `c` written (or lost with its socket). */
  _settled(c) {
    if (c.unflushed > 0) c.unflushed -= 1;
    if (c.unflushed === 0) {
      this._closing.delete(c);
      this._progress.fire();
    }
  }

  _progressed() {
    this._progress.fire();
    this._schedulePump();
  }

  _breakConn(c, message) {
    if (c.broken === null) c.broken = message;
    c.ready = false;
    // The core notices on its next send (after this pump), closes it and backs off.
    if (!c.closed) this._schedulePump();
  }

  /** Keeps the process alive only while `c` has work in hand. */
  _refresh(c) {
    const s = c.socket;
    if (s === null) return;
    try {
      if (c.unflushed > 0 || (c.transport === "tcp" && !c.ready && c.broken === null && !c.closed)) s.ref();
      else s.unref();
    } catch {
      // a closed dgram socket throws on ref/unref
    }
  }

  // TCP

  _openTcp(c) {
    const s = nodeSockets().net.createConnection({ host: c.host, port: c.port });
    c.socket = s;
    s.setNoDelay(true);
    const timer = setTimeout(() => {
      if (!c.ready) s.destroy(new Error(`no connection within ${this.connectTimeout} ms`));
    }, this.connectTimeout);
    timer.unref();
    s.on("connect", () => {
      try {
        clearTimeout(timer);
        if (c.broken !== null) return;
        c.ready = true;
        this._refresh(c);
        this._progressed();
      } catch {
        // never into Node
      }
    });
    s.on("drain", () => {
      try {
        c.blocked = false;
        this._progressed();
      } catch {
        // never into Node
      }
    });
    s.on("error", (e) => {
      try {
        clearTimeout(timer);
        this._breakConn(c, c.ready ? reason(e) : `cannot connect: ${reason(e)}`);
      } catch {
        // never into Node
      }
    });
    s.on("end", () => {
      try {
        this._breakConn(c, "the peer closed the connection");
      } catch {
        // never into Node
      }
    });
    s.on("close", () => {
      try {
        clearTimeout(timer);
        this._breakConn(c, "the connection is closed");
        // Writes still buffered went down with the socket.
        if (c.unflushed > 0) {
          c.unflushed = 0;
          this._closing.delete(c);
          this._progress.fire();
        }
      } catch {
        // never into Node
      }
    });
    // Data from a log collector is not expected; read it so the socket sees the peer's end.
    s.on("data", () => {});
    this._refresh(c);
  }

  _sendTcp(c, bytes) {
    const s = c.socket;
    c.unflushed += 1;
    this._refresh(c);
    const more = s.write(bytes, (err) => {
      try {
        if (err) this._breakConn(c, reason(err));
        this._settled(c);
        this._refresh(c);
      } catch {
        // never into Node
      }
    });
    // write() returning false still took the bytes; later frames wait for 'drain'.
    if (!more) c.blocked = true;
    return true;
  }

  // UDP

  _openUdp(c) {
    const start = (address, family) => {
      if (c.closed) return;
      const s = nodeSockets().dgram.createSocket(family === 6 ? "udp6" : "udp4");
      c.socket = s;
      c.address = address;
      s.on("error", (e) => {
        try {
          this._breakConn(c, reason(e));
        } catch {
          // never into Node
        }
      });
      s.unref();
      c.ready = true;
      this._progressed();
    };
    const family = nodeSockets().net.isIP(c.host);
    if (family !== 0) {
      start(c.host, family);
      return;
    }
    // CPython's DatagramHandler is AF_INET: prefer an IPv4 address, as it would use.
    const resolved = (err, address, fam) => {
      try {
        if (err) this._breakConn(c, `cannot resolve ${c.host}: ${reason(err)}`);
        else start(address, fam);
      } catch {
        // never into Node
      }
    };
    nodeSockets().dns.lookup(c.host, { family: 4 }, (err, address, fam) => {
      if (err) nodeSockets().dns.lookup(c.host, resolved);
      else resolved(err, address, fam);
    });
  }

  _sendUdp(c, bytes) {
    c.unflushed += 1;
    this._refresh(c);
    c.socket.send(bytes, c.port, c.address, (err) => {
      try {
        if (err) this._breakConn(c, reason(err));
        this._settled(c);
        if (c.closed && c.unflushed === 0) this._closeUdp(c);
        else this._refresh(c);
      } catch {
        // never into Node
      }
    });
    return true;
  }

  _closeUdp(c) {
    try {
      c.socket?.close();
    } catch {
      // already closed
    }
  }

  // HTTP(S): each frame is a whole request, written on a fresh connection; the status line
  // of the answer decides. One request at a time per connection, so records keep their
  // order and a failure is reported by the next send.

  _sendHttp(c, bytes) {
    if (c.failure !== null) {
      const failure = c.failure;
      c.failure = null;
      throw new Error(failure);
    }
    if (c.unflushed > 0) return false;
    c.unflushed = 1;
    let head = "";
    let done = false;
    const secure = c.transport === "https";
    const finish = (failure) => {
      if (done) return;
      done = true;
      if (failure !== null) c.failure = failure;
      c.unflushed = 1;
      this._settled(c);
      try {
        s.destroy();
      } catch {
        // already gone
      }
      if (!c.closed) this._schedulePump();
    };
    const opts = { host: c.host, port: c.port };
    let s;
    if (secure) {
      s = nodeTls().connect({ ...opts, servername: nodeSockets().net.isIP(c.host) ? undefined : c.host, ...this._tls });
    } else {
      s = nodeSockets().net.createConnection(opts);
    }
    s.setNoDelay(true);
    s.setTimeout(this.httpTimeout, () => {
      try {
        finish(`no HTTP response within ${this.httpTimeout} ms`);
      } catch {
        // never into Node
      }
    });
    s.on("error", (e) => {
      try {
        finish(`HTTP request failed: ${reason(e)}`);
      } catch {
        // never into Node
      }
    });
    s.on("data", (chunk) => {
      try {
        head += chunk.toString("latin1");
        const eol = head.indexOf("\r\n");
        if (eol < 0 && head.length < 8192) return;
        const line = eol < 0 ? head : head.slice(0, eol);
        finish(/^HTTP\/\d+(\.\d+)? 2\d\d( |$)/.test(line) ? null : `the server answered ${JSON.stringify(line)}`);
      } catch {
        // never into Node
      }
    });
    s.on("close", () => {
      try {
        finish("no HTTP response (the connection closed)");
      } catch {
        // never into Node
      }
    });
    s.write(bytes);
    return true;
  }
}
//# sourceMappingURL=noderemote.js.map
