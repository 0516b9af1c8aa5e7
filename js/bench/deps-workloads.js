// The workloads of the dependency experiment (issue 15, docs/dependencies.md): each one
// exercises one place where the Rust side reaches JavaScript — the clock, the console, values
// converted into the core (extra, dictConfig, makeLogRecord) and out of it (the record a filter
// or console extras receive). Shared by Node (deps.js child mode) and Chromium (imported by the
// page). `setup(logging, w, env)` returns `loop(i0, n)`; `measure` times it.

const TEXT_FMT = "%(asctime)s %(name)s %(levelname)s %(message)s";
const fields = (i) => ({ s: "str", n: i, f: 1.5, b: true, o: { k: "v", n: 1 } });

/** The cookbook's recipe 5 configuration (tests/fixtures/dictconfig/recipe_5_console.json). */
export const RECIPE_5 = {
  version: 1,
  disable_existing_loggers: false,
  formatters: { simple: { format: "%(levelname)-8s - %(message)s" } },
  filters: { warnings_and_below: { "()": "__main__.filter_maker", level: "WARNING" } },
  handlers: {
    stdout: { class: "logging.StreamHandler", level: "INFO", formatter: "simple", stream: "ext://sys.stdout", filters: ["warnings_and_below"] },
    stderr: { class: "logging.StreamHandler", level: "ERROR", formatter: "simple", stream: "ext://sys.stderr" },
  },
  root: { level: "DEBUG", handlers: ["stderr", "stdout"] },
};

export const WORKLOADS = {
  W1: "disabled debug('message %d', i), ns/op",
  W2: "info('Message no. %d', i) → text to a callback, records/s",
  W4: "info('event', {extra: 5 fields}) → JSON line to a callback, records/s",
  CON: "ConsoleHandler, text to console.info (replaced by a counter), records/s",
  CONX: "ConsoleHandler({extras: true}), 5 extra fields handed to console.info, records/s",
  FLT: "a filter function receiving the record object (5 extra fields), records/s",
  MLR: "makeLogRecord({...11 attributes, 5 extra fields}), records/s",
  DC: "dictConfig(recipe 5), configurations/s",
};

export const sink = { count: 0, last: "" };
const write = (text) => {
  sink.count++;
  sink.last = text;
};

/** What the console receives, shared by every module instance (the console is global). */
const consoleSink = (globalThis.__depsConsoleSink ??= { count: 0, last: "" });

/** Replaces the console's level methods with a counter (nothing printed). */
function quietConsole() {
  for (const m of ["debug", "info", "warn", "error", "log"]) {
    console[m] = (...args) => {
      consoleSink.count++;
      consoleSink.last = args[1];
    };
  }
}

/** `loop(i0, n)` for workload `w` on `logging` (one variant's package); `loop.sink` counts. */
export function setup(logging, w) {
  return Object.assign(setupLoop(logging, w), { sink: w === "CON" || w === "CONX" ? consoleSink : sink });
}

function setupLoop(logging, w) {
  logging.setCallerInfo(false);
  const app = logging.getLogger(`app${w}`);
  app.propagate = false;
  app.setLevel(w === "W1" ? logging.WARNING : logging.INFO);
  let h;
  switch (w) {
    case "CON":
    case "CONX":
      quietConsole();
      h = new logging.ConsoleHandler(w === "CONX" ? { extras: true } : undefined);
      h.setFormatter(new logging.Formatter(TEXT_FMT));
      break;
    case "W4":
      h = new logging.CallbackHandler(write);
      h.setFormatter(new logging.JsonFormatter({ keys: ["asctime", "name", "levelname", "message"], extra: true }));
      break;
    default:
      h = new logging.CallbackHandler(write);
      h.setFormatter(new logging.Formatter(TEXT_FMT));
  }
  if (w === "FLT") h.addFilter((r) => r.o.n === 1 && r.levelno >= 0);
  app.addHandler(h);
  switch (w) {
    case "W1":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.debug("message %d", i);
      };
    case "W2":
    case "CON":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.info("Message no. %d", i);
      };
    case "W4":
    case "CONX":
    case "FLT":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) app.info("event", { extra: fields(i) });
      };
    case "MLR":
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) {
          const r = logging.makeLogRecord({
            name: "app", msg: "event %d", args: [i], levelname: "INFO", levelno: 20, pathname: "a.js",
            filename: "a.js", module: "a", lineno: 1, funcName: "f", created: 1e9, ...fields(i),
          });
          sink.count += r.o.n;
        }
      };
    case "DC":
      logging.registerFactory("__main__.filter_maker", ({ level }) => {
        const n = logging.getLevelName(level);
        return (record) => record.levelno <= n;
      });
      return (i0, n) => {
        for (let i = i0; i < i0 + n; i++) logging.dictConfig(RECIPE_5);
        sink.count += n;
      };
    default:
      throw new Error(`unknown workload ${w}`);
  }
}

/** Grows a batch size until one batch of `loop` takes about `ms` (and warms it up). */
export function calibrate(loop, ms) {
  let n = 64;
  let i = 0;
  for (;;) {
    const t0 = performance.now();
    loop(i, n);
    i += n;
    if (performance.now() - t0 >= ms) return n;
    n *= 2;
  }
}

/**
 * Times the loops of every variant in turn, `rounds` times (A B C, C B A, A B C, …): the same
 * moment of machine load for each, so the per-round ratios hold even when the load moves.
 * `cpu()` (Node's process.cpuUsage, µs) is used when given, else wall time. Returns per
 * variant the rates per round (records/s, or ns per call for W1).
 */
export function interleave(loops, w, rounds, batchMs, cpu) {
  // dictConfig batches 8× longer: each configuration leaves handlers for the GC, and a major
  // collection inside a short batch decides its rate.
  const ns = loops.map((l) => calibrate(l, w === "DC" ? batchMs * 8 : batchMs));
  const n = Math.min(...ns);
  const clock = cpu ?? (() => performance.now() * 1000);
  const rates = loops.map(() => []);
  let i = 1e6;
  for (let r = 0; r < rounds; r++) {
    const idx = loops.map((_, k) => k);
    if (r % 2) idx.reverse();
    for (const k of idx) {
      const s = loops[k].sink;
      const before = s.count;
      const t0 = clock();
      loops[k](i, n);
      const us = clock() - t0;
      i += n;
      if (w !== "W1" && w !== "MLR" && s.count - before < n) throw new Error(`${w}: ${s.count - before} of ${n} reached the sink`);
      rates[k].push(w === "W1" ? (us * 1000) / n : (n * 1e6) / us);
    }
  }
  return { rates, n, last: loops.map((l) => String(l.sink.last).slice(0, 120)) };
}
