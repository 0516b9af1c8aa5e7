# The comparison benchmark harness (issue 6): wasm-logging against pino, loglevel, LogTape,
# winston and CPython's logging; package sizes; cold start; the WASI component against the
# native core. Included by the root Makefile; methodology in bench/README.md.
#
#   make bench         criterion (root Makefile), then bench-all: the real run, written to
#                      bench/results/<date>-<host>.{md,json} and bench/results/latest.md
#   make bench-smoke   tiny counts, every peer and workload, output shapes asserted (part of
#                      `make test`); writes target/bench-smoke/ only

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

.PHONY: bench-js-build bench-smoke bench-wasi-build bench-all

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
