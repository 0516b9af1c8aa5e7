#!/usr/bin/env python3
"""Replays tests/fixtures/remote/calls.json through one of CPython's own network handlers.

    cpython_sender.py --kind KIND --host 127.0.0.1 --port P [--calls calls.json]
                      [--url /log] [--format FMT] [--interval S] [--timeout S]

KIND is one of
  socket            logging.handlers.SocketHandler(host, port)           (TCP, length + pickle)
  datagram          logging.handlers.DatagramHandler(host, port)         (UDP, same frames)
  syslog-udp        SysLogHandler((host, port), facility=LOG_USER, socktype=SOCK_DGRAM)
  syslog-tcp        SysLogHandler((host, port), facility=LOG_USER, socktype=SOCK_STREAM)
  http-get          HTTPHandler("host:port", url, method="GET")
  http-post         HTTPHandler("host:port", url, method="POST")
  socket-forbidden  not a handler run: on ONE TCP connection, a valid SocketHandler frame,
                    then a frame (correct length prefix) whose pickle calls a global through
                    GLOBAL 'builtins print' + REDUCE (protocol 1), then another valid
                    frame; see below.

The handler is attached to the root logger, the root level is set to DEBUG (as in the
cookbook's client), each call {"logger", "level", "msg", "args", "extra"} becomes
`logging.getLogger(logger).log(level, msg, *args, extra=extra)` ("" is the root logger), then
the handler is closed.  So calls below DEBUG (level 5 in calls.json) are never sent.  No
formatter is set unless --format is given (SocketHandler/DatagramHandler ignore it anyway;
SysLogHandler then sends "<PRI>" + message + "\\0"; HTTPHandler sends the urlencoded record
__dict__, where "msg" is the UNformatted msg and "args" is str(args)).

socket-forbidden frames: (1) the record "forbidden-test: before" on logger "remote.forbidden",
(2) a record dict for "remote.forbidden" whose "msg" value is the REDUCE of
builtins.print('FORBIDDEN-GLOBAL-EXECUTED') (with --forbidden-variant toplevel the whole
pickle is just that call), (3) "forbidden-test: after".  A receiver that unpickles naively
(the cookbook's) prints FORBIDDEN-GLOBAL-EXECUTED on its stdout and then handles a record
whose message is "None"; a safe receiver rejects frame 2 and still handles frames 1 and 3.
The sender then half-closes and waits (bounded) for the receiver to close the connection;
it exits 1 when the connection broke before the third frame was written (best effort: a
close by the receiver is only noticed once the kernel has seen the peer's reset).

Exit: 0 when every record was handed to the transport; 1 when the handler reported an error
or dropped a record (e.g. SocketHandler could not connect: CPython drops those silently, this
tool counts them); 2 on usage errors; 3 when --timeout (default 30 s) expires.
"""

import argparse
import json
import logging
import logging.handlers
import os
import pickle
import pickletools
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CALLS = os.path.join(HERE, "..", "fixtures", "remote", "calls.json")
KINDS = ["socket", "datagram", "syslog-udp", "syslog-tcp", "http-get", "http-post",
         "socket-forbidden"]
FORBIDDEN_TEXT = "FORBIDDEN-GLOBAL-EXECUTED"

errors = []


class _Counting:
    """Mixin: record handler errors instead of printing tracebacks and carrying on."""

    def handleError(self, record):
        errors.append("%s: %r" % (type(self).__name__, sys.exc_info()[1]))
        super().handleError(record)


class SocketHandler(_Counting, logging.handlers.SocketHandler):
    def send(self, s):
        if self.sock is None:
            self.createSocket()
        if self.sock is None:  # CPython would drop the record silently
            errors.append("SocketHandler: not connected to %s:%s, record dropped"
                          % (self.host, self.port))
            return
        super().send(s)


class DatagramHandler(_Counting, logging.handlers.DatagramHandler):
    pass


class SysLogHandler(_Counting, logging.handlers.SysLogHandler):
    pass


class HTTPHandler(_Counting, logging.handlers.HTTPHandler):
    pass


