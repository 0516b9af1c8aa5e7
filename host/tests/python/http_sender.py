"""CPython's own HTTPHandler (and SocketHandler, and NDJSON of makePickle's dict) sending to `wasm-logging serve --http`.

Every record is also formatted locally with the same Formatter, printed on stdout: the
reference for what serve's configuration writes (host/tests/serve_http.rs).

usage: http_sender.py --http PORT [--tcp PORT] --format FMT
"""

import argparse
import http.client
import json
import logging
import logging.handlers
import sys

ap = argparse.ArgumentParser()
ap.add_argument("--http", type=int, required=True)
ap.add_argument("--tcp", type=int)
ap.add_argument("--format", required=True)
opts = ap.parse_args()

local = logging.StreamHandler(sys.stdout)
local.setFormatter(logging.Formatter(opts.format))


def sender(handler):
    log = logging.getLogger("browserish.http")
    log.handlers[:] = [handler, local]
    log.propagate = False
    log.setLevel(logging.DEBUG)
    return log


def get_records():
    log = sender(logging.handlers.HTTPHandler(f"127.0.0.1:{opts.http}", "/log", method="GET"))
    log.debug("GET plain", extra={"user": "-"})
    log.info("GET user %s logged in from %s", "ann", "10.0.0.1", extra={"user": "ann"})
    log.warning("GET %d%% full, %r", 97, "quote's \"here\"", extra={"user": "b"})


def post_records():
    log = sender(logging.handlers.HTTPHandler(f"127.0.0.1:{opts.http}", "/log", method="POST"))
    log.error("POST %(a)s and %(b)d", {"a": "x&y=z", "b": 2}, extra={"user": "c"})
    log.critical("POST unicode %s — %s", "héllo ✓", 1.5, extra={"user": "d"})
    log.info("POST no args, 100%% literal %s", extra={"user": "-"})


class NDJSONHandler(logging.Handler):
    """POSTs each record to /batch as one NDJSON line: the dict `makePickle` pickles, as JSON
    (the browser handlers' contract, docs/browser-transports.md)."""

    def emit(self, record):
        d = dict(record.__dict__)
        d["msg"] = record.getMessage()
        d["args"] = None
        d["exc_info"] = None
        d.pop("message", None)
        body = json.dumps(d) + "\n"
        conn = http.client.HTTPConnection("127.0.0.1", opts.http)
        conn.request("POST", "/batch", body, {"Content-Type": "application/x-ndjson",
                                              "Idempotency-Key": f"py-{record.created}"})
        assert conn.getresponse().status == 200
        conn.close()


def ndjson_records():
    log = sender(NDJSONHandler())
    log.warning("NDJSON %s and %d", "text", 5, extra={"user": "f"})
    log.info("NDJSON unicode %s", "✓ ü", extra={"user": "g"})


def socket_record():
    h = logging.handlers.SocketHandler("127.0.0.1", opts.tcp)
    log = sender(h)
    log.warning("TCP from a WASI-like sender %s", "too", extra={"user": "e"})
    h.close()


def helper_named_func():
    get_records()
    post_records()
    ndjson_records()
    if opts.tcp:
        socket_record()


helper_named_func()
