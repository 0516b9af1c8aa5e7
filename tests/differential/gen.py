"""Generates the differential scenarios (tests/differential/README.md describes the format).

Deterministic and stdlib-only: `gen.py [--count-scale K]` writes one scenario per line (JSON)
to stdout, each built from its own `random.Random(seed)`, so a scenario's text depends only on
its family, its index and this file (and the seeds it draws from: cookbook_seeds.json, taken
from the cookbook texts, and tests/fixtures/dictconfig/*.json).

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

`gen.py --extract-seeds DIR` reads the cookbook texts in DIR (OCR'd, so `% (name) -10s` is
normalised to `%(name)-10s`) and prints the formats, datefmts, logger names and messages
found there: that output is cookbook_seeds.json (committed).
"""

import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# ------------------------------------------------------------------------------------------
# Tagged values (tests/python/wire.py's format): {"t": kind, "v": ...}.


def T_int(n):
    # Beyond 2^53 a JSON number loses digits in JavaScript: such ints travel as strings.
    return {"t": "int", "v": n if abs(n) <= 2**53 else str(n)}


def T_float(x):
    # As Python's repr ("0.1", "1e+300", "-0.0", "nan", "inf"): a JSON number would go
    # through JSON parsers that are not all correctly rounded.
    return {"t": "float", "v": repr(x)}


def T_str(s):
    return {"t": "str", "v": s}


def T_none():
    return {"t": "none"}


def T_bool(b):
    return {"t": "bool", "v": b}


def T_list(xs):
    return {"t": "list", "v": xs}


def T_tuple(xs):
    return {"t": "tuple", "v": xs}


def T_dict(items):
    return {"t": "dict", "v": [[k, v] for k, v in items]}


def value_kinds(v, out):
    """The value kinds in a tagged value (nested), for the scenario's feature list."""
    t = v["t"]
    out.add(t)
    if t == "int" and isinstance(v["v"], str):
        out.add("bigint")
        if not -(2**63) <= int(v["v"]) < 2**63:
            out.add("int-beyond-64-bits")
    if t == "float" and float(v["v"]).is_integer():
        out.add("float-integral")
    if t in ("list", "tuple"):
        for x in v["v"]:
            value_kinds(x, out)
    if t == "dict":
        for _, x in v["v"]:
            value_kinds(x, out)
    return out


# ------------------------------------------------------------------------------------------
# Seeds.


def load_seeds():
    with open(os.path.join(HERE, "cookbook_seeds.json"), encoding="utf-8") as f:
        seeds = json.load(f)
    fixtures = {}
    fixdir = os.path.join(REPO, "tests", "fixtures", "dictconfig")
    for name in ("recipe_5_console.json", "django.json", "memory_target.json"):
        with open(os.path.join(fixdir, name), encoding="utf-8") as f:
            fixtures[name] = json.load(f)
    seeds["fixtures"] = fixtures
    return seeds


def extract_seeds(directory):
    """Formats, datefmts, logger names and messages from the cookbook texts."""
    text = ""
    for name in sorted(os.listdir(directory)):
        if name.endswith(".txt"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                text += f.read().replace("\n", " ") + "\n"
    norm = re.sub(r"% \(", "%(", text)
    norm = re.sub(r"\) +-(\d)", r")-\1", norm)
    norm = re.sub(r"\) +(-?\d*[sdfr])", r")\1", norm)
    quoted = re.findall(r"'([^'\n]{1,160})'", norm) + re.findall(r'"([^"\n]{1,160})"', norm)
    import logging

    def valid(fmt, style):
        try:
            logging.Formatter(fmt, style=style, validate=True)
            return True
        except (ValueError, KeyError):
            return False

    known = set(RECORD_FIELDS) | {"asctime", "message", "ip", "user", "appName", "method"}
    formats = []
    for q in quoted:
        if not q.isascii() or not q.isprintable() or "\\" in q:
            continue
        if "%(" in q and q.count("(") == q.count("%(") and valid(q, "%"):
            fields = re.findall(r"%\((\w+)\)", q)
            if fields and all(f in known for f in fields) and q not in formats:
                formats.append(q)
        elif "{" in q and valid(q, "{"):
            fields = re.findall(r"\{(\w+)", q)
            if fields and all(f in known for f in fields) and q not in formats:
                formats.append(q)
    datefmts = sorted(set(re.findall(r"datefmt *= *'([^']+)'", norm)))
    loggers = sorted(set(re.findall(r"getLogger\('([\w.]+)'\)", norm)))
    messages = []
    for m in re.findall(r"\.(?:debug|info|warning|error|critical|exception)\('([^'%/]{3,80})'", norm):
        if m not in messages and m.isprintable():
            messages.append(m)
    return {
        "source": "the cookbook texts (shared/seeds/*.txt), extracted by gen.py --extract-seeds",
        "formats": formats,
        "datefmts": datefmts,
        "loggers": loggers,
        "messages": messages,
    }


# ------------------------------------------------------------------------------------------
# Record fields and what they hold.

STR_FIELDS = ["name", "levelname", "message", "threadName", "processName", "module", "funcName",
              "filename", "pathname"]
INT_FIELDS = ["levelno", "lineno", "process", "thread"]
FLOAT_FIELDS = ["created", "msecs", "relativeCreated"]
RECORD_FIELDS = STR_FIELDS + INT_FIELDS + FLOAT_FIELDS + ["taskName"]
LOCATION_FIELDS = {"module", "funcName", "filename", "pathname", "lineno"}
IDENTITY_FIELDS = {"process", "thread", "threadName", "processName"}

LEVELS = [10, 20, 30, 40, 50]
LEVEL_NAMES = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}
METHODS = {10: "debug", 20: "info", 30: "warning", 40: "error", 50: "critical"}
CUSTOM_LEVELS = [(5, "TRACE"), (15, "VERBOSE"), (25, "NOTICE"), (35, "ALERT"), (45, "SEVERE"),
                 (55, "FATALITY")]

WORDS = ["alpha", "beta", "gamma", "delta", "net", "db", "io", "http", "auth", "cache", "ui",
         "worker", "core", "api", "svc"]
UNICODE = ["ünïcödé", "日本語", "naïve café", "Ωmega", "emoji 🎉", "tab\there", "ß→SS"]
EXTRA_FIELDS = ["user", "ip", "request_id", "appName", "count", "ratio"]
PATHS = ["/srv/app/handlers.py", "/usr/lib/python3.13/site-packages/pkg/mod.py",
         "main.py", "./tools/run.py", "/opt/svc/api/views.py", "lib/no_ext"]
FUNCS = ["handle", "main", "<module>", "do_something", "run_forever", "_private"]


def fields_of(fmt):
    """The record attributes a format names (any style)."""
    return set(re.findall(r"(?:%\(|\{|\$\{|\$)([A-Za-z_]\w*)", fmt))


