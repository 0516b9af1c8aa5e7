"""Writes fuzz/seeds/frames/*.bin: socket streams as CPython 3.13 makes them.

Run with CPython 3.13 (scripts/python-ref.sh finds it): python3.13 fuzz/seeds/make_frames.py
Each file is a byte stream of 4-byte big-endian lengths and payloads, as
SocketHandler.makePickle builds them (protocol 1), plus record dicts pickled with every
protocol 0-5, JSON frames, and frames the restricted unpickler must refuse.
"""
import json
import logging
import logging.handlers
import os
import pickle
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "frames")


def frame(payload: bytes) -> bytes:
    return struct.pack(">L", len(payload)) + payload


def record(msg, args=(), exc=False, **extra):
    r = logging.LogRecord("myapp.area1", logging.WARNING, "/srv/app.py", 17, msg, args,
                          None, func="handler")
    r.created, r.msecs, r.relativeCreated = 1700000000.25, 250.0, 59.25
    r.process, r.thread = 4242, 140000000000001
    if exc:
        try:
            raise ValueError("boom")
        except ValueError:
            import sys
            r.exc_info = sys.exc_info()
    r.__dict__.update(extra)
    return r


def main():
    os.makedirs(OUT, exist_ok=True)
    h = logging.handlers.SocketHandler("localhost", None)
    h.formatter = logging.Formatter()
    records = [
        record("Jackdaws love my big sphinx of quartz."),
        record("%s took %d ms", ("query", 12)),
        record("%(a)s and %(b)r", ({"a": 1, "b": [1, 2.5, None]},)),
        record("unicode \u20ac \U0001d11e \x00", (), ip="10.0.0.1", n=2**62, big=2**70,
               f=float("nan"), t=(1, (2, 3)), d={"k": {"n": True}}),
        record("exception", (), exc=True),
    ]
    stream = b""
    for i, r in enumerate(records):
        data = h.makePickle(r)
        stream += data
        with open(os.path.join(OUT, f"makepickle_{i}.bin"), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, "makepickle_stream.bin"), "wb") as f:
        f.write(stream)
    d = dict(records[3].__dict__)
    d["args"] = None
    d["exc_info"] = None
    d["msg"] = records[3].getMessage()
    for proto in range(6):
        with open(os.path.join(OUT, f"dict_protocol_{proto}.bin"), "wb") as f:
            f.write(frame(pickle.dumps(d, proto)))
        shared = [d["msg"]] * 3
        with open(os.path.join(OUT, f"memo_protocol_{proto}.bin"), "wb") as f:
            f.write(frame(pickle.dumps({"msg": "m", "args": (shared, shared), "name": "x"}, proto)))
    j = json.dumps({k: v for k, v in d.items() if k not in ("big",) and v == v}).encode()
    with open(os.path.join(OUT, "json_frame.bin"), "wb") as f:
        f.write(frame(j))
    with open(os.path.join(OUT, "forbidden_global.bin"), "wb") as f:
        f.write(frame(b"cos\nsystem\n(S'echo hi'\ntR."))
    with open(os.path.join(OUT, "forbidden_reduce.bin"), "wb") as f:
        f.write(frame(pickle.dumps(logging.makeLogRecord({"msg": "x"}), 2)))
    with open(os.path.join(OUT, "oversized_length.bin"), "wb") as f:
        f.write(struct.pack(">L", 0xFFFFFFFF) + b"}q\x00.")


if __name__ == "__main__":
    main()
