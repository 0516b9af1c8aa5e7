//! Network connections for JavaScript hosts: any object with the remote methods becomes the
//! core's [`RemoteSink`], so `SocketHandler`, `DatagramHandler`, `SysLogHandler` and
//! `HTTPHandler` (by class name in `dictConfig`) send through it. The package's Node entry
//! installs `NodeRemote` (`node:net`, `node:dgram`, `node:http(s)`, `js/src/noderemote.js`);
//! browsers have none, so those classes are refused there with a message naming the browser
//! transports.
//!
//! The object's methods are synchronous and return at once: `check(endpoint)`,
//! `open(endpoint)` → a connection number, `send(conn, bytes)` → `true` when taken, `false`
//! when not ready yet (still connecting, or the socket is backed up), throwing when the
//! connection is broken; `close(conn)`; and optionally `wakeAfter(ms)`, `retryAfter(endpoint)`
//! (seconds the peer asked to wait after a failure, an HTTP `Retry-After`) and
//! `rejection(conn)` (why the frame just taken was refused for good, or `null`). An endpoint is
//! `{transport: "tcp" | "udp" | "http" | "https", host, port}`. When a connection becomes
//! ready the object calls `remotePump()`.

use std::rc::Rc;

use js_sys::{Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::externs;
use crate::core::config::{self, ConfigEnv};
use crate::core::error::{Error, Result};
use crate::core::handlers::remote;
use crate::core::sink::{ConnectionId, Endpoint, RemoteSink, SendStatus, Transport};

struct JsRemote {
    this: JsValue,
    check: Function,
    open: Function,
    send: Function,
    close: Function,
    flush: Option<Function>,
    wake_after: Option<Function>,
    retry_after: Option<Function>,
    rejection: Option<Function>,
}

fn method(obj: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(obj, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
}

fn endpoint_js(e: &Endpoint) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"transport".into(), &e.transport.name().into());
    let _ = Reflect::set(&o, &"host".into(), &e.host.as_str().into());
    let _ = Reflect::set(&o, &"port".into(), &JsValue::from(e.port));
    o.into()
}

