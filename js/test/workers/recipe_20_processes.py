# Recipe 20 with real worker processes (multiprocessing, fork): the main process applies the
# initial configuration, starts the workers (each applies the worker configuration, whose
# QueueHandler's queue is the shared multiprocessing queue, and logs its choices), applies the
# listener configuration and runs a QueueListener whose handler hands each record to the
# logger it names with processName rewritten. js/test/workers.test.js runs the same with Node
# worker threads and compares. Run in a scratch directory.
#
#   python3 recipe_20_processes.py FIXTURES NOW_NS '{"worker 1": [[level, "logger"], ...], ...}'
import json, logging, logging.config, logging.handlers, multiprocessing, os, sys, time

FIXTURES = sys.argv[1]
NOW_NS = int(sys.argv[2])
CHOICES = json.loads(sys.argv[3])
time.time_ns = lambda: NOW_NS
time.time = lambda: NOW_NS / 1e9
logging._startTime = NOW_NS


def load(part):
    with open(os.path.join(FIXTURES, f"recipe_20_{part}.json"), encoding="utf-8") as f:
        return json.load(f)


class MyHandler:
    def handle(self, record):
        logger = logging.getLogger(record.name)
        record.processName = "%s (for %s)" % ("listener", record.processName)
        logger.handle(record)


def worker_process(choices):
    logging.config.dictConfig(load("worker"))
    logging.getLogger("setup").critical("Should not appear, because of disabled logger ...")
    for i, (lvl, name) in enumerate(choices):
        logging.getLogger(name).log(lvl, "Message no. %d", i)


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    q = multiprocessing.Queue()
    sys.modules["__main__"].q = q  # what "ext://__main__.q" resolves
    logging.config.dictConfig(load("initial"))
    setup = logging.getLogger("setup")
    setup.info("About to create workers ...")
    workers = []
    for name, choices in CHOICES.items():
        wp = multiprocessing.Process(target=worker_process, name=name, args=(choices,))
        workers.append(wp)
        wp.start()
        setup.info("Started worker: %s", wp.name)
    logging.config.dictConfig(load("listener"))
    listener = logging.handlers.QueueListener(q, MyHandler())
    listener.start()
    for wp in workers:
        wp.join()
    listener.stop()
    logging.shutdown()
