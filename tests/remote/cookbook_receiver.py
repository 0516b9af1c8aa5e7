#!/usr/bin/env python3
"""The Logging Cookbook's network receiver (recipe 8, "Sending and receiving logging events
across a network"), as the reference the Rust receiver is compared with.

    cookbook_receiver.py --port P [--host 127.0.0.1] [--udp] [--expect N] [--timeout S]
                         [--ready-file F] [--dictconfig FILE | --format FMT]

TCP (default): the cookbook's LogRecordStreamHandler / LogRecordSocketReceiver, verbatim: each
frame is a 4-byte big-endian length (`struct.unpack('>L')`) followed by a pickle of the record
dict; `pickle.loads` -> `logging.makeLogRecord` -> `logging.getLogger(record.name).handle(record)`
(no level check: EVERY received record is handled, whatever the receiver's logger levels).
Connections are served by a ThreadingTCPServer, one thread per connection, so records from
one connection keep their order.

UDP (--udp, not in the cookbook): a socketserver.UDPServer with a DatagramRequestHandler; one
datagram is one DatagramHandler frame, so the 4-byte length prefix is skipped and the rest goes
through the same unpickle / makeLogRecord / handle path.

Output: the cookbook's `logging.basicConfig(format='%(relativeCreated)5d %(name)-15s
%(levelname)-8s %(message)s')`, but on stdout (basicConfig's default is stderr), flushed after
every record.  relativeCreated, like every other attribute, is the SENDER's value (ms since the
sender imported logging), not the receiver's.  A message containing newlines spans several
output lines.  The cookbook's banner "About to start TCP server..." goes to stderr so stdout
holds records only.  --dictconfig FILE configures logging with logging.config.dictConfig
instead (tests/fixtures/remote/receiver_config.json reproduces basicConfig's output);
--format FMT replaces the basicConfig format.

Readiness: with --ready-file F the bound port (useful with --port 0) is written to F (atomically,
"PORT\\n") once the socket listens.

Exit: 0 once N records were handled (--expect N), or at --timeout (default 30 s) / SIGTERM /
SIGINT when no --expect was given; 1 on timeout before N records; 2 on a usage error.
WARNING: this receiver is the cookbook's, so it unpickles anything - it is for tests only
(tests/remote/cpython_sender.py --kind socket-forbidden shows what that means).
"""

import argparse
import json
import logging
import logging.config
import logging.handlers
import os
import pickle
import signal
import socketserver
import struct
import sys
import threading
import time

COOKBOOK_FORMAT = "%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s"


# ---------------------------------------------------------------------------------------------
# The cookbook's code, verbatim (only the comments are shortened).
# ---------------------------------------------------------------------------------------------


class LogRecordStreamHandler(socketserver.StreamRequestHandler):
    """Handler for a streaming logging request.

    This basically logs the record using whatever logging policy is
    configured locally.
    """

    def handle(self):
        """
        Handle multiple requests - each expected to be a 4-byte length,
        followed by the LogRecord in pickle format. Logs the record
        according to whatever policy is configured locally.
        """
        while True:
            chunk = self.connection.recv(4)
            if len(chunk) < 4:
                break
            slen = struct.unpack(">L", chunk)[0]
            chunk = self.connection.recv(slen)
            while len(chunk) < slen:
                chunk = chunk + self.connection.recv(slen - len(chunk))
            obj = self.unPickle(chunk)
            record = logging.makeLogRecord(obj)
            self.handleLogRecord(record)

    def unPickle(self, data):
        return pickle.loads(data)

    def handleLogRecord(self, record):
        # if a name is specified, we use the named logger rather than the one
        # implied by the record.
        if self.server.logname is not None:
            name = self.server.logname
        else:
            name = record.name
        logger = logging.getLogger(name)
        # N.B. EVERY record gets logged. This is because Logger.handle
        # is normally called AFTER logger-level filtering. If you want
        # to do filtering, do it at the client end to save wasting
        # cycles and network bandwidth!
        logger.handle(record)


class LogRecordSocketReceiver(socketserver.ThreadingTCPServer):
    """
    Simple TCP socket-based logging receiver suitable for testing.
    """

    allow_reuse_address = True

    def __init__(self, host="localhost", port=logging.handlers.DEFAULT_TCP_LOGGING_PORT,
                 handler=LogRecordStreamHandler):
        socketserver.ThreadingTCPServer.__init__(self, (host, port), handler)
        self.abort = 0
        self.timeout = 1
        self.logname = None

    def serve_until_stopped(self):
        import select
        abort = 0
        while not abort:
            rd, wr, ex = select.select([self.socket.fileno()], [], [], self.timeout)
            if rd:
                self.handle_request()
                abort = self.abort