class Gen:
    def __init__(self, seed, seeds):
        self.r = random.Random(seed)
        self.seeds = seeds
        self.features = set()

    # -- small pickers ------------------------------------------------------------------
    def chance(self, p):
        return self.r.random() < p

    def pick(self, xs):
        return xs[self.r.randrange(len(xs))]

    def logger_name(self):
        r = self.r
        if self.chance(0.4):
            return self.pick(self.seeds["loggers"])
        if self.chance(0.02):
            # Names CPython takes as they are: non-ASCII, and empty components.
            self.features.add("logger:odd-name")
            return self.pick(["ünï.côde", "日志.子", "a..b", "trailing.", ".leading", "x.y..z"])
        depth = r.choice([1, 1, 2, 2, 3])
        return ".".join(self.pick(WORDS) for _ in range(depth))

    def message(self):
        if self.chance(0.12):
            return self.pick(UNICODE)
        if self.chance(0.03):
            self.features.add("msg:newline")
            return "first line\nsecond line"
        return self.pick(self.seeds["messages"])

    def clock(self):
        r = self.r
        # 1990 … 2035, sometimes at a millisecond edge; a few before 1970 or after 2100.
        secs = r.randrange(631_152_000, 2_051_222_400)
        if self.chance(0.03):
            # Nanoseconds stay within an i64 (until 2262).
            secs = self.pick([r.randrange(-631_152_000, 0),
                              r.randrange(4_102_444_800, 9_000_000_000)])
            self.features.add("clock:far")
        frac = r.choice([0, 123_456_789, 999_999_999, 500_000_000, 1_000_000, 999_500_000,
                         r.randrange(1_000_000_000)])
        now = secs * 1_000_000_000 + frac
        start = now if self.chance(0.3) else now - r.randrange(1, 10**13)
        tz = "UTC"
        if self.chance(0.2):
            tz = self.pick(["Europe/Berlin", "America/New_York", "Asia/Kolkata",
                            "Australia/Lord_Howe", "America/St_Johns"])
            self.features.add("tz")
        # Decimal strings: exact in every JSON parser (JavaScript's numbers stop at 2^53).
        return {"now_ns": str(now), "start_ns": str(start), "tz": tz}

    # -- values -------------------------------------------------------------------------
    def scalar(self, kinds=("int", "float", "str")):
        r = self.r
        k = self.pick(list(kinds))
        if k == "int":
            if self.chance(0.015):
                # Beyond 64 bits: Python's ints have no limit.
                return T_int(self.pick([2**64 + 1, -(2**70), 10**30]))
            return T_int(self.pick([0, 1, -1, 7, 42, -273, 1000, 65535, 2**31, -(2**40),
                                    r.randrange(-10**6, 10**6), 2**53 + 1, 2**63 - 1]))
        if k == "float":
            # Integral floats (1.0, -0.0) are rare in log arguments; JavaScript cannot tell
            # them from ints.
            if self.chance(0.04):
                return T_float(self.pick([1.0, -0.0, 100.0]))
            return T_float(self.pick([0.5, -2.25, 3.141592653589793, 1e-7, 1e22, 1e300, 0.1,
                                      2.5, 0.001, float("nan"), float("inf"),
                                      float("-inf"), r.uniform(-1e6, 1e6)]))
        if k == "str":
            return T_str(self.pick(["x", "", "hello world", "it's", 'say "hi"', "a\\b",
                                    "line\nbreak", self.pick(UNICODE), self.pick(WORDS)]))
        if k == "none":
            return T_none()
        if k == "bool":
            return T_bool(self.chance(0.5))
        raise ValueError(k)

    def value(self, depth=0):
        r = self.r
        roll = r.random()
        if depth >= 2 or roll < 0.55:
            return self.scalar(("int", "float", "str", "str"))
        if roll < 0.62:
            return self.scalar(("none", "bool"))
        if roll < 0.80:
            return T_list([self.value(depth + 1) for _ in range(r.randrange(0, 4))])
        if roll < 0.82:
            return T_tuple([self.value(depth + 1) for _ in range(r.randrange(0, 4))])
        keys = r.sample(["a", "b", "key", "user", "n", "x y", "é"], r.randrange(0, 4))
        return T_dict([(k, self.value(depth + 1)) for k in keys])

    # -- identity and location -----------------------------------------------------------
    def identity(self):
        ident = {
            "process": self.pick([1, 4242, 31337, 65535]),
            "thread": self.pick([1, 140230, 123456789]),
            "threadName": self.pick(["MainThread", "worker-1", "Thread-3 (run)", "render"]),
            "processName": self.pick(["MainProcess", "SpawnProcess-2", "listener", "app"]),
        }
        if self.chance(0.4):
            # An asyncio task's name (CPython's default outside a task is None).
            ident["taskName"] = self.pick(["Task-1", "handler", "poll-loop"])
            self.features.add("identity:taskName")
        return ident

    def exception(self, depth=0):
        """`exc_info` of a call: a class, a message, a traceback of 0-3 frames (files that
        do not exist, so CPython prints no source lines), and sometimes the exception it was
        raised from (`raise ... from ...`)."""
        exc = {"type": self.pick(["ValueError", "RuntimeError", "TypeError", "OSError"]),
               "message": self.pick(["bad value", "it broke", "", "naïve: 'quoted'"])}
        n = self.pick([0, 1, 2, 3])
        # Absolute paths that exist nowhere: CPython's linecache finds no source to print.
        files = self.r.sample(["/srv/app/handlers.py", "/srv/app/db.py", "/srv/lib/io.py",
                               "/opt/svc/api/views.py"], n)
        exc["frames"] = [{"filename": f, "lineno": self.pick([3, 17, 42, 1234]),
                          "name": self.pick(FUNCS)} for f in files]
        self.features.add("exc_info")
        if n:
            self.features.add("exc_info:traceback")
        if depth == 0 and self.chance(0.25):
            exc["cause"] = self.exception(depth + 1)
            self.features.add("exc_info:cause")
        return exc

    def location(self):
        return {"pathname": self.pick(PATHS), "lineno": self.pick([1, 42, 1234, 99999]),
                "funcName": self.pick(FUNCS)}

    # -- formats ---------------------------------------------------------------------------
    def field_kind(self, f):
        if f in INT_FIELDS:
            return "int"
        if f in FLOAT_FIELDS:
            return "float"
        if f in ("count",):
            return "int"
        if f in ("ratio",):
            return "float"
        return "str"

    def pct_spec(self, kind):
        r = self.r
        flags = ""
        if self.chance(0.35):
            flags = "".join(r.sample(["-", "+", " ", "0", "#"], r.randrange(1, 3)))
        if kind == "str":
            flags = "-" if "-" in flags else ""
        width = str(r.randrange(1, 20)) if self.chance(0.45) else ""
        prec = ""
        if self.chance(0.25):
            prec = "." + str(r.randrange(0, 8))
        if kind == "str":
            conv = self.pick(["s", "s", "s", "r", "a"])
        elif kind == "int":
            conv = self.pick(["d", "d", "i", "s", "x", "X", "o", "r", "u", "e", "f"])
        else:
            conv = self.pick(["f", "f", "F", "e", "E", "g", "G", "d", "s", "r", "i"])
        if conv in "sra" and kind != "str":
            flags = "-" if "-" in flags else ""
        return flags + width + prec + conv

    def brace_spec(self, kind):
        r = self.r
        conv = ""
        spec = ""
        if kind == "str" or self.chance(0.1):
            if self.chance(0.15):
                conv = "!" + self.pick(["r", "s", "a"])
                kind = "str"
        fill_align = ""
        if self.chance(0.4):
            fill = self.pick(["", "", "*", "-", "0", "·"])
            fill_align = fill + self.pick(["<", ">", "^"] + (["="] if kind != "str" else []))
        sign = self.pick(["", "", "+", "-", " "]) if kind != "str" else ""
        alt = "#" if kind == "int" and self.chance(0.15) else ""
        zero = "0" if kind != "str" and not fill_align and self.chance(0.2) else ""
        width = str(r.randrange(1, 20)) if self.chance(0.5) else ""
        group = self.pick(["", "", "", ",", "_"]) if kind != "str" else ""
        prec = ""
        if kind == "float" and self.chance(0.6):
            prec = "." + str(r.randrange(0, 7))
        elif kind == "str" and self.chance(0.2):
            prec = "." + str(r.randrange(1, 8))
        if kind == "int":
            typ = self.pick(["", "d", "d", "x", "X", "o", "b"])
            if group == "," and typ in ("x", "X", "o", "b"):
                group = "_"
        elif kind == "float":
            typ = self.pick(["", "f", "f", "e", "E", "g", "G", "%", "F"])
        else:
            typ = self.pick(["", "", "s"])
        spec = fill_align + sign + alt + zero + width + group + prec + typ
        if spec:
            spec = ":" + spec
        return conv + spec

    def format_string(self, style, allow_location, allow_identity, extra_fields):
        """A format in `style` and the set of fields it uses."""
        r = self.r
        pool = ["name", "levelname", "levelname", "message", "levelno", "asctime", "asctime",
                "msecs", "relativeCreated", "created", "threadName", "processName", "taskName"]
        if allow_location:
            pool += ["module", "funcName", "lineno", "filename", "pathname"]
        if allow_identity:
            pool += ["process", "thread", "threadName", "processName"]
        pool += list(extra_fields)
        n = r.randrange(1, 5)
        chosen = [self.pick(pool) for _ in range(n)]
        if "message" not in chosen and self.chance(0.9):
            chosen.insert(r.randrange(len(chosen) + 1), "message")
        seps = [" ", " - ", ":", " | ", "] [", " ", "\t", ", ", " :: "]
        parts = []
        used = set()
        for f in chosen:
            used.add(f)
            kind = self.field_kind(f)
            if style == "%":
                if f == "asctime" or f == "taskName":
                    spec = self.pick(["s", "s", "-25s", "30s", ".10s", "r"])
                    if f == "taskName":
                        spec = self.pick(["s", "-8s", "r"])
                else:
                    spec = self.pct_spec(kind)
                parts.append("%%(%s)%s" % (f, spec))
            elif style == "{":
                if f == "taskName":
                    spec = self.pick(["", "!s:>6", "!r"])
                elif f == "asctime":
                    spec = self.pick(["", "", ":>30", ":.10", "!r"])
                else:
                    spec = self.brace_spec(kind)
                if f in STR_FIELDS and f != "message" and self.chance(0.04):
                    parts.append("{%s[0]}" % f)
                    self.features.add("brace:index")
                else:
                    parts.append("{%s%s}" % (f, spec))
            else:
                if self.chance(0.5):
                    parts.append("${%s}" % f)
                else:
                    parts.append("$" + f)
                    # `$name` must not run into a following identifier character.
                    parts.append(self.pick([" ", ":", "-", "]"]))
            parts.append(self.pick(seps))
        parts.pop()
        if self.chance(0.15):
            parts.insert(0, self.pick(["[", ">> ", "LOG "]))
        if self.chance(0.08):
            lit = {"%": "%%", "{": "{{}}", "$": "$$"}[style]
            parts.append(" 100" + lit)
            self.features.add("format:literal")
        return "".join(parts), used

    def datefmt(self):
        r = self.r
        if self.chance(0.25):
            return self.pick(self.seeds["datefmts"])
        codes = ["%Y", "%m", "%d", "%H", "%M", "%S", "%y", "%b", "%B", "%a", "%A", "%j", "%p",
                 "%I", "%Z", "%z", "%c", "%x", "%X", "%U", "%W", "%w", "%e", "%C", "%G", "%V",
                 "%u", "%g", "%D", "%F", "%T", "%R", "%r", "%h", "%k", "%l", "%s", "%P", "%%",
                 "%-d", "%_H", "%^a", "%#b", "%10Y", "%-m", "%n", "%t", "%E", "%Ey", "%Od"]
        seps = ["-", "/", " ", ":", "T", ".", ", ", ""]
        n = r.randrange(1, 6)
        out = []
        for i in range(n):
            out.append(self.pick(codes))
            if i < n - 1:
                out.append(self.pick(seps))
        if self.chance(0.1):
            out.append(" Uhr")
        return "".join(out)

    def formatter(self, style=None, allow_location=None, allow_identity=False, extra_fields=(),
                  allow_broken=True):
        """A Formatter's arguments as the API step (and dictConfig) takes them."""
        r = self.r
        if style is None:
            style = self.pick(["%", "%", "{", "$"])
        if allow_location is None:
            allow_location = self.chance(0.2)
        f = {}
        allowed = set(STR_FIELDS) | {"levelno", "lineno", "asctime"} | set(FLOAT_FIELDS)
        allowed |= set(extra_fields)
        if allow_identity:
            allowed |= IDENTITY_FIELDS
        seeded = [f for f in self.seeds["formats"] if fields_of(f) <= allowed]
        if style == "%" and seeded and self.chance(0.2):
            fmt = self.pick(seeded)
            style = "{" if fmt.startswith("{") else "$" if fmt.startswith("$") else "%"
            used = fields_of(fmt)
            self.features.add("seed:cookbook-format")
        else:
            fmt, used = self.format_string(style, allow_location, allow_identity, extra_fields)
        f["fmt"] = fmt
        if style != "%" or self.chance(0.3):
            f["style"] = style
        self.features.add("style:" + style)
        if "asctime" in used and self.chance(0.6):
            f["datefmt"] = self.datefmt()
            self.features.add("datefmt")
        if self.chance(0.08):
            f["validate"] = False
            self.features.add("validate:false")
            if allow_broken and self.chance(0.4):
                # Not checked at construction: CPython fails on each record instead.
                f["fmt"] = {"%": "%(message)s %(", "{": "{message} {", "$": "$message $"}[style]
                self.features.add("validate:false-broken")
        return f, used

    # -- calls -----------------------------------------------------------------------------
    def call(self, logger=None, adapter=None, levels=None, args_kinds="simple",
             extra_fields=(), msg=None):
        r = self.r
        c = {}
        if adapter is not None:
            c["adapter"] = adapter
        else:
            c["logger"] = logger
        if levels is None:
            levels = LEVELS
        lv = self.pick(levels)
        if lv in METHODS and self.chance(0.85):
            m = METHODS[lv]
            if m == "warning" and self.chance(0.1):
                m = "warn"
            if m == "critical" and adapter is None and self.chance(0.1):
                m = "fatal"  # a Logger method only: LoggerAdapter has no fatal
            c["method"] = m
        else:
            c["method"] = "log"
            c["level"] = lv
        c["msg"] = msg if msg is not None else self.message()
        if args_kinds == "simple" and self.chance(0.3) and "%" not in c["msg"]:
            # A message with `%s` / `%d` placeholders and matching arguments.
            n = r.randrange(1, 3)
            pieces, args = [], []
            for _ in range(n):
                if self.chance(0.5):
                    pieces.append("%s")
                    args.append(self.value())
                else:
                    pieces.append("%d")
                    args.append(T_int(r.randrange(-1000, 100000)))
            c["msg"] = c["msg"] + " " + " ".join(pieces)
            c["args"] = args
        if extra_fields:
            extra = []
            for f in extra_fields:
                if self.chance(0.9):
                    extra.append((f, self.extra_value(f)))
            if extra:
                c["extra"] = dict(extra)
        return c

    def extra_value(self, f):
        kind = self.field_kind(f)
        if kind == "int":
            return T_int(self.r.randrange(-5, 10**6))
        if kind == "float":
            return T_float(self.pick([0.25, 99.5, 1e-3, 12345.678, -0.5]))
        if f == "ip":
            return T_str(self.pick(["192.168.0.1", "10.0.0.254", "::1"]))
        return T_str(self.pick(["ann", "bob", "jim", "Ωmega", "x" * 12, "tom"]))


