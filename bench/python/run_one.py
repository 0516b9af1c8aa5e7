"""CPython's `logging` side of the comparison harness (issue 6): one workload per process.

    python3.13 bench/python/run_one.py WORKLOAD TARGET_MS

The same protocol as js/bench/compare-child.js: set up, calibrate (also the warm-up: at least
TARGET_MS in all, until a batch takes a quarter of TARGET_MS), time one batch of about
TARGET_MS, print one JSON line {peer, workload, n, ns, nsPerOp, count, sample}. The parent
checks the sample's shape.

CPython used in its fastest idiomatic way (the logging HOWTO's "Optimization" section):
caller location off (`logging._srcfile = None`), no thread / process / multiprocessing /
asyncio-task lookups, and a `Handler` subclass whose `emit` formats the record and hands the
text to an in-process sink. W4/W5 use the cookbook's JSON approach: a `Formatter` subclass
returning `json.dumps({...})` of the record's attributes followed by its extras, and
`LoggerAdapter(logger, {...}, merge_extra=True)` (3.13) for the bound fields.
"""

import json
import logging
import sys
import time

logging._srcfile = None  # noqa: SLF001 -- documented in the HOWTO's optimization table
logging.logThreads = False
logging.logProcesses = False
logging.logMultiprocessing = False
logging.logAsyncioTasks = False

# The attributes every LogRecord has; anything else on a record came from `extra`.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class Sink:
    count = 0
    chars = 0
    sum = 0
    last = ""


class SinkHandler(logging.Handler):
    """Reads the formatted text, as the other peers' sink does (js/bench/peers.js): the
    character from the middle and the length folded into a checksum that is printed."""

    def emit(self, record):
        text = self.format(record)
        n = len(text)
        Sink.count += 1
        Sink.chars += n
        Sink.sum = (Sink.sum * 31 + ord(text[n >> 1]) + n) & 0xFFFFFFFF
        Sink.last = text


class JsonFormatter(logging.Formatter):
    """The cookbook's structured-logging formatter: one JSON object per record."""

    def format(self, record):
        doc = {
            "asctime": self.formatTime(record),
            "name": record.name,
            "levelname": record.levelname,
            "message": record.getMessage(),
        }
        for k, v in record.__dict__.items():
            if k not in _STANDARD:
                doc[k] = v
        return json.dumps(doc)


def fields(i):
    return {"s": "str", "n": i, "f": 1.5, "b": True, "o": {"k": "v", "n": 1}}


def setup(w):
    h = SinkHandler()
    if w in ("W4", "W5"):
        h.setFormatter(JsonFormatter())
    else:
        h.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    app = logging.getLogger("app")
    app.propagate = False
    app.addHandler(h)
    app.setLevel(logging.WARNING if w == "W1" else logging.INFO)

    if w == "W1":
        def run(i0, n):
            debug = app.debug
            for i in range(i0, i0 + n):
                debug("message %d", i)
    elif w == "W2":
        def run(i0, n):
            info = app.info
            for i in range(i0, i0 + n):
                info("Message no. %d", i)
    elif w == "W3":
        http = logging.getLogger("app.net.http")

        def run(i0, n):
            info = http.info
            for i in range(i0, i0 + n):
                info("Message no. %d", i)
    elif w == "W4":
        def run(i0, n):
            info = app.info
            for i in range(i0, i0 + n):
                info("event", extra=fields(i))
    elif w == "W5":
        kwargs = {"merge_extra": True} if sys.version_info >= (3, 13) else {}
        ctx = logging.LoggerAdapter(app, {"user": "ann", "req": 42}, **kwargs)

        def run(i0, n):
            info = ctx.info
            for i in range(i0, i0 + n):
                info("Message no. %d", i)
    else:
        raise SystemExit(f"unknown workload {w}")
    return run


def main():
    w = sys.argv[1]
    target = float(sys.argv[2] if len(sys.argv) > 2 else 500) * 1e6
    run = setup(w)
    now = time.perf_counter_ns
    i = 0
    n = 10_000 if w == "W1" else 200
    warm_start = now()
    while True:
        t0 = now()
        run(i, n)
        i += n
        ns = now() - t0
        if (ns >= target / 4 and now() - warm_start >= target) or n >= 2**31:
            n = max(1, round(n * target / max(ns, 1)))
            break
        n *= 8 if ns < target / 40 else 2
    before = Sink.count
    t0 = now()
    run(i, n)
    ns = now() - t0
    produced = Sink.count - before
    print(json.dumps({
        "peer": "cpython",
        "workload": w,
        "n": n,
        "ns": ns,
        "nsPerOp": ns / n,
        "count": produced,
        "checksum": Sink.sum,
        "sample": Sink.last,
        "version": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
