# Cookbook recipe 20 ("A more elaborate multiprocessing example") under CPython with real
# processes, as host/tests/workers.rs runs it with concurrent component instances: the main
# process logs through the initial configuration, forked workers log their records through
# the worker configuration's QueueHandler onto a multiprocessing.Queue, and a forked listener
# process hands each record to the logger it names (the recipe's MyHandler). The clock is
# fixed; the log files land in the working directory, the console is stderr.
#
#   python3 workers_recipe20.py NOW_NS FIXTURES_DIR '[[[level, "logger"], ...], ...]'
import json, logging, logging.config, logging.handlers, multiprocessing, os, sys, time

NOW_NS = int(sys.argv[1])
HERE = sys.argv[2]
CHOICES = json.loads(sys.argv[3])
time.time_ns = lambda: NOW_NS
time.time = lambda: NOW_NS / 1e9
logging._startTime = NOW_NS


def load(part):
    with open(os.path.join(HERE, f"recipe_20_{part}.json"), encoding="utf-8") as f:
        return json.load(f)


class MyHandler:
    def handle(self, record):
        logger = logging.getLogger(record.name)
        record.processName = "%s (for %s)" % (
            multiprocessing.current_process().name, record.processName)
        logger.handle(record)


def listener_process(q, stop_event, config):
    logging.config.dictConfig(config)
    listener = logging.handlers.QueueListener(q, MyHandler())
    listener.start()
    logging.getLogger("setup").critical("Should not appear, because of disabled logger ...")
    stop_event.wait()
    listener.stop()


def worker_process(config, choices):
    logging.config.dictConfig(config)
    logging.getLogger("setup").critical("Should not appear, because of disabled logger ...")
    for i, (lvl, name) in enumerate(choices):
        logging.getLogger(name).log(lvl, "Message no. %d", i)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    q = multiprocessing.Queue()
    sys.modules["__main__"].q = q  # what "ext://__main__.q" resolves
    logging.config.dictConfig(load("initial"))
    logger = logging.getLogger("setup")
    logger.info("About to create workers ...")
    workers = []
    for i, choices in enumerate(CHOICES):
        wp = multiprocessing.Process(target=worker_process, name="worker %d" % (i + 1),
                                     args=(load("worker"), choices))
        workers.append(wp)
        wp.start()
        logger.info("Started worker: %s", wp.name)
    logger.info("About to create listener ...")
    stop_event = multiprocessing.Event()
    lp = multiprocessing.Process(target=listener_process, name="listener",
                                 args=(q, stop_event, load("listener")))
    lp.start()
    logger.info("Started listener")
    for wp in workers:
        wp.join()
    logger.info("Telling listener to stop ...")
    stop_event.set()
    lp.join()
    logger.info("All done.")