# ---------------------------------------------------------------------------------------------
# Test-harness additions: counting, a bounded serve loop, and the UDP variant.
# ---------------------------------------------------------------------------------------------

import select  # noqa: E402  (the cookbook imports it inside serve_until_stopped)

_count_lock = threading.Lock()
_handled = 0
_done = threading.Event()
_expect = None


def _counted():
    global _handled
    with _count_lock:
        _handled += 1
        if _expect is not None and _handled >= _expect:
            _done.set()


class CountingStreamHandler(LogRecordStreamHandler):
    def handleLogRecord(self, record):
        super().handleLogRecord(record)
        _counted()


class BoundedReceiver(LogRecordSocketReceiver):
    # Connection threads must not keep the process alive (or block server_close) at exit.
    daemon_threads = True
    block_on_close = False

    def serve_until(self, deadline):
        """serve_until_stopped with a bound: stops when done, aborted, or at the deadline."""
        while not self.abort and not _done.is_set() and time.monotonic() < deadline:
            rd, _, _ = select.select([self.socket.fileno()], [], [],
                                     min(0.2, max(0.0, deadline - time.monotonic())))
            if rd:
                self.handle_request()


class LogRecordDatagramHandler(socketserver.DatagramRequestHandler):
    """One DatagramHandler frame per datagram: 4-byte length (skipped), then the pickle."""

    def handle(self):
        data = self.rfile.read()
        if len(data) < 4:
            return
        slen = struct.unpack(">L", data[:4])[0]
        obj = pickle.loads(data[4:4 + slen])
        record = logging.makeLogRecord(obj)
        logger = logging.getLogger(self.server.logname if self.server.logname is not None
                                   else record.name)
        logger.handle(record)
        _counted()

    def finish(self):
        pass  # DatagramRequestHandler would send the (empty) wfile back to the sender


class LogRecordDatagramReceiver(socketserver.UDPServer):
    allow_reuse_address = True
    max_packet_size = 65535  # socketserver's default 8192 would truncate a 5 KB record

    def __init__(self, host, port, handler=LogRecordDatagramHandler):
        socketserver.UDPServer.__init__(self, (host, port), handler)
        self.abort = 0
        self.logname = None

    serve_until = BoundedReceiver.serve_until


def _write_ready(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    global _expect
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, required=True, help="port to bind; 0 picks a free one")
    p.add_argument("--udp", action="store_true", help="receive DatagramHandler datagrams")
    p.add_argument("--expect", type=int, default=None, help="exit 0 after N records")
    p.add_argument("--timeout", type=float, default=30.0, help="give up after S seconds (30)")
    p.add_argument("--ready-file", help="write the bound port here once listening")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--dictconfig", help="configure with dictConfig from this JSON file")
    g.add_argument("--format", default=COOKBOOK_FORMAT, help="basicConfig format")
    a = p.parse_args(argv)
    _expect = a.expect

    deadline = time.monotonic() + a.timeout
    # Hard stop: whatever happens (a stuck handler thread...), the process ends by itself.
    watchdog = threading.Timer(a.timeout + 5.0, lambda: os._exit(1))
    watchdog.daemon = True
    watchdog.start()

    if a.dictconfig:
        with open(a.dictconfig, encoding="utf-8") as f:
            logging.config.dictConfig(json.load(f))
    else:
        logging.basicConfig(format=a.format, stream=sys.stdout)

    if a.udp:
        server = LogRecordDatagramReceiver(a.host, a.port)
    else:
        server = BoundedReceiver(a.host, a.port, handler=CountingStreamHandler)

    def stop(signum, frame):
        server.abort = 1

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    port = server.server_address[1]
    if a.ready_file:
        _write_ready(a.ready_file, port)
    print("About to start %s server on %s:%d..." % ("UDP" if a.udp else "TCP", a.host, port),
          file=sys.stderr, flush=True)
    try:
        server.serve_until(deadline)
    finally:
        server.server_close()
        sys.stdout.flush()
    if _expect is not None and not _done.is_set():
        print("cookbook_receiver: %d of %d records before %s" % (
            _handled, _expect, "SIGTERM" if server.abort else "timeout"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
