#!/usr/bin/env python3
"""Reference oracle for tests/pyfmt_differential.rs.

Reads a JSON list of cases on stdin, evaluates each with the running CPython, and writes a JSON
list of results to stdout: {"ok": <value>} or {"err": "<ExceptionClass>: <str(exc)>"}.

Values arrive tagged so that every Python value survives JSON: {"t": "float", "v": "nan"} is
the repr of the float, {"t": "int", "v": "-9223372036854775808"} a decimal string, and
{"t": "obj", ...} describes a small class standing in for the Rust `PyObject` test double.
"""
import _string
import json
import logging
import string
import sys

import wire


def build(v):
    return wire.decode(v, build_obj)


def build_obj(v):
    ns = {}
    rep = v["repr"]
    ns["__repr__"] = lambda self: rep
    if v.get("str") is not None:
        s = v["str"]
        ns["__str__"] = lambda self: s
    if v.get("raise") is not None:
        msg = v["raise"]

        def boom(self):
            raise RuntimeError(msg)

        ns["__str__"] = boom
    if v.get("int") is not None:
        i = int(v["int"])
        ns["__index__"] = lambda self: i
    if v.get("float") is not None:
        f = float(v["float"])
        ns["__float__"] = lambda self: f
    # The Rust trait's default __format__: format str(obj) as a string.
    ns["__format__"] = lambda self, spec: format(str(self), spec)
    cls = type(v["name"], (), ns)
    obj = cls()
    for k, x in v.get("attrs", []):
        setattr(obj, k, build(x))
    return obj


def run(case):
    k = case["kind"]
    if k == "percent":
        return case["fmt"] % build(case["args"])
    if k == "percent_map":
        return case["fmt"] % {key: build(x) for key, x in case["map"]}
    if k == "brace":
        args = [build(x) for x in case["args"]]
        kwargs = {key: build(x) for key, x in case["kwargs"]}
        return case["fmt"].format(*args, **kwargs)
    if k == "format":
        return format(build(case["value"]), case["spec"])
    if k == "template":
        mapping = {key: build(x) for key, x in case["kwargs"]}
        return string.Template(case["fmt"]).substitute(mapping)
    if k == "str":
        return str(build(case["value"]))
    if k == "repr":
        return repr(build(case["value"]))
    if k == "ascii":
        return ascii(build(case["value"]))
    if k == "parse":
        return [list(item) for item in _string.formatter_parser(case["fmt"])]
    if k == "vpercent":
        logging.PercentStyle(case["fmt"]).validate()
        return "valid"
    if k == "vbrace":
        logging.StrFormatStyle(case["fmt"]).validate()
        return "valid"
    if k == "vtemplate":
        logging.StringTemplateStyle(case["fmt"]).validate()
        return "valid"
    raise AssertionError(f"unknown kind {k!r}")


def main():
    try:
        import resource

        # A case that makes CPython allocate gigabytes becomes a MemoryError result (and a
        # visible mismatch) instead of getting the whole oracle killed.
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    except (ImportError, ValueError, OSError):
        pass
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        try:
            out.append({"ok": run(case)})
        except Exception as e:  # every exception is a result to compare
            out.append({"err": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


main()