def make_handler(a):
    if a.kind == "socket":
        return SocketHandler(a.host, a.port)
    if a.kind == "datagram":
        return DatagramHandler(a.host, a.port)
    if a.kind in ("syslog-udp", "syslog-tcp"):
        st = socket.SOCK_DGRAM if a.kind == "syslog-udp" else socket.SOCK_STREAM
        return SysLogHandler((a.host, a.port), facility=logging.handlers.SysLogHandler.LOG_USER,
                             socktype=st)
    if a.kind in ("http-get", "http-post"):
        return HTTPHandler("%s:%d" % (a.host, a.port), a.url,
                           method="GET" if a.kind == "http-get" else "POST")
    raise ValueError(a.kind)


def replay(calls, interval):
    for c in calls:
        logger = logging.getLogger(c["logger"])
        logger.log(c["level"], c["msg"], *c.get("args", []), extra=c.get("extra") or None)
        if interval:
            time.sleep(interval)


class _Forbidden:
    """Pickles as GLOBAL 'builtins print' + (args) + REDUCE."""

    def __reduce__(self):
        return (print, (FORBIDDEN_TEXT,))


def forbidden(a):
    helper = logging.handlers.SocketHandler(a.host, a.port)  # only for makePickle
    logger = logging.getLogger("remote.forbidden")

    def frame(msg):
        rec = logger.makeRecord(logger.name, logging.WARNING, __file__, 0, msg, (), None)
        return helper.makePickle(rec)

    bad_dict = dict(logging.makeLogRecord({"name": "remote.forbidden", "levelno": 30,
                                           "levelname": "WARNING"}).__dict__)
    bad_dict.update(msg=_Forbidden(), args=None, exc_info=None)
    bad_dict.pop("message", None)
    # Protocol 1 like SocketHandler.makePickle; fix_imports=False so the GLOBAL names
    # "builtins print" (the default would write the Python 2 name "__builtin__ print").
    payload = pickle.dumps(_Forbidden() if a.forbidden_variant == "toplevel" else bad_dict, 1,
                           fix_imports=False)
    ops = [(op.name, arg) for op, arg, _ in pickletools.genops(payload)]
    assert ("GLOBAL", "builtins print") in ops and ("REDUCE", None) in ops, ops
    frames = [frame("forbidden-test: before"), struct.pack(">L", len(payload)) + payload,
              frame("forbidden-test: after")]
    s = socket.create_connection((a.host, a.port), timeout=a.timeout)
    sent = 0
    try:
        for f in frames:
            s.sendall(f)
            sent += 1
            time.sleep(0.05)
        s.shutdown(socket.SHUT_WR)
        end = time.monotonic() + min(5.0, a.timeout)
        while time.monotonic() < end:  # wait for the receiver to finish and close
            s.settimeout(max(0.01, end - time.monotonic()))
            try:
                if not s.recv(4096):
                    break
            except (socket.timeout, OSError):
                break
    except OSError as e:
        print("cpython_sender: the receiver broke the connection (%d of 3 frames written "
              "before: %s)" % (sent, e), file=sys.stderr)
        return 1
    finally:
        s.close()
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--kind", required=True, choices=KINDS)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--calls", default=DEFAULT_CALLS, help="scenario (default: the fixture)")
    p.add_argument("--url", default="/log", help="HTTPHandler url (default /log)")
    p.add_argument("--format", default=None, help="set a logging.Formatter(FMT) on the handler")
    p.add_argument("--interval", type=float, default=0.0, help="sleep S seconds between calls")
    p.add_argument("--forbidden-variant", choices=["nested", "toplevel"], default="nested")
    p.add_argument("--timeout", type=float, default=30.0, help="hard limit in seconds (30)")
    a = p.parse_args(argv)

    watchdog = threading.Timer(a.timeout, lambda: (print("cpython_sender: timeout",
                                                         file=sys.stderr), os._exit(3)))
    watchdog.daemon = True
    watchdog.start()
    socket.setdefaulttimeout(a.timeout)

    if a.kind == "socket-forbidden":
        return forbidden(a)

    with open(a.calls, encoding="utf-8") as f:
        calls = json.load(f)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    try:
        h = make_handler(a)
    except OSError as e:
        print("cpython_sender: cannot create %s handler: %s" % (a.kind, e), file=sys.stderr)
        return 1
    if a.format:
        h.setFormatter(logging.Formatter(a.format))
    root.addHandler(h)
    try:
        replay(calls, a.interval)
    finally:
        root.removeHandler(h)
        h.close()
    if errors:
        for e in errors:
            print("cpython_sender: " + e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