# ------------------------------------------------------------------------------------------
# Families.


def base(g, family, index):
    return {"id": "%s-%04d" % (family, index), "family": family, "clock": g.clock()}


def fam_format(g, index):
    s = base(g, "format", index)
    r = g.r
    loc = g.chance(0.25)
    ident = g.chance(0.25)
    extra_fields = r.sample(EXTRA_FIELDS, r.randrange(0, 3)) if g.chance(0.3) else []
    fmt, used = g.formatter(allow_location=loc, allow_identity=ident, extra_fields=extra_fields)
    if ident:
        s["identity"] = g.identity()
        g.features.add("identity")
    if loc and used & LOCATION_FIELDS:
        g.features.add("location")
    name = g.logger_name()
    steps = []
    mode = r.random()
    defaults = {}
    if extra_fields and g.chance(0.4):
        for f in extra_fields:
            if g.chance(0.6):
                defaults[f] = g.extra_value(f)
        if defaults:
            fmt["defaults"] = defaults
            g.features.add("defaults")
    if mode < 0.7 or defaults:
        g.features.add("setup:api")
        if g.chance(0.5):
            steps.append({"op": "getLogger", "name": name})
        steps.append({"op": "setLevel", "logger": name, "level": g.pick([1, 5, 10, "DEBUG"])})
        steps.append({"op": "addHandler", "logger": name, "handler": "h",
                      "stream": g.pick(["stdout", "stderr"]), "formatter": fmt})
        if g.chance(0.3):
            steps.append({"op": "propagate", "logger": name, "value": False})
    elif mode < 0.85:
        g.features.add("setup:basicConfig")
        kw = {"format": fmt["fmt"], "level": g.pick([5, "DEBUG", 10])}
        if "style" in fmt:
            kw["style"] = fmt["style"]
        if "datefmt" in fmt:
            kw["datefmt"] = fmt["datefmt"]
        if g.chance(0.5):
            kw["stream"] = g.pick(["stdout", "stderr"])
        if fmt.get("validate") is False:
            del fmt["validate"]
        steps.append({"op": "basicConfig", "kwargs": kw})
    else:
        g.features.add("setup:dictConfig")
        fconf = {"format": fmt["fmt"]}
        for k in ("style", "datefmt", "validate"):
            if k in fmt:
                fconf[k] = fmt[k]
        conf = {
            "version": 1,
            "formatters": {"f": fconf},
            "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f",
                               "stream": "ext://sys." + g.pick(["stdout", "stderr"])}},
            "root": {"level": "DEBUG", "handlers": ["h"]},
        }
        steps.append({"op": "dictConfig", "config": conf})
    s["setup"] = steps
    levels = LEVELS + [5, 25] if g.chance(0.2) else LEVELS
    calls = []
    for _ in range(r.randrange(1, 4)):
        c = g.call(logger=name, levels=levels, extra_fields=extra_fields)
        if loc:
            c["location"] = g.location()
        if g.chance(0.06):
            # logger.exception(...) or exc_info= on another level.
            if g.chance(0.5):
                c["method"] = "exception"
                c.pop("level", None)
            c["exc"] = g.exception()
        calls.append(c)
    s["calls"] = calls
    return s


