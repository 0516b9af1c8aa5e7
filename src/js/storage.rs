//! Log storage for JavaScript hosts: any object with the storage methods becomes the core's
//! [`StorageSink`], so `FileHandler`, `RotatingFileHandler`, `basicConfig({filename})` and
//! `dictConfig`'s file handlers write through it. The package ships three (in `js/src/`):
//! files under a directory in Node, `localStorage` in browsers, and memory; a user can bring
//! their own (an in-page viewer, a worker's OPFS handle).
//!
//! Also here: the queue objects a configuration can share (`registerFactory('__main__.q',
//! () => q)` for `"queue": "ext://__main__.q"`), a stand-alone `QueueListener`, and
//! `Logger.handle(record)`, which together run the cookbook's listener/worker recipe.

use std::rc::Rc;

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::config::stash_built;
use super::convert;
use super::errors::to_js_error;
use super::externs;
use super::handlers::JsHandler;
use crate::core::config::{self, Built, ConfigEnv};
use crate::core::error::{Error, Result};
use crate::core::handler::report_error;
use crate::core::handler::Handler;
use crate::core::handlers::{
    FileHandler, LogQueue, Namer, QueueListener, RotatingFileHandler, Rotator,
};
use crate::core::sink::StorageSink;
use crate::core::value::Text;

/// A JavaScript storage object: `append(name, bytes)`, `size(name)` (a number, or `null` for
/// a missing log), `rename(from, to)`, `remove(name)`, `read(name)` (`Uint8Array`, string or
/// `null`), `truncate(name)` and optionally `flush(name)`, `list(dir)` and `resolve(name)`
/// (the name a file handler keeps, asked once when it is made). All synchronous; a throw becomes
/// an `OSError`, which the handler reports through `handleError`.
struct JsStorage {
    this: JsValue,
    append: Function,
    size: Function,
    rename: Function,
    remove: Function,
    read: Function,
    truncate: Function,
    flush: Option<Function>,
    list: Option<Function>,
    resolve: Option<Function>,
}

fn method(obj: &JsValue, name: &str) -> Option<Function> {
    Reflect::get(obj, &JsValue::from_str(name))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
}

impl JsStorage {
    fn new(obj: JsValue) -> std::result::Result<Self, String> {
        let need = |name: &str| {
            method(&obj, name)
                .ok_or_else(|| format!("setStorage: the storage has no {name}() method"))
        };
        Ok(JsStorage {
            append: need("append")?,
            size: need("size")?,
            rename: need("rename")?,
            remove: need("remove")?,
            read: need("read")?,
            truncate: need("truncate")?,
            flush: method(&obj, "flush"),
            list: method(&obj, "list"),
            resolve: method(&obj, "resolve"),
            this: obj,
        })
    }

    fn call(&self, f: &Function, args: &[&JsValue]) -> Result<JsValue> {
        let r = match args {
            [a] => f.call1(&self.this, a),
            [a, b] => f.call2(&self.this, a, b),
            _ => f.call0(&self.this),
        };
        r.map_err(|e| Error::os_error(externs::str_of(&e)))
    }
}

fn js_name(name: &str) -> JsValue {
    JsValue::from_str(name)
}

impl StorageSink for JsStorage {
    fn append(&self, name: &str, bytes: &[u8]) -> Result<()> {
        // A view on Wasm memory is enough: the storage copies or encodes it before returning.
        // SAFETY: nothing allocates in Wasm between creating the view and the call returning
        // (the call runs JavaScript only), so the view stays valid while it is used.
        let view = unsafe { Uint8Array::view(bytes) };
        self.call(&self.append, &[&js_name(name), &view]).map(drop)
    }

    fn size(&self, name: &str) -> Result<Option<u64>> {
        let v = self.call(&self.size, &[&js_name(name)])?;
        if v.is_null() || v.is_undefined() {
            return Ok(None);
        }
        match v.as_f64() {
            Some(n) if n.is_finite() && n >= 0.0 => Ok(Some(n as u64)),
            _ => Err(Error::os_error(format!(
                "storage.size({name:?}) returned {}, not a size",
                externs::str_of(&v)
            ))),
        }
    }

    fn rename(&self, from: &str, to: &str) -> Result<()> {
        self.call(&self.rename, &[&js_name(from), &js_name(to)])
            .map(drop)
    }

    fn remove(&self, name: &str) -> Result<()> {
        self.call(&self.remove, &[&js_name(name)]).map(drop)
    }

    fn read(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let v = self.call(&self.read, &[&js_name(name)])?;
        if v.is_null() || v.is_undefined() {
            Ok(None)
        } else if let Some(s) = v.as_string() {
            Ok(Some(s.into_bytes()))
        } else if let Some(a) = v.dyn_ref::<Uint8Array>() {
            Ok(Some(a.to_vec()))
        } else {
            Err(Error::os_error(format!(
                "storage.read({name:?}) returned {}, not bytes",
                externs::str_of(&v)
            )))
        }
    }

