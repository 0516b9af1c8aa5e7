# The npm package (issue 3): the wasm-pack builds, the node:test suites of the JS wrapper
# (including the Chromium and npm-pack install tests), and the wasm-bindgen-test suites in
# Node and headless Chromium. Included by the root Makefile.
#
#   make js-build         release builds for bundler and web into js/pkg/, dist/node.js
#   make test-js          everything below
#   make js-bench         disabled ns/op and enabled records/s (a benchmark, not a test)
#   make js-size          the .wasm raw and gzip sizes

EXTRA_TESTS += test-js

WASM_PACK ?= wasm-pack
NPM ?= npm
NODE ?= node
JS_DIR := js
JS_PKG := $(JS_DIR)/pkg
# --weak-refs: exported objects dropped by JS are freed through a FinalizationRegistry.
# --no-opt: wasm-opt runs below, from npm's binaryen (never a download, never Debian's).
WASM_PACK_BUILD := $(WASM_PACK) build --no-pack --no-gitignore --no-opt --weak-refs --out-name wasm_logging
# The npm profile (release's LTO and panic=abort at opt-level 2) and wasm-opt -O3: tuned for
# records/s. JS_OPT=size gives opt-level "z" and -Oz instead (28 KB gzip smaller, 1.7-1.9x
# slower; figures in Cargo.toml). After switching, rebuild with `make -B js-build`.
JS_OPT ?= speed
WASM_PROFILE := --profile wasm-release
WASM_OPT := $(JS_DIR)/node_modules/.bin/wasm-opt
ifeq ($(JS_OPT),size)
WASM_OPT_FLAGS := -Oz
WASM_PACK_ENV := CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=z
else
WASM_OPT_FLAGS := -O3
WASM_PACK_ENV :=
endif
CHROMEDRIVER ?= $(shell command -v chromedriver 2>/dev/null)

.PHONY: js-deps js-build test-js test-js-unit test-js-wasm-node test-js-wasm-chrome js-bench js-size

## npm dev-dependencies (binaryen's wasm-opt, puppeteer-core, typescript), from the lockfile.
js-deps: $(JS_DIR)/node_modules/.package-lock.json

$(JS_DIR)/node_modules/.package-lock.json: $(JS_DIR)/package.json $(JS_DIR)/package-lock.json
	cd $(JS_DIR) && $(NPM) ci --no-audit --no-fund --loglevel=error

## The two wasm-pack builds (bundler, web), redone when a Rust source, glue.js or the
## manifests change. Their modules are byte-identical: only the bundler build's is optimized
## and kept, and the web glue loads it (scripts/js-dedupe.mjs), so the package carries one
## .wasm. Node runs the web glue too, bundled into dist/node.js (no `nodejs` build). Then
## the small module of `wasm-logging/lite` (pkg/lite; shipped inlined, pkg/lite-inline).
js-build: $(JS_PKG)/.stamp $(JS_PKG)/inline/wasm_logging.js $(JS_PKG)/lite-inline/wasm_logging.js $(JS_DIR)/dist/node.js
	@$(NODE) scripts/js-sourcemaps.mjs src $(JS_DIR)/src

