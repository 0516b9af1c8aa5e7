"""Scenario families built on configurations: `dictconfig` (valid configurations, random or
from the seed fixtures) and `invalid` (one mistake with a known path, in dictConfig or
basicConfig). See gen.py.
"""

import json

from families import base
from pick import LEVELS, WORDS

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
