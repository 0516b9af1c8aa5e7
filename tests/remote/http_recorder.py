#!/usr/bin/env python3
"""A raw-socket HTTP/1.1 server that records every request byte for byte (for HTTPHandler tests).

    http_recorder.py --port P --out FILE [--host 127.0.0.1] [--expect N] [--status CODES]
                     [--delay S] [--ready-file F] [--timeout S]

For each connection it reads ONE request: the request line and headers up to the blank line,
then the body - Content-Length bytes (header name matched case-insensitively: CPython's
HTTPHandler sends "Content-length"), or, with "Transfer-Encoding: chunked", the chunks up to
and including the last-chunk and trailers - and appends one JSON line to FILE:

    {"raw": base64 of the exact bytes received (request line + headers + CRLF + body),
     "method": "POST", "target": "/log?...", "version": "HTTP/1.1",
     "headers": [[name, value], ...] (latin-1 decoded, in order),
     "body": base64 of the body as sent (chunk framing included when chunked),
     "complete": true (false when the peer closed or stalled mid-request),
     "peer": "127.0.0.1:54321", "status": the status code answered (0 = none)}

then answers "HTTP/1.1 <code> <reason>\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n"
and closes the connection (so a keep-alive client must reconnect for its next request).

--status CODES  a comma-separated list: request i gets CODES[i], the last one repeating;
                default 200.  e.g. "503" (always fail) or "503,503,200" (fail twice, then
                succeed).  0 means: close the connection without any response.
--delay S       wait S seconds before answering (slow-server tests).

Connections are served concurrently (a thread each), lines are appended in completion order,
the file is flushed after every line.  The bound port is written to --ready-file (atomically,
"PORT\\n") once listening; --port 0 picks a free port.

Exit: 0 after N recorded requests (--expect N) or, without --expect, at --timeout (default 30 s)
/ SIGTERM / SIGINT; 1 on timeout before N requests; 2 on usage errors.
"""

import argparse
import base64
import http
import json
import os
import select
import signal
import socket
import sys
import threading
import time

MAX_HEAD = 256 * 1024
MAX_BODY = 64 * 1024 * 1024
IO_TIMEOUT = 10.0


class Recorder:
    def __init__(self, out, statuses, delay, expect):
        self.out = out
        self.statuses = statuses
        self.delay = delay
        self.expect = expect
        self.lock = threading.Lock()
        self.count = 0
        self.done = threading.Event()

    def record(self, entry):
        with self.lock:
            entry["status"] = self.statuses[min(self.count, len(self.statuses) - 1)]
            with open(self.out, "a", encoding="utf-8") as f:
                f.write(json.dumps(entry) + "\n")
                f.flush()
            self.count += 1
            if self.expect is not None and self.count >= self.expect:
                self.done.set()
            return entry["status"]


class Conn:
    """Buffered reads from a socket with an absolute deadline."""

    def __init__(self, sock, deadline):
        self.sock = sock
        self.deadline = deadline
        self.buf = b""
        self.raw = b""  # everything consumed so far
        self.eof = False

    def _fill(self):
        left = self.deadline - time.monotonic()
        if left <= 0 or self.eof:
            self.eof = True
            return False
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except (socket.timeout, OSError):
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def read_until(self, sep, limit):
        while sep not in self.buf:
            if len(self.buf) > limit or not self._fill():
                out, self.buf = self.buf, b""
                self.raw += out
                return out, False
        i = self.buf.index(sep) + len(sep)
        out, self.buf = self.buf[:i], self.buf[i:]
        self.raw += out
        return out, True

    def read_exact(self, n):
        while len(self.buf) < n:
            if not self._fill():
                out, self.buf = self.buf, b""
                self.raw += out
                return out, False
        out, self.buf = self.buf[:n], self.buf[n:]
        self.raw += out
        return out, True


