"""Tagged-JSON values (the format of wire.py) decoded the way a running program builds them:
every str is a new object, except the strings CPython itself shares ('' and one-character
Latin-1 strings are singletons), so that pickle's memo sees what the Rust writer assumes.
json.loads alone would not do: its scanner hands out one object for repeated dict keys.

An "obj" becomes its text ({"t": "obj", "v": "text"}): the Rust writer pickles an object as
its str(). record_of builds a LogRecord from a test case the way the Rust side builds its
own. Shared by the wire_* oracles.
"""
import logging
import time


def fresh(s):
    """A copy of s that is no other object (slicing builds a new str for two or more
    characters; shorter results are CPython's singletons either way)."""
    return (s + ".")[:-1]


def decode(v):
    t = v["t"]
    if t == "none":
        return None
    if t == "bool":
        return bool(v["v"])
    if t == "int":
        return int(v["v"])
    if t == "float":
        return float(v["v"])
    if t in ("str", "obj"):
        return fresh(v["v"])
    if t == "list":
        return [decode(x) for x in v["v"]]
    if t == "tuple":
        return tuple(decode(x) for x in v["v"])
    if t == "dict":
        d = {}
        for k, x in v["v"]:
            d[fresh(k) if isinstance(k, str) else decode(k)] = decode(x)
        return d
    raise ValueError("unknown tag %r" % t)


def record_of(c):
    """A LogRecord from a case of tests/wire_support.rs (`RecordCase`): time.time_ns and
    logging._startTime stand in for the clock; the identity fields, exc_text, extras and a
    formatter's message/asctime are set afterwards, in __dict__ order."""
    real = time.time_ns
    time.time_ns = lambda: c["created_ns"]
    logging._startTime = c["start_ns"]
    try:
        r = logging.LogRecord(fresh(c["name"]), c["levelno"], fresh(c["pathname"]),
                              c["lineno"], decode(c["msg"]),
                              tuple(decode(a) for a in c["args"]), None,
                              fresh(c["func"]),
                              None if c["stack_info"] is None else fresh(c["stack_info"]))
    finally:
        time.time_ns = real
    r.levelname = fresh(c["levelname"])
    r.thread = c["thread"]
    r.threadName = fresh(c["thread_name"])
    r.processName = fresh(c["process_name"])
    r.process = c["process"]
    r.taskName = None
    r.exc_text = None if c["exc_text"] is None else fresh(c["exc_text"])
    for k, v in c["extra"]:
        setattr(r, fresh(k), decode(v))
    if c["message"] is not None:
        r.message = fresh(c["message"])
    if c["asctime"] is not None:
        r.asctime = fresh(c["asctime"])
    return r