def pct_directive(g):
    """One `%` directive and the argument(s) it consumes."""
    r = g.r
    conv = g.pick(list("diouxXeEfFgGcrsa%") + ["s", "d", "s", "f"])
    if conv == "%":
        return "%%", []
    flags = "".join(r.sample(["-", "+", " ", "0", "#"], r.randrange(0, 3))) if g.chance(0.5) else ""
    args = []
    width = ""
    if g.chance(0.15):
        width = "*"
        args.append(T_int(r.randrange(-12, 15)))
        g.features.add("interp:star")
    elif g.chance(0.4):
        width = str(r.randrange(1, 16))
    prec = ""
    if g.chance(0.12):
        prec = ".*"
        args.append(T_int(r.randrange(0, 9)))
        g.features.add("interp:star")
    elif g.chance(0.3):
        prec = "." + str(r.randrange(0, 10))
    if conv in "diu":
        a = g.pick([T_int(r.randrange(-10**9, 10**9)), T_int(0), T_float(g.pick([3.99, -2.5, 1e10])),
                    T_bool(True), T_int(2**62)])
        if g.chance(0.03):
            a = T_int(g.pick([2**64, -(2**65) - 7, 10**25]))
    elif conv in "oxX":
        a = T_int(g.pick([0, 255, -255, 2**40, r.randrange(10**7)]))
    elif conv in "eEfFgG":
        a = g.pick([T_float(g.pick([0.1, -1234.5678, 1e-10, 6.02e23, 0.0, -0.0, 1.5, float("nan"),
                                    float("inf"), 2.5, 123456789.0])),
                    T_int(g.pick([7, -3, 10**15]))])
    elif conv == "c":
        a = g.pick([T_int(g.pick([65, 97, 0x263A, 0x1F389])), T_str(g.pick(["x", "é", "€"]))])
    else:
        a = g.value()
    args.append(a)
    return "%" + flags + width + prec + conv, args


