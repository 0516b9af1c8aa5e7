#!/usr/bin/env python3
"""Reference oracle for tests/json_formatter.rs: the idiomatic JSON formatter recipe.

Reads a JSON array of cases on stdin, prints a JSON array (ensure_ascii) of results:
{"ok": "<formatter.format(record)>"} or {"err": "TypeError: <str(exc)>"}.

Values travel tagged: {"t": "none"}, {"t": "bool", "v": true}, {"t": "int", "v": 12},
{"t": "float", "v": "<repr>"}, {"t": "str", "v": "..."}, {"t": "list" | "tuple", "v": [...]},
{"t": "dict", "v": [[<key>, <value>], ...]} (keys tagged too), {"t": "obj"} (an instance of
class Thing, which json cannot encode).
"""

import json
import logging
import sys
import time

import wire

STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def __init__(self, keys=("asctime", "name", "levelname", "message"), extra=True, datefmt=None):
        super().__init__(datefmt=datefmt)
        self.keys = tuple(keys)
        self.extra = extra

    def format(self, record):
        record.message = record.getMessage()
        if "asctime" in self.keys:
            record.asctime = self.formatTime(record, self.datefmt)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        d = {k: getattr(record, k) for k in self.keys}
        if self.extra:
            d.update((k, v) for k, v in record.__dict__.items() if k not in STANDARD)
        if record.exc_text:
            d["exc_info"] = record.exc_text
        if record.stack_info:
            d["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(d)


class Thing:
    def __repr__(self):
        return "<__main__.Thing object>"


def decode(v):
    return wire.decode(v, lambda _v: Thing())


def run_case(c):
    ct = int(c["created_ns"])
    time.time_ns = lambda: ct
    logging._startTime = int(c["start_ns"])
    exc_info = None
    if c.get("exc") is not None:
        exc = ValueError(c["exc"])
        exc_info = (ValueError, exc, None)
    record = logging.LogRecord(
        c["name"], c["levelno"], c["pathname"], c["lineno"], decode(c["msg"]),
        tuple(decode(a) for a in c["args"]), exc_info=exc_info, func=c["func"],
        sinfo=c.get("stack_info"),
    )
    record.levelname = c["levelname"]
    record.thread = 123
    record.threadName = "MainThread"
    record.process = 4242
    record.processName = "MainProcess"
    record.taskName = None
    if c.get("exc_text") is not None:
        record.exc_text = c["exc_text"]
    for k, v in c["extra"]:
        setattr(record, k, decode(v))
    try:
        f = JsonFormatter(c["keys"], c["extra_on"], c["datefmt"])
        if c["utc"]:
            f.converter = time.gmtime
        return {"ok": f.format(record)}
    except Exception as e:  # noqa: BLE001 - every error is a result to compare
        return {"err": "%s: %s" % (type(e).__name__, e)}


def main():
    cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    results = []
    for c in cases:
        try:
            results.append(run_case(c))
        except Exception as e:  # noqa: BLE001
            results.append({"err": "ORACLE-HARNESS %s: %s" % (type(e).__name__, e)})
    sys.stdout.write(json.dumps(results, ensure_ascii=True))


if __name__ == "__main__":
    main()
