"""CPython's side of tests/wire_pickle.rs. Usage: wire_pickle_oracle.py MODE < input.json

  dumps      [value, ...]   -> [hex of pickle.dumps(v, 1), ...]
  protocols  [value, ...]   -> [[hex of pickle.dumps(v, p) for p in 0..5], ...]
  records    [case, ...]    -> [{"pickle": hex of SocketHandler.makePickle(record),
                                 "json": json.dumps of the same dict (or "json_err"),
                                 "rust_repr": repr(pickle.loads(the Rust frame)),
                                 "py_repr": repr(the dict makePickle pickled)} | {"err": ...}]
  forbidden  (no input)     -> [{"what": ..., "hex": ..., "op": first opcode outside plain data}]
"""
import json
import logging
import logging.handlers
import pickle
import pickletools
import sys

from wire_fresh import decode, record_of

PLAIN = {
    "PROTO", "FRAME", "STOP", "MARK", "POP", "POP_MARK", "DUP", "EMPTY_DICT", "DICT",
    "SETITEM", "SETITEMS", "EMPTY_LIST", "LIST", "APPEND", "APPENDS", "EMPTY_TUPLE", "TUPLE",
    "TUPLE1", "TUPLE2", "TUPLE3", "NONE", "NEWTRUE", "NEWFALSE", "INT", "BININT", "BININT1",
    "BININT2", "LONG", "LONG1", "LONG4", "FLOAT", "BINFLOAT", "UNICODE", "BINUNICODE",
    "SHORT_BINUNICODE", "BINUNICODE8", "STRING", "BINSTRING", "SHORT_BINSTRING", "PUT",
    "BINPUT", "LONG_BINPUT", "MEMOIZE", "GET", "BINGET", "LONG_BINGET",
}


class Thing:
    pass


def socket_dict(r):
    # SocketHandler.makePickle's dict, for the JSON comparison.
    d = dict(r.__dict__)
    d["msg"] = r.getMessage()
    d["args"] = None
    d["exc_info"] = None
    d.pop("message", None)
    return d


def records(cases):
    h = logging.handlers.SocketHandler("localhost", None)
    out = []
    for c in cases:
        res = {}
        try:
            r = record_of(c)
            frame = h.makePickle(r)
        except Exception as e:
            out.append({"err": "%s: %s" % (type(e).__name__, e)})
            continue
        rust = bytes.fromhex(c["rust_pickle"])
        if rust and int.from_bytes(rust[:4], "big") != len(rust) - 4:
            raise SystemExit("bad Rust length prefix")
        res["pickle"] = frame.hex()
        res["py_repr"] = repr(pickle.loads(frame[4:]))
        res["rust_repr"] = repr(pickle.loads(rust[4:])) if rust else None
        try:
            res["json"] = json.dumps(socket_dict(r))
        except Exception as e:
            res["json_err"] = "%s: %s" % (type(e).__name__, e)
        out.append(res)
    return out


def first_forbidden(data):
    for op, arg, pos in pickletools.genops(data):
        if op.name not in PLAIN:
            return op.name
    return None


def forbidden():
    import datetime
    things = {
        "object()": object(),
        "set()": set(),
        "{1, 2}": {1, 2},
        "frozenset()": frozenset([1]),
        "b'x'": b"x",
        "bytearray": bytearray(b"xy"),
        "1j": 1j,
        "datetime": datetime.datetime(2024, 1, 2, 3, 4, 5),
        "Thing()": Thing(),
        "range(3)": range(3),
        "[1, b'x']": [1, b"x"],
        "{'k': {1}}": {"k": {1}},
        "len": len,
        "Ellipsis": ...,
        "NotImplemented": NotImplemented,
        "type": int,
    }
    out = []
    for what, v in things.items():
        for proto in range(6):
            data = pickle.dumps(v, proto)
            out.append({"what": "%s @%d" % (what, proto), "hex": data.hex(),
                        "op": first_forbidden(data)})
    # What an attacker sends: os.system through GLOBAL + REDUCE, and the protocol-4 form.
    for what, data in [
        ("GLOBAL os system", b"cos\nsystem\n(S'echo hi'\ntR."),
        ("STACK_GLOBAL", b"\x80\x04\x8c\x02os\x8c\x06system\x93\x8c\x02hi\x85R."),
        ("INST", b"(S'echo hi'\nios\nsystem\n."),
        ("OBJ", b"(cos\nsystem\nS'echo hi'\no."),
        ("PERSID", b"Pid\n."),
        ("BINPERSID", b"N" b"Q."),
        ("EXT1", b"\x80\x02\x82\x01."),
        ("BUILD", b"}N" b"b."),
        ("NEWOBJ", b"\x80\x02N)\x81."),
    ]:
        out.append({"what": what, "hex": data.hex(), "op": first_forbidden(data)})
    return out


def main():
    mode = sys.argv[1]
    if mode == "forbidden":
        result = forbidden()
    else:
        inp = json.loads(sys.stdin.buffer.read().decode("utf-8"))
        if mode == "dumps":
            result = [pickle.dumps(decode(v), 1).hex() for v in inp]
        elif mode == "protocols":
            result = [[pickle.dumps(decode(v), p).hex() for p in range(6)] for v in inp]
        elif mode == "records":
            result = records(inp)
        else:
            raise SystemExit("unknown mode %r" % mode)
    sys.stdout.write(json.dumps(result))


main()
