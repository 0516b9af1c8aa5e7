"""CPython's side of tests/wire_syslog.rs. Usage: wire_syslog_oracle.py MODE < input.json

  plain    [case, ...]          -> [hex of the datagram SysLogHandler sent | {"err": ...}]
  encode   [[facility, priority], ...] -> [encodePriority(...) | {"err": ...}]
  rfc5424  [case, ...]          -> [hex of the datagram SysLogHandler5424 sent | {"err": ...}]

The handlers send to a UDP socket this script reads, so the bytes are what went on the wire.
SysLogHandler5424 is the class of the Logging Cookbook's "Logging to syslog with RFC5424
support", as printed there (code in the Python documentation is under the Zero-Clause BSD
licence); each case sets TZ (a fixed POSIX zone) and socket.gethostname.
"""
import datetime
import json
import logging
import logging.handlers
import os
import re
import socket
import sys
import time

from wire_fresh import decode, fresh


class SysLogHandler5424(logging.handlers.SysLogHandler):

    tz_offset = re.compile(r'([+-]\d{2})(\d{2})$')
    escaped = re.compile(r'([\]"\\])')

    def __init__(self, *args, **kwargs):
        self.msgid = kwargs.pop('msgid', None)
        self.appname = kwargs.pop('appname', None)
        super().__init__(*args, **kwargs)

    def format(self, record):
        version = 1
        asctime = datetime.datetime.fromtimestamp(record.created).isoformat()
        m = self.tz_offset.match(time.strftime('%z'))
        has_offset = False
        if m and time.timezone:
            hrs, mins = m.groups()
            if int(hrs) or int(mins):
                has_offset = True
        if not has_offset:
            asctime += 'Z'
        else:
            asctime += f'{hrs}:{mins}'
        try:
            hostname = socket.gethostname()
        except Exception:
            hostname = '-'
        appname = self.appname or '-'
        procid = record.process
        msgid = '-'
        msg = super().format(record)
        sdata = '-'
        if hasattr(record, 'structured_data'):
            sd = record.structured_data
            # This should be a dict where the keys are SD-ID and the value is a
            # dict mapping PARAM-NAME to PARAM-VALUE (refer to the RFC for what these
            # mean)
            # There's no error checking here - it's purely for illustration, and you
            # can adapt this code for use in production environments
            parts = []

            def replacer(m):
                g = m.groups()
                return '\\' + g[0]

            for sdid, dv in sd.items():
                part = f'[{sdid}'
                for k, v in dv.items():
                    s = str(v)
                    s = self.escaped.sub(replacer, s)
                    part += f' {k}="{s}"'
                part += ']'
                parts.append(part)
            sdata = ''.join(parts)
        return f'{version} {asctime} {hostname} {appname} {procid} {msgid} {sdata} {msg}'


class Failed(Exception):
    pass


def raise_it(record):
    raise Failed("%s: %s" % (sys.exc_info()[0].__name__, sys.exc_info()[1]))


def send(handler, record, server):
    handler.handleError = raise_it
    try:
        handler.emit(record)
    except Failed as e:
        return {"err": str(e)}
    finally:
        handler.close()
    data, _ = server.recvfrom(1 << 16)
    return data.hex()


def record(c):
    r = logging.LogRecord("app", c["levelno"], "/srv/app.py", 1, fresh(c["msg"]), (), None)
    r.levelname = fresh(c["levelname"])
    return r


def plain(cases, server, addr):
    out = []
    for c in cases:
        h = logging.handlers.SysLogHandler(address=addr, facility=c["facility"])
        h.ident = fresh(c["ident"])
        h.append_nul = c["append_nul"]
        h.setFormatter(logging.Formatter("%(message)s"))
        out.append(send(h, record(c), server))
    return out


def encode(cases):
    h = logging.handlers.SysLogHandler.__new__(logging.handlers.SysLogHandler)
    out = []
    for fac, pri in cases:
        try:
            out.append(h.encodePriority(fac, pri))
        except Exception as e:
            out.append({"err": "%s: %s" % (type(e).__name__, e)})
    return out


def rfc5424(cases, server, addr):
    out = []
    real_gethostname = socket.gethostname
    try:
        for c in cases:
            os.environ["TZ"] = c["tz"]
            time.tzset()
            if c["hostname"] is None:
                def no_host():
                    raise OSError("no host name")
                socket.gethostname = no_host
            else:
                socket.gethostname = lambda: c["hostname"]
            h = SysLogHandler5424(address=addr, facility=c["facility"], appname=c["appname"])
            h.append_nul = c["append_nul"]
            h.setFormatter(logging.Formatter(("\ufeff" if c["bom"] else "") + "%(message)s"))
            r = record(c)
            r.created = float(c["created"])
            r.process = c["process"]
            if c["sd"] is not None:
                r.structured_data = decode(c["sd"])
            out.append(send(h, r, server))
    finally:
        socket.gethostname = real_gethostname
    return out


def main():
    mode = sys.argv[1]
    inp = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(5)
    addr = server.getsockname()
    if mode == "plain":
        result = plain(inp, server, addr)
    elif mode == "encode":
        result = encode(inp)
    elif mode == "rfc5424":
        result = rfc5424(inp, server, addr)
    else:
        raise SystemExit("unknown mode %r" % mode)
    sys.stdout.write(json.dumps(result))


main()
