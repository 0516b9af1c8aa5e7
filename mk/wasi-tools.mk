# Stock WASI tooling (issue 15, docs/wasi-tooling.md): the world checked against the built
# component, and the component composed with standard-WASI sinks so that any WASI Preview 2
# runtime runs it. Included by the Makefile; `make test` runs test-wasi-tools.
#
#   make check-world      `wasm-tools component targets wit/ --world wasm-logging` on the
#                         built component: the world declares every import it has
#   make compose          wac plugs guests/wasi-sinks into the component and the component
#                         into guests/wasi-tour: <target>/wasm32-wasip2/debug/wasm-logging-composed.wasm;
#                         and into the wasi:logging guest: wasi-logging-guest-composed.wasm
#   make run-composed     the cookbook tour in the Wasmtime CLI, logs in ./logs
#   make test-wasi-tools  the composed command in the Wasmtime CLI and in jco (Node) against
#                         the project's host running the same program (host/tests/wasi_tools.rs)

EXTRA_TESTS += test-wasi-tools

WASM_TOOLS ?= wasm-tools
WAC ?= wac
WASMTIME ?= wasmtime
WASI_TOOLS_DIR := tests/wasi-tools
JCO := $(WASI_TOOLS_DIR)/node_modules/.bin/jco
# Cargo's target directory (.ci/run moves it out of the clone with CARGO_TARGET_DIR).
WASI_TOOLS_TARGET := $(abspath $(or $(CARGO_TARGET_DIR),target))/wasm32-wasip2/debug
COMPOSED := $(WASI_TOOLS_TARGET)/wasm-logging-composed.wasm
# The wasi:logging guest (guests/wasi-logging-guest) plugged into the component and sinks.
GUEST_COMPOSED := $(WASI_TOOLS_TARGET)/wasi-logging-guest-composed.wasm
# jco's output imports @bytecodealliance/preview2-shim: a node_modules link beside it finds it.
JCO_OUT := $(WASI_TOOLS_TARGET)/jco

.PHONY: check-world compose run-composed jco-transpile lint-wasi-tools test-wasi-tools

check-world:
	$(CARGO) build --lib --target wasm32-wasip2
	$(WASM_TOOLS) component targets wit --world wasm-logging $(WASI_TOOLS_TARGET)/wasm_logging.wasm
	@echo "check-world: wit/world.wit declares every import and export of wasm_logging.wasm"

compose:
	$(CARGO) build --lib --target wasm32-wasip2
	$(CARGO) build -p wasm-logging-wasi-sinks -p wasm-logging-wasi-tour --target wasm32-wasip2
	$(WAC) plug $(WASI_TOOLS_TARGET)/wasm_logging.wasm \
	  --plug $(WASI_TOOLS_TARGET)/wasm_logging_wasi_sinks.wasm \
	  -o $(WASI_TOOLS_TARGET)/wasm-logging-with-sinks.wasm
	$(WAC) plug $(WASI_TOOLS_TARGET)/wasm-logging-tour.wasm \
	  --plug $(WASI_TOOLS_TARGET)/wasm-logging-with-sinks.wasm -o $(COMPOSED)
	$(WASM_TOOLS) validate $(COMPOSED)
	@echo "compose: $(COMPOSED)"
	$(CARGO) build -p wasi-logging-guest --target wasm32-wasip2
	$(WAC) plug $(WASI_TOOLS_TARGET)/wasi_logging_guest.wasm \
	  --plug $(WASI_TOOLS_TARGET)/wasm-logging-with-sinks.wasm -o $(GUEST_COMPOSED)
	@echo "compose: $(GUEST_COMPOSED) (wasmtime run --invoke 'run()')"

## The tour as any user of the Wasmtime CLI runs it.
run-composed: compose
	mkdir -p logs
	$(WASMTIME) run --dir logs::logs $(COMPOSED)

jco-transpile: compose
	rm -rf $(JCO_OUT)
	ln -sfn $(abspath $(WASI_TOOLS_DIR))/node_modules $(WASI_TOOLS_TARGET)/node_modules
	$(JCO) transpile $(COMPOSED) -o $(JCO_OUT) --name composed -q

lint-wasi-tools:
	$(CARGO) clippy -p wasm-logging-wasi-sinks -p wasm-logging-wasi-tour --target wasm32-wasip2 -- -D warnings

test-wasi-tools: check-world lint-wasi-tools jco-transpile
	$(CARGO) test -p wasm-logging-host --test wasi_tools -- --include-ignored
