"""The cookbook tour of `src/wasi/tour.rs`, in CPython, call for call.

Usage: tour.py LOG_DIR NOW_NS
Runs in LOG_DIR (where the logs go) with time.time_ns() fixed at NOW_NS; run it with TZ=UTC.
The host's tests compare its stdout, stderr and logs with the component's.
"""
import json
import logging
import logging.handlers
import os
import sys
import time

log_dir, now_ns = sys.argv[1], int(sys.argv[2])
os.chdir(log_dir)
time.time_ns = lambda: now_ns
logging._startTime = now_ns

ROTATING_LOG = "app.log"
BACKUPS = 5


def banner(title):
    print(f"\n=== {title} ===", flush=True)


def console(stream, level, fmt, style="%"):
    h = logging.StreamHandler(stream)
    h.setLevel(level)
    h.setFormatter(logging.Formatter(fmt, style=style))
    return h


def recipe_logger(name, level):
    logger = logging.getLogger(name)
    logger.setLevel(level)
    logger.propagate = False
    return logger


# Recipe 1: Using logging in multiple modules
banner("Using logging in multiple modules")
logger = recipe_logger("spam_application", logging.DEBUG)
fmt = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
fh = logging.FileHandler("spam.log", "w")
fh.setLevel(logging.DEBUG)
fh.setFormatter(logging.Formatter(fmt))
logger.addHandler(fh)
logger.addHandler(console(sys.stdout, logging.INFO, fmt))
module_logger = logging.getLogger("spam_application.auxiliary")
aux = logging.getLogger("spam_application.auxiliary.Auxiliary")
logger.info("creating an instance of auxiliary_module.Auxiliary")
aux.info("creating an instance of Auxiliary")
logger.info("created an instance of auxiliary_module.Auxiliary")
logger.info("calling auxiliary_module.Auxiliary.do_something")
aux.info("doing something")
aux.info("done doing something")
logger.info("finished auxiliary_module.Auxiliary.do_something")
logger.info("calling auxiliary_module.some_function()")
module_logger.info('received a call to "some_function"')
logger.info("done with auxiliary_module.some_function()")

# Recipe 3: Multiple handlers and formatters
banner("Multiple handlers and formatters")
logger = recipe_logger("simple_example", logging.DEBUG)
fh = logging.FileHandler("simple.log", "w")
fh.setLevel(logging.DEBUG)
fh.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
logger.addHandler(fh)
logger.addHandler(console(sys.stderr, logging.ERROR, "%(levelname)-8s %(name)s: %(message)s"))
logger.debug("debug message")
logger.info("info message")
logger.warning("warn message")
logger.error("error message")
logger.critical("critical message")

# Recipe 4: Logging to multiple destinations
banner("Logging to multiple destinations")
logging.basicConfig(level=logging.DEBUG,
                    format="%(asctime)s %(name)-12s %(levelname)-8s %(message)s",
                    datefmt="%m-%d %H:%M",
                    filename="myapp.log",
                    filemode="w")
logging.getLogger("").addHandler(
    console(sys.stdout, logging.INFO, "%(name)-12s: %(levelname)-8s %(message)s"))
logging.info("Jackdaws love my big sphinx of quartz.")
logger1 = logging.getLogger("myapp.area1")
logger2 = logging.getLogger("myapp.area2")
logger1.debug("Quick zephyrs blow, vexing daft Jim.")
logger1.info("How quickly daft jumping zebras vex.")
logger2.warning("Jail zesty vixen who grabbed pay from quack.")
logger2.error("The five boxing wizards jump quickly.")

# Recipe 9: Contextual information with adapters
banner("Contextual information with adapters")
conn = recipe_logger("conn", logging.DEBUG)
conn.addHandler(console(sys.stdout, logging.DEBUG, "%(name)s %(connid)s: %(message)s"))
adapter = logging.LoggerAdapter(conn, {"connid": "abc123"})
adapter.info("connected from %s", "10.0.0.7")


class CustomAdapter(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        msg, kwargs = super().process(msg, kwargs)
        return "[%s] %s" % (self.extra["connid"], msg), kwargs


CustomAdapter(conn, {"connid": "xyz789"}).info("session started")
http = recipe_logger("conn.http", logging.DEBUG)
http.addHandler(console(sys.stdout, logging.DEBUG, "%(name)s %(connid)s %(user)s: %(message)s"))
merged = logging.LoggerAdapter(http, {"connid": "abc123"}, merge_extra=True)
merged.info("GET %s", "/index.html", extra={"user": "ann"})


# Recipe 14: Alternative formatting styles
class BraceMessage:
    def __init__(self, fmt, /, *args, **kwargs):
        self.fmt, self.args, self.kwargs = fmt, args, kwargs

    def __str__(self):
        return self.fmt.format(*self.args, **self.kwargs)


class DollarMessage:
    def __init__(self, fmt, /, **kwargs):
        self.fmt, self.kwargs = fmt, kwargs

    def __str__(self):
        from string import Template
        return Template(self.fmt).substitute(**self.kwargs)


banner("Alternative formatting styles")
logger = recipe_logger("styles", logging.INFO)
logger.addHandler(console(sys.stdout, logging.INFO, "{levelname}:{name}: {message}", "{"))
logger.addHandler(console(sys.stdout, logging.INFO, "${levelname}/$name: $message", "$"))
logger.info(BraceMessage("Message with {0} {name}", 2, name="placeholders"))
logger.info(DollarMessage("Message with $num $what", num=2, what="placeholders"))
logger.info("%s with %d placeholders", "Percent", 2)

# Recipe 13: File rotation
banner("File rotation")
names = [ROTATING_LOG] + [f"{ROTATING_LOG}.{i}" for i in range(1, BACKUPS + 1)]
for name in names:
    if os.path.exists(name):
        os.remove(name)
logger = recipe_logger("MyLogger", logging.DEBUG)
handler = logging.handlers.RotatingFileHandler(ROTATING_LOG, "a", maxBytes=20, backupCount=BACKUPS)
logger.addHandler(handler)
for i in range(20):
    logger.debug("i = %d", i)
handler.flush()
for name in names:
    if os.path.exists(name):
        with open(name, encoding="utf-8") as f:
            lines = f.read().splitlines()
        print(f"{name}: {' | '.join(lines)}", flush=True)


# Recipe 22: Structured logging
class StructuredMessage:
    def __init__(self, message, /, **kwargs):
        self.message = message
        self.kwargs = kwargs

    def __str__(self):
        return "%s >>> %s" % (self.message, json.dumps(self.kwargs))


banner("Structured logging")
logger = recipe_logger("structured", logging.INFO)
logger.addHandler(console(sys.stdout, logging.INFO, "%(message)s"))
logger.info(StructuredMessage("message 1", foo="bar", bar="baz", num=123, fnum=123.456))
logger.info(StructuredMessage("message 2", city="Zürich", ok=True, none=None))

logging.shutdown()
