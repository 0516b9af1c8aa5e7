# The log viewer (issue 11, recipe 33 in a browser): www/ is a static app with no build step;
# `make www` stages it with the package's browser entry into $(WWW_SITE) and serves it with
# `wasm-logging serve --www`, whose viewer stream (/ws/view) the page connects to. docs/www.md.
#
#   make www        build (js-build, the component, the host), stage, serve; Ctrl-C stops
#   make www-site   only stage www/ + js/src + js/pkg/inline into $(WWW_SITE)
#
# The viewer's tests (js/test/www.test.js) run with test-js-unit.

WWW_ADDR ?= 127.0.0.1:8080
WWW_LISTEN ?= 127.0.0.1:9020
WWW_SITE := $(abspath $(or $(CARGO_TARGET_DIR),target))/www-site
WWW_SERVE := $(abspath $(or $(CARGO_TARGET_DIR),target))/debug/wasm-logging

.PHONY: www www-site

## www/ next to the package's sources (the inline glue imports the bundler build's JS): the app imports ../js/src/browser.js, which resolves to
## /js/src/browser.js from the site's root.
www-site: js-build
	rm -rf $(WWW_SITE)
	mkdir -p $(WWW_SITE)/js/pkg
	cp -r www/. $(WWW_SITE)/
	cp -r $(JS_DIR)/src $(WWW_SITE)/js/src
	cp -r $(JS_PKG)/inline $(WWW_SITE)/js/pkg/inline
	cp -r $(JS_PKG)/bundler $(WWW_SITE)/js/pkg/bundler
	rm -f $(WWW_SITE)/js/pkg/bundler/*.wasm

www: www-site
	$(CARGO) build --lib --target wasm32-wasip2
	$(CARGO) build -p wasm-logging-host --bin wasm-logging
	@echo "wasm-logging viewer: http://$(WWW_ADDR)/ (SocketHandler senders: $(WWW_LISTEN); Ctrl-C stops)"
	$(WWW_SERVE) serve --config www/serve-config.json --listen $(WWW_LISTEN) \
	  --http $(WWW_ADDR) --www $(WWW_SITE)
