// Shared by the Chromium suites: js/ served over HTTP on a free loopback port, and headless
// Debian Chromium driven by puppeteer-core.
import assert from "node:assert/strict";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import puppeteer from "puppeteer-core";

/** The js/ directory, the server's root. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };
const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => fs.existsSync(p));

/**
 * Serves js/ and launches Chromium; `{ cache: true }` makes responses cacheable (pages that
 * load the same modules and .wasm many times); `handle(req, res)` returning true takes a
 * request over. Returns `{ base, browser, close }`.
 */
export async function startChromium({ cache = false, handle = null } = {}) {
  const server = http.createServer((req, res) => {
    // `handle(req, res)` answers requests of its own (a collector on the page's origin).
    if (handle !== null && handle(req, res)) return;
    const file = path.join(ROOT, decodeURIComponent(new URL(req.url, "http://x").pathname));
    if (req.url === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (!file.startsWith(ROOT) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    const headers = { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" };
    if (cache) headers["cache-control"] = "max-age=600";
    res.writeHead(200, headers);
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  assert.ok(CHROMIUM, "no Chromium found (scripts/setup.sh installs Debian's chromium)");
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      server.close();
    },
  };
}
