"""Oracle for tests/time_differential.rs: CPython's time.gmtime / time.localtime / time.strftime.

Reads one JSON array of cases on stdin and writes one JSON array of results, in the same
order, on stdout. A case is an object:

    {"mode": "gm" | "local" | "struct", "tz": "<POSIX TZ string>", "fmt": "<format>",
     "t": <unix seconds>              (gm and local),
     "fields": [year, mon, mday, hour, min, sec, wday, yday, isdst, zone, gmtoff]  (struct)}

"gm" formats time.gmtime(t), "local" time.localtime(t), "struct" a time.struct_time built
from the given fields (Python's conventions: wday counts from Monday, yday from 1). TZ is set
(and time.tzset() called) before each case, so local time needs no tzdata. A result is

    {"out": "<strftime result>" | null, "err": "<Class>: <message>" | null,
     "tm": [year, mon, mday, hour, min, sec, wday, yday, isdst, zone, gmtoff] | null}
"""

import json
import os
import sys
import time


def main():
    cases = json.load(sys.stdin)
    results = []
    current_tz = None
    for case in cases:
        tz = case["tz"]
        if tz != current_tz:
            os.environ["TZ"] = tz
            time.tzset()
            current_tz = tz
        res = {"out": None, "err": None, "tm": None}
        try:
            mode = case["mode"]
            if mode == "gm":
                st = time.gmtime(case["t"])
            elif mode == "local":
                st = time.localtime(case["t"])
            else:
                st = time.struct_time(tuple(case["fields"]))
            res["tm"] = [
                st.tm_year, st.tm_mon, st.tm_mday, st.tm_hour, st.tm_min, st.tm_sec,
                st.tm_wday, st.tm_yday, st.tm_isdst, st.tm_zone, st.tm_gmtoff,
            ]
            res["out"] = time.strftime(case["fmt"], st)
        except Exception as e:  # the Rust side compares the class and message
            res["err"] = "%s: %s" % (type(e).__name__, e)
        results.append(res)
    json.dump(results, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