fn thrown(e: JsValue) -> Error {
    // A JS Error's message, without the "Error: " prefix `String(e)` adds.
    let msg = Reflect::get(&e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .unwrap_or_else(|| externs::str_of(&e));
    Error::os_error(msg)
}

impl JsRemote {
    fn new(obj: JsValue) -> std::result::Result<Self, String> {
        let need = |name: &str| {
            method(&obj, name)
                .ok_or_else(|| format!("setRemote: the object has no {name}() method"))
        };
        Ok(JsRemote {
            check: need("check")?,
            open: need("open")?,
            send: need("send")?,
            close: need("close")?,
            flush: method(&obj, "flush"),
            wake_after: method(&obj, "wakeAfter"),
            retry_after: method(&obj, "retryAfter"),
            rejection: method(&obj, "rejection"),
            this: obj,
        })
    }
}

impl RemoteSink for JsRemote {
    fn check(&self, e: &Endpoint) -> Result<()> {
        self.check
            .call1(&self.this, &endpoint_js(e))
            .map(drop)
            .map_err(thrown)
    }

    fn open(&self, e: &Endpoint) -> Result<ConnectionId> {
        let v = self
            .open
            .call1(&self.this, &endpoint_js(e))
            .map_err(thrown)?;
        match v.as_f64() {
            Some(n) if n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0 => Ok(n as u32),
            _ => Err(Error::os_error(format!(
                "remote.open() returned {}, not a connection number",
                externs::str_of(&v)
            ))),
        }
    }

    fn send(&self, conn: ConnectionId, frame: &[u8]) -> Result<SendStatus> {
        // A copy: the host keeps the bytes after the call returns (sockets write later).
        let bytes = Uint8Array::from(frame);
        let v = self
            .send
            .call2(&self.this, &JsValue::from(conn), &bytes)
            .map_err(thrown)?;
        Ok(if v.is_falsy() {
            SendStatus::NotReady
        } else {
            SendStatus::Sent
        })
    }

    fn flush(&self, conn: ConnectionId) -> Result<()> {
        match &self.flush {
            Some(f) => f
                .call1(&self.this, &JsValue::from(conn))
                .map(drop)
                .map_err(thrown),
            None => Ok(()),
        }
    }

    fn close(&self, conn: ConnectionId) -> Result<()> {
        self.close
            .call1(&self.this, &JsValue::from(conn))
            .map(drop)
            .map_err(thrown)
    }

    fn wake_after(&self, delay_ms: u64) {
        if let Some(f) = &self.wake_after {
            // A throwing timer hook loses only the timer: the next log call or pump retries.
            let _ = f.call1(&self.this, &JsValue::from(delay_ms as f64));
        }
    }

    fn retry_after(&self, e: &Endpoint) -> Option<f64> {
        // A throwing or odd answer means "no request from the peer": the back-off applies.
        let v = self
            .retry_after
            .as_ref()?
            .call1(&self.this, &endpoint_js(e))
            .ok()?;
        v.as_f64().filter(|s| s.is_finite() && *s >= 0.0)
    }

    fn take_rejection(&self, conn: ConnectionId) -> Option<String> {
        let v = self
            .rejection
            .as_ref()?
            .call1(&self.this, &JsValue::from(conn))
            .ok()?;
        if v.is_null() || v.is_undefined() {
            None
        } else {
            Some(externs::str_of(&v))
        }
    }
}

/// `setRemote(remote)`: the connections network handlers use from now on (`null` for
/// none: their classes are then refused by `dictConfig`). Handlers already made keep theirs.
#[wasm_bindgen(js_name = setRemote)]
pub fn set_remote(obj: JsValue) -> std::result::Result<(), JsValue> {
    let remote: Option<Rc<dyn RemoteSink>> = if obj.is_null() || obj.is_undefined() {
        None
    } else {
        let r = JsRemote::new(obj).map_err(|m| JsValue::from(js_sys::TypeError::new(&m)))?;
        // Batches' idempotency keys must differ between pages and processes: seed them.
        let seed = (js_sys::Math::random() * 4_294_967_296.0) as u64
            ^ ((js_sys::Math::random() * 4_294_967_296.0) as u64) << 32;
        crate::core::handlers::http_batch::seed_batch_ids(seed);
        Some(Rc::new(r))
    };
    config::set_default_env(ConfigEnv {
        remote,
        ..config::default_env()
    });
    Ok(())
}

/// Moves every remote handler's pending records on (what the remote object calls when a
/// connection becomes ready, and on `wakeAfter` timers); returns how many still wait.
#[wasm_bindgen(js_name = remotePump)]
pub fn remote_pump() -> u32 {
    u32::try_from(remote::pump()).unwrap_or(u32::MAX)
}

/// One immediate delivery attempt for every remote handler, ignoring back-off; returns how
/// many records still wait (what `flushAsync` polls).
#[wasm_bindgen(js_name = remoteFlush)]
pub fn remote_flush() -> u32 {
    u32::try_from(remote::flush_all()).unwrap_or(u32::MAX)
}

/// Puts `frame` (a request spilled to storage when a page went away) back at the head of
/// the first live remote handler sending to `transport://host:port`, which delivers it with
/// its own retry. Returns `false` when no such handler exists yet or its buffer is full.
#[wasm_bindgen(js_name = remoteRequeue)]
pub fn remote_requeue(transport: &str, host: &str, port: u16, frame: &[u8]) -> bool {
    let transport = match transport {
        "http" => Transport::Http,
        "https" => Transport::Https,
        "tcp" => Transport::Tcp,
        "udp" => Transport::Udp,
        _ => return false,
    };
    remote::requeue(&Endpoint::new(transport, host, port), frame.to_vec())
}

/// Records waiting in remote handlers.
#[wasm_bindgen(js_name = remotePending)]
pub fn remote_pending() -> u32 {
    u32::try_from(remote::pending()).unwrap_or(u32::MAX)
}
