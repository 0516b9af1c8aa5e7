#!/usr/bin/env python3
"""Reference oracle for tests/formatter_differential.rs.

Reads a JSON array of cases on stdin and prints a JSON array of results, one per case:

    {"ok": "<formatted text>"}            formatter.format(record) returned
    {"err": "ValueError: <str(exc)>"}     Formatter(...) or format(...) raised
    plus "tm": {"gmtoff": int, "zone": str, "isdst": int} (or null): time.localtime's view
    of floor(record.created) in this process's TZ, which the Rust side installs as the
    host's fixed local offset; and "attrs": the record's created / msecs / relativeCreated
    (as reprs), filename, module, and formatTime(record, datefmt or '%Y-%m-%d %H:%M:%S').

Every case is run with CPython's real `logging`: a `LogRecord` whose time is fixed by
monkeypatching `time.time_ns` (and `logging._startTime`) before it is constructed, so
`created`, `msecs` and `relativeCreated` are computed exactly as this interpreter computes
them; the identity attributes (`thread`, `threadName`, `process`, `processName`, `taskName`)
are then overwritten with the case's values, `extra` attributes are added, and a
`logging.Formatter(fmt, datefmt, style, validate, defaults=...)` formats it.

Usage: formatter_oracle.py [--tz POSIX-TZ]   (one process per time zone)

Values travel as tagged JSON: {"t": "none"}, {"t": "bool", "v": true},
{"t": "int", "v": 12}, {"t": "float", "v": "<repr>"} (so nan, inf and -0.0 survive),
{"t": "str", "v": "..."}, {"t": "list" | "tuple", "v": [...]},
{"t": "dict", "v": [["key", <value>], ...]} (string keys, in order).

Exceptions ("exc") are real: the case carries Python source that raises and catches one
(`_exc`), compiled under a chosen file name whose lines are put into `linecache` (unless
"register" is false), so `traceback` renders genuine frames and source lines; chaining
(`__cause__` / `__context__`) and notes are attached afterwards.
"""

import json
import linecache
import logging
import math
import os
import sys
import time

import wire

_real_time_ns = time.time_ns
_real_time = time.time


def decode(v):
    return wire.decode(v)


def build_exception(spec):
    """A real exception with a traceback from exec-ing spec["source"] as spec["file"]."""
    source = spec["source"]
    filename = spec["file"]
    if spec.get("register", True):
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    else:
        linecache.cache.pop(filename, None)
    ns = {"__name__": "__main__"}
    exec(compile(source, filename, "exec"), ns)
    exc = ns["_exc"]
    for note in spec.get("notes", []):
        exc.add_note(note)
    chained = spec.get("chained")
    if chained is not None:
        earlier = build_exception(chained["exc"])
        if chained["how"] == "cause":
            exc.__cause__ = earlier
            exc.__suppress_context__ = True
        else:
            exc.__cause__ = None
            exc.__context__ = earlier
            exc.__suppress_context__ = False
    else:
        exc.__cause__ = None
        exc.__context__ = None
    return exc


def local_tm(created):
    try:
        tm = time.localtime(math.floor(created))
    except (OverflowError, OSError, ValueError):
        return None
    return {"gmtoff": tm.tm_gmtoff, "zone": tm.tm_zone, "isdst": tm.tm_isdst}


def record_attrs(c, record):
    """The record's computed attributes and formatTime's strftime, which the Rust side
    checks on their own (they don't go through %-formatting)."""
    attrs = {
        "created": repr(record.created),
        "msecs": repr(record.msecs),
        "relativeCreated": repr(record.relativeCreated),
        "filename": record.filename,
        "module": record.module,
    }
    try:
        f = logging.Formatter()
        if c["utc"]:
            f.converter = time.gmtime
        attrs["time"] = f.formatTime(record, c["datefmt"] or "%Y-%m-%d %H:%M:%S")
    except Exception as e:  # noqa: BLE001
        attrs["time"] = "%s: %s" % (type(e).__name__, e)
    return attrs


def run_case(c):
    ct = int(c["created_ns"])
    # LogRecord.__init__ reads time.time_ns() (3.13) or time.time() (older) when it is
    # constructed, and relativeCreated is relative to logging._startTime.
    time.time_ns = lambda: ct
    time.time = lambda: ct / 1e9
    if sys.version_info >= (3, 13):
        logging._startTime = int(c["start_ns"])
    else:  # pre-3.13 logging keeps _startTime as float seconds
        logging._startTime = int(c["start_ns"]) / 1e9
    exc_info = None
    try:
        if c.get("exc") is not None:
            exc = build_exception(c["exc"])
            exc_info = (type(exc), exc, exc.__traceback__)
        record = logging.LogRecord(
            c["name"],
            c["levelno"],
            c["pathname"],
            c["lineno"],
            decode(c["msg"]),
            tuple(decode(a) for a in c["args"]),
            exc_info=exc_info,
            func=c["func"],
            sinfo=c.get("stack_info"),
        )
    finally:
        time.time_ns = _real_time_ns
        time.time = _real_time
    record.levelname = c["levelname"]
    record.thread = c["thread"]
    record.threadName = c["threadName"]
    record.process = c["process"]
    record.processName = c["processName"]
    record.taskName = c["taskName"]
    if c.get("exc_text") is not None:
        record.exc_text = c["exc_text"]
    for k, v in c["extra"]:
        setattr(record, k, decode(v))
    tm = local_tm(record.created)
    attrs = record_attrs(c, record)
    try:
        defaults = {k: decode(v) for k, v in c["defaults"]} if c["defaults"] else None
        formatter = logging.Formatter(
            c["fmt"], c["datefmt"], c["style"], c["validate"], defaults=defaults
        )
        if c["utc"]:
            formatter.converter = time.gmtime
        return {"ok": formatter.format(record), "tm": tm, "attrs": attrs}
    except Exception as e:  # noqa: BLE001 - every error is a result to compare
        return {"err": "%s: %s" % (type(e).__name__, e), "tm": tm, "attrs": attrs}


def main():
    args = sys.argv[1:]
    if len(args) == 2 and args[0] == "--tz":
        os.environ["TZ"] = args[1]
        time.tzset()
    elif args:
        sys.exit("usage: formatter_oracle.py [--tz POSIX-TZ] < cases.json")
    cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    results = []
    for c in cases:
        try:
            results.append(run_case(c))
        except Exception as e:  # a harness problem, reported as such
            results.append({"err": "ORACLE-HARNESS %s: %s" % (type(e).__name__, e), "tm": None})
    # ensure_ascii: a lone surrogate (e.g. from '%c' % 0xd800) survives as an escape.
    sys.stdout.write(json.dumps(results, ensure_ascii=True))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
