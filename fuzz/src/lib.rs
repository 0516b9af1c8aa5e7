//! Fuzz drivers for wasm-logging's parsers, runnable with the stable toolchain.
//!
//! cargo-fuzz and libFuzzer need nightly's `-Z` flags and AFL++ must be built from source, so
//! this crate carries a small mutation engine of its own ([`engine`]): deterministic seeds
//! (the cookbook's formats and configurations, CPython-made pickles, route lines), stacked
//! mutations ([`mutate`]: bit and byte flips, interesting numbers, splices, dictionary tokens
//! such as `%(`, `{`, `$`, `%Y`, pickle opcodes and JSON structure), every input run under
//! [`std::panic::catch_unwind`], a per-input time bound (a watchdog thread saves an input that
//! runs for seconds and stops the run) and a memory bound (a counting allocator, [`alloc`],
//! saves an input that asks for gigabytes). Inputs whose outcome (the error's wording, the
//! output's size class) was not seen before join the corpus, a coarse stand-in for coverage.
//!
//! Each driver in [`targets`] calls the real entry points: `percent_format`, `brace_format`,
//! `template_substitute`, the `Formatter`, `strftime`, `dictConfig`, the restricted unpickler
//! and the receiver's frame decoding, and the host's `route` line parser. `docs/fuzzing.md`
//! says how to run them (`make fuzz`, `make fuzz-repro`) and what they found.

pub mod alloc;
pub mod engine;
pub mod mutate;
pub mod seeds;
pub mod targets;

/// Counts allocations so the engine can bound each input's memory.
#[global_allocator]
static ALLOCATOR: alloc::Bounded = alloc::Bounded;