def fam_interp(g, index):
    s = base(g, "interp", index)
    r = g.r
    name = g.logger_name()
    fmt = g.pick(["%(message)s", "%(levelname)s:%(name)s:%(message)s", "[%(message)r]",
                  "{message}", "${message}", "%(message)-40s|", "{message!r:>50}"])
    style = "{" if fmt.startswith("{") else "$" if fmt.startswith("$") else "%"
    f = {"fmt": fmt}
    if style != "%":
        f["style"] = style
    s["setup"] = [{"op": "setLevel", "logger": name, "level": 10},
                  {"op": "addHandler", "logger": name, "handler": "h",
                   "stream": g.pick(["stdout", "stderr"]), "formatter": f}]
    calls = []
    for _ in range(r.randrange(1, 5)):
        c = {"logger": name, "method": g.pick(["info", "warning", "error", "debug"])}
        roll = r.random()
        if roll < 0.15:
            # Mapping argument: one dict whose keys the directives name.
            keys = r.sample(["a", "b", "user", "n", "x_y", "é"], r.randrange(1, 4))
            items = [(k, g.value()) for k in keys]
            pieces = []
            for k, v in items:
                spec = g.pick(["s", "r", "s", "-6s", "10s"])
                if v["t"] == "int":
                    spec = g.pick(["d", "5d", "x", "s", "+d"])
                pieces.append("%%(%s)%s" % (k, spec))
            c["msg"] = g.message() + " " + " ".join(pieces)
            c["args"] = [T_dict(items)]
            g.features.add("interp:mapping")
        elif roll < 0.2:
            # A message object that is not a string (str(msg) is used).
            c["msg"] = g.value()
            g.features.add("msg:object")
        elif roll < 0.25:
            # Arguments with no placeholders, or a `%` with no arguments.
            if g.chance(0.5):
                c["msg"] = "100% sure %d"
            else:
                c["msg"] = "no placeholders"
                c["args"] = [g.value()]
                g.features.add("logging-error")
        else:
            pieces, args = [], []
            for _ in range(r.randrange(1, 4)):
                d, a = pct_directive(g)
                pieces.append(g.pick(["", "x=", " ", "[", "→"]) + d)
                args.extend(a)
            c["msg"] = "".join(pieces)
            c["args"] = args
            if g.chance(0.05):
                c["args"] = args[:-1] if args else [T_int(1)]
        if "msg" not in c:
            c["msg"] = g.message()
        calls.append(c)
    s["calls"] = calls
    g.features.add("style:" + style)
    return s


def handler_step(g, logger, hid, filters=True):
    st = {"op": "addHandler", "logger": logger, "handler": hid,
          "stream": g.pick(["stdout", "stdout", "stderr"])}
    if g.chance(0.4):
        st["level"] = g.pick([10, 20, 30, 40, "INFO", "ERROR", 25])
    st["formatter"] = {"fmt": g.pick(["%(name)s:%(levelname)s:%(message)s",
                                      "%(levelname)-8s %(name)-12s %(message)s",
                                      hid + " {name} {levelno} {message}",
                                      "$levelname/$name: $message"])}
    if "{" in st["formatter"]["fmt"]:
        st["formatter"]["style"] = "{"
    elif "$" in st["formatter"]["fmt"]:
        st["formatter"]["style"] = "$"
    if filters and g.chance(0.2):
        st["filters"] = [logger.rsplit(".", 1)[0] if "." in logger and g.chance(0.5) else g.logger_name()]
        g.features.add("filter:handler")
    return st


def fam_hierarchy(g, index):
    s = base(g, "hierarchy", index)
    r = g.r
    roots = [g.pick(WORDS) for _ in range(2)]
    names = set()
    for _ in range(r.randrange(3, 7)):
        n = g.pick(roots)
        for _ in range(r.randrange(0, 3)):
            n += "." + g.pick(WORDS[:6])
        names.add(n)
    names = sorted(names)
    steps = []
    custom = []
    if g.chance(0.25):
        custom = r.sample(CUSTOM_LEVELS, r.randrange(1, 3))
        for lv, nm in custom:
            steps.append({"op": "addLevelName", "level": lv, "name": nm})
        g.features.add("addLevelName")
    order = names[:]
    r.shuffle(order)
    for n in order:
        if g.chance(0.7):
            steps.append({"op": "getLogger", "name": n})
    if g.chance(0.6):
        steps.append({"op": "setLevel", "logger": "", "level": g.pick([10, 20, 30, 40, "INFO", "DEBUG"])})
    handlers = 0
    if g.chance(0.75):
        steps.append(handler_step(g, "", "h%d" % handlers))
        handlers += 1
    for n in names:
        if g.chance(0.4):
            lv = g.pick([0, 10, 20, 30, 40, 50, "WARNING", "ERROR", "DEBUG", "NOTSET"])
            if custom and g.chance(0.3):
                lv = g.pick(custom)[1]
            steps.append({"op": "setLevel", "logger": n, "level": lv})
        if g.chance(0.25):
            steps.append(handler_step(g, n, "h%d" % handlers))
            handlers += 1
        if g.chance(0.15):
            steps.append({"op": "propagate", "logger": n, "value": False})
            g.features.add("propagate")
        if g.chance(0.07):
            steps.append({"op": "disabled", "logger": n, "value": True})
            g.features.add("disabled")
        if g.chance(0.1):
            steps.append({"op": "addFilter", "logger": n, "name": g.pick(names + [g.pick(roots)])})
            g.features.add("filter:logger")
    if handlers and g.chance(0.1):
        # Remove one handler again (from the logger it was added to).
        adds = [st for st in steps if st["op"] == "addHandler"]
        st = g.pick(adds)
        steps.append({"op": "removeHandler", "logger": st["logger"], "handler": st["handler"]})
        g.features.add("removeHandler")
    if g.chance(0.12):
        steps.append({"op": "disable", "level": g.pick([10, 20, 30, "INFO", "WARNING", 0])})
        g.features.add("disable")
    if handlers == 0:
        g.features.add("lastResort")
    s["setup"] = steps
    levels = LEVELS + [lv for lv, _ in custom] + ([5, 25] if g.chance(0.2) else [])
    if g.chance(0.1):
        levels = levels + [1, 51, 99, 1000]
        g.features.add("level:unnamed")
    callers = names + [n + ".child" for n in names[:2]] + [""]
    s["calls"] = [g.call(logger=g.pick(callers), levels=levels, args_kinds="simple")
                  for _ in range(r.randrange(2, 8))]
    return s


def dict_formatters(g, extra_fields=()):
    out = {}
    for i in range(g.r.randrange(1, 4)):
        f, used = g.formatter(allow_location=False, extra_fields=extra_fields)
        conf = {"format": f["fmt"]}
        if "style" in f:
            conf["style"] = f["style"]
        if "datefmt" in f:
            conf["datefmt"] = f["datefmt"]
        if "validate" in f:
            conf["validate"] = f["validate"]
        if g.chance(0.08):
            conf = {"()": "logging.Formatter", "fmt": conf.pop("format"), **conf}
            g.features.add("dict:()formatter")
        elif g.chance(0.03):
            # CPython ignores '.' on a formatter entry without '()'.
            conf["."] = {"converter": "time.gmtime"}
            g.features.add("dict:formatter-dot-ignored")
        elif g.chance(0.05):
            conf["class"] = "logging.Formatter"
        out["f%d" % i] = conf
    return out


