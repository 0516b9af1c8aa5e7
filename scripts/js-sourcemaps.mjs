// Source maps that put the package on Chrome DevTools' ignore list (`x_google_ignoreList`), so
// a console message's source link, and the stack DevTools shows, start at the user's line
// instead of the package's glue (without them the user's frame was #12 of 14: snippet glue,
// wasm-bindgen glue, seven Wasm functions, src/logger.js twice).
//
// Every map is an identity map (each line of the file maps to itself) of one source that is
// ignore-listed; the files are not transformed, so there is nothing else to map.
//   node scripts/js-sourcemaps.mjs src js/src   maps for the wrapper's sources (each ends
//                                                with `//# sourceMappingURL=<name>.js.map`)
//   node scripts/js-sourcemaps.mjs pkg js/pkg   the generated glue: the comment appended and
//                                                the map written; each .wasm gets a
//                                                `sourceMappingURL` custom section (a data:
//                                                URL, so it also holds for a module compiled
//                                                from bytes, whose URL is wasm://wasm/<hash>)
// Idempotent: run it again after any rebuild.
import fs from "node:fs";
import path from "node:path";

const [mode, dir] = process.argv.slice(2);
if ((mode !== "src" && mode !== "pkg") || !dir) {
  console.error("usage: node scripts/js-sourcemaps.mjs src|pkg <dir>");
  process.exit(2);
}

/** An identity map of `text` (one segment at column 0 of each line), ignore-listed. */
function identityMap(file, text) {
  const lines = text.split("\n").length;
  // "AAAA": generated column 0 → source 0, line 0, column 0; "AACA": one source line down.
  const mappings = lines === 0 ? "" : "AAAA" + ";AACA".repeat(lines - 1);
  return JSON.stringify({ version: 3, file, sources: [file], names: [], mappings, x_google_ignoreList: [0] });
}

const comment = (name) => `//# sourceMappingURL=${name}.map`;

function mapJs(file, { append }) {
  let text = fs.readFileSync(file, "utf8");
  const name = path.basename(file);
  if (!text.includes(comment(name))) {
    if (!append) return false;
    text = text.replace(/\n?$/, `\n${comment(name)}\n`);
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(`${file}.map`, identityMap(name, text));
  return true;
}

/** Appends a `sourceMappingURL` custom section (once) pointing at an ignore-listed map. */
function mapWasm(file) {
  const bytes = fs.readFileSync(file);
  const marker = Buffer.from("sourceMappingURL");
  if (bytes.includes(marker)) return;
  // A Wasm frame's position is line 0, column = byte offset: one segment covers them all.
  const map = JSON.stringify({ version: 3, sources: ["wasm-logging.wasm"], names: [], mappings: "AAAA", x_google_ignoreList: [0] });
  const url = Buffer.from(`data:application/json;base64,${Buffer.from(map).toString("base64")}`);
  const leb = (n) => {
    const out = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      out.push(b);
    } while (n !== 0);
    return Buffer.from(out);
  };
  const payload = Buffer.concat([leb(marker.length), marker, leb(url.length), url]);
  fs.writeFileSync(file, Buffer.concat([bytes, Buffer.from([0]), leb(payload.length), payload]));
}

const files = fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, f));
if (mode === "src") {
  const missing = [];
  for (const f of files) {
    if (path.dirname(f) !== path.normalize(dir) || !f.endsWith(".js")) continue;
    if (!mapJs(f, { append: false })) missing.push(path.basename(f));
  }
  // A wrapper file without the comment still works; DevTools just shows its frames.
  if (missing.length) console.error(`js-sourcemaps: no //# sourceMappingURL comment in ${missing.join(", ")}`);
} else {
  for (const f of files) {
    if (f.endsWith(".js") && !f.endsWith(".d.js")) mapJs(f, { append: true });
    else if (f.endsWith(".wasm")) mapWasm(f);
  }
}
