"""CPython's side of tests/wire_http.rs. Usage: wire_http_oracle.py < input.json

Input: [case, ...], each a record case (see wire_fresh.record_of) plus "host", "url",
"method", "secure" and "credentials" (null or [user, password]). Output: per case the hex
of the exact bytes HTTPHandler(host, url, method, secure, credentials).emit(record) sent,
or {"err": "Class: message"} for what it raised (in the constructor or through
handleError).

A raw-socket server in a thread records each request (request line, headers and the
Content-length body) and answers "HTTP/1.0 200 OK". The handler's connection keeps its host
and port (so http.client writes the Host header it would) but connects to that server; an
HTTPS connection is left unwrapped, so its bytes are the plaintext TLS would carry. A port
outside 0-65535 fails the connection (see connect below).
"""
import http.client
import json
import logging
import logging.handlers
import queue
import socket
import sys
import threading
import types

from wire_fresh import record_of


def serve(listener, requests):
    while True:
        conn, _ = listener.accept()
        with conn:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                body += chunk
            requests.put(head + b"\r\n\r\n" + body)
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")


class Failed(Exception):
    pass


def main():
    cases = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    server = listener.getsockname()
    requests = queue.Queue()
    threading.Thread(target=serve, args=(listener, requests), daemon=True).start()

    def connect(address, timeout=None, source_address=None):
        # A port outside 0-65535 is refused here as the Rust side refuses it (CPython hands
        # it to getaddrinfo: glibc takes 70000 as port 4464, and fails for -1).
        if not 0 <= address[1] <= 65535:
            raise OverflowError("port %d out of range 0-65535" % address[1])
        return socket.create_connection(server)

    class Captured(logging.handlers.HTTPHandler):
        def getConnection(self, host, secure):
            conn = super().getConnection(host, secure)
            conn._create_connection = connect
            if secure:
                conn.connect = types.MethodType(http.client.HTTPConnection.connect, conn)
            return conn

        def handleError(self, record):
            e = sys.exc_info()[1]
            raise Failed("%s: %s" % (type(e).__name__, e))

    out = []
    for c in cases:
        try:
            creds = c["credentials"]
            h = Captured(c["host"], c["url"], c["method"], c["secure"],
                         None if creds is None else tuple(creds))
            h.emit(record_of(c))
            out.append(requests.get(timeout=10).hex())
        except Failed as e:
            out.append({"err": str(e)})
        except Exception as e:
            out.append({"err": "%s: %s" % (type(e).__name__, e)})
    sys.stdout.write(json.dumps(out))


main()