def read_request(conn):
    """Returns the entry dict (without status) for one request."""
    head, ok = conn.read_until(b"\r\n\r\n", MAX_HEAD)
    entry = {"method": None, "target": None, "version": None, "headers": [], "complete": False}
    text = head.decode("latin-1")
    lines = text.split("\r\n")
    parts = lines[0].split(" ") if lines and lines[0] else []
    if len(parts) == 3:
        entry["method"], entry["target"], entry["version"] = parts
    for line in lines[1:]:
        if not line:
            continue
        name, _, value = line.partition(":")
        entry["headers"].append([name, value.strip(" \t")])
    body = b""
    if ok:
        hdrs = {k.lower(): v for k, v in entry["headers"]}
        if "chunked" in hdrs.get("transfer-encoding", "").lower():
            while True:
                size_line, ok = conn.read_until(b"\r\n", 4096)
                body += size_line
                if not ok:
                    break
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    ok = False
                    break
                if size == 0:  # trailers up to the blank line
                    while ok:
                        t, ok = conn.read_until(b"\r\n", 65536)
                        body += t
                        if t == b"\r\n":
                            break
                    break
                chunk, ok = conn.read_exact(size + 2)
                body += chunk
                if not ok or len(body) > MAX_BODY:
                    ok = False
                    break
        else:
            try:
                n = int(hdrs.get("content-length", "0"))
            except ValueError:
                n = 0
            body, ok = conn.read_exact(min(max(n, 0), MAX_BODY))
    entry["complete"] = bool(ok)
    entry["raw"] = base64.b64encode(conn.raw).decode("ascii")
    entry["body"] = base64.b64encode(body).decode("ascii")
    return entry


def serve_conn(rec, sock, peer):
    try:
        conn = Conn(sock, time.monotonic() + IO_TIMEOUT)
        entry = read_request(conn)
        if not conn.raw:  # connected and closed without a byte (e.g. a probe): not a request
            return
        entry["peer"] = "%s:%d" % peer[:2]
        status = rec.record(entry)  # on disk before the client sees the answer
        if rec.delay:
            time.sleep(rec.delay)
        if status:
            try:
                reason = http.HTTPStatus(status).phrase
            except ValueError:
                reason = "Status"
            resp = ("HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    % (status, reason)).encode("ascii")
            try:
                sock.settimeout(IO_TIMEOUT)
                sock.sendall(resp)
            except OSError:
                pass
    finally:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True, help="0 picks a free port")
    p.add_argument("--out", required=True, help="JSON-lines file to append requests to")
    p.add_argument("--expect", type=int, default=None, help="exit 0 after N requests")
    p.add_argument("--status", default="200", help="comma-separated status codes (200)")
    p.add_argument("--delay", type=float, default=0.0, help="seconds to wait before answering")
    p.add_argument("--ready-file", help="write the bound port here once listening")
    p.add_argument("--timeout", type=float, default=30.0, help="give up after S seconds (30)")
    a = p.parse_args(argv)
    try:
        statuses = [int(s) for s in a.status.split(",") if s.strip()] or [200]
    except ValueError:
        p.error("--status takes comma-separated integers")

    deadline = time.monotonic() + a.timeout
    watchdog = threading.Timer(a.timeout + 5.0, lambda: os._exit(1))
    watchdog.daemon = True
    watchdog.start()

    rec = Recorder(a.out, statuses, a.delay, a.expect)
    open(a.out, "a").close()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((a.host, a.port))
    srv.listen(64)
    port = srv.getsockname()[1]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if a.ready_file:
        tmp = a.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, a.ready_file)
    print("http_recorder: listening on %s:%d" % (a.host, port), file=sys.stderr, flush=True)

    threads = []
    while not stop.is_set() and not rec.done.is_set() and time.monotonic() < deadline:
        rd, _, _ = select.select([srv], [], [], min(0.2, max(0.0, deadline - time.monotonic())))
        if not rd:
            continue
        try:
            sock, peer = srv.accept()
        except OSError:
            continue
        t = threading.Thread(target=serve_conn, args=(rec, sock, peer), daemon=True)
        t.start()
        threads.append(t)
    srv.close()
    for t in threads:  # let answers in flight finish (bounded)
        t.join(max(0.0, min(IO_TIMEOUT, deadline + 1.0 - time.monotonic())))
    if a.expect is not None and not rec.done.is_set():
        print("http_recorder: %d of %d requests before %s" % (
            rec.count, a.expect, "a signal" if stop.is_set() else "timeout"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
