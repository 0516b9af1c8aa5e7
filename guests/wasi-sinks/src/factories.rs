//! `factories`: standard WASI has no way to run code the embedder supplies, so this component
//! offers no `()` factories. A configuration that names one fails (atomically, with its path)
//! with the message below; the per-object calls can only be reached with an id `create`
//! never gave, and say so.

use crate::bindings::exports::wasm_logging::logging::factories::{
    Guest, Kind, RecordView, Verdict,
};
use crate::Sinks;

fn unknown(id: u32) -> String {
    format!("no factory object {id}: the WASI sinks create none")
}

impl Guest for Sinks {
    fn names() -> Vec<String> {
        Vec::new()
    }

    fn create(name: String, _kind: Kind, _kwargs: String) -> Result<u32, String> {
        Err(format!(
            "no factory named '{name}': the WASI sinks component offers no host factories \
             (run under the wasm-logging host to register some)"
        ))
    }

    fn filter(id: u32, _rec: RecordView) -> Result<Verdict, String> {
        Err(unknown(id))
    }

    fn format(id: u32, _rec: RecordView) -> Result<String, String> {
        Err(unknown(id))
    }

    fn emit(id: u32, _text: String, _rec: RecordView) -> Result<(), String> {
        Err(unknown(id))
    }

    fn name(id: u32, _default_name: String) -> Result<String, String> {
        Err(unknown(id))
    }

    fn rotate(id: u32, _source: String, _dest: String) -> Result<(), String> {
        Err(unknown(id))
    }

    fn flush(id: u32) -> Result<(), String> {
        Err(unknown(id))
    }

    fn close(_id: u32) {}
}
