"""A load generator for `wasm-logging serve --http`: C connections (keep-alive) POST B
NDJSON batches of R records each to /batch, then it waits until the receiver's log file
has every line, and prints the records per second end to end.

usage: serve-http-load.py --port PORT --file LOGFILE [--clients 4] [--batches 250] [--records 100]
"""

import argparse
import http.client
import json
import os
import threading
import time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--file", required=True)
ap.add_argument("--clients", type=int, default=4)
ap.add_argument("--batches", type=int, default=250)
ap.add_argument("--records", type=int, default=100)
o = ap.parse_args()


def client(c):
    conn = http.client.HTTPConnection("127.0.0.1", o.port)
    for b in range(o.batches):
        body = "".join(
            json.dumps({"name": f"load.c{c}", "msg": f"record {i} of batch {b}",
                        "args": None, "levelno": 20, "levelname": "INFO",
                        "created": time.time(), "msecs": 0.0, "lineno": i,
                        "funcName": "client", "pathname": "load.py"}) + "\n"
            for i in range(o.records))
        conn.request("POST", "/batch", body, {"Content-Type": "application/x-ndjson"})
        r = conn.getresponse()
        r.read()
        assert r.status == 200, r.status


def lines():
    try:
        with open(o.file, "rb") as f:
            return sum(1 for _ in f)
    except FileNotFoundError:
        return 0


before = lines()
total = o.clients * o.batches * o.records
t0 = time.perf_counter()
threads = [threading.Thread(target=client, args=(c,)) for c in range(o.clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
accepted = time.perf_counter() - t0
while lines() - before < total:
    time.sleep(0.01)
written = time.perf_counter() - t0
print(f"{total} records in {o.clients} x {o.batches} batches of {o.records}: "
      f"accepted in {accepted:.2f} s, all written in {written:.2f} s, "
      f"{total / written:,.0f} records/s")
