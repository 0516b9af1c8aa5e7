// Shared test helpers: a fixed clock on both sides, a capturing handler, the CPython oracle,
// and console capture.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import * as logging from "../src/node.js";

export { logging };

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, "../..");

/** 2023-11-14 22:13:20.123456789 UTC, the instant the Rust suites use too. */
export const NS = 1_700_000_000_123_456_789n;

/**
 * Fixes the clock (UTC) and logging's start time at NS, so output is reproducible and
 * comparable with CPython's (whose prelude sets `time.time_ns` and `logging._startTime`).
 */
export function fixTime() {
  logging.setFixedTime(NS, { utcOffset: 0, zone: "UTC" });
  logging.setStartTime(NS);
}

/** A handler collecting formatted lines, with an optional formatter. */
export function collector(formatter) {
  const lines = [];
  const h = new logging.CallbackHandler((text) => lines.push(text));
  if (formatter !== undefined) h.setFormatter(formatter);
  return { handler: h, lines };
}

let pythonExe = null;

/** The reference CPython (3.13 where the image has it), via scripts/python-ref.sh. */
export function pythonPath() {
  if (pythonExe === null) {
    const r = spawnSync("bash", [path.join(REPO, "scripts/python-ref.sh")], { encoding: "utf8" });
    pythonExe = r.stdout.trim();
    if (r.status !== 0 || !pythonExe) throw new Error("no reference python found (scripts/python-ref.sh)");
  }
  return pythonExe;
}

const PRELUDE = `
import json, logging, sys, time, threading, multiprocessing
NS = ${NS}
time.time_ns = lambda: NS
time.time = lambda: NS / 1e9
logging._startTime = NS
out = []
class Capture(logging.Handler):
    def __init__(self, into):
        super().__init__()
        self.into = into
    def emit(self, record):
        self.into.append(self.format(record))
def collector(fmt=None, into=None):
    h = Capture(out if into is None else into)
    if fmt is not None:
        h.setFormatter(fmt)
    return h
`;

/**
 * Runs \`code\` (which appends formatted lines to \`out\`, usually through \`collector()\`
 * handlers) under CPython with the same fixed clock, in UTC, and returns \`out\`.
 */
export function python(code) {
  const src = `${PRELUDE}\n${code}\nsys.stdout.write(json.dumps(out))\n`;
  const r = spawnSync(pythonPath(), ["-c", src], {
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", PYTHONIOENCODING: "utf-8" },
  });
  if (r.status !== 0) throw new Error(`python failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const CONSOLE_METHODS = ["debug", "info", "warn", "error", "log"];

/**
 * Replaces the console methods and `process.stdout.write` / `process.stderr.write` with
 * recorders; returns the restore function. Console calls are recorded as `[method, ...args]`,
 * stream writes as `["stdout" | "stderr", text]`, in order.
 */
export function recordOutput(calls) {
  const saved = CONSOLE_METHODS.map((n) => console[n]);
  for (const n of CONSOLE_METHODS) console[n] = (...args) => calls.push([n, ...args]);
  const writes = [process.stdout.write, process.stderr.write];
  // The package writes text (strings). node:test's child process reports its results to the
  // runner as v8-serialized Buffers on stdout: those pass through, or tests finishing while
  // an async capture is on would vanish from the run's counts (4 of remote.test.js's 11 did).
  const capture = (stream, i) => (chunk, ...rest) =>
    typeof chunk === "string"
      ? calls.push([stream, chunk]) > 0
      : writes[i].call(process[stream], chunk, ...rest);
  process.stdout.write = capture("stdout", 0);
  process.stderr.write = capture("stderr", 1);
  return () => {
    CONSOLE_METHODS.forEach((n, i) => {
      console[n] = saved[i];
    });
    [process.stdout.write, process.stderr.write] = writes;
  };
}

/**
 * Records the console calls and standard-stream writes `fn` makes (see `recordOutput`);
 * returns them.
 */
export function captureConsole(fn) {
  const calls = [];
  const restore = recordOutput(calls);
  try {
    fn();
  } finally {
    restore();
  }
  return calls;
}

/** The same for an async `fn`. */
export async function captureConsoleAsync(fn) {
  const calls = [];
  const restore = recordOutput(calls);
  try {
    await fn();
  } finally {
    restore();
  }
  return calls;
}

/**
 * The logging-error reports (`--- Logging error ---`) among captured calls: written to
 * stderr in Node (as CPython's `handleError` writes to `sys.stderr`), without their final
 * newline.
 */
export function errorReports(calls) {
  return calls
    .filter((c) => (c[0] === "stderr" || c[0] === "error") && typeof c.at(-1) === "string")
    .map((c) => c.at(-1).replace(/\n$/, ""))
    .filter((t) => t.startsWith("--- Logging error ---"));
}

/** What was written to `stream` (`"stdout"` or `"stderr"`) among captured calls, joined. */
export function streamText(calls, stream) {
  return calls
    .filter((c) => c[0] === stream)
    .map((c) => c[1])
    .join("");
}
