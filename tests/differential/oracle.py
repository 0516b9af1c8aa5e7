"""Runs every scenario in CPython (3.13: scripts/python-ref.sh) and records what it prints.

`oracle.py < scenarios.jsonl > expected.jsonl`: each scenario runs in a forked child, so each
starts from a fresh `logging` module, with

* a fixed clock: `time.time_ns` / `time.time` return `clock.now_ns`, `logging._startTime` is
  `clock.start_ns`, and `TZ` is `clock.tz` (the local offset, zone name and DST flag at that
  instant are written back into `clock.zone` for hosts that take a fixed zone);
* the caller fixed: `Logger.findCaller` returns the call's `location`, or CPython's own
  "(unknown file)", 0, "(unknown function)" when it has none;
* the identity fixed, when the scenario has one: a record factory sets `process`, `thread`,
  `threadName`, `processName` and, if given, `taskName`;
* `sys.stdout` / `sys.stderr` replaced by recorders installed before any configuration
  (so `ext://sys.stdout`, `StreamHandler(sys.stderr)` and lastResort all write to them): each
  write is kept as [stream, text, phase, levelno], phase -1 for the setup, i for call i and
  len(calls) for the final `logging.shutdown()`, levelno the level of the record a
  StreamHandler wrote (null for any other write);
* `Handler.handleError` condensed to what the project's cores print (no traceback, which a
  Wasm host cannot reproduce): `--- Logging error ---`, the exception line, `Message: %r`,
  `Arguments: %s`.

A setup step that raises ends the scenario: `expect.error` holds the step, the exception's
type and message, and its innermost cause's (dictConfig wraps the real reason in
"Unable to configure handler 'h'"). A log call that raises (an `extra` key that clashes with
a record attribute) is recorded in `expect.call_errors` and the scenario goes on.
"""

import builtins
import copy
import gc
import json
import os
import sys
import time
import traceback
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tests", "python"))

import logging  # noqa: E402
import logging.config  # noqa: E402
import logging.handlers  # noqa: E402

from wire import decode  # noqa: E402

FACTORIES = os.path.join(REPO, "tests", "fixtures", "dictconfig", "seed_factories.py")


class BraceMessage:
    """The cookbook's (recipe 14)."""

    def __init__(self, fmt, /, *args, **kwargs):
        self.fmt = fmt
        self.args = args
        self.kwargs = kwargs

    def __str__(self):
        return self.fmt.format(*self.args, **self.kwargs)


class DollarMessage:
    """The cookbook's (recipe 14)."""

    def __init__(self, fmt, /, **kwargs):
        self.fmt = fmt
        self.kwargs = kwargs

    def __str__(self):
        from string import Template
        return Template(self.fmt).substitute(**self.kwargs)


def raised(exc):
    """The exception an `exc` describes, raised through its frames: each frame is a function
    compiled under the frame's file name with its call (or raise) on the frame's line; the
    outermost catches, so the traceback holds exactly these frames. With no frames, an
    exception that was never raised (no traceback). `cause` is raised first and chained."""
    cls = getattr(builtins, exc["type"])
    cause = raised(exc["cause"]) if "cause" in exc else None
    frames = exc["frames"]
    if not frames:
        e = cls(exc["message"])
        if cause is not None:
            e.__cause__ = cause
        return e
    env = {"__cls": cls, "__msg": exc["message"], "__cause": cause}
    last = len(frames) - 1
    for i in reversed(range(len(frames))):
        f = frames[i]
        act = ("raise __cls(__msg) from __cause" if cause is not None else "raise __cls(__msg)"
               ) if i == last else "return __f%d()" % (i + 1)
        if i == 0:
            body = "def __f0():\n    try:\n        %s\n    except BaseException as e:\n        return e\n" % act
            pad = f["lineno"] - 3
        else:
            body = "def __f%d():\n    %s\n" % (i, act)
            pad = f["lineno"] - 2
        exec(compile("\n" * pad + body, f["filename"], "exec"), env)
        fn = env["__f%d" % i]
        fn.__code__ = fn.__code__.replace(co_name=f["name"], co_qualname=f["name"])
    return env["__f0"]()


def innermost(e):
    while True:
        nxt = e.__cause__ or e.__context__
        if nxt is None:
            return e
        e = nxt