def fam_dictconfig(g, index):
    s = base(g, "dictconfig", index)
    r = g.r
    steps = []
    if g.chance(0.15):
        conf, calls_loggers = seeded_config(g)
    else:
        conf, calls_loggers = random_config(g)
    # Loggers that exist before the configuration (disable_existing_loggers acts on them).
    pre = []
    if g.chance(0.5):
        for n in r.sample(calls_loggers, min(len(calls_loggers), r.randrange(1, 4))):
            steps.append({"op": "getLogger", "name": n})
            pre.append(n)
        g.features.add("dict:pre-existing")
    if "disable_existing_loggers" in conf:
        g.features.add("dict:disable_existing_loggers")
    steps.append({"op": "dictConfig", "config": conf})
    if g.chance(0.15):
        # An incremental configuration on top: levels of loggers and handlers.
        inc = {"version": 1, "incremental": True}
        if conf.get("handlers") and g.chance(0.6):
            h = g.pick(sorted(conf["handlers"]))
            inc["handlers"] = {h: {"level": g.pick(["DEBUG", "ERROR", 30])}}
        if conf.get("loggers") and g.chance(0.7):
            n = g.pick(sorted(conf["loggers"]))
            inc["loggers"] = {n: {"level": g.pick(["DEBUG", "WARNING", "CRITICAL"]),
                                  "propagate": g.chance(0.5)}}
        if g.chance(0.5):
            inc["root"] = {"level": g.pick(["INFO", "ERROR", 10])}
        steps.append({"op": "dictConfig", "config": inc})
        g.features.add("dict:incremental")
    elif g.chance(0.1):
        # A second full configuration replaces the first (and closes its handlers).
        conf2, more = random_config(g)
        steps.append({"op": "dictConfig", "config": conf2})
        calls_loggers = calls_loggers + more
        g.features.add("dict:reconfigure")
    s["setup"] = steps
    callers = calls_loggers + [""] + [n + ".sub" for n in calls_loggers[:1]]
    s["calls"] = [g.call(logger=g.pick(callers), levels=LEVELS) for _ in range(r.randrange(2, 8))]
    return s


def random_config(g):
    r = g.r
    conf = {"version": 1}
    if g.chance(0.5):
        conf["disable_existing_loggers"] = g.chance(0.5)
    formatters = dict_formatters(g)
    conf["formatters"] = formatters
    filters = {}
    if g.chance(0.35):
        for i in range(r.randrange(1, 3)):
            roll = r.random()
            if roll < 0.5:
                filters["flt%d" % i] = {"name": g.logger_name()}
                g.features.add("filter:name")
            elif roll < 0.8:
                filters["flt%d" % i] = {"()": "__main__.filter_maker",
                                        "level": g.pick(["INFO", "WARNING", "ERROR"])}
                g.features.add("factory:filter_maker")
            else:
                filters["flt%d" % i] = {"()": "project.logging.SpecialFilter", "foo": g.pick(["bar", "baz"])}
                g.features.add("factory:SpecialFilter")
        conf["filters"] = filters
    handlers = {}
    use_cfg = g.chance(0.12)
    if use_cfg:
        conf["levels"] = {"quiet": "ERROR", "chatty": "DEBUG"}
        conf["streams"] = {"out": "ext://sys.stdout"}
        g.features.add("dict:cfg")
    for i in range(r.randrange(1, 4)):
        hid = "h%d" % i
        roll = r.random()
        if roll < 0.75:
            h = {"class": "logging.StreamHandler"}
            if g.chance(0.75):
                h["stream"] = "ext://sys." + g.pick(["stdout", "stderr"])
            if use_cfg and g.chance(0.5):
                h["stream"] = "cfg://streams.out"
            if g.chance(0.04):
                # Attributes set after construction: a terminator that still ends the line.
                h["."] = {"terminator": g.pick([" <<\n", "\n\n", ";\n"])}
                g.features.add("dict:terminator")
        elif roll < 0.85:
            h = {"class": "logging.NullHandler"}
        else:
            h = {"class": "logging.handlers.MemoryHandler", "capacity": g.pick([1, 2, 3, 10]),
                 "flushLevel": g.pick(["ERROR", "WARNING", 50])}
            if g.chance(0.3):
                h["flushOnClose"] = False
                g.features.add("memory:flushOnClose=False")
            g.features.add("handler:memory")
        if h["class"] != "logging.NullHandler":
            if g.chance(0.7):
                h["formatter"] = g.pick(sorted(formatters))
            if g.chance(0.35):
                h["level"] = g.pick(["DEBUG", "INFO", "WARNING", "ERROR", 15, 30])
                if use_cfg and g.chance(0.5):
                    h["level"] = "cfg://levels.%s" % g.pick(["quiet", "chatty"])
            if filters and g.chance(0.4):
                h["filters"] = r.sample(sorted(filters), 1)
        handlers[hid] = h
    # Memory handlers get a stream target (another handler: the second pass).
    streams = [k for k, v in handlers.items() if v["class"] == "logging.StreamHandler"]
    for k, v in handlers.items():
        if v["class"].endswith("MemoryHandler"):
            if streams and g.chance(0.85):
                v["target"] = g.pick(streams)
            else:
                g.features.add("memory:no-target")
    conf["handlers"] = handlers
    loggers = {}
    names = []
    if g.chance(0.03):
        # The root logger under its empty name in `loggers` (instead of `root`).
        loggers[""] = {"level": g.pick(["DEBUG", "WARNING"]), "handlers": [sorted(handlers)[0]]}
        g.features.add("dict:root-as-empty-name")
    for _ in range(r.randrange(1, 4)):
        n = g.logger_name()
        names.append(n)
        lc = {}
        if g.chance(0.7):
            lc["level"] = g.pick(["DEBUG", "INFO", "WARNING", "ERROR", 10, 25])
        if g.chance(0.6):
            lc["handlers"] = r.sample(sorted(handlers), r.randrange(1, len(handlers) + 1))
        if g.chance(0.35):
            lc["propagate"] = g.chance(0.5)
        if filters and g.chance(0.2):
            lc["filters"] = r.sample(sorted(filters), 1)
        loggers[n] = lc
    conf["loggers"] = loggers
    if g.chance(0.8):
        root = {"level": g.pick(["DEBUG", "INFO", "WARNING", "NOTSET", 40])}
        if g.chance(0.7):
            root["handlers"] = r.sample(sorted(handlers), r.randrange(1, len(handlers) + 1))
        conf["root"] = root
    if g.chance(0.1):
        # The formats by reference: cfg:// into a top-level table.
        conf["formats"] = {k: v.get("format", v.get("fmt")) for k, v in formatters.items()}
        for k, v in formatters.items():
            if "format" in v:
                v["format"] = "cfg://formats.%s" % k
        g.features.add("dict:cfg")
    # A few loggers below the configured ones (created by the calls).
    return conf, names + [n + "." + g.pick(WORDS) for n in names[:1]]


def seeded_config(g):
    """One of the fixture configurations, with its levels, streams and formats varied."""
    r = g.r
    name = g.pick(sorted(g.seeds["fixtures"]))
    conf = json.loads(json.dumps(g.seeds["fixtures"][name]))
    g.features.add("seed:" + name)
    if "django" in name:
        g.features.add("factory:SpecialFilter")
        g.features.add("factory:AdminEmailHandler")
    if "recipe_5" in name:
        g.features.add("factory:filter_maker")
    if "memory" in name:
        g.features.add("handler:memory")
    for h in conf.get("handlers", {}).values():
        if "level" in h and g.chance(0.4):
            h["level"] = g.pick(["DEBUG", "INFO", "WARNING", "ERROR"])
        if h.get("class") == "logging.StreamHandler" and g.chance(0.3):
            h["stream"] = "ext://sys." + g.pick(["stdout", "stderr"])
    for f in conf.get("formatters", {}).values():
        if g.chance(0.3):
            nf, _ = g.formatter(style=f.get("style", "%"), allow_location=False)
            f["format"] = nf["fmt"]
            if "datefmt" in nf:
                f["datefmt"] = nf["datefmt"]
    loggers = sorted(conf.get("loggers", {}))
    if g.chance(0.3):
        conf["disable_existing_loggers"] = g.chance(0.5)
    return conf, loggers + ["app", "x.y"]


