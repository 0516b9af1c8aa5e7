#!/usr/bin/env python3
"""Checks what a receiver got against tests/fixtures/remote/calls.json (expected values are
computed by CPython's own logging: LogRecord.getMessage, getLevelName, SysLogHandler's
priority mapping, HTTPHandler's mapLogRecord).

    check.py expected [--calls F]                        print the expected records as JSON
    check.py cookbook --output OUT [--calls F] [--forbidden nested|toplevel]
    check.py syslog   --jsonl D/messages.jsonl --input udp|tcp|tcp_nul [--calls F]
    check.py http     --records FILE --method GET|POST [--url /log] [--status CODE] [--calls F]

expected: one JSON object per sent call (level >= DEBUG, the sender's root level):
  {"name", "levelno", "levelname", "message", "lines"} - lines is 1 + message.count("\\n").
cookbook: OUT (a receiver's stdout) must be exactly, record after record,
  "%(relativeCreated)5d %(name)-15s %(levelname)-8s %(message)s\\n" with any relativeCreated
  (matched as " *[0-9]+"); nothing missing, nothing extra.  With --forbidden it expects the
  three socket-forbidden records instead, as the (unsafe) cookbook receiver prints them:
  "forbidden-test: before", the payload's own "FORBIDDEN-GLOBAL-EXECUTED" line (print() ran!)
  followed by a record whose message is "None" (nested) or a traceback on stderr and no record
  (toplevel: makeLogRecord(None) fails and that connection's thread dies), then "after".
syslog: the rawmsg values of input INPUT, in order, must be "<PRI>" + message for every
  sent record (PRI = LOG_USER*8 + SysLogHandler.mapPriority(levelname); rsyslog strips the
  trailing NUL; for input "tcp" a message is also split at each LF, empty pieces dropped).
http: one request per sent record, in order, with the method, the url path, and the
  urlencoded record (query for GET, body for POST) carrying name, levelno, levelname, msg
  (unformatted), args (str of the tuple) and the extra fields (str of each value);
  POST requests must carry Content-type application/x-www-form-urlencoded and a correct
  Content-length; --status CODE also checks the status the recorder answered.

Exit 0 when the check passes, 1 with a diff-like report on stderr otherwise, 2 on usage errors.
"""

import argparse
import base64
import json
import logging
import logging.handlers
import os
import re
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CALLS = os.path.join(HERE, "..", "fixtures", "remote", "calls.json")
SLH = logging.handlers.SysLogHandler