class Recorder:
    def __init__(self, name, out, phase, level):
        self.name = name
        self.out = out
        self.phase = phase
        self.level = level

    def write(self, text):
        self.out.append([self.name, text, self.phase[0], self.level[0]])
        return len(text)

    def flush(self):
        pass


def run(s):
    clock = s["clock"]
    os.environ["TZ"] = clock["tz"]
    time.tzset()
    now, start = int(clock["now_ns"]), int(clock["start_ns"])
    lt = time.localtime(now / 1e9)
    zone = {"utc_offset": lt.tm_gmtoff, "name": lt.tm_zone, "is_dst": bool(lt.tm_isdst)}
    time.time_ns = lambda: now
    time.time = lambda: now / 1e9
    logging._startTime = start

    # `Logger.warn` is deprecated: its DeprecationWarning is Python's, not logging's output.
    warnings.simplefilter("ignore")
    out = []
    phase = [-1]
    # The level of the record a StreamHandler is writing (None for other writes): a page
    # shows each record with the console method of its level.
    level = [None]
    sys.stdout = Recorder("stdout", out, phase, level)
    sys.stderr = Recorder("stderr", out, phase, level)
    dynamic = set()
    stream_emit = logging.StreamHandler.emit

    def emit(self, record):
        level[0] = record.levelno
        try:
            stream_emit(self, record)
        finally:
            level[0] = None

    logging.StreamHandler.emit = emit

    def handle_error(self, record):
        t, v, _ = sys.exc_info()
        dynamic.add("logging-error")
        level[0] = None
        if logging.raiseExceptions and sys.stderr:
            line = traceback.format_exception_only(t, v)[-1]
            try:
                tail = "Message: %r\nArguments: %s\n" % (record.msg, record.args)
            except Exception:
                tail = "Unable to print the message and arguments - possible formatting error.\n"
            sys.stderr.write("--- Logging error ---\n" + line + tail)

    logging.Handler.handleError = handle_error
    last_emit = logging.lastResort.emit

    def last_resort_emit(record):
        dynamic.add("lastResort")
        last_emit(record)

    logging.lastResort.emit = last_resort_emit

    location = [None]

    def find_caller(self, stack_info=False, stacklevel=1):
        loc = location[0]
        if loc is None:
            return "(unknown file)", 0, "(unknown function)", None
        return loc["pathname"], loc["lineno"], loc["funcName"], None

    logging.Logger.findCaller = find_caller

    ident = s.get("identity")
    if ident is not None:
        base_factory = logging.getLogRecordFactory()

        def factory(*a, **k):
            rec = base_factory(*a, **k)
            rec.process = ident["process"]
            rec.thread = ident["thread"]
            rec.threadName = ident["threadName"]
            rec.processName = ident["processName"]
            if "taskName" in ident:
                rec.taskName = ident["taskName"]
            return rec

        logging.setLogRecordFactory(factory)

    exec(compile(open(FACTORIES).read(), FACTORIES, "exec"), {"__name__": "seed_factories"})

    handlers = {}
    adapters = {}
    error = None
    for i, st in enumerate(s["setup"]):
        try:
            step(st, handlers, adapters)
            # A configured handler no logger holds lives on in CPython until the cycle
            # collector runs (dictConfig's converting dicts form cycles); the cores drop it at
            # once. Collecting here makes CPython's answer the deterministic one.
            gc.collect()
        except Exception as e:  # the step is refused: the scenario ends here
            inner = innermost(e)
            error = {"step": i, "type": type(e).__name__, "message": str(e),
                     "cause_type": type(inner).__name__, "cause": str(inner)}
            if isinstance(inner, KeyError) and inner.args:
                error["cause"] = str(inner.args[0])
            break
    call_errors = []
    if error is None:
        for i, c in enumerate(s["calls"]):
            phase[0] = i
            location[0] = c.get("location")
            try:
                call(c, adapters)
            except Exception as e:
                msg = e.args[0] if isinstance(e, KeyError) and e.args else str(e)
                call_errors.append({"call": i, "type": type(e).__name__, "message": msg})
        phase[0] = len(s["calls"])
        location[0] = None
        logging.shutdown()
    expect = {"output": out, "error": error, "call_errors": call_errors}
    declared = [st.get("error_path") for st in s["setup"] if "error_path" in st]
    if declared and error is None:
        dynamic.add("invalid:accepted-by-cpython")
    return zone, expect, sorted(dynamic)


