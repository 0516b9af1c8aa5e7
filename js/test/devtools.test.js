// Which frame Chrome DevTools attributes a console message to. DevTools links a message to the
// first frame of its stack that is not ignore-listed, and ignore-lists a frame whose script's
// source map maps that position into a source named in `x_google_ignoreList`. Headless
// Chromium has no DevTools front end, so this test does its part: it takes each message's
// stack from the CDP (`Runtime.consoleAPICalled`) and each script's source map URL
// (`Debugger.scriptParsed`), reads the maps the package ships (scripts/js-sourcemaps.mjs:
// the wrapper's sources, the wasm-bindgen glue, and the .wasm's sourceMappingURL section),
// and requires the attributed frame to be the page's own log call, for the default browser
// entry (the .wasm inlined) and the web entry (the .wasm fetched).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startChromium } from "./chromium.js";

let chromium;
before(async () => {
  chromium = await startChromium();
});
after(() => chromium?.close());

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Source map v3 `mappings` as lines of segments `[column, source]` (names and lines left out). */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  for (const line of mappings.split(";")) {
    const segments = [];
    let column = 0;
    for (const seg of line.split(",")) {
      if (seg === "") continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const ch of seg) {
        const digit = B64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
        } else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) source += values[1];
      segments.push([column, values.length > 1 ? source : -1]);
    }
    lines.push(segments);
  }
  return lines;
}

async function loadMap(url) {
  if (url.startsWith("data:")) return JSON.parse(Buffer.from(url.slice(url.indexOf(",") + 1), "base64").toString("utf8"));
  const res = await fetch(url);
  return res.ok ? res.json() : null;
}

/** Whether DevTools would ignore-list this frame (its position maps into an ignored source). */
async function ignored(frame, script, maps) {
  if (!script?.sourceMapURL) return false;
  const url = new URL(script.sourceMapURL, script.url.startsWith("http") ? script.url : undefined).href;
  if (!maps.has(url)) {
    const map = await loadMap(url);
    maps.set(url, map && { ignore: new Set(map.x_google_ignoreList ?? []), lines: decodeMappings(map.mappings) });
  }
  const map = maps.get(url);
  if (!map) return false;
  // The last segment at or before the column on the frame's line.
  const segment = (map.lines[frame.lineNumber] ?? []).filter(([col]) => col <= frame.columnNumber).pop();
  return segment !== undefined && map.ignore.has(segment[1]);
}

async function attributed(entry) {
  const page = await chromium.browser.newPage();
  const cdp = await page.createCDPSession();
  const scripts = new Map();
  const messages = [];
  cdp.on("Debugger.scriptParsed", (e) => scripts.set(e.scriptId, e));
  cdp.on("Runtime.consoleAPICalled", (e) => messages.push(e));
  await cdp.send("Debugger.enable");
  await cdp.send("Runtime.enable");
  try {
    await page.goto(`${chromium.base}/test/browser/devtools.html?entry=${entry}`);
    await page.waitForFunction(() => globalThis.__done === true, { timeout: 20000 });
    const maps = new Map();
    const out = [];
    for (const m of messages) {
      const frames = m.stackTrace?.callFrames ?? [];
      let first = null;
      for (const f of frames) {
        if (!(await ignored(f, scripts.get(f.scriptId), maps))) {
          first = f;
          break;
        }
      }
      const where = (f) => f && `${new URL(f.url).pathname}:${f.lineNumber + 1}`;
      out.push({ text: m.args.map((a) => a.value).join(" "), top: where(frames[0]), at: where(first), depth: frames.indexOf(first) });
    }
    return out;
  } finally {
    await page.close();
  }
}

for (const entry of ["browser", "web"]) {
  test(`DevTools attributes each console message to the user's line (${entry} entry)`, async () => {
    const got = await attributed(entry);
    const page = "/test/browser/devtools.html";
    assert.deepEqual(
      got.map(({ text, at }) => [text, at]),
      [
        ["%s WARNING:ui:clicked save", `${page}:12`],
        ["%s INFO:root:root function", `${page}:13`],
        ["%s ERROR:ui:adapted", `${page}:14`],
      ],
    );
    // Without the maps the link would be the package's glue, many frames above the user's.
    for (const { top, depth } of got) {
      assert.match(top, /\/pkg\/.*\.js:\d+$/);
      assert.ok(depth >= 8, `the user's frame was only #${depth}`);
    }
  });
}
