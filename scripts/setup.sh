#!/usr/bin/env bash
# Idempotent set-up for a fresh machine of this project's kind (rustup stable, node/npm,
# python3). Everything already present is skipped, so `make test` / `make demo` can call this
# every time. Versions and traps are explained in ../shared/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130
WASM_PACK_VERSION=0.15.1

log() { printf 'setup: %s\n' "$*" >&2; }

# Rust targets: wasm32-unknown-unknown for the npm package, wasm32-wasip2 for the component.
for target in wasm32-unknown-unknown wasm32-wasip2; do
  if ! rustup target list --installed | grep -qx "$target"; then
    log "adding rust target $target"
    rustup target add "$target"
  fi
done
for comp in rustfmt clippy; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$comp"; then
    log "adding rust component $comp"
    rustup component add "$comp"
  fi
done

# wasm-bindgen-cli must match Cargo.lock's wasm-bindgen exactly, or wasm-pack falls back to a
# GitHub download (which fails here) and then a silent 3-minute cargo install.
if ! command -v wasm-bindgen >/dev/null 2>&1 \
  || [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (~3 min)"
  # No --locked: its lockfile names a crate version the index no longer has.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v wasm-pack >/dev/null 2>&1 \
  || [ "$(wasm-pack --version 2>/dev/null | awk '{print $2}')" != "$WASM_PACK_VERSION" ]; then
  log "installing wasm-pack $WASM_PACK_VERSION (~2 min)"
  cargo install wasm-pack --version "$WASM_PACK_VERSION" --locked --force
fi

# Chromium + chromedriver from Debian for the headless browser tests.
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  log "installing chromium and chromium-driver from Debian (~35 s)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# rsyslog from Debian for the remote-handler tests: tests/remote/rsyslog.py runs its own
# unprivileged rsyslogd on 127.0.0.1 high ports, so the system service is never needed. A
# temporary policy-rc.d (exit 101) keeps the package from starting it where an init system
# would (containers without systemd start nothing anyway).
if [ ! -x /usr/sbin/rsyslogd ]; then
  log "installing rsyslog from Debian (~10 s)"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  POLICY_RC=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
    $SUDO chmod +x /usr/sbin/policy-rc.d
    POLICY_RC=1
  fi
  rc=0
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq rsyslog >/dev/null; } || rc=$?
  [ -z "$POLICY_RC" ] || $SUDO rm -f /usr/sbin/policy-rc.d
  [ "$rc" -eq 0 ] || { log "apt-get install rsyslog failed ($rc)"; exit "$rc"; }
fi

# The npm package's dev-dependencies (wasm-opt from binaryen@132, puppeteer-core driving the
# system Chromium, typescript), from the committed lockfile; skipped when already installed.
if [ ! -f js/node_modules/.package-lock.json ] || [ js/package-lock.json -nt js/node_modules/.package-lock.json ]; then
  log "installing the npm dev-dependencies (js/)"
  npm ci --prefix js --no-audit --no-fund --loglevel=error
fi

# Stock WASI tooling (mk/wasi-tools.mk, docs/wasi-tooling.md): wasm-tools checks the world
# against the component, wac composes it with the WASI sinks, the Wasmtime CLI runs the result
# (~2, ~2 and ~4-6 min to build once). Pinned; each reinstalled only when its version differs.
# wac without its default features: no registry client, only local composition.
install_tool() { # BINARY VERSION CRATE [cargo install flags...]
  local bin=$1 version=$2 crate=$3
  shift 3
  if ! command -v "$bin" >/dev/null 2>&1 \
    || [ "$("$bin" --version 2>/dev/null | awk '{print $2}')" != "$version" ]; then
    log "installing $crate $version"
    cargo install "$crate" --version "$version" --locked --force "$@"
  fi
}
install_tool wasm-tools 1.263.0 wasm-tools --no-default-features --features component,validate,print
install_tool wac 0.12.0 wac-cli --no-default-features
install_tool wasmtime 48.0.8 wasmtime-cli --no-default-features \
  --features run,cranelift,component-model,parallel-compilation

# jco (transpile) and its WASI shim for Node, from the committed lockfile.
if [ ! -f tests/wasi-tools/node_modules/.package-lock.json ] \
  || [ tests/wasi-tools/package-lock.json -nt tests/wasi-tools/node_modules/.package-lock.json ]; then
  log "installing jco (tests/wasi-tools/)"
  npm ci --prefix tests/wasi-tools --no-audit --no-fund --loglevel=error
fi

# The real OTLP schema for the OTLP handler's tests (docs/browser-transports.md): PyPI
# opentelemetry-proto + protobuf in a venv under ~/.cache, made once, pins checked each run.
OTLP_VENV="$HOME/.cache/wasm-logging/otlp-venv"
if ! "$OTLP_VENV/bin/python" -c 'import google.protobuf as p, importlib.metadata as m
assert p.__version__ == "6.33.2" and m.version("opentelemetry-proto") == "1.39.1"' 2>/dev/null; then
  log "installing opentelemetry-proto 1.39.1 + protobuf 6.33.2 into $OTLP_VENV"
  python3 -m venv "$OTLP_VENV"
  "$OTLP_VENV/bin/pip" install -q opentelemetry-proto==1.39.1 protobuf==6.33.2
fi

# The reference interpreter for differential tests: CPython 3.13 when the image carries it.
if [ -z "$(scripts/python-ref.sh 2>/dev/null || true)" ]; then
  log "warning: no python3 found; differential tests against CPython will fail"
fi

log "ok"
