# The comparison benchmark harness (issues 6 and 13): wasm-logging against pino (fastest,
# ISO time, defaults), loglevel, LogTape, winston and CPython's logging, as same-round ratios;
# sizes (the default-entry app, each feature's marginal size, the npm tarball); cold start; the
# WASI component against the native core. Included by the root Makefile; methodology in
# bench/README.md.
#
#   make bench         criterion (root Makefile), then bench-all: the real run, written to
#                      bench/results/<date>-<host>.{md,json} and bench/results/latest.md
#   make bench-js      the JS side only (no WASI row), BENCH_RUNS rounds, with the js/pkg
#                      already built; written to <cargo target dir>/bench-js/ (a check while working)
#   make bench-smoke   tiny counts, every peer and workload, output shapes asserted (part of
#                      `make test`); writes target/bench-smoke/ only
#   make bench-remote  network handlers: records/s through SocketHandler (native, component,
#                      Node, CPython) into a frame counter and `wasm-logging serve`
#                      (bench/remote.py); written to
#                      bench/results/remote-<date>.{md,json} and remote-latest.md. Last step
#                      of bench-all.
#   make bench-remote-smoke  the same, 1 round of 200 records, debug builds, every sender's
#                      delivery checked (part of `make test`); writes target/bench-remote-smoke/

EXTRA_TESTS += bench-smoke

NODE ?= node
BENCH_PYTHON ?= $(shell test -x /root/.pyenv/versions/3.13.0/bin/python3.13 && echo /root/.pyenv/versions/3.13.0/bin/python3.13 || echo python3)
# The js/pkg builds are shared with other work on the machine: one builder at a time.
BENCH_JS_LOCK ?= /tmp/wasm-logging-jsbuild.lock
# The Wasmtime host built optimized for the WASI row, in its own target directory (so the
# root crate's release artifacts, which criterion uses, are never rebuilt with other flags),
# without the workspace's fat LTO (a wasmtime LTO build takes many minutes on 2 cores; the
# guest code Wasmtime runs is compiled by Cranelift either way).
# Cargo's target directory (.ci/run moves it out of the clone with CARGO_TARGET_DIR).
BENCH_TARGET_DIR := $(abspath $(or $(CARGO_TARGET_DIR),target))
BENCH_HOST_TARGET := $(BENCH_TARGET_DIR)/bench-host
BENCH_HOST_ENV := CARGO_TARGET_DIR=$(BENCH_HOST_TARGET) CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16

.PHONY: bench-js-build bench-smoke bench-wasi-build bench-all bench-js

bench-js-build: js-deps
	flock -w 900 $(BENCH_JS_LOCK) $(MAKE) --no-print-directory js-build

## The harness once with tiny counts (about 30 s): every peer × workload must run and produce
## text of the expected shape; sizes, cold start and the WASI row (debug builds) run too.
bench-smoke: bench-js-build
	$(CARGO) build --quiet --lib --target wasm32-wasip2
	$(CARGO) build --quiet -p wasm-logging-host --example wasi_bench
	cd $(JS_DIR) && $(NODE) bench/compare.js --smoke --python $(BENCH_PYTHON) \
	  --wasi-bin $(BENCH_TARGET_DIR)/debug/examples/wasi_bench \
	  --wasi-component $(BENCH_TARGET_DIR)/wasm32-wasip2/debug/wasm_logging.wasm \
	  --criterion $(BENCH_TARGET_DIR)/criterion \
	  --out ../target/bench-smoke

## The JS side of the real run (throughput, sizes, cold start; no WASI, no criterion) on the
## js/pkg as it is: a few minutes. Not for bench/results/.
BENCH_RUNS ?= 3
bench-js:
	cd $(JS_DIR) && $(NODE) bench/compare.js --skip-wasi --runs $(BENCH_RUNS) --python $(BENCH_PYTHON) \
	  --out $(BENCH_TARGET_DIR)/bench-js

## The release component and the optimized host example that drives it.
bench-wasi-build:
	$(CARGO) build --release --lib --target wasm32-wasip2
	$(BENCH_HOST_ENV) $(CARGO) build --release -p wasm-logging-host --example wasi_bench

