"""Scenario families built on the API steps: `format`, `interp`, `hierarchy`, `basic`,
`adapter` and `message` (see gen.py). Each `fam_*(g, index)` returns one scenario from the
seeded picker `g`.
"""

from pick import (CUSTOM_LEVELS, EXTRA_FIELDS, LEVELS, LOCATION_FIELDS, UNICODE, WORDS, T_bool,
                  T_dict, T_float, T_int, T_list, T_str)

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
