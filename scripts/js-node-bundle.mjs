// The package's Node entry as one file: js/dist/node.js, src/node.js and every wrapper module
// it imports, the `web` wasm-bindgen glue included, bundled by esbuild (ESM; `node:*` built-ins
// left as imports; the .wasm is read from pkg/bundler at start-up). Loading ~35 small ES
// modules costs Node ~11 ms of start-up that one file does not (measured: import of
// src/node.js 93.6 ms vs the bundle 82.2 ms, bare node 56.8), and the glue as a separate
// CommonJS file (the former `nodejs` build) ~2 ms more;
// the code is the same, so tests that import src/ test what ships. A linked source map (the
// sources ignore-listed, as scripts/js-sourcemaps.mjs does for the rest) maps it back.
//   node scripts/js-node-bundle.mjs js
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const js = path.resolve(process.argv[2] ?? "js");
const require = createRequire(path.join(js, "package.json"));
const esbuild = require("esbuild");
const outfile = path.join(js, "dist/node.js");
esbuild.buildSync({
  entryPoints: [path.join(js, "src/node.js")],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile,
  external: ["node:*"],
  sourcemap: "linked",
  sourcesContent: false,
  legalComments: "none",
  logLevel: "error",
});
const mapFile = `${outfile}.map`;
const map = JSON.parse(fs.readFileSync(mapFile, "utf8"));
map.x_google_ignoreList = map.sources.map((_, i) => i);
fs.writeFileSync(mapFile, JSON.stringify(map));
