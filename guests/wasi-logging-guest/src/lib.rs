//! A component that knows nothing of wasm-logging: it imports the standard
//! `wasi:logging/logging@0.1.0-draft` and exports `run`. The host links its import to the
//! wasm-logging component's export (`host/src/interop.rs`), and the tests check that these
//! records come out formatted through wasm-logging's hierarchy.

mod bindings {
    wit_bindgen::generate!({
        inline: "
            package wasm-logging:guest;

            world guest {
                import wasi:logging/logging@0.1.0-draft;
                export run: func();
            }
        ",
        path: "../../wit/deps/logging",
        generate_all,
    });
}

use bindings::wasi::logging::logging::{log, Level};

struct Guest;

impl bindings::Guest for Guest {
    fn run() {
        log(Level::Info, "guest.app", "guest started");
        log(
            Level::Debug,
            "guest.app",
            "cache warmed: 100% of 12 entries",
        );
        log(
            Level::Warn,
            "guest.db",
            "slow query took %d ms (no interpolation)",
        );
        log(Level::Trace, "guest", "trace detail");
        log(Level::Error, "", "an error on the root logger");
        log(Level::Critical, "guest.db", "disk full");
    }
}

bindings::export!(Guest with_types_in bindings);