    fn truncate(&self, name: &str) -> Result<()> {
        self.call(&self.truncate, &[&js_name(name)]).map(drop)
    }

    fn flush(&self, name: &str) -> Result<()> {
        match &self.flush {
            Some(f) => self.call(f, &[&js_name(name)]).map(drop),
            None => Ok(()),
        }
    }

    fn list(&self, dir: &str) -> Result<Vec<String>> {
        let Some(f) = &self.list else {
            return Err(Error::os_error(
                "this storage cannot list its logs (it has no list(dir) method)",
            ));
        };
        let v = self.call(f, &[&js_name(dir)])?;
        if !js_sys::Array::is_array(&v) {
            return Err(Error::os_error(format!(
                "storage.list({dir:?}) returned {}, not an array of names",
                externs::str_of(&v)
            )));
        }
        let a: &js_sys::Array = v.unchecked_ref();
        Ok(a.iter().filter_map(|n| n.as_string()).collect())
    }

    fn resolve(&self, name: &str) -> Result<String> {
        let Some(f) = &self.resolve else {
            return Ok(name.to_owned());
        };
        let v = self.call(f, &[&js_name(name)])?;
        v.as_string().ok_or_else(|| {
            Error::os_error(format!(
                "storage.resolve({name:?}) returned {}, not a name",
                externs::str_of(&v)
            ))
        })
    }
}

/// `setStorage(storage)`: where file handlers write from now on (`null` for none). Handlers
/// already made keep the storage they were made with.
#[wasm_bindgen(js_name = setStorage)]
pub fn set_storage(storage: JsValue) -> std::result::Result<(), JsValue> {
    let storage: Option<Rc<dyn StorageSink>> = if storage.is_null() || storage.is_undefined() {
        None
    } else {
        let s = JsStorage::new(storage).map_err(|m| JsValue::from(js_sys::TypeError::new(&m)))?;
        Some(Rc::new(s))
    };
    config::set_default_env(ConfigEnv {
        storage,
        ..config::default_env()
    });
    Ok(())
}

/// Whether storage is set.
#[wasm_bindgen(js_name = hasStorage)]
pub fn has_storage() -> bool {
    config::default_env().storage.is_some()
}

fn storage_or_error(
    what: &str,
    filename: &str,
) -> std::result::Result<Rc<dyn StorageSink>, JsValue> {
    config::default_env().storage.ok_or_else(|| {
        let e = js_sys::Error::new(&format!(
            "{what}: cannot log to '{filename}': no storage is set (setStorage(new MemoryStorage()), \
             new LocalStorage() in a browser; Node uses the working directory)"
        ));
        e.set_name("OSError");
        e.into()
    })
}

fn check_encoding(what: &str, encoding: Option<String>) -> std::result::Result<(), JsValue> {
    config::check_encoding(encoding.map(Text::from)).map_err(|(_, m)| {
        let e = js_sys::Error::new(&format!("{what}: {m}"));
        e.set_name("LookupError");
        e.into()
    })
}

#[wasm_bindgen]
impl JsHandler {
    /// `FileHandler(filename, mode, encoding, delay)` over the storage set with
    /// `setStorage`. Without `delay` the log is opened now; a storage failure throws, as
    /// CPython's constructor raises it.
    pub fn file(
        filename: String,
        mode: String,
        encoding: Option<String>,
        delay: bool,
    ) -> std::result::Result<JsHandler, JsValue> {
        check_encoding("FileHandler", encoding)?;
        let storage = storage_or_error("FileHandler", &filename)?;
        let h = FileHandler::new(storage, filename, &mode, delay).map_err(|e| to_js_error(&e))?;
        Ok(JsHandler::wrap(Rc::new(h)))
    }

    /// `RotatingFileHandler(filename, mode, maxBytes, backupCount, encoding, delay)`.
    #[wasm_bindgen(js_name = rotatingFile)]
    pub fn rotating_file(
        filename: String,
        mode: String,
        max_bytes: f64,
        backup_count: f64,
        encoding: Option<String>,
        delay: bool,
    ) -> std::result::Result<JsHandler, JsValue> {
        let count = |v: f64, what: &str| {
            if v.is_finite() && v >= 0.0 && v.fract() == 0.0 {
                Ok(v)
            } else {
                Err(JsValue::from(js_sys::TypeError::new(&format!(
                    "RotatingFileHandler: {what} must be a non-negative integer, not {v}"
                ))))
            }
        };
        let max_bytes = count(max_bytes, "maxBytes")? as u64;
        let backup_count = count(backup_count, "backupCount")?.min(f64::from(u32::MAX)) as u32;
        check_encoding("RotatingFileHandler", encoding)?;
        let storage = storage_or_error("RotatingFileHandler", &filename)?;
        let h = RotatingFileHandler::new(storage, filename, &mode, max_bytes, backup_count, delay)
            .map_err(|e| to_js_error(&e))?;
        Ok(JsHandler::wrap_rotating(Rc::new(h)))
    }

