"""What the scenario generator draws from: tagged values (tests/python/wire.py's format), the
seeds (cookbook_seeds.json, the dictConfig fixtures, and `extract_seeds`, which made
cookbook_seeds.json from the cookbook texts), and `Gen`, one scenario's seeded picker of
names, messages, clocks, values, identities, exceptions, formats and calls. See gen.py.
"""

import json
import os
import random
import re

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
