#!/usr/bin/env bash
# The dependency experiment of issue 15 (docs/dependencies.md), reproducible: builds the npm
# package's Wasm in six variants — the shipped one (glue.js + hand-written conversion), web-sys
# for the console and the clock, web-sys for the clock only, serde-wasm-bindgen both ways, in
# only (dictConfig, extra) and out only (record dicts, extras to callbacks) — and runs
# js/bench/deps.js on them (sizes; Node wall and CPU time; headless Chromium).
#
#   scripts/deps-bench.sh [deps.js options, e.g. --rounds 31 --batch-ms 30]
#
# The variants live in bench/deps/variants.patch (Cargo features `exp-websys-clock`,
# `exp-websys-console`, `exp-serde-in`, `exp-serde-out`), applied to a temporary git worktree
# of HEAD, so the shipped sources carry no experiment code. Results go to
# target/deps-bench/ (DEPS_OUT to change). Needs js/node_modules (make js-deps).
set -euo pipefail

ROOT=$(git rev-parse --show-toplevel)
OUT=${DEPS_OUT:-$ROOT/target/deps-bench}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/wasm-logging/target-deps}
LOCK=${WL_BUILD_LOCK:-/tmp/wl-build.lock}
WASM_OPT=$ROOT/js/node_modules/.bin/wasm-opt
[ -x "$WASM_OPT" ] || { echo "deps-bench: $WASM_OPT missing (make js-deps)" >&2; exit 1; }

TMP=$(mktemp -d)
WT=$TMP/wt
git -C "$ROOT" worktree add --detach --quiet "$WT" HEAD
cleanup() {
  git -C "$ROOT" worktree remove --force "$WT" || true
  rm -rf "$TMP"
}
trap cleanup EXIT
# -3: falls back to a three-way merge when the files moved on since the patch was made.
git -C "$WT" apply -3 "$ROOT/bench/deps/variants.patch"

VARIANTS=(
  "base:"
  "websys:exp-websys-clock,exp-websys-console"
  "websys-clock:exp-websys-clock"
  "serde:exp-serde-in,exp-serde-out"
  "serde-in:exp-serde-in"
  "serde-out:exp-serde-out"
)
ARGS=()
for v in "${VARIANTS[@]}"; do
  name=${v%%:*}
  features=${v#*:}
  dir=$TMP/v-$name
  mkdir -p "$dir"
  cp -r "$WT/js/src" "$dir/src"
  for t in web; do
    (cd "$WT" && flock "$LOCK" wasm-pack build --no-pack --no-gitignore --no-opt --weak-refs \
      --out-name wasm_logging --profile wasm-release --target $t --out-dir "$dir/pkg/$t" \
      ${features:+-- --features "$features"})
    "$WASM_OPT" -O3 "$dir/pkg/$t/wasm_logging_bg.wasm" -o "$dir/pkg/$t/wasm_logging_bg.wasm"
  done
  # src/node.js reads the module from pkg/bundler (as the package does), with the web glue.
  mkdir -p "$dir/pkg/bundler" && cp "$dir/pkg/web/wasm_logging_bg.wasm" "$dir/pkg/bundler/"
  ARGS+=("$name=$dir")
done

cd "$ROOT/js"
node bench/deps.js --variants "$(IFS=,; echo "${ARGS[*]}")" --out "$OUT" "$@"
