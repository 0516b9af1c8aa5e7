// The connection to `wasm-logging serve --http`'s viewer stream (/ws/view): every record serve
// dispatches arrives as one JSON message; `{"dropped": N}` is serve's count of records it
// could not send to this viewer. Reconnects with backoff (0.5 s doubling to 15 s).

/** A viewer-stream connection that reconnects until `disconnect()`. */
export class ServeConnection {
  constructor({ onRecord, onStatus }) {
    this.onRecord = onRecord;
    this.onStatus = onStatus;
    this.ws = null;
    this.url = null;
    this.wanted = false;
    this.delay = 500;
    this.timer = 0;
    this.received = 0;
    this.dropped = 0;
    this.connects = 0;
    this.state = "not connected";
  }

  status(text) {
    this.state = text;
    this.onStatus(text);
  }

  connect(url) {
    this.disconnect();
    this.url = url;
    this.wanted = true;
    this.delay = 500;
    this.open();
  }

  open() {
    this.timer = 0;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (err) {
      this.wanted = false;
      this.status(`cannot connect to ${this.url}: ${err.message}`);
      return;
    }
    this.ws = ws;
    this.status(`connecting to ${this.url}…`);
    ws.onopen = () => {
      this.delay = 500;
      this.connects++;
      this.status(`connected to ${this.url}`);
    };
    ws.onmessage = (e) => {
      let obj;
      try {
        obj = JSON.parse(typeof e.data === "string" ? e.data : "");
      } catch {
        return;
      }
      if (obj === null || typeof obj !== "object") return;
      if (Object.keys(obj).length === 1 && typeof obj.dropped === "number") {
        this.dropped = obj.dropped;
        this.status(`connected to ${this.url}; serve dropped ${obj.dropped} records for this viewer (too slow)`);
        return;
      }
      this.received++;
      this.onRecord(obj);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.wanted) return;
      const wait = this.delay;
      this.delay = Math.min(this.delay * 2, 15_000);
      this.status(`disconnected from ${this.url}; retrying in ${(wait / 1000).toFixed(1)} s`);
      this.timer = setTimeout(() => this.open(), wait);
    };
  }

  disconnect() {
    this.wanted = false;
    clearTimeout(this.timer);
    this.timer = 0;
    if (this.ws !== null) {
      const ws = this.ws;
      this.ws = null;
      ws.close();
      this.status("not connected");
    }
  }
}