## The Node entry bundled into one file with the web glue (scripts/js-node-bundle.mjs): ~13 ms
## less start-up than the separate modules.
$(JS_DIR)/dist/node.js: $(wildcard $(JS_DIR)/src/*.js) scripts/js-node-bundle.mjs $(JS_DIR)/node_modules/.package-lock.json $(JS_PKG)/inline/wasm_logging.js
	$(NODE) scripts/js-node-bundle.mjs $(JS_DIR)

JS_BUILD_INPUTS := $(shell find src -name '*.rs' -o -name '*.js') Cargo.toml Cargo.lock

$(JS_PKG)/.stamp: $(JS_BUILD_INPUTS) $(JS_DIR)/node_modules/.package-lock.json
	set -e; for t in bundler web; do \
	  $(WASM_PACK_ENV) $(WASM_PACK_BUILD) $(WASM_PROFILE) --target $$t --out-dir $(JS_PKG)/$$t; \
	done
	cmp $(JS_PKG)/web/wasm_logging_bg.wasm $(JS_PKG)/bundler/wasm_logging_bg.wasm
	rm -rf $(JS_PKG)/nodejs
	rm -f $(JS_PKG)/web/wasm_logging_bg.wasm
	$(WASM_OPT) $(WASM_OPT_FLAGS) $(JS_PKG)/bundler/wasm_logging_bg.wasm -o $(JS_PKG)/bundler/wasm_logging_bg.wasm
	$(WASM_PACK_ENV) $(WASM_PACK_BUILD) $(WASM_PROFILE) --target bundler \
	  --out-dir $(JS_PKG)/lite -- --no-default-features --features talc
	$(WASM_OPT) $(WASM_OPT_FLAGS) $(JS_PKG)/lite/wasm_logging_bg.wasm -o $(JS_PKG)/lite/wasm_logging_bg.wasm
	touch $@

## `wasm-logging/lite`'s glue (src/lite.js): the small module (built without the `full`
## feature, with the same profile as the full one) inlined the same way. Measured in Node
## (2026-12-06, W2 and .wasm gzip): opt-level 2 + -O3 444-469 ns, 139 KB; "s" + -Oz 552 ns,
## 139 KB; "z" + -Oz 804 ns, 126 KB. The full module's speed for 13 KB more than "z".
$(JS_PKG)/lite-inline/wasm_logging.js: $(JS_PKG)/inline/wasm_logging.js
	$(NODE) scripts/js-inline.mjs $(JS_PKG) lite lite-inline
	$(NODE) scripts/js-sourcemaps.mjs pkg $(JS_PKG)/lite-inline

## The default browser entry's glue: the bundler build with its .wasm inlined (src/browser.js).
## Before and after, the generated glue and .wasm get ignore-listed source maps (DevTools
## links console messages to the user's line; scripts/js-sourcemaps.mjs).
$(JS_PKG)/inline/wasm_logging.js: $(JS_PKG)/.stamp scripts/js-inline.mjs scripts/js-sourcemaps.mjs
	$(NODE) scripts/js-sourcemaps.mjs pkg $(JS_PKG)
	$(NODE) scripts/js-dedupe.mjs $(JS_PKG)
	$(NODE) scripts/js-inline.mjs $(JS_PKG)
	$(NODE) scripts/js-sourcemaps.mjs pkg $(JS_PKG)/inline

test-js: test-js-unit test-js-wasm-node test-js-wasm-chrome

## node:test: the wrapper against python3 (fixed time), the disabled-path swap, thrown
## callbacks, the console in Node and in headless Chromium, the bundler entry, the
## TypeScript declarations, and the npm-pack install test. Fails if nothing ran.
test-js-unit: js-build
	mkdir -p target
	set -o pipefail; cd $(JS_DIR) && $(NODE) --test --test-reporter=spec test/*.test.js 2>&1 | tee ../target/js-test.log
	@n=$$(sed -n 's/^ℹ pass \([0-9]*\)$$/\1/p' target/js-test.log); \
	  echo "node:test: $${n:-0} passed"; test "$${n:-0}" -gt 0

# `wasm-pack test` first builds *every* test target for wasm32 (`cargo build --tests`), so a
# native-only test file must say `#![cfg(not(target_arch = "wasm32"))]`. WASM_TEST=cargo runs
# exactly what wasm-pack runs after that step (cargo test with wasm-bindgen-test-runner), for
# when some other file does not build for wasm32 yet.
WASM_TEST ?= wasm-pack
ifeq ($(WASM_TEST),cargo)
WASM_TEST_NODE := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  WASM_BINDGEN_TEST_ONLY_NODE=1 $(CARGO) test --target wasm32-unknown-unknown --test node
WASM_TEST_CHROME := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=$(CHROMEDRIVER) WASM_BINDGEN_TEST_ONLY_WEB=1 $(CARGO) test --target wasm32-unknown-unknown --test browser
else
WASM_TEST_NODE := $(WASM_PACK) test --node -- --test node
WASM_TEST_CHROME := CHROMEDRIVER=$(CHROMEDRIVER) $(WASM_PACK) test --headless --chrome -- --test browser
endif

## wasm-bindgen-test in Node (tests/node.rs). Fails if no test ran.
test-js-wasm-node:
	mkdir -p target
	set -o pipefail; $(WASM_TEST_NODE) 2>&1 | tee target/wasm-node-test.log
	@n=$$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' target/wasm-node-test.log | tail -1); \
	  echo "wasm-bindgen-test (node): $${n:-0} passed"; test "$${n:-0}" -gt 0

## wasm-bindgen-test in headless Chromium (tests/browser.rs). Fails if no test ran (a
## node-only file "passes" in a browser run having run nothing).
test-js-wasm-chrome:
	mkdir -p target
	set -o pipefail; $(WASM_TEST_CHROME) 2>&1 | tee target/wasm-chrome-test.log
	@n=$$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' target/wasm-chrome-test.log | tail -1); \
	  echo "wasm-bindgen-test (chrome): $${n:-0} passed"; test "$${n:-0}" -gt 0

js-bench: js-build
	cd $(JS_DIR) && $(NODE) bench/bench.js

js-size: js-build
	@f=$(JS_PKG)/bundler/wasm_logging_bg.wasm; \
	  echo "wasm_logging_bg.wasm: $$(wc -c < $$f) bytes raw, $$(gzip -9c $$f | wc -c) bytes gzip -9"
