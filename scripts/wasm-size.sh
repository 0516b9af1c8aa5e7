#!/usr/bin/env bash
# Where the npm package's Wasm bytes go (issue 6). Builds the wasm-release library into a
# separate directory (never js/pkg), runs wasm-bindgen and binaryen's wasm-opt -Oz as
# `make js-build` does, prints raw / gzip -9 / brotli sizes of the .wasm and its JS glue,
# twiggy's top items and a breakdown by Rust module path (before wasm-opt, whose inlining
# folds Rust functions into the export shims).
#
#   scripts/wasm-size.sh [OUT_DIR] [cargo build args, e.g. --no-default-features]
#
# Needs twiggy (`cargo install twiggy --locked`), wasm-bindgen 0.2.130, node, and js/'s
# npm dev-dependencies (binaryen). Sizes are of the web target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/wasm-size}; shift || true
target=${CARGO_TARGET_DIR:-$out/target}
mkdir -p "$out"
(cd "$root" && CARGO_TARGET_DIR=$target cargo build --lib --target wasm32-unknown-unknown \
  --profile wasm-release "$@")
wasm-bindgen --target web --weak-refs --out-name wasm_logging --out-dir "$out/pkg" \
  "$target/wasm32-unknown-unknown/wasm-release/wasm_logging.wasm"
opt="$root/js/node_modules/.bin/wasm-opt"
"$opt" -Oz "$out/pkg/wasm_logging_bg.wasm" -o "$out/opt.wasm"
"$opt" -Oz --debuginfo "$out/pkg/wasm_logging_bg.wasm" -o "$out/named.wasm"

node - "$out/opt.wasm" "$out/pkg/wasm_logging.js" <<'JS'
const fs = require("fs"), z = require("zlib");
for (const f of process.argv.slice(2)) {
  const b = fs.readFileSync(f);
  const g = z.gzipSync(b, { level: 9 }).length;
  const br = z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${f}: ${b.length} B raw, ${g} B gzip -9, ${br} B brotli`);
}
JS

echo; echo "== twiggy top (after wasm-opt -Oz)"
twiggy top -n 25 "$out/named.wasm"

echo; echo "== by Rust module path (before wasm-opt; names section excluded)"
twiggy top -n 1000000 -f csv "$out/pkg/wasm_logging_bg.wasm" | python3 -c '
import csv, re, sys, collections
agg, tot = collections.Counter(), 0
for row in csv.DictReader(sys.stdin):
    name, size = row["Name"], int(row["ShallowSize"])
    if "names" in name or name.startswith(("Σ", "...")):
        continue
    tot += size
    n = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    n = re.sub(r"::h[0-9a-f]{16}$", "", n)
    if n.startswith("data segment"):
        key = "(data segments)"
    elif n.startswith("<"):
        m = re.match(r"<(?:&(?:mut )?)?([\w:]+)", n)
        key = m.group(1) if m else n
        t = re.search(r" as ([\w:]+)", n)
        if t and "::" not in key:
            key = t.group(1)
    elif "shim" in n or n.startswith(("js", "__wbg", "__wbindgen")):
        key = "(wasm-bindgen exports and shims)"
    else:
        key = n
    parts = key.split("::")
    key = "::".join(parts[:3] if parts[0] == "wasm_logging" else parts[:2])
    agg[key] += size
print(f"{tot:8} total")
for k, v in agg.most_common(40):
    print(f"{v:8} {100 * v / tot:5.1f}%  {k}")
'
