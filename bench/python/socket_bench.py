"""CPython's `logging.handlers.SocketHandler`: the reference sender of `make bench-remote`
(bench/remote.py, bench/README.md). Not a test.

    python3.13 bench/python/socket_bench.py --port P [--records N] [--host 127.0.0.1]
    python3.13 bench/python/socket_bench.py --port P --preencoded [--records N]

Default: a `SocketHandler(host, port)` on the root at INFO, then N calls of
`logger.info("Message no. %d", i)` on logger "bench": that span is the figure. CPython's
handler sends each frame synchronously with `sendall`, which blocks while the socket is
full, so every frame has been handed to the kernel when the loop ends (as our senders' timed
spans end when their buffers are empty). Afterwards, untimed, one WARNING "socket-bench:
done" on the same connection (the harness's receiver prints only that one, so it knows every
earlier frame was dispatched), then `handler.close()`.

CPython as in bench/python/run_one.py, the logging HOWTO's optimization table: caller
location off (`logging._srcfile = None`) and no thread / process / multiprocessing /
asyncio-task lookups.

--preencoded (the receiver's capacity, not a handler): the same N records and the
"socket-bench: done" one are made and pickled by `SocketHandler.makePickle` BEFORE the
timing; then one connection and `sendall` of all the frames at once. The harness times it
end to end (first byte sent to the receiver having dispatched the last record), which is the
fastest any sender can get records through that receiver.

Prints one JSON line {"sender", "n", "secs", "t0"} (t0: wall clock at the first call, for
the harness's end-to-end figure).
"""

import argparse
import json
import logging
import logging.handlers
import socket
import sys
import time

logging._srcfile = None  # noqa: SLF001 -- documented in the HOWTO's optimization table
logging.logThreads = False
logging.logProcesses = False
logging.logMultiprocessing = False
logging.logAsyncioTasks = False

DONE = "socket-bench: done"


def handler_run(host, port, n):
    handler = logging.handlers.SocketHandler(host, port)
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logger = logging.getLogger("bench")
    wall0 = time.time()
    t0 = time.perf_counter_ns()
    for i in range(n):
        logger.info("Message no. %d", i)
    # Every frame went out through sendall. The sentinel must share the connection, so
    # close() (a socket close) comes after it, outside the timing.
    secs = (time.perf_counter_ns() - t0) / 1e9
    logger.warning(DONE)
    handler.close()
    root.removeHandler(handler)
    if handler.sock is not None:
        raise SystemExit("socket_bench.py: the handler kept its socket")
    return {"sender": "cpython", "n": n, "secs": secs, "t0": wall0}


def preencoded_run(host, port, n):
    handler = logging.handlers.SocketHandler(host, port)
    logger = logging.getLogger("bench")
    frames = []
    for i in range(n):
        record = logger.makeRecord("bench", logging.INFO, __file__, 0, "Message no. %d",
                                   (i,), None)
        frames.append(handler.makePickle(record))
    done = logger.makeRecord("bench", logging.WARNING, __file__, 0, DONE, (), None)
    frames.append(handler.makePickle(done))
    blob = b"".join(frames)
    sock = socket.create_connection((host, port), timeout=60)
    wall0 = time.time()
    t0 = time.perf_counter_ns()
    sock.sendall(blob)
    secs = (time.perf_counter_ns() - t0) / 1e9
    sock.close()
    return {"sender": "preencoded", "n": n, "secs": secs, "t0": wall0, "bytes": len(blob)}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--records", type=int, default=200_000)
    p.add_argument("--preencoded", action="store_true")
    a = p.parse_args(argv)
    run = preencoded_run if a.preencoded else handler_run
    print(json.dumps(run(a.host, a.port, a.records)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