def level_arg(v):
    return v


def step(st, handlers, adapters):
    op = st["op"]
    if op == "getLogger":
        logging.getLogger(st["name"])
    elif op == "setLevel":
        logging.getLogger(st["logger"]).setLevel(level_arg(st["level"]))
    elif op == "propagate":
        logging.getLogger(st["logger"]).propagate = st["value"]
    elif op == "disabled":
        logging.getLogger(st["logger"]).disabled = st["value"]
    elif op == "addHandler":
        h = logging.StreamHandler(sys.stdout if st["stream"] == "stdout" else sys.stderr)
        if "level" in st:
            h.setLevel(st["level"])
        f = st.get("formatter")
        if f is not None:
            defaults = None
            if "defaults" in f:
                defaults = {k: decode(v) for k, v in f["defaults"].items()}
            h.setFormatter(logging.Formatter(f.get("fmt"), f.get("datefmt"), f.get("style", "%"),
                                             f.get("validate", True), defaults=defaults))
        for name in st.get("filters", []):
            h.addFilter(logging.Filter(name))
        logging.getLogger(st["logger"]).addHandler(h)
        handlers[st["handler"]] = h
    elif op == "removeHandler":
        logging.getLogger(st["logger"]).removeHandler(handlers[st["handler"]])
    elif op == "addFilter":
        logging.getLogger(st["logger"]).addFilter(logging.Filter(st["name"]))
    elif op == "addLevelName":
        logging.addLevelName(st["level"], st["name"])
    elif op == "disable":
        logging.disable(st["level"])
    elif op == "adapter":
        target = adapters[st["adapter"]] if "adapter" in st else logging.getLogger(st["logger"])
        extra = {k: decode(v) for k, v in st.get("extra", {}).items()}
        adapters[st["id"]] = logging.LoggerAdapter(target, extra,
                                                   merge_extra=st.get("merge_extra", False))
    elif op == "dictConfig":
        logging.config.dictConfig(copy.deepcopy(st["config"]))
    elif op == "basicConfig":
        kw = dict(st["kwargs"])
        if "stream" in kw:
            kw["stream"] = sys.stdout if kw["stream"] == "stdout" else sys.stderr
        logging.basicConfig(**kw)
    else:
        raise AssertionError("unknown step %r" % op)


def call(c, adapters):
    target = adapters[c["adapter"]] if "adapter" in c else logging.getLogger(c["logger"])
    if "msg_object" in c:
        o = c["msg_object"]
        kwargs = {k: decode(v) for k, v in o["kwargs"].items()}
        if o["kind"] == "brace":
            msg = BraceMessage(o["fmt"], *[decode(a) for a in o["args"]], **kwargs)
        else:
            msg = DollarMessage(o["fmt"], **kwargs)
    else:
        msg = c["msg"]
    if isinstance(msg, dict):
        msg = decode(msg)
    args = [decode(a) for a in c.get("args", [])]
    kw = {}
    if "extra" in c:
        kw["extra"] = {k: decode(v) for k, v in c["extra"].items()}
    if "exc" in c:
        e = raised(c["exc"])
        kw["exc_info"] = (type(e), e, e.__traceback__)
    m = c["method"]
    if m == "log":
        target.log(c["level"], msg, *args, **kw)
    else:
        getattr(target, m)(msg, *args, **kw)


def main():
    for line in sys.stdin:
        s = json.loads(line)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                result = run(s)
                data = json.dumps(result, ensure_ascii=False).encode()
            except BaseException:
                data = json.dumps({"oracle_failure": traceback.format_exc()}).encode()
            with os.fdopen(w, "wb") as f:
                f.write(data)
            os._exit(0)
        os.close(w)
        with os.fdopen(r, "rb") as f:
            data = f.read()
        os.waitpid(pid, 0)
        result = json.loads(data)
        if isinstance(result, dict):
            raise SystemExit("oracle failed on %s:\n%s" % (s["id"], result["oracle_failure"]))
        zone, expect, dynamic = result
        s["clock"]["zone"] = zone
        s["expect"] = expect
        s["features"] = sorted(set(s["features"]) | set(dynamic))
        sys.stdout.write(json.dumps(s, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
