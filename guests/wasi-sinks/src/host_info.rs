//! `host-info`: the local time zone and the instance's identity.
//!
//! WASI 0.2 has no stable time-zone interface (`wasi:clocks/timezone` is unstable and no
//! runtime offers it by default), so local time is UTC, as in a container without
//! `/etc/localtime`. The identity comes from the environment, with CPython's defaults.

use crate::bindings::exports::wasm_logging::logging::host_info::{Guest, Identity, LocalTime};
use crate::{env, Sinks};

impl Guest for Sinks {
    fn local_offset(_unix_seconds: i64) -> LocalTime {
        LocalTime {
            utc_offset: 0,
            zone: "UTC".to_owned(),
            is_dst: false,
        }
    }

    fn instance_identity() -> Identity {
        Identity {
            // WASI has no process ids; 0 unless the embedder sets one.
            process: env("WASM_LOGGING_PROCESS")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0),
            process_name: env("WASM_LOGGING_PROCESS_NAME")
                .unwrap_or_else(|| "MainProcess".to_owned()),
            thread_name: env("WASM_LOGGING_THREAD_NAME").unwrap_or_else(|| "MainThread".to_owned()),
        }
    }
}
