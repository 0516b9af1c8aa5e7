# wasm-logging: the two commands are `make demo` and `make test`; both set up what they need.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: setup test lint test-native test-wasm-build demo bench clean

# Each host adds its suites to EXTRA_TESTS (and its own targets) in mk/<host>.mk.
EXTRA_TESTS :=
-include mk/*.mk

setup:
	@bash scripts/setup.sh

## Every test suite: formatting and lints, native tests (including the differential tests
## against CPython), and builds of the core for both Wasm targets.
test: setup lint test-native test-wasm-build $(EXTRA_TESTS)

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --target wasm32-unknown-unknown --no-default-features --features talc -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

test-native:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

test-wasm-build:
	$(CARGO) build --lib --target wasm32-unknown-unknown
	$(CARGO) build --lib --target wasm32-wasip2

## The cookbook tour, inside the WASI component in Wasmtime (recipe in mk/wasi.mk).
demo: setup demo-wasi

## Criterion (native core), then the comparison harness (mk/bench.mk, bench/README.md).
bench: setup
	$(CARGO) bench --bench core
	$(MAKE) --no-print-directory bench-all

clean:
	$(CARGO) clean