def load_calls(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def expected(calls):
    out = []
    for c in calls:
        if c["level"] < logging.DEBUG:
            continue
        name = logging.getLogger(c["logger"]).name
        rec = logging.LogRecord(name, c["level"], __file__, 0, c["msg"],
                                tuple(c.get("args", [])), None)
        msg = rec.getMessage()
        out.append({"name": name, "levelno": c["level"], "levelname": rec.levelname,
                    "message": msg, "lines": 1 + msg.count("\n"), "call": c})
    return out


def fail(lines):
    for line in lines:
        print("check: " + line, file=sys.stderr)
    return 1


def cookbook_line(name, levelname, message):
    return r" *[0-9]+ " + re.escape("%-15s %-8s %s\n" % (name, levelname, message))


def check_cookbook(exp, output, forbidden):
    with open(output, encoding="utf-8", errors="replace", newline="") as f:
        text = f.read()
    if forbidden:
        parts = [cookbook_line("remote.forbidden", "WARNING", "forbidden-test: before"),
                 re.escape("FORBIDDEN-GLOBAL-EXECUTED\n")]
        if forbidden == "nested":
            parts.append(cookbook_line("remote.forbidden", "WARNING", "None"))
        parts.append(cookbook_line("remote.forbidden", "WARNING", "forbidden-test: after"))
        # toplevel: the connection's thread dies on frame 2, so "after" is never handled.
        if forbidden == "toplevel":
            parts.pop()
        pattern = "".join(parts)
        if re.fullmatch(pattern, text):
            return 0
        return fail(["output does not match the forbidden-frame expectation", "got:", text])
    pos = 0
    for i, e in enumerate(exp):
        m = re.compile(cookbook_line(e["name"], e["levelname"], e["message"])).match(text, pos)
        if not m:
            return fail(["record %d (%s %s %r) not found at offset %d" % (
                i, e["name"], e["levelname"], e["message"][:60], pos),
                "got: %r" % text[pos:pos + 200]])
        pos = m.end()
    if pos != len(text):
        return fail(["unexpected trailing output: %r" % text[pos:pos + 200]])
    return 0


def syslog_raw(e):
    pri = SLH.encodePriority(SLH, SLH.LOG_USER, SLH.mapPriority(SLH, e["levelname"]))
    return "<%d>%s" % (pri, e["message"])


def check_syslog(exp, jsonl, inp):
    got = []
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("input") == inp:
                got.append(d["rawmsg"])
    want = [syslog_raw(e) for e in exp]
    if inp == "tcp":
        want = [piece for w in want for piece in w.split("\n") if piece]
    problems = []
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if w != g:
            problems.append("message %d: want %r got %r" % (i, (w or "")[:80], (g or "")[:80]))
    if problems:
        return fail(["%d messages wanted, %d got" % (len(want), len(got))] + problems[:10])
    return 0


def check_http(exp, records, method, url, status):
    with open(records, encoding="utf-8") as f:
        reqs = [json.loads(line) for line in f if line.strip()]
    problems = []
    if len(reqs) != len(exp):
        problems.append("%d requests wanted, %d recorded" % (len(exp), len(reqs)))
    for i, (e, r) in enumerate(zip(exp, reqs)):
        raw = base64.b64decode(r["raw"])
        body = base64.b64decode(r["body"])
        if not r["complete"]:
            problems.append("request %d incomplete" % i)
        if status is not None and r.get("status") != status:
            problems.append("request %d answered %s, not %s" % (i, r.get("status"), status))
        if r["method"] != method:
            problems.append("request %d: method %r" % (i, r["method"]))
        path, _, query = (r["target"] or "").partition("?")
        if path != url:
            problems.append("request %d: path %r, want %r" % (i, path, url))
        hdrs = {k.lower(): v for k, v in r["headers"]}
        if method == "GET":
            data = query
            if body:
                problems.append("request %d: GET with a body" % i)
        else:
            data = body.decode("utf-8")
            if hdrs.get("content-type") != "application/x-www-form-urlencoded":
                problems.append("request %d: content-type %r" % (i, hdrs.get("content-type")))
            if hdrs.get("content-length") != str(len(body)):
                problems.append("request %d: content-length %r for %d body bytes" % (
                    i, hdrs.get("content-length"), len(body)))
        if not raw.endswith(body) or b"\r\n\r\n" not in raw:
            problems.append("request %d: raw bytes do not end with the body" % i)
        form = dict(urllib.parse.parse_qsl(data, keep_blank_values=True))
        c = e["call"]
        want = {"name": e["name"], "levelno": str(e["levelno"]), "levelname": e["levelname"],
                "msg": c["msg"], "args": str(tuple(c.get("args", [])))}
        want.update({k: str(v) for k, v in (c.get("extra") or {}).items()})
        for k, v in want.items():
            if form.get(k) != v:
                problems.append("request %d: %s=%r, want %r" % (i, k, (form.get(k) or "")[:60],
                                                                 v[:60]))
    if problems:
        return fail(problems[:20])
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("what", choices=["expected", "cookbook", "syslog", "http"])
    p.add_argument("--calls", default=DEFAULT_CALLS)
    p.add_argument("--output", help="cookbook: the receiver's stdout")
    p.add_argument("--forbidden", choices=["nested", "toplevel"])
    p.add_argument("--jsonl", help="syslog: rsyslog.py's messages.jsonl")
    p.add_argument("--input", choices=["udp", "tcp", "tcp_nul"])
    p.add_argument("--records", help="http: http_recorder.py's --out file")
    p.add_argument("--method", choices=["GET", "POST"])
    p.add_argument("--url", default="/log")
    p.add_argument("--status", type=int)
    a = p.parse_args(argv)
    exp = expected(load_calls(a.calls))
    if a.what == "expected":
        for e in exp:
            print(json.dumps({k: v for k, v in e.items() if k != "call"}, ensure_ascii=False))
        return 0
    if a.what == "cookbook":
        if not a.output:
            p.error("cookbook needs --output")
        return check_cookbook(exp, a.output, a.forbidden)
    if a.what == "syslog":
        if not a.jsonl or not a.input:
            p.error("syslog needs --jsonl and --input")
        return check_syslog(exp, a.jsonl, a.input)
    if not a.records or not a.method:
        p.error("http needs --records and --method")
    return check_http(exp, a.records, a.method, a.url, a.status)


if __name__ == "__main__":
    sys.exit(main())
