# The consumer matrix (issue 15): the packed npm package installed into one tiny project per
# consumer (Node ESM and CommonJS, a plain page, esbuild, Rollup, webpack 5 current and 5.99,
# Vite 8 build and dev server, TypeScript --strict), built and loaded in headless Chromium.
# Each project's tools are pinned by its package-lock.json (npm ci only when it changed).
# Included by the root Makefile; docs/consumers.md describes each consumer.

EXTRA_TESTS += test-consumers

.PHONY: test-consumers

## Every consumer builds and logs (main thread and a module Worker); fails if a test fails.
test-consumers: js-build
	cd consumers && $(NODE) --test --test-reporter=spec run.test.js
