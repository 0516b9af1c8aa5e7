// The transports records travel over between realms: a bus is any object with `send(obj)`
// (the sending side) and/or `subscribe(cb) => unsubscribe` (the receiving side), and
// optionally `encodable(value)`, `closed` and `close()`. PortBus wraps anything with
// postMessage (MessagePort, Worker, worker scope, parentPort, BroadcastChannel);
// BroadcastChannelBus opens a named channel; WebSocketBus carries JSON over a WebSocket.

import { report } from "./state.js";

/** Records a WebSocketBus keeps while its socket connects, unless told otherwise. */
const DEFAULT_BACKLOG = 10_000;

/** "a MessagePort", "null", "number": what `v` is, for error messages. */
export function describe(v) {
  if (v === null) return "null";
  if (typeof v === "object") return v.constructor?.name ? `a ${v.constructor.name}` : "an object";
  return typeof v;
}

/** Whether `v` survives a structured clone (what postMessage does). */
export function cloneable(v) {
  if (typeof globalThis.structuredClone !== "function") return typeof v !== "function" && typeof v !== "symbol";
  try {
    globalThis.structuredClone(v);
    return true;
  } catch {
    return false;
  }
}

/** JSON.stringify's replacer that refuses what JSON would drop or change silently. */
function strictJson(_k, x) {
  if (typeof x === "function" || typeof x === "symbol" || typeof x === "bigint") {
    throw new TypeError(`a ${typeof x} is not JSON`);
  }
  if (typeof x === "number" && !Number.isFinite(x)) throw new TypeError(`${x} is not JSON`);
  return x;
}

function jsonable(v) {
  if (v === undefined) return false;
  try {
    JSON.stringify(v, strictJson);
    return true;
  } catch {
    return false;
  }
}

// ---- transports ----------------------------------------------------------------------------

/** Whether `v` looks like a bus (`send(obj)` and/or `subscribe(cb)`), not a port. */
export function isBus(v) {
  return (
    v !== null &&
    typeof v === "object" &&
    typeof v.postMessage !== "function" &&
    (typeof v.send === "function" || typeof v.subscribe === "function")
  );
}

/** Whether `v` is something `PortBus` can carry records over. */
export function isPortLike(v) {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof v.postMessage === "function";
}

/**
 * The bus over anything with `postMessage`: a `MessagePort` (browser or `node:worker_threads`),
 * a `BroadcastChannel`, a `Worker` (from the page) or the worker's global scope (`self`) or
 * Node's `parentPort` (from inside the worker). Values travel by structured clone. `closed`
 * turns true when the port says it closed (a `close` event, a Node Worker's `exit`) or after
 * `close()`; `send` then throws.
 */
export class PortBus {
  constructor(port) {
    if (!isPortLike(port)) throw new TypeError(`PortBus: expected a MessagePort, Worker or channel, got ${describe(port)}`);
    /** The port. */
    this.port = port;
    /** Whether the port is known to be closed. */
    this.closed = false;
    const onClose = () => {
      this.closed = true;
    };
    this._node = typeof port.on === "function" && typeof port.off === "function";
    try {
      if (this._node) {
        port.once?.("close", onClose);
        // A Node Worker object ends with `exit`; its messages already sent are delivered first.
        if (typeof port.terminate === "function") port.once?.("exit", onClose);
      } else if (typeof port.addEventListener === "function") {
        port.addEventListener("close", onClose);
      }
    } catch {
      // A port without close notification: a send after its end is then silent, as the
      // platform makes it.
    }
  }

  /** Posts `obj` (structured clone). Throws when closed or when a value cannot be cloned. */
  send(obj) {
    if (this.closed) throw new Error("the port is closed (its other end went away or close() was called)");
    this.port.postMessage(obj);
  }

  /** Calls `cb(value)` for each message; returns the function that unsubscribes. */
  subscribe(cb) {
    const port = this.port;
    if (this._node) {
      const fn = (data) => cb(data);
      port.on("message", fn);
      return () => port.off("message", fn);
    }
    const fn = (event) => cb(event.data);
    port.addEventListener("message", fn);
    // A MessagePort delivers nothing to addEventListener listeners until started.
    if (typeof port.start === "function") port.start();
    return () => port.removeEventListener("message", fn);
  }

  /** Whether `value` survives a structured clone. */
  encodable(value) {
    return cloneable(value);
  }

  /** Closes the port (a `BroadcastChannel` or `MessagePort`; a Worker is left running). */
  close() {
    this.closed = true;
    if (typeof this.port.close === "function" && typeof this.port.terminate !== "function") {
      try {
        this.port.close();
      } catch {
        // already closed
      }
    }
  }
}