    /// `rotating_handler.namer = f` (recipe 19): `f(defaultName)` gives the name a backup
    /// gets; `None` restores the default. A namer that throws or returns something other
    /// than a string is reported through `handleError`, and the default name is used.
    #[wasm_bindgen(js_name = setNamer)]
    pub fn set_namer(&self, namer: Option<Function>) {
        let Some(h) = self.rotating() else { return };
        h.set_namer(namer.map(|f| -> Rc<Namer> {
            Rc::new(move |default_name: &str| {
                match f.call1(&JsValue::UNDEFINED, &js_name(default_name)) {
                    Ok(v) => match v.as_string() {
                        Some(name) => return name,
                        None => report_error(
                            None,
                            &Error::type_error(format!(
                                "namer returned {}, not a string",
                                externs::type_name_of(&v)
                            )),
                        ),
                    },
                    Err(e) => report_error(None, &convert::error_from_js(&e)),
                }
                default_name.to_owned()
            })
        }));
    }

    /// `rotating_handler.rotator = f` (recipe 19): `f(source, dest)` moves the log `source`
    /// to the backup `dest` in the storage (compressing it, say); `None` restores the
    /// default rename. A throw fails the rollover, reported through `handleError`.
    #[wasm_bindgen(js_name = setRotator)]
    pub fn set_rotator(&self, rotator: Option<Function>) {
        let Some(h) = self.rotating() else { return };
        h.set_rotator(rotator.map(|f| -> Rc<Rotator> {
            Rc::new(
                move |_storage: &dyn StorageSink, source: &str, dest: &str| {
                    f.call2(&JsValue::UNDEFINED, &js_name(source), &js_name(dest))
                        .map(drop)
                        .map_err(|e| convert::error_from_js(&e))
                },
            )
        }));
    }

    /// `QueueHandler(queue)`.
    pub fn queue(queue: &JsQueue) -> JsHandler {
        JsHandler::wrap(Rc::new(crate::core::handlers::QueueHandler::new(
            queue.0.clone(),
        )))
    }
}

/// `queue.Queue(maxsize)`: what a `QueueHandler` puts records on and a `QueueListener` takes
/// them from.
#[wasm_bindgen]
pub struct JsQueue(Rc<LogQueue>);

#[wasm_bindgen]
impl JsQueue {
    /// A queue holding at most `maxsize` records (`0`: unbounded).
    #[wasm_bindgen(constructor)]
    pub fn new(maxsize: f64) -> JsQueue {
        let maxsize = if maxsize.is_finite() && maxsize > 0.0 {
            maxsize as usize
        } else {
            0
        };
        JsQueue(LogQueue::new(maxsize))
    }

    /// `qsize()`.
    pub fn qsize(&self) -> u32 {
        u32::try_from(self.0.len()).unwrap_or(u32::MAX)
    }

    /// Hands this queue to the configuration being built (a factory returned it).
    pub fn stash(&self) {
        stash_built(Built::Queue(self.0.clone()));
    }
}

/// `logging.handlers.QueueListener(queue, *handlers, respect_handler_level)`; `pump()`
/// dispatches for started listeners.
#[wasm_bindgen]
pub struct JsQueueListener(Rc<QueueListener>);

#[wasm_bindgen]
impl JsQueueListener {
    /// A listener on `queue` dispatching to the handlers with the given ids.
    #[wasm_bindgen(constructor)]
    pub fn new(
        queue: &JsQueue,
        handler_ids: Vec<u32>,
        respect_handler_level: bool,
    ) -> std::result::Result<JsQueueListener, JsValue> {
        let handlers = handler_ids
            .iter()
            .map(|id| {
                super::handlers::by_id(*id).ok_or_else(|| {
                    JsValue::from(js_sys::TypeError::new("QueueListener: a handler is closed"))
                })
            })
            .collect::<std::result::Result<Vec<Rc<dyn Handler>>, JsValue>>()?;
        Ok(JsQueueListener(QueueListener::new(
            queue.0.clone(),
            handlers,
            respect_handler_level,
        )))
    }

    /// `start()`.
    pub fn start(&self) {
        self.0.start();
    }

    /// `stop()`: dispatches what is queued, then stops.
    pub fn stop(&self) {
        self.0.stop();
    }
}

/// `logging.makeLogRecord(attrs)`: a record object from a plain object of attributes,
/// normalised the way the core keeps records (missing attributes get their defaults).
#[wasm_bindgen(js_name = makeLogRecord)]
pub fn make_log_record(attrs: JsValue) -> JsValue {
    let record = super::formatter::record_from_js(&attrs);
    convert::record_to_js(&record, false)
}
