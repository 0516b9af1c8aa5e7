"""The tagged-JSON wire format the Rust differential tests send their values in:
{"t": "none" | "bool" | "int" | "float" | "str" | "list" | "tuple" | "dict" | "obj", "v": ...}.
Floats come as Rust's `{:?}` text (`NaN`, `inf`, `-0.0`, `1e300`), which float() reads back
exactly. Dict keys are tagged values, or plain strings; an "obj" is made by the caller's
`obj(v)`. Shared by the formatter, pyfmt and JSON oracles.
"""


def decode(v, obj=None):
    t = v["t"]
    if t == "none":
        return None
    if t == "bool":
        return bool(v["v"])
    if t == "int":
        return int(v["v"])
    if t == "float":
        return float(v["v"])
    if t == "str":
        return v["v"]
    if t == "list":
        return [decode(x, obj) for x in v["v"]]
    if t == "tuple":
        return tuple(decode(x, obj) for x in v["v"])
    if t == "dict":
        return {(k if isinstance(k, str) else decode(k, obj)): decode(x, obj) for k, x in v["v"]}
    if t == "obj" and obj is not None:
        return obj(v)
    raise ValueError("unknown tag %r" % t)