/**
 * A bus over a `BroadcastChannel` named `name` (or the channel itself): every realm of the same
 * origin (page, workers, tabs; in Node, every worker thread) that opens the channel hears every
 * record. A channel does not hear its own messages, so the listener and each sender open their
 * own.
 */
export class BroadcastChannelBus extends PortBus {
  constructor(nameOrChannel) {
    let channel = nameOrChannel;
    if (typeof nameOrChannel === "string") {
      if (typeof globalThis.BroadcastChannel !== "function") {
        throw new TypeError("BroadcastChannelBus: this host has no BroadcastChannel");
      }
      channel = new globalThis.BroadcastChannel(nameOrChannel);
    }
    super(channel);
  }
}

const CONNECTING = 0;
const OPEN = 1;

/**
 * A bus over a WebSocket: a URL (the host's global `WebSocket`: browsers, Node ≥ 22, Node 20
 * with `--experimental-websocket`) or a socket object with the browser's API (`send`,
 * `readyState`, `addEventListener`), such as one from the `ws` package — a client, or a
 * server's connection. Records travel as JSON text. Until the socket opens, at most
 * `backlog` records wait (then `send` throws, and the handler reports the record as lost).
 */
export class WebSocketBus {
  constructor(urlOrSocket, { backlog = DEFAULT_BACKLOG } = {}) {
    let socket = urlOrSocket;
    if (typeof urlOrSocket === "string" || urlOrSocket instanceof URL) {
      if (typeof globalThis.WebSocket !== "function") {
        throw new TypeError(
          "WebSocketBus: this host has no global WebSocket (Node 20: run with --experimental-websocket, or pass a socket from the 'ws' package)",
        );
      }
      socket = new globalThis.WebSocket(String(urlOrSocket));
    }
    if (socket === null || typeof socket !== "object" || typeof socket.send !== "function") {
      throw new TypeError(`WebSocketBus: expected a URL or a WebSocket, got ${describe(socket)}`);
    }
    /** The socket. */
    this.socket = socket;
    /** How many records may wait for the socket to open. */
    this.backlog = Math.max(0, Number(backlog) || 0);
    this._pending = [];
    this._closedByUs = false;
    socket.addEventListener("open", () => {
      const pending = this._pending;
      this._pending = [];
      for (const text of pending) socket.send(text);
    });
    socket.addEventListener("close", () => {
      if (this._pending.length > 0) {
        report("ConnectionError", `WebSocketBus: ${this._pending.length} record(s) never sent: the socket closed before it opened`);
        this._pending = [];
      }
    });
  }

  /** Whether the socket is closing or closed. */
  get closed() {
    return this._closedByUs || this.socket.readyState > OPEN;
  }

  /**
   * Sends `obj` as JSON. Throws when closed, when the backlog is full, or for a value JSON
   * would drop or change (a function, symbol, BigInt, NaN or infinity).
   */
  send(obj) {
    if (this.closed) throw new Error("the WebSocket is closed");
    const text = JSON.stringify(obj, strictJson);
    if (this.socket.readyState === CONNECTING) {
      if (this._pending.length >= this.backlog) {
        throw new Error(`the WebSocket is not open yet and ${this.backlog} records already wait`);
      }
      this._pending.push(text);
      return;
    }
    this.socket.send(text);
  }

  /** Calls `cb(obj)` for each JSON message; text that is not JSON is reported and skipped. */
  subscribe(cb) {
    const fn = (event) => {
      let data = event.data;
      if (typeof data !== "string") {
        try {
          data = new TextDecoder().decode(data);
        } catch {
          report("ValueError", "WebSocketBus: a binary message that is not text was ignored");
          return;
        }
      }
      let obj;
      try {
        obj = JSON.parse(data);
      } catch {
        report("ValueError", `WebSocketBus: a message that is not JSON was ignored: ${data.slice(0, 80)}`);
        return;
      }
      cb(obj);
    };
    this.socket.addEventListener("message", fn);
    return () => this.socket.removeEventListener("message", fn);
  }

  /** Whether `value` survives JSON (no functions, symbols, BigInts, NaN or infinities). */
  encodable(value) {
    return jsonable(value);
  }

  /** Closes the socket. */
  close() {
    this._closedByUs = true;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/** The bus for `target`: a bus as it is, a port wrapped in a `PortBus`. */
export function toBus(target) {
  if (isBus(target)) return target;
  if (isPortLike(target)) return new PortBus(target);
  throw new TypeError(
    `expected a MessagePort, Worker, BroadcastChannel, parentPort or a bus ({send(obj)} / {subscribe(cb)}), got ${describe(target)}`,
  );
}
//# sourceMappingURL=buses.js.map
