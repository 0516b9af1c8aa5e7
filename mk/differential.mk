# The differential scenarios against CPython 3.13 in every host (tests/differential/README.md).
# `make test` already runs all four runners (test-native, test-js-unit, test-wasi); this target
# runs just them and prints their four summaries from target/differential/report-*.txt.

.PHONY: test-differential

test-differential: js-build wasi-component
	$(CARGO) test --test differential
	$(CARGO) test -p wasm-logging-host --test differential
	cd $(JS_DIR) && $(NODE) --test test/differential.test.js test/differential-browser.test.js
	@for h in native node chromium wasmtime; do head -1 target/differential/report-$$h.txt; done
