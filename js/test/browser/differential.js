// The differential scenarios (tests/differential/README.md) in JavaScript: replaying one
// through the package's public API, comparing what was printed with what CPython printed,
// and the report. Shared by the Node runner (../differential.test.js, in worker threads) and
// the Chromium page (differential.html); it touches neither the DOM nor Node's modules.
//
// A scenario is "inexpressible" when the API has no way to say something it does. Two kinds:
//   hard  the API lacks the operation (e.g. no way to set logging's start time): the scenario
//         is not run;
//   soft  a value JavaScript cannot spell: a tuple (an array is a list), an integral float
//         (1.0 is the number 1, an int), None / True / False (null / true / false print the
//         JavaScript way, by design). The scenario runs with the nearest JS value; if it
//         still matches CPython it passes, otherwise it counts as inexpressible for that
//         reason (the diff is kept in the report).

/**
 * In Node: generates (or finds current) target/differential/scenarios.jsonl with the
 * reference CPython (tests/differential/build.py) and returns the scenarios, `DIFF_ONLY`
 * (an id prefix) applied. Node's modules are imported here, so a page can load this file.
 */
export async function loadScenarios(repo) {
  const { spawnSync } = await import("node:child_process");
  const fs = await import("node:fs");
  const py = spawnSync("bash", [`${repo}/scripts/python-ref.sh`], { encoding: "utf8" }).stdout.trim();
  if (!py) throw new Error("no reference python (scripts/python-ref.sh)");
  const r = spawnSync(py, [`${repo}/tests/differential/build.py`], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build.py failed:\n${r.stderr}`);
  const only = globalThis.process.env.DIFF_ONLY;
  return fs
    .readFileSync(r.stdout.trim(), "utf8")
    .split("\n")
    .filter((l) => l !== "" && !l.startsWith('{"meta"'))
    .map((l) => JSON.parse(l))
    .filter((s) => only === undefined || s.id.startsWith(only));
}

/** Thrown by the replay for a hard limit of the API. */
export class Inexpressible extends Error {}

/** The soft reasons, in the order a failing scenario is attributed to them. */
export const SOFT = {
  spelling: "JS spelling of None/True/False (null/true/false)",
  tuple: "tuple (JavaScript has only arrays: lists)",
  integral: "integral float (1.0 / -0.0 is a JS integer number: an int)",
};

const INDEX_KEY = /^(0|[1-9]\d*)$/;

/** A tagged value (tests/python/wire.py) as the nearest JavaScript value. */
export function decode(v, soft) {
  switch (v.t) {
    case "none":
      soft.add("spelling");
      return null;
    case "bool":
      soft.add("spelling");
      return Boolean(v.v);
    case "int": {
      if (typeof v.v === "number") return v.v;
      const n = BigInt(v.v);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case "float": {
      const x = v.v === "nan" ? NaN : v.v === "inf" ? Infinity : v.v === "-inf" ? -Infinity : Number(v.v);
      if (Number.isInteger(x) || Object.is(x, -0)) soft.add("integral");
      return x;
    }
    case "str":
      return v.v;
    case "list":
      return v.v.map((x) => decode(x, soft));
    case "tuple":
      soft.add("tuple");
      return v.v.map((x) => decode(x, soft));
    case "dict": {
      const o = {};
      for (const [k, x] of v.v) {
        // Integer-like keys come first in a JS object, whatever the insertion order.
        if (INDEX_KEY.test(k) || k === "__proto__") throw new Inexpressible("dict key that JS objects reorder");
        o[k] = decode(x, soft);
      }
      return o;
    }
    default:
      throw new Error(`unknown tag ${v.t}`);
  }
}

function decodeObject(obj, soft) {
  const o = {};
  for (const [k, v] of Object.entries(obj ?? {})) o[k] = decode(v, soft);
  return o;
}

/** Whether the setup's formats name `field` (in any style). */
export function usesField(s, field) {
  return new RegExp(`[({$]${field}(?![A-Za-z0-9_])`).test(JSON.stringify(s.setup));
}

/** The factories the seed configurations name (tests/fixtures/dictconfig/seed_factories.py). */
function registerSeedFactories(L, out) {
  L.registerFactory("__main__.filter_maker", ({ level }) => {
    const n = L.getLevelName(level);
    return (record) => record.levelno <= n;
  });
  L.registerFactory("project.logging.SpecialFilter", ({ foo }) => (record) => {
    record.special = foo;
    return true;
  });
  class AdminEmailHandler extends L.Handler {
    emit(record) {
      out("stdout", `EMAIL: ${this.format(record)}\n`);
    }
  }
  L.registerFactory("django.utils.log.AdminEmailHandler", () => new AdminEmailHandler());
}

const METHOD_LEVEL = { debug: 10, info: 20, warning: 30, warn: 30, error: 40, exception: 40, critical: 50, fatal: 50 };

/**
 * Replays scenario `s` through `L` (the package's API). `env.mark(phase)` is called before the
 * calls of each phase (-1 setup, i call i, n shutdown); `env.out(stream, text)` is what a
 * custom handler of the seeds writes to `sys.stdout` with. Returns `{refusal, soft}`; throws
 * `Inexpressible` for a hard limit (before anything ran).
 */
export function runScenario(L, s, env) {
  const soft = new Set();
  const need = (what, why) => {
    if (!what) throw new Inexpressible(why);
  };
  const calls = s.calls ?? [];
  // What the API must be able to say, checked before anything runs.
  const clock = s.clock;
  const needsStart = clock.start_ns !== clock.now_ns && usesField(s, "relativeCreated");
  need(!needsStart || typeof L.setStartTime === "function", "logging's start time (relativeCreated)");
  const located = calls.some((c) => c.location !== undefined);
  need(!calls.some((c) => c.msg_object !== undefined) || typeof L.BraceMessage === "function", "message objects");
  need(!located || typeof L.setLogRecordFactory === "function", "call-site location");
  const id = s.identity;
  const numbers = id !== undefined && (usesField(s, "process") || usesField(s, "thread"));
  need(!numbers || typeof L.setLogRecordFactory === "function", "identity: process/thread numbers");
  const names = id ?? { threadName: "MainThread", processName: "MainProcess" };
  const separately = typeof L.setThreadName === "function" && typeof L.setProcessName === "function";
  if (id !== undefined && !separately) {
    need(id.threadName === id.processName, "identity: threadName and processName set separately");
  }
  // wasm-logging/lite (no dictConfig): what its API leaves out, said before anything runs.
  const steps0 = s.setup ?? [];
  const lite = typeof L.dictConfig !== "function";
  if (lite) {
    const styled = (f) => f !== undefined && f !== null && (f.style ?? "%") !== "%";
    need(!steps0.some((st) => st.op === "dictConfig"), "not in wasm-logging/lite: dictConfig");
    need(
      !steps0.some((st) => (st.op === "addHandler" && styled(st.formatter)) || (st.op === "basicConfig" && styled(st.kwargs))),
      "not in wasm-logging/lite: the '{' and '$' styles",
    );
    need(!steps0.some((st) => st.op === "basicConfig" && st.kwargs?.filename), "not in wasm-logging/lite: files");
  }

  L.setFixedTime(BigInt(clock.now_ns), {
    utcOffset: clock.zone.utc_offset,
    zone: clock.zone.name,
    isDst: clock.zone.is_dst,
  });
  if (typeof L.setStartTime === "function") L.setStartTime(BigInt(clock.start_ns));
  if (separately) {
    L.setThreadName(names.threadName);
    L.setProcessName(names.processName);
  } else if (id !== undefined) {
    L.setWorkerName(id.threadName);
  }
  if (id?.taskName !== undefined) L.setTaskName(id.taskName);
  if (typeof L.setStorage === "function" && typeof L.MemoryStorage === "function") {
    // A configuration that should have been refused must not write files.
    L.setStorage(new L.MemoryStorage());
  }
  L.setCallerInfo(false);
  let location = null;
  if (located || numbers) {
    const base = L.getLogRecordFactory();
    L.setLogRecordFactory((name, level, pathname, lineno, msg, args, exc, func, sinfo) => {
      const r =
        location === null
          ? base(name, level, pathname, lineno, msg, args, exc, func, sinfo)
          : base(name, level, location.pathname, location.lineno, msg, args, exc, location.funcName, sinfo);
      if (numbers) {
        r.process = id.process;
        r.thread = id.thread;
      }
      return r;
    });
  }
  if (!lite) registerSeedFactories(L, env.out);

  const logger = (name) => L.getLogger(name);
  const handlers = new Map();
  const adapters = new Map();
  let refusal = null;
  env.mark(-1);
  const steps = s.setup ?? [];
  for (let i = 0; i < steps.length && refusal === null; i++) {
    const st = steps[i];
    try {
      step(L, st, logger, handlers, adapters, soft);
    } catch (e) {
      if (e instanceof Inexpressible) throw e;
      refusal = { step: i, path: typeof e?.path === "string" ? e.path : null, message: String(e?.message ?? e) };
    }
  }
  if (refusal === null) {
    calls.forEach((c, i) => {
      env.mark(i);
      location = c.location ?? null;
      call(L, c, logger, adapters, soft);
      location = null;
    });
    env.mark(calls.length);
    L.shutdown();
  }
  return { refusal, soft };
}

function step(L, st, logger, handlers, adapters, soft) {
  switch (st.op) {
    case "getLogger":
      logger(st.name);
      return;
    case "setLevel":
      logger(st.logger).setLevel(st.level);
      return;
    case "propagate":
      logger(st.logger).propagate = st.value;
      return;
    case "disabled":
      logger(st.logger).disabled = st.value;
      return;
    case "addHandler": {
      const h = new L.StreamHandler(st.stream);
      if (st.level !== undefined) h.setLevel(st.level);
      const f = st.formatter;
      if (f !== undefined) {
        const defaults = f.defaults === undefined ? undefined : decodeObject(f.defaults, soft);
        h.setFormatter(new L.Formatter(f.fmt, f.datefmt, f.style ?? "%", f.validate ?? true, defaults));
      }
      for (const n of st.filters ?? []) h.addFilter(new L.Filter(n));
      logger(st.logger).addHandler(h);
      handlers.set(st.handler, h);
      return;
    }
    case "removeHandler":
      logger(st.logger).removeHandler(handlers.get(st.handler));
      return;
    case "addFilter":
      logger(st.logger).addFilter(new L.Filter(st.name));
      return;
    case "addLevelName":
      L.addLevelName(st.level, st.name);
      return;
    case "disable":
      L.disable(st.level);
      return;
    case "adapter": {
      const target = st.adapter !== undefined ? adapters.get(st.adapter) : logger(st.logger);
      adapters.set(st.id, new L.LoggerAdapter(target, decodeObject(st.extra, soft), st.merge_extra ?? false));
      return;
    }
    case "dictConfig":
      L.dictConfig(structuredClone(st.config));
      return;
    case "basicConfig":
      L.basicConfig({ ...st.kwargs });
      return;
    default:
      throw new Error(`unknown step ${st.op}`);
  }
}

/**
 * A scenario's exception as a JS `Error`: its name and message, a V8 stack whose frames are
 * the scenario's traceback (innermost first, as V8 lists them), and `cause` for the exception
 * it was raised from.
 */
function errorOf(exc) {
  const e = new Error(exc.message);
  e.name = exc.type;
  const frames = [...exc.frames].reverse().map((f) => `    at ${f.name} (${f.filename}:${f.lineno}:1)`);
  e.stack = [`${exc.type}: ${exc.message}`, ...frames].join("\n");
  if (exc.cause !== undefined) e.cause = errorOf(exc.cause);
  return e;
}

function call(L, c, logger, adapters, soft) {
  const target = c.adapter !== undefined ? adapters.get(c.adapter) : logger(c.logger);
  let msg;
  if (c.msg_object !== undefined) {
    const o = c.msg_object;
    const kwargs = decodeObject(o.kwargs, soft);
    // A last plain object is BraceMessage's keyword arguments: always pass one.
    msg =
      o.kind === "brace"
        ? new L.BraceMessage(o.fmt, ...o.args.map((a) => decode(a, soft)), kwargs)
        : new L.DollarMessage(o.fmt, kwargs);
  } else {
    msg = typeof c.msg === "string" ? c.msg : decode(c.msg, soft);
  }
  const args = (c.args ?? []).map((a) => decode(a, soft));
  const opts = {};
  if (c.extra !== undefined) opts.extra = decodeObject(c.extra, soft);
  if (c.exc !== undefined) opts.excInfo = errorOf(c.exc);
  if (Object.keys(opts).length > 0) args.push(opts);
  if (c.method === "log") target.log(c.level, msg, ...args);
  else target[c.method](msg, ...args);
  void METHOD_LEVEL;
}

// ---- comparison ---------------------------------------------------------------------------

/** The quoted names of a CPython message must all appear in the host's (else all of it). */
export function namesSameCulprit(cpython, host) {
  const parts = cpython.split("'");
  const quoted = parts.filter((_, i) => i % 2 === 1);
  if (parts.length >= 3 && quoted.length > 0) return quoted.every((q) => host.includes(q));
  return host.includes(cpython);
}

function coalesce(writes) {
  const out = [];
  for (const [p, s, t] of writes) {
    if (t === "") continue;
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === p && last[1] === s) last[2] += t;
    else out.push([p, s, t]);
  }
  return out;
}

/**
 * Compares with CPython. `observed.writes` are `[phase, stream, text]`; with `fidelity`
 * "ordered" streams and order must match (Node), with "console" only the text in each phase
 * is compared, whatever the stream (the devtools console has levels, not streams; each
 * console message is one line, its terminator dropped). Returns null or the diff.
 */
/** Python's spellings and JavaScript's, pairwise of the same length. */
const SPELLING_PAIRS = [
  ["None", "null"],
  ["True", "true"],
  ["False", "false"],
];

/**
 * Whether `got` is `want` with some None/True/False (or the prefix of one that a precision
 * such as `%.1s` leaves) spelled the JavaScript way: same length, and every character that
 * differs lies in such a spelling at the same place in both.
 */
export function spellingOnly(want, got) {
  if (want.length !== got.length) return false;
  for (let p = 0; p < want.length; p++) {
    if (want[p] === got[p]) continue;
    const explained = SPELLING_PAIRS.some(([py, js]) => {
      for (let o = 0; o < py.length; o++) {
        const q = p - o;
        if (q < 0) break;
        for (let k = o + 1; k <= py.length; k++) {
          if (want.startsWith(py.slice(0, k), q) && got.startsWith(js.slice(0, k), q)) return true;
        }
      }
      return false;
    });
    if (!explained) return false;
  }
  return true;
}

export function compare(s, observed, fidelity, same = (a, b) => a === b) {
  const expect = s.expect;
  let want = expect.output.map(([stream, text, phase, levelno]) => [phase, stream, text, levelno]);
  let got = observed.writes.slice();
  for (const ce of expect.call_errors ?? []) {
    got = got.filter(
      ([p, st, t]) =>
        !(p === ce.call && st !== "stdout" && t.startsWith("--- Logging error ---") && namesSameCulprit(ce.message, t)),
    );
    want = want.filter(([p]) => p !== ce.call);
  }
  const problems = [];
  const e = expect.error;
  const r = observed.refusal;
  if (e === null && r !== null) {
    problems.push(`refused step ${r.step} (${r.path ?? "-"}): ${r.message}`);
  } else if (e !== null && r === null) {
    problems.push(`accepted step ${e.step} which CPython refuses: ${e.type}: ${e.message}`);
  } else if (e !== null && r !== null) {
    const declared = s.setup[e.step].error_path;
    if (r.step !== e.step) problems.push(`refused step ${r.step} but CPython step ${e.step}`);
    if (declared !== undefined && r.path !== null && r.path !== declared) {
      problems.push(`path ${JSON.stringify(r.path)}, want ${JSON.stringify(declared)}`);
    }
    if (!namesSameCulprit(e.cause, r.message) && !namesSameCulprit(e.message, r.message)) {
      problems.push(`message ${JSON.stringify(r.message)} does not name what CPython's does: ${e.cause_type}: ${e.cause}`);
    }
  }
  if (fidelity === "ordered") {
    const w = coalesce(want);
    const g = coalesce(got);
    const n = Math.max(w.length, g.length);
    const lines = [];
    for (let i = 0; i < n; i++) {
      const a = w[i];
      const b = g[i];
      if (a !== undefined && b !== undefined && a[0] === b[0] && a[1] === b[1] && same(a[2], b[2])) continue;
      const show = (x) => (x === undefined ? "(nothing)" : `[${x[0]}] ${x[1]}: ${JSON.stringify(x[2])}`);
      lines.push(`    want ${show(a)}\n    got  ${show(b)}`);
    }
    if (lines.length > 0) problems.push(`output differs:\n${lines.join("\n")}`);
  } else {
    const byPhase = (ws) => {
      const m = new Map();
      for (const [p, , t] of ws) m.set(p, (m.get(p) ?? "") + t);
      return m;
    };
    const w = byPhase(want);
    const g = byPhase(got);
    const phases = [...new Set([...w.keys(), ...g.keys()])].sort((a, b) => a - b);
    const lines = [];
    for (const p of phases) {
      if (!same(w.get(p) ?? "", g.get(p) ?? "")) {
        lines.push(`  phase ${p}:\n    want ${JSON.stringify(w.get(p) ?? "")}\n    got  ${JSON.stringify(g.get(p) ?? "")}`);
      }
    }
    if (lines.length > 0) problems.push(`output differs:\n${lines.join("\n")}`);
    else problems.push(...consoleMethods(want, got));
  }
  return problems.length === 0 ? null : problems.join("\n");
}

/** The devtools console method for a record of `levelno` (the ConsoleHandler rule). */
export function methodFor(levelno) {
  if (levelno >= 40) return "error";
  if (levelno >= 30) return "warn";
  if (levelno >= 20) return "info";
  return "debug";
}

/**
 * With the texts equal, each record must have gone out with the method of its level, and a
 * logging-error report with `console.error`. Writes that are neither (a custom handler's
 * `sys.stdout.write`) take any method. `want` has `[phase, stream, text, levelno]`, `got`
 * `[phase, "console", text, method]`.
 */
function consoleMethods(want, got) {
  const problems = [];
  const phases = new Set(want.map((x) => x[0]));
  for (const p of phases) {
    const w = want.filter((x) => x[0] === p && x[2] !== "");
    const g = got.filter((x) => x[0] === p);
    if (w.length !== g.length) {
      problems.push(`phase ${p}: ${g.length} console messages for ${w.length} writes`);
      continue;
    }
    w.forEach(([, stream, text, levelno], i) => {
      let method = null;
      if (typeof levelno === "number") method = methodFor(levelno);
      else if (stream === "stderr" && text.startsWith("--- Logging error ---")) method = "error";
      if (method !== null && g[i][3] !== method) {
        problems.push(`phase ${p}: console.${g[i][3]} for ${JSON.stringify(text)}, want console.${method}`);
      }
    });
  }
  return problems;
}

/** The outcome of one scenario: "pass", "fail" (with the diff) or "inexpressible" (why). */
export function outcome(s, result, fidelity) {
  if (result.inexpressible !== undefined) return { status: "inexpressible", detail: result.inexpressible, soft: false };
  if (result.crash !== undefined) return { status: "fail", detail: `the replay threw: ${result.crash}` };
  const diff = compare(s, result, fidelity);
  if (diff === null) return { status: "pass", detail: "" };
  if (result.soft.includes("spelling")) {
    // Only the spelling may differ (see `spellingOnly`).
    if (compare(s, result, fidelity, spellingOnly) === null || result.soft.includes("tuple") || result.soft.includes("integral")) {
      return { status: "inexpressible", detail: SOFT.spelling, soft: true, diff };
    }
  }
  for (const k of ["tuple", "integral"]) {
    if (result.soft.includes(k)) return { status: "inexpressible", detail: SOFT[k], soft: true, diff };
  }
  return { status: "fail", detail: diff };
}

/** Counts by family, feature and reason, and the printed report. */
export class Report {
  constructor(host) {
    this.host = host;
    this.rows = [];
  }

  add(s, o) {
    this.rows.push({ id: s.id, family: s.family, features: s.features, ...o });
  }

  count(status, soft = undefined) {
    return this.rows.filter((r) => r.status === status && (soft === undefined || Boolean(r.soft) === soft)).length;
  }

  /** Passing scenarios among the expressible ones, in percent. */
  passRate() {
    const expressible = this.count("pass") + this.count("fail");
    return expressible === 0 ? 100 : (this.count("pass") * 100) / expressible;
  }

  /**
   * Inexpressible scenarios among all, in percent, leaving out those whose only difference is
   * JavaScript's spelling of None/True/False (which the package keeps by design).
   */
  inexpressibleRate() {
    const n = this.rows.filter((r) => r.status === "inexpressible" && r.detail !== SOFT.spelling).length;
    return this.rows.length === 0 ? 0 : (n * 100) / this.rows.length;
  }

  text(show = 10) {
    const out = [];
    const total = this.rows.length;
    out.push(
      `differential (${this.host}): ${total} scenarios: ${this.count("pass")} pass, ${this.count("fail")} fail, ` +
        `${this.count("inexpressible")} inexpressible (${this.count("inexpressible", false)} by the API, ` +
        `${this.count("inexpressible", true)} by JS values)`,
    );
    out.push(
      `  ${this.passRate().toFixed(1)}% of the expressible scenarios pass; ` +
        `${this.inexpressibleRate().toFixed(1)}% of all are inexpressible (JS spelling of None/True/False aside)`,
    );
    const tally = (key) => {
      const m = new Map();
      for (const r of this.rows) {
        for (const k of key(r)) {
          const c = m.get(k) ?? { pass: 0, fail: 0, inexpressible: 0 };
          c[r.status] += 1;
          m.set(k, c);
        }
      }
      return m;
    };
    out.push("  by family (pass/fail/inexpressible):");
    for (const [k, c] of [...tally((r) => [r.family])].sort()) {
      out.push(`    ${k.padEnd(12)} ${c.pass}/${c.fail}/${c.inexpressible}`);
    }
    out.push("  features of failing scenarios (fail of total):");
    const feats = [...tally((r) => r.features)].filter(([, c]) => c.fail > 0).sort((a, b) => b[1].fail - a[1].fail);
    for (const [k, c] of feats.slice(0, 25)) {
      out.push(`    ${k.padEnd(36)} ${c.fail} of ${c.pass + c.fail + c.inexpressible}`);
    }
    out.push("  inexpressible, by reason:");
    const why = new Map();
    for (const r of this.rows.filter((x) => x.status === "inexpressible")) {
      why.set(r.detail, [...(why.get(r.detail) ?? []), r.id]);
    }
    for (const [k, ids] of [...why].sort((a, b) => b[1].length - a[1].length)) {
      out.push(`    ${String(ids.length).padStart(4)}  ${k}  (e.g. ${ids.slice(0, 3).join(", ")})`);
    }
    for (const r of this.rows.filter((x) => x.status === "fail").slice(0, show)) {
      out.push(`  FAIL ${r.id}:\n${r.detail.replace(/^/gm, "    ")}`);
    }
    return out.join("\n");
  }
}
