"""Generates the differential scenarios (tests/differential/README.md describes the format).

Deterministic and stdlib-only: `gen.py [--count-scale K]` writes one scenario per line (JSON)
to stdout, each built from its own `random.Random(seed)`, so a scenario's text depends only on
its family, its index and the generator (this file; pick.py, the seeded picker and the seeds;
families.py and configs.py, the families) and the seeds it draws from: cookbook_seeds.json,
taken from the cookbook texts, and tests/fixtures/dictconfig/*.json.

Families (how many of each: FAMILIES below):
  format       one handler with a Formatter in one of the three styles: fields with width,
               alignment, precision and conversions, asctime with a datefmt, msecs,
               relativeCreated, identity and location fields, defaults, validate
  interp       `%`-interpolation of the message: every conversion and flag, `*` widths,
               mapping arguments, arguments of every kind (nested too), a few that fail
  hierarchy    loggers created in any order (placeholders), levels by number and name,
               propagate, disabled, disable(), handler levels, name filters on loggers and
               handlers, addLevelName, removeHandler, lastResort
  dictconfig   valid dictConfig: formatters, filters (name, factories), handlers (stream,
               null, memory with targets), loggers, root, incremental,
               disable_existing_loggers, cfg:// references, the seed fixtures mutated
  invalid      a valid configuration (dictConfig or basicConfig) with one mistake whose path
               is known: CPython must refuse it (the oracle checks)
  basic        basicConfig keyword arguments: level, format, datefmt, style, stream, force
  adapter      LoggerAdapter with extra / merge_extra, nested adapters, extra on calls
  message      BraceMessage / DollarMessage message objects (cookbook recipes 14 and 24)

`gen.py --extract-seeds DIR` reads the cookbook texts in DIR (OCR'd, so `% (name) -10s` is
normalised to `%(name)-10s`) and prints the formats, datefmts, logger names and messages
found there: that output is cookbook_seeds.json (committed).
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from configs import fam_dictconfig, fam_invalid  # noqa: E402
from families import (fam_adapter, fam_basic, fam_format, fam_hierarchy, fam_interp,  # noqa: E402
                      fam_message)
from pick import Gen, extract_seeds, load_seeds, value_kinds  # noqa: E402


FAMILIES = [
    ("format", fam_format, 330),
    ("interp", fam_interp, 200),
    ("hierarchy", fam_hierarchy, 170),
    ("dictconfig", fam_dictconfig, 170),
    ("invalid", fam_invalid, 210),
    ("basic", fam_basic, 70),
    ("adapter", fam_adapter, 80),
    ("message", fam_message, 80),
]


def scenario_features(s):
    """Features visible in the scenario's text (values, styles, setup kinds)."""
    feats = set()
    kinds = set()
    for c in s.get("calls", []):
        for a in c.get("args", []):
            value_kinds(a, kinds)
        for v in c.get("extra", {}).values():
            value_kinds(v, kinds)
        if isinstance(c.get("msg"), dict):
            value_kinds(c["msg"], kinds)
        for v in c.get("msg_object", {}).get("args", []):
            value_kinds(v, kinds)
        for v in c.get("msg_object", {}).get("kwargs", {}).values():
            value_kinds(v, kinds)
        if "exc" in c:
            feats.add("exc_info")
        if "location" in c:
            feats.add("location")
    for st in s["setup"]:
        if st["op"] == "adapter":
            for v in st.get("extra", {}).values():
                value_kinds(v, kinds)
        if st["op"] == "addHandler":
            for v in st.get("formatter", {}).get("defaults", {}).values():
                value_kinds(v, kinds)
    for k in kinds:
        if k in ("none", "bool", "tuple", "float-integral", "bigint", "int-beyond-64-bits", "dict",
                 "list"):
            feats.add("value:" + k)
    text = json.dumps(s["setup"])
    if "relativeCreated" in text and s["clock"]["start_ns"] != s["clock"]["now_ns"]:
        feats.add("field:relativeCreated")
    for f in ("asctime", "msecs", "created", "taskName", "thread", "process", "threadName",
              "processName"):
        if re.search(r"[(${]%s\b" % f, text):
            feats.add("field:" + f)
    return feats


def generate(scale=1.0):
    seeds = load_seeds()
    out = []
    for fi, (family, fn, count) in enumerate(FAMILIES):
        for i in range(int(count * scale)):
            g = Gen(1_000_003 * (fi + 1) + i, seeds)
            s = fn(g, i)
            s["seed"] = 1_000_003 * (fi + 1) + i
            s["features"] = sorted(g.features | scenario_features(s))
            out.append(s)
    return out


def main(argv):
    if len(argv) >= 3 and argv[1] == "--extract-seeds":
        json.dump(extract_seeds(argv[2]), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    scale = 1.0
    if len(argv) >= 3 and argv[1] == "--count-scale":
        scale = float(argv[2])
    for s in generate(scale):
        sys.stdout.write(json.dumps(s, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv)