# -- invalid configurations ----------------------------------------------------------------

def fam_invalid(g, index):
    s = base(g, "invalid", index)
    r = g.r
    if g.chance(0.2):
        return invalid_basic(g, s)
    conf, names = random_config(g)
    path, how = inject_error(g, conf)
    g.features.add("invalid:" + how)
    steps = []
    if g.chance(0.3):
        steps.append({"op": "getLogger", "name": g.pick(names)})
    steps.append({"op": "dictConfig", "config": conf, "error_path": path})
    s["setup"] = steps
    s["calls"] = []
    return s


def inject_error(g, conf):
    r = g.r
    hs = sorted(conf["handlers"])
    fs = sorted(conf["formatters"])
    ls = sorted(conf["loggers"])
    kinds = ["handler-level", "format", "style", "handler-formatter", "handler-filter",
             "logger-handler", "logger-level", "root-level", "class", "version",
             "kwarg", "memory-target", "memory-capacity", "cfg", "stream",
             "root-handler", "missing-version", "formatter-kwarg", "handler-level",
             "format", "logger-level", "class", "kwarg"]
    how = g.pick(kinds)
    if g.chance(0.03):
        # CPython ignores unknown keys here (kept, rarely, to show where a host differs).
        how = g.pick(["filter-kwarg", "root-unknown-key"])
    if how == "handler-level":
        h = g.pick(hs)
        conf["handlers"][h]["level"] = g.pick(["LOUD", "info ", "Level 5"])
        return "handlers.%s.level" % h, how
    if how == "format":
        f = g.pick(fs)
        conf["formatters"][f].pop("fmt", None)
        conf["formatters"][f].pop("()", None)
        conf["formatters"][f].pop("class", None)
        conf["formatters"][f].pop("validate", None)
        style = conf["formatters"][f].get("style", "%")
        conf["formatters"][f]["format"] = g.pick({
            "%": ["%(message)", "%(message)z", "no fields", "%(message)s %(", "%(asctime)-s x %"],
            "{": ["{message", "{message!x}", "no fields", "{message:%}", "{message!}"],
            "$": ["$", "${message", "no fields", "$1"],
        }[style])
        return "formatters.%s.format" % f, how
    if how == "style":
        f = g.pick(fs)
        conf["formatters"][f]["style"] = g.pick(["#", "%s", "{}"])
        return "formatters.%s.style" % f, how
    if how == "handler-formatter":
        h = g.pick(hs)
        conf["handlers"][h]["class"] = "logging.StreamHandler"
        conf["handlers"][h].pop("capacity", None)
        conf["handlers"][h].pop("flushLevel", None)
        conf["handlers"][h].pop("target", None)
        conf["handlers"][h].pop("flushOnClose", None)
        conf["handlers"][h]["formatter"] = "missing_formatter"
        return "handlers.%s.formatter" % h, how
    if how == "handler-filter":
        h = g.pick(hs)
        conf["handlers"][h]["filters"] = ["missing_filter"]
        return "handlers.%s.filters[0]" % h, how
    if how == "logger-handler":
        n = g.pick(ls)
        conf["loggers"][n]["handlers"] = conf["loggers"][n].get("handlers", [])[:1] + ["missing_handler"]
        return "loggers.%s.handlers[%d]" % (n, len(conf["loggers"][n]["handlers"]) - 1), how
    if how == "logger-level":
        n = g.pick(ls)
        conf["loggers"][n]["level"] = g.pick(["NOPE", "debug", "Level 10"])
        return "loggers.%s.level" % n, how
    if how == "root-level":
        conf["root"] = conf.get("root", {})
        conf["root"]["level"] = g.pick(["NOPE", "warn"])
        return "root.level", how
    if how == "root-handler":
        conf["root"] = conf.get("root", {})
        conf["root"]["handlers"] = ["nope"]
        return "root.handlers[0]", how
    if how == "class":
        h = g.pick(hs)
        conf["handlers"][h]["class"] = g.pick(["logging.Nope", "logging.handlers.NoSuchHandler",
                                               "nomodule.Handler"])
        return "handlers.%s.class" % h, how
    if how == "version":
        conf["version"] = g.pick([2, 0, "1"])
        return "version", how
    if how == "missing-version":
        del conf["version"]
        return "version", how
    if how == "kwarg":
        h = g.pick(hs)
        conf["handlers"][h] = {"class": "logging.StreamHandler", "colour": "red"}
        return "handlers.%s.colour" % h, how
    if how == "filter-kwarg":
        conf.setdefault("filters", {})["bad"] = {"nmae": "a"}
        return "filters.bad.nmae", how
    if how == "formatter-kwarg":
        conf["formatters"]["badf"] = {"()": "logging.Formatter", "fromat": "%(message)s"}
        return "formatters.badf.fromat", how
    if how == "memory-target":
        conf["handlers"]["mem"] = {"class": "logging.handlers.MemoryHandler", "capacity": 2,
                                   "target": "nowhere"}
        return "handlers.mem.target", how
    if how == "memory-capacity":
        conf["handlers"]["mem"] = {"class": "logging.handlers.MemoryHandler"}
        return "handlers.mem.capacity", how
    if how == "cfg":
        h = g.pick(hs)
        conf["handlers"][h]["level"] = "cfg://nowhere.level"
        return "handlers.%s.level" % h, how
    if how == "stream":
        h = g.pick(hs)
        conf["handlers"][h] = {"class": "logging.StreamHandler", "stream": "ext://sys.nowhere"}
        return "handlers.%s.stream" % h, how
    if how == "root-unknown-key":
        # CPython ignores unknown keys in a logger's dict: the oracle will find this valid.
        conf["root"] = {"level": "INFO", "propgate": False}
        return "root.propgate", how
    raise ValueError(how)


def invalid_basic(g, s):
    r = g.r
    kw = {"format": "%(levelname)s %(message)s"}
    how = g.pick(["style", "level", "format", "unknown", "stream+filename", "level-type"])
    if how == "style":
        kw["style"] = g.pick(["#", "%%", "{}"])
        path = "style"
    elif how == "level":
        kw["level"] = g.pick(["LOUD", "info"])
        path = "level"
    elif how == "format":
        kw["style"] = g.pick(["%", "{", "$"])
        kw["format"] = {"%": "%(message)", "{": "{message", "$": "no fields"}[kw["style"]]
        path = "format"
    elif how == "unknown":
        kw["fmt"] = "%(message)s"
        path = "fmt"
    elif how == "stream+filename":
        kw["stream"] = "stdout"
        kw["filename"] = "app.log"
        path = "stream"
    else:
        kw["level"] = 2.5
        path = "level"
    g.features.add("invalid:basic-" + how)
    s["setup"] = [{"op": "basicConfig", "kwargs": kw, "error_path": path}]
    s["calls"] = []
    return s