## The real run (after `cargo bench --bench core`, whose samples are the native WASI baseline).
bench-all: bench-js-build bench-wasi-build
	cd $(JS_DIR) && $(NODE) bench/compare.js --latest --python $(BENCH_PYTHON) \
	  --wasi-bin $(BENCH_HOST_TARGET)/release/examples/wasi_bench \
	  --wasi-component $(BENCH_TARGET_DIR)/wasm32-wasip2/release/wasm_logging.wasm \
	  --criterion $(BENCH_TARGET_DIR)/criterion \
	  --out ../bench/results
	$(MAKE) --no-print-directory bench-remote

# ---- Network handlers (bench/remote.py; bench/README.md, "Network handlers") -----------------
# Records/s through SocketHandler from four senders in one run (the native core, the component
# in Wasmtime, the npm package in Node, CPython 3.13), each into a fresh frame counter
# (`socket_bench --receive`, the senders' own rate) and a fresh `wasm-logging serve` whose root
# has a NullHandler; CPython's also into the cookbook's receiver. The two socket_bench examples
# (root crate and host) share a name, so Cargo gives both the same path in
# target/<profile>/examples/: each is copied to BENCH_REMOTE_BIN right after its own build.

EXTRA_TESTS += bench-remote-smoke

BENCH_REMOTE_BIN := $(BENCH_TARGET_DIR)/bench-remote
BENCH_REMOTE_RECORDS ?= 200000
BENCH_REMOTE_ROUNDS ?= 5

.PHONY: bench-remote-build bench-remote bench-remote-smoke

## The optimized senders and receiver: the native example with the release profile (as
## criterion's), the host's example and `wasm-logging` (serve) in target/bench-host like
## wasi_bench; the release component comes from bench-wasi-build.
bench-remote-build: bench-js-build bench-wasi-build
	mkdir -p $(BENCH_REMOTE_BIN)
	$(CARGO) build --release --example socket_bench
	cp -f $(BENCH_TARGET_DIR)/release/examples/socket_bench $(BENCH_REMOTE_BIN)/native
	$(BENCH_HOST_ENV) $(CARGO) build --release -p wasm-logging-host --bin wasm-logging --example socket_bench
	cp -f $(BENCH_HOST_TARGET)/release/examples/socket_bench $(BENCH_REMOTE_BIN)/component

## The real run: BENCH_REMOTE_ROUNDS rounds (order alternating) of BENCH_REMOTE_RECORDS
## records per sender and receiver; about 3 minutes after the builds.
bench-remote: bench-remote-build
	$(BENCH_PYTHON) bench/remote.py --latest --python $(BENCH_PYTHON) --node $(NODE) \
	  --records $(BENCH_REMOTE_RECORDS) --rounds $(BENCH_REMOTE_ROUNDS) \
	  --serve $(BENCH_HOST_TARGET)/release/wasm-logging \
	  --native $(BENCH_REMOTE_BIN)/native --wasi $(BENCH_REMOTE_BIN)/component \
	  --component $(BENCH_TARGET_DIR)/wasm32-wasip2/release/wasm_logging.wasm \
	  --out bench/results

## One round of 200 records per sender with the debug builds: each must deliver exactly 200
## (and the sentinel) to every receiver; about 10 s after the builds. Writes
## target/bench-remote-smoke/ only.
bench-remote-smoke: bench-js-build
	mkdir -p $(BENCH_REMOTE_BIN)
	$(CARGO) build --quiet --lib --target wasm32-wasip2
	$(CARGO) build --quiet --example socket_bench
	cp -f $(BENCH_TARGET_DIR)/debug/examples/socket_bench $(BENCH_REMOTE_BIN)/native-debug
	$(CARGO) build --quiet -p wasm-logging-host --bin wasm-logging --example socket_bench
	cp -f $(BENCH_TARGET_DIR)/debug/examples/socket_bench $(BENCH_REMOTE_BIN)/component-debug
	$(BENCH_PYTHON) bench/remote.py --smoke --python $(BENCH_PYTHON) --node $(NODE) \
	  --serve $(BENCH_TARGET_DIR)/debug/wasm-logging \
	  --native $(BENCH_REMOTE_BIN)/native-debug --wasi $(BENCH_REMOTE_BIN)/component-debug \
	  --component $(BENCH_TARGET_DIR)/wasm32-wasip2/debug/wasm_logging.wasm \
	  --out target/bench-remote-smoke
