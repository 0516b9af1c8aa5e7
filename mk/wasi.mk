# The WASI component and its Wasmtime host (issue 4): build, lint, test, demo.
# Included by the Makefile; `make test` runs test-wasi, `make demo` runs demo-wasi.

.PHONY: wasi-component lint-wasi test-wasi demo-wasi

EXTRA_TESTS += test-wasi

## The component (wit/ + src/wasi/, from the library crate) and the `wasi:logging` guest the
## interop test links to it. The host finds both next to its own target directory.
wasi-component:
	$(CARGO) build --lib --target wasm32-wasip2
	$(CARGO) build -p wasi-logging-guest --target wasm32-wasip2

## Lints of the component's bindings, the guest and the host (the root `make lint` checks
## only the native library).
lint-wasi:
	$(CARGO) clippy --lib --target wasm32-wasip2 -- -D warnings
	$(CARGO) clippy -p wasi-logging-guest --target wasm32-wasip2 -- -D warnings
	$(CARGO) clippy -p wasm-logging-host --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc -p wasm-logging-host --no-deps --quiet

## Host integration tests: they instantiate the real component (and the guest) in Wasmtime
## and compare with python3.13.
test-wasi: wasi-component lint-wasi
	$(CARGO) test -p wasm-logging-host

## `wasm-logging demo`: the cookbook tour inside the component; logs go to ./logs.
demo-wasi: wasi-component
	$(CARGO) run --quiet -p wasm-logging-host -- demo
	@echo; echo "=== Recipe 20: four worker instances on four threads, one listener instance ==="
	$(CARGO) run --quiet -p wasm-logging-host -- workers --workers 4 --records 10 \
	  --config tests/fixtures/dictconfig/recipe_20_listener.json \
	  --worker-config tests/fixtures/dictconfig/recipe_20_worker.json --log-dir logs/workers