def fam_basic(g, index):
    s = base(g, "basic", index)
    r = g.r
    steps = []
    kw = {}
    if g.chance(0.8):
        f, used = g.formatter(allow_location=False)
        kw["format"] = f["fmt"]
        if "style" in f:
            kw["style"] = f["style"]
        if "datefmt" in f:
            kw["datefmt"] = f["datefmt"]
    elif g.chance(0.5):
        kw["style"] = g.pick(["{", "$"])
        g.features.add("basic:default-format")
    if g.chance(0.7):
        kw["level"] = g.pick([10, 20, 30, "DEBUG", "INFO", "ERROR", 5])
    if g.chance(0.6):
        kw["stream"] = g.pick(["stdout", "stderr"])
    if g.chance(0.2):
        # A handler already on the root: basicConfig does nothing unless force.
        steps.append(handler_step(g, "", "pre", filters=False))
        if g.chance(0.6):
            kw["force"] = True
            g.features.add("basic:force")
        else:
            g.features.add("basic:noop")
    steps.append({"op": "basicConfig", "kwargs": kw})
    if g.chance(0.2):
        steps.append({"op": "basicConfig", "kwargs": {"format": "second %(message)s"}})
        g.features.add("basic:twice")
    s["setup"] = steps
    names = [g.logger_name() for _ in range(2)] + [""]
    s["calls"] = [g.call(logger=g.pick(names)) for _ in range(r.randrange(1, 6))]
    return s


def fam_adapter(g, index):
    s = base(g, "adapter", index)
    r = g.r
    name = g.logger_name()
    fields = r.sample(EXTRA_FIELDS, r.randrange(1, 3))
    f, used = g.formatter(extra_fields=fields, allow_location=False)
    steps = [{"op": "setLevel", "logger": name, "level": 10},
             {"op": "addHandler", "logger": name, "handler": "h",
              "stream": g.pick(["stdout", "stderr"]), "formatter": f}]
    adapters = []
    bound = r.sample(fields, r.randrange(1, len(fields) + 1))
    st = {"op": "adapter", "id": "a0", "logger": name,
          "extra": {k: g.extra_value(k) for k in bound}}
    if g.chance(0.5):
        st["merge_extra"] = g.chance(0.7)
        if st["merge_extra"]:
            g.features.add("adapter:merge_extra")
    steps.append(st)
    adapters.append("a0")
    if g.chance(0.2):
        steps.append({"op": "adapter", "id": "a1", "adapter": "a0",
                      "extra": {k: g.extra_value(k) for k in fields}})
        adapters.append("a1")
        g.features.add("adapter:nested")
    s["setup"] = steps
    calls = []
    for _ in range(r.randrange(1, 5)):
        if g.chance(0.8):
            extra_fields = fields if g.chance(0.4) else ()
            c = g.call(adapter=g.pick(adapters), extra_fields=extra_fields)
        else:
            c = g.call(logger=name, extra_fields=fields)
        calls.append(c)
    if g.chance(0.1):
        # An extra key that clashes with a record attribute: CPython raises KeyError.
        c = g.call(logger=name)
        c["extra"] = {g.pick(["message", "asctime", "name", "levelno"]): T_str("clash")}
        calls.append(c)
        g.features.add("extra:clash")
    if g.chance(0.1):
        c = g.call(adapter="a0")
        c["method"] = "exception"
        c.pop("level", None)
        c["exc"] = g.exception()
        calls.append(c)
    s["calls"] = calls
    g.features.add("adapter")
    return s


def brace_message(g):
    """A BraceMessage's format and its arguments (all of them valid)."""
    r = g.r
    kind = g.pick(["positional", "auto", "keyword", "mixed", "index"])
    args, kwargs = [], {}
    if kind == "positional":
        n = r.randrange(1, 4)
        args = [g.value() for _ in range(n)]
        order = list(range(n))
        r.shuffle(order)
        # A format spec applies to the value itself: containers and None take none.
        specs = lambda a: (["", "", "!r", ":>8", ":<6", "!s:^9"]
                           if a["t"] in ("int", "float", "str") else ["", "!r", "!s:^9"])
        fmt = " ".join("{%d%s}" % (i, g.pick(specs(args[i]))) for i in order)
    elif kind == "auto":
        n = r.randrange(1, 4)
        args = [g.scalar(("int", "str")) for _ in range(n)]
        fmt = ", ".join("{}" for _ in range(n))
    elif kind == "keyword":
        keys = r.sample(["name", "count", "where", "ratio"], r.randrange(1, 4))
        for k in keys:
            kwargs[k] = T_int(r.randrange(-5, 10**6)) if k == "count" else (
                T_float(g.pick([0.5, 12.25, 1e-3])) if k == "ratio" else T_str(g.pick(WORDS)))
        spec = {"count": ["", ":,", ":08d", ":x"], "ratio": ["", ":.2f", ":e", ":%"],
                "name": ["", "!r", ":>10"], "where": ["", ":^12", "!a"]}
        fmt = " ".join("%s={%s%s}" % (k, k, g.pick(spec[k])) for k in keys)
    elif kind == "mixed":
        args = [g.scalar(("int", "str"))]
        kwargs = {"who": T_str(g.pick(UNICODE + WORDS))}
        fmt = "{0} by {who} {{literal}}"
    else:
        args = [T_list([T_int(1), T_str("two"), T_int(3)]),
                T_dict([("key", T_str("v")), ("n", T_int(7))])]
        fmt = "{0[1]} {1[key]} {1[n]:>4}"
    if g.chance(0.3):
        fmt = g.message() + ": " + fmt
    return {"kind": "brace", "fmt": fmt, "args": args, "kwargs": kwargs}


def dollar_message(g):
    r = g.r
    keys = r.sample(["user", "item", "price", "n"], r.randrange(1, 4))
    kwargs = {k: (T_int(r.randrange(0, 1000)) if k in ("n", "price") else T_str(g.pick(WORDS + UNICODE)))
              for k in keys}
    pieces = []
    for k in keys:
        pieces.append(g.pick(["$%s", "${%s}", "${%s}s"]) % k)
    fmt = " ".join(pieces)
    if g.chance(0.3):
        fmt += " costs $$5"
    return {"kind": "dollar", "fmt": fmt, "kwargs": kwargs}


def fam_message(g, index):
    """Message objects (cookbook recipes 14 and 24): BraceMessage and DollarMessage."""
    s = base(g, "message", index)
    r = g.r
    name = g.logger_name()
    # No format that fails per record: the report would show repr(msg), which for the
    # cookbook's classes is CPython's default `<... object at 0x...>`, an address.
    f, _ = g.formatter(allow_location=False, allow_broken=False)
    s["setup"] = [{"op": "setLevel", "logger": name, "level": 10},
                  {"op": "addHandler", "logger": name, "handler": "h",
                   "stream": g.pick(["stdout", "stderr"]), "formatter": f}]
    calls = []
    for _ in range(r.randrange(1, 4)):
        c = g.call(logger=name)
        c.pop("args", None)
        c.pop("msg")
        c["msg_object"] = brace_message(g) if g.chance(0.65) else dollar_message(g)
        g.features.add("message:" + c["msg_object"]["kind"])
        calls.append(c)
    s["calls"] = calls
    return s


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
