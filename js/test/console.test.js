// ConsoleHandler in Node: level → console.debug/info/warn/error, '%s' so the text is never
// read as console directives, optional %c styles and extras; and the standard streams
// (basicConfig's handler, lastResort, handleError) writing exactly what CPython's
// StreamHandler writes to stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { logging, fixTime, python, captureConsole, errorReports, streamText } from "./helpers.js";

fixTime();

function consoleLogger(name, options) {
  const l = logging.getLogger(name);
  l.propagate = false;
  l.setLevel(1);
  const h = new logging.ConsoleHandler(options);
  h.setFormatter(new logging.Formatter("%(levelname)s:%(message)s"));
  l.addHandler(h);
  return l;
}

test("each level goes to its console method, one call per record", () => {
  const l = consoleLogger("c1");
  logging.addLevelName(25, "NOTICE");
  logging.addLevelName(5, "TRACE");
  const calls = captureConsole(() => {
    l.log(5, "trace");
    l.debug("debug");
    l.info("info");
    l.log(25, "notice");
    l.warning("warning");
    l.error("error");
    l.exception("exception");
    l.critical("critical");
  });
  assert.deepEqual(calls, [
    ["debug", "%s", "TRACE:trace"],
    ["debug", "%s", "DEBUG:debug"],
    ["info", "%s", "INFO:info"],
    ["info", "%s", "NOTICE:notice"],
    ["warn", "%s", "WARNING:warning"],
    ["error", "%s", "ERROR:error"],
    ["error", "%s", "ERROR:exception"],
    ["error", "%s", "CRITICAL:critical"],
  ]);
});

test("percent signs reach the console as text, not as console format directives", () => {
  const l = consoleLogger("c2");
  const calls = captureConsole(() => l.warning("100%% of %s %%c %%o", "50%d"));
  assert.deepEqual(calls, [["warn", "%s", "WARNING:100% of 50%d %c %o"]]);
});

test("styles: %c with the level's CSS; extras: the record's extra fields as an object", () => {
  const l = consoleLogger("c3", { styles: { DEBUG: "color: gray", WARNING: "color: orange", 40: "color: red" }, extras: true });
  const calls = captureConsole(() => {
    l.debug("d");
    l.info("i");
    l.warning("w", { extra: { user: "ann", n: 3 } });
    l.critical("c");
  });
  assert.deepEqual(calls, [
    ["debug", "%c%s", "color: gray", "DEBUG:d"],
    ["info", "%c%s", "color: gray", "INFO:i"],
    ["warn", "%c%s", "color: orange", "WARNING:w", { user: "ann", n: 3 }],
    ["error", "%c%s", "color: red", "CRITICAL:c"],
  ]);
  const d = consoleLogger("c3b", { styles: true });
  const [[method, fmt, css, text]] = captureConsole(() => d.error("x"));
  assert.deepEqual([method, fmt, text], ["error", "%c%s", "ERROR:x"]);
  assert.match(css, /bold/);
  assert.throws(() => new logging.ConsoleHandler({ styles: { LOUD: "x" } }), TypeError);
  assert.throws(() => new logging.ConsoleHandler("stdnowhere"), TypeError);
});

test("basicConfig's stderr output equals what CPython's StreamHandler writes, every level on stderr", () => {
  const calls = captureConsole(() => {
    logging.basicConfig({
      level: logging.DEBUG,
      format: "%(asctime)s %(levelname)-8s %(name)s: %(message)s",
      datefmt: "%d/%m/%Y %H:%M:%S",
      force: true,
    });
    const l = logging.getLogger("c4.app");
    l.debug("debug %s", "msg");
    l.info("info");
    l.warning("warn %d", 1);
    logging.getLogger().error("from root");
  });
  const want = python(`
import io
buf = io.StringIO()
logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(levelname)-8s %(name)s: %(message)s", datefmt="%d/%m/%Y %H:%M:%S", stream=buf, force=True)
l = logging.getLogger("c4.app")
l.debug("debug %s", "msg")
l.info("info")
l.warning("warn %d", 1)
logging.getLogger().error("from root")
out.append(buf.getvalue())
`);
  assert.deepEqual([streamText(calls, "stderr")], want);
  assert.deepEqual(calls.map((c) => c[0]), ["stderr", "stderr", "stderr", "stderr"]);
  logging.basicConfig({ level: logging.WARNING, handlers: [new logging.NullHandler()], force: true });
});

test("lastResort: with no handler anywhere, WARNING and above reach stderr bare", () => {
  logging.basicConfig({ handlers: [], force: true });
  const root = logging.getLogger();
  for (const h of root.handlers) root.removeHandler(h);
  const l = logging.getLogger("c5");
  const calls = captureConsole(() => {
    l.info("not shown");
    l.warning("last %s", "resort");
  });
  assert.deepEqual(calls, [["stderr", "last resort\n"]]);
});

test("a console that throws is reported through handleError, and logging goes on", () => {
  const l = consoleLogger("c6");
  const saved = console.info;
  let errors;
  try {
    errors = errorReports(
      captureConsole(() => {
        console.info = () => {
          throw new Error("console broke");
        };
        l.info("lost");
      }),
    );
  } finally {
    console.info = saved;
  }
  assert.equal(errors.length, 1);
  assert.match(errors[0], /^--- Logging error ---\nOSError: the console threw while writing a record\nMessage: 'lost'/);
  const calls = captureConsole(() => l.info("fine"));
  assert.deepEqual(calls, [["info", "%s", "INFO:fine"]]);
});
