#!/usr/bin/env python3
"""Runs a private instance of the real Debian rsyslogd as a syslog receiver for tests.

    rsyslog.py start  --dir D [--timeout S]      start; prints D/ports.json; returns when ready
    rsyslog.py stop   --dir D [--timeout S]      stop the instance started in D
    rsyslog.py wait   --dir D --expect N [--input udp|tcp|tcp_nul] [--timeout S]
                                                 wait until D/messages.jsonl has N messages
    rsyslog.py status --dir D                    exit 0 if the instance in D is running
    rsyslog.py selfcheck --dir D [--timeout S]   end-to-end check of a started instance (below)

`start` runs `/usr/sbin/rsyslogd -n -f D/rsyslog.conf -i D/rsyslogd.pid` as the current user
(root is not needed: only 127.0.0.1 high ports, work directory and pid file under D), in its
own session, output to D/rsyslogd.out.  It picks three free ports, writes
D/ports.json = {"udp": P1, "tcp": P2, "tcp_nul": P3, "pid": PID}, and returns only once both
TCP ports accept connections and the UDP port is bound (/proc/net/udp).  An instance already
running in D is stopped first; the output files are truncated.  `stop` sends SIGTERM (SIGKILL
after --timeout) to the pid recorded in D, after checking it is that rsyslogd.

Inputs (all into one ruleset; `input` below is rsyslog's inputname):
  udp      imudp                        one datagram = one message
  tcp      imtcp  framing: RFC 6587 octet counting ("LEN SP MSG", chosen per frame when it
                  starts with a digit), else non-transparent framing ended by LF *or* NUL
                  (AddtlFrameDelimiter="0": CPython's SysLogHandler over TCP ends each message
                  with NUL only, and without this rsyslog would glue messages together until an
                  LF).  A message containing LF is split at the LF unless octet-counted.
  tcp_nul  imtcp  octet counting, else NUL only (DisableLFDelimiter="on"): CPython's
                  SysLogHandler(socktype=SOCK_STREAM) messages arrive intact even with
                  embedded newlines; an LF-terminated sender's messages are NOT delimited (they
                  run together until a NUL or the connection closes).

Outputs in D (rsyslog writes them asynchronously: use `wait`):
  messages.log    template "%rawmsg%\\n"   - the bytes as received (minus framing), one per line
                  unless the message itself contains LF (then it spans lines).
  parsed.log      "%PRI% %APP-NAME% %PROCID% %MSGID% %STRUCTURED-DATA% %msg%\\n"
  messages.jsonl  one JSON object per message (JSON-escaped, so always one line each):
                  {"input", "fromhost_ip", "rawmsg", "pri", "facility", "severity",
                   "version" (protocol-version: "1" for RFC 5424, "0" otherwise),
                   "timestamp" (timereported, RFC 3339), "hostname", "tag", "app_name",
                   "procid", "msgid", "structured_data", "msg"} - all strings.
  internal.log    rsyslog's own messages (errors), if any.

Findings (rsyslogd 8.2302.0, Debian 12), each checked with CPython's SysLogHandler (UDP, TCP)
and hand-made RFC 5424 octet-counted frames with structured data and a BOM:
  * Default rsyslog is NOT byte-faithful: parser.escapeControlCharactersOnReceive (default on)
    turns LF into "#012", TAB into "#011", an inner NUL into "#000"; and
    parser.dropTrailingLFOnReception (default on) drops a final LF.  This config turns both
    off, so rawmsg/msg carry LF, CR, TAB, BEL... verbatim (hence messages.jsonl).
  * rsyslog always removes ONE trailing NUL (CPython's append_nul=True terminator), then the
    trailing LF rule applies.  So CPython's "<14>text\\0" is stored as "<14>text".
  * UTF-8 passes through untouched (parser.escape8BitCharactersOnReceive is off by default);
    a BOM (EF BB BF) is kept in both rawmsg and msg, at its place: for RFC 5424
    "<14>1 TS HOST APP PROCID MSGID [SD] \\xEF\\xBB\\xBFtext", msg = "\\ufefftext" (the BOM is
    NOT stripped) and structured_data = "[SD]" with its quotes intact.  No setting is needed
    for the BOM beyond leaving control-character escaping off.
  * maxMessageSize defaults to 8k (longer messages are truncated, the rest becomes a new
    message on TCP); set to 64k here, so calls.json's 5 KB message is whole.
  * imtcp octet counting is on by default (SupportOctetCountedFraming="on"); a frame is taken as
    octet-counted when its first byte is a digit.  An octet-counted MSG may contain LF.
  * CPython's default SysLogHandler output ("<PRI>" + message, no RFC 3164/5424 header) goes
    through rsyslog's RFC 3164 parser, which takes the first word as HOSTNAME and the next as
    TAG/APP-NAME (global parser.parseHostnameAndTag="off" did not change that), so msg is
    mostly empty for those: compare rawmsg, not msg.  pri/facility/severity are right.
  * Messages from different inputs (and different connections) are not ordered relative to
    each other in the files; within one TCP connection, or one UDP sender, order is kept.
  * Nothing is started by the package in a container without systemd (the Debian package only
    ships a systemd unit); scripts/setup.sh also masks service starts during the install.

selfcheck sends, with unique markers, through CPython's SysLogHandler over UDP ("udp") and TCP
("tcp_nul"), and hand-made RFC 5424 messages - octet-counted over "tcp" and "tcp_nul", one
datagram over "udp" - with two SD elements (one with escaped '"', ']' and '\\' in a value),
a BOM before a UTF-8 MSG containing an LF, and the all-NIL form "<14>1 - - - - - - BOM...";
then checks rawmsg / structured_data / app_name / procid / msgid / msg in messages.jsonl and
that messages.log holds the same raw bytes.

Exit codes: 0 ok; 1 failure (rsyslogd would not start, wait timed out, not running); 2 usage.
Every wait is bounded by --timeout (default 30 s).
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time

RSYSLOGD = "/usr/sbin/rsyslogd"

CONF = r'''# Generated by tests/remote/rsyslog.py - a private, unprivileged test instance.
global(workDirectory="{work}" maxMessageSize="64k" net.enableDNS="off"
       parser.escapeControlCharactersOnReceive="off"
       parser.dropTrailingLFOnReception="off")
module(load="imudp")
module(load="imtcp")
input(type="imudp" address="127.0.0.1" port="{udp}" name="udp" ruleset="remote")
input(type="imtcp" address="127.0.0.1" port="{tcp}" name="tcp" ruleset="remote"
      SupportOctetCountedFraming="on" AddtlFrameDelimiter="0")
input(type="imtcp" address="127.0.0.1" port="{tcp_nul}" name="tcp_nul" ruleset="remote"
      SupportOctetCountedFraming="on" AddtlFrameDelimiter="0" DisableLFDelimiter="on")

template(name="raw" type="string" string="%rawmsg%\n")
template(name="parsed" type="string"
         string="%PRI% %APP-NAME% %PROCID% %MSGID% %STRUCTURED-DATA% %msg%\n")
template(name="jsonl" type="list" option.jsonf="on") {{
  property(outname="input" name="inputname" format="jsonf")
  property(outname="fromhost_ip" name="fromhost-ip" format="jsonf")
  property(outname="rawmsg" name="rawmsg" format="jsonf")
  property(outname="pri" name="pri" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf")
  property(outname="severity" name="syslogseverity" format="jsonf")
  property(outname="version" name="protocol-version" format="jsonf")
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="hostname" name="hostname" format="jsonf")
  property(outname="tag" name="syslogtag" format="jsonf")
  property(outname="app_name" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="structured_data" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}}

ruleset(name="remote") {{
  action(type="omfile" file="{dir}/messages.log" template="raw")
  action(type="omfile" file="{dir}/parsed.log" template="parsed")
  action(type="omfile" file="{dir}/messages.jsonl" template="jsonl")
}}

# rsyslog's own messages (the default ruleset), for debugging.
action(type="omfile" file="{dir}/internal.log")
'''

OUTPUTS = ["messages.log", "parsed.log", "messages.jsonl", "internal.log"]


def log(msg):
    print("rsyslog.py: " + msg, file=sys.stderr, flush=True)


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def pick_ports():
    ports = {}
    while len(ports) < 3:
        ports.setdefault("udp", free_port(socket.SOCK_DGRAM))
        p = free_port(socket.SOCK_STREAM)
        if p not in ports.values():
            ports["tcp" if "tcp" not in ports else "tcp_nul"] = p
    return ports


def udp_bound(port):
    """True when 127.0.0.1:port (or 0.0.0.0:port) is bound for UDP, from /proc/net/udp."""
    try:
        with open("/proc/net/udp") as f:
            rows = f.read().splitlines()[1:]
    except OSError:
        return True  # not Linux: cannot tell, the TCP checks will have to do
    want = {"0100007F:%04X" % port, "00000000:%04X" % port}
    return any(r.split()[1] in want for r in rows if len(r.split()) > 1)


def tcp_accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def pid_alive(pid):
    """Alive and not a zombie (a detached child may stay a zombie where PID 1 never reaps)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        try:
            os.kill(pid, 0)
            return True
        except OSError:
            return False


def is_our_rsyslogd(pid, d):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            argv = f.read().split(b"\0")
    except OSError:
        return True  # no /proc: trust the pid we recorded
    conf = os.path.join(d, "rsyslog.conf").encode()
    return any(a.endswith(b"rsyslogd") for a in argv) and conf in argv


def recorded_pid(d):
    try:
        with open(os.path.join(d, "ports.json")) as f:
            return int(json.load(f)["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        with open(os.path.join(d, "rsyslogd.pid")) as f:
            return int(f.read().strip())
    except (OSError, ValueError):
        return None


def cmd_stop(d, timeout):
    pid = recorded_pid(d)
    if pid is None or not pid_alive(pid):
        return 0
    if not is_our_rsyslogd(pid, d):
        log("pid %d is not the rsyslogd of %s; not touching it" % (pid, d))
        return 1
    os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + timeout
    while time.monotonic() < end and pid_alive(pid):
        time.sleep(0.05)
    if pid_alive(pid):
        log("rsyslogd %d ignored SIGTERM; SIGKILL" % pid)
        os.kill(pid, signal.SIGKILL)
        end = time.monotonic() + 5
        while time.monotonic() < end and pid_alive(pid):
            time.sleep(0.05)
    try:
        os.unlink(os.path.join(d, "rsyslogd.pid"))
    except OSError:
        pass
    return 0 if not pid_alive(pid) else 1


def cmd_start(d, timeout):
    if not os.access(RSYSLOGD, os.X_OK):
        log("%s not found: run scripts/setup.sh (apt-get install rsyslog)" % RSYSLOGD)
        return 1
    os.makedirs(d, exist_ok=True)
    d = os.path.abspath(d)
    cmd_stop(d, timeout)
    work = os.path.join(d, "work")
    os.makedirs(work, exist_ok=True)
    end = time.monotonic() + timeout
    for attempt in range(3):
        ports = pick_ports()
        with open(os.path.join(d, "rsyslog.conf"), "w") as f:
            f.write(CONF.format(work=work, dir=d, **ports))
        for name in OUTPUTS + ["rsyslogd.pid"]:
            try:
                os.unlink(os.path.join(d, name))
            except OSError:
                pass
        out = open(os.path.join(d, "rsyslogd.out"), "wb")
        proc = subprocess.Popen(
            [RSYSLOGD, "-n", "-f", os.path.join(d, "rsyslog.conf"),
             "-i", os.path.join(d, "rsyslogd.pid")],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True, cwd=d)
        out.close()
        info = dict(ports, pid=proc.pid)
        with open(os.path.join(d, "ports.json"), "w") as f:
            json.dump(info, f)
            f.write("\n")
        while time.monotonic() < end and proc.poll() is None:
            if tcp_accepts(ports["tcp"]) and tcp_accepts(ports["tcp_nul"]) \
                    and udp_bound(ports["udp"]):
                print(json.dumps(info), flush=True)
                return 0
            time.sleep(0.05)
        if proc.poll() is None:  # still running but not ready in time
            cmd_stop(d, 5)
            break
        with open(os.path.join(d, "rsyslogd.out"), errors="replace") as f:
            log("rsyslogd exited with %s (attempt %d):\n%s" % (proc.returncode, attempt + 1,
                                                               f.read()))
    log("rsyslogd did not become ready")
    return 1


def count(d, inp):
    n = 0
    try:
        with open(os.path.join(d, "messages.jsonl"), encoding="utf-8", errors="replace") as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # partially written
                if inp is None or json.loads(line).get("input") == inp:
                    n += 1
    except OSError:
        pass
    return n


def cmd_wait(d, expect, inp, timeout):
    end = time.monotonic() + timeout
    while True:
        n = count(d, inp)
        if n >= expect or time.monotonic() >= end:
            break
        time.sleep(0.05)
    if n < expect:
        log("%d of %d messages%s in %s/messages.jsonl" % (
            n, expect, "" if inp is None else " from input " + inp, d))
        return 1
    return 0


def _send_selfcheck(ports, tag):
    import logging
    import logging.handlers
    bom = "\ufeff"
    sent = []  # (input, expected fields)
    for inp, st in (("udp", socket.SOCK_DGRAM), ("tcp_nul", socket.SOCK_STREAM)):
        h = logging.handlers.SysLogHandler(("127.0.0.1", ports[inp]), socktype=st)
        lg = logging.getLogger("rsyslog.selfcheck." + inp)
        lg.propagate = False
        lg.setLevel(logging.DEBUG)
        lg.addHandler(h)
        text = "%s cpython %s: ünïcode 🎉 line1\nline2 ASCII%sUnicode" % (tag, inp, bom)
        lg.error(text)
        lg.removeHandler(h)
        h.close()
        sent.append((inp, {"rawmsg": "<11>" + text}))
    sd = ('[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]'
          '[examplePriority@32473 class="high" esc="q\\"b\\]s\\\\e"]')
    for inp in ("tcp", "tcp_nul", "udp"):
        msg = "%s%s rfc5424 %s: ünïcode 🎉 line1\nline2" % (bom, tag, inp)
        hdr = "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 4242 ID47 "
        nil_msg = "%s%s nil %s" % (bom, tag, inp)
        nil = "<14>1 - - - - - - " + nil_msg
        for raw, fields in (
                (hdr + sd + " " + msg, {"structured_data": sd, "msg": msg, "app_name": "evntslog",
                                        "procid": "4242", "msgid": "ID47", "pri": "165",
                                        "version": "1", "hostname": "mymachine.example.com"}),
                (nil, {"structured_data": "-", "msg": nil_msg, "version": "1",
                       "app_name": "-", "procid": "-", "msgid": "-"})):
            fields = dict(fields, rawmsg=raw)
            data = raw.encode("utf-8")
            if inp == "udp":
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.sendto(data, ("127.0.0.1", ports["udp"]))
                u.close()
            else:
                c = socket.create_connection(("127.0.0.1", ports[inp]), timeout=5)
                c.sendall(b"%d " % len(data) + data)
                c.close()
            sent.append((inp, fields))
    return sent


def cmd_selfcheck(d, timeout):
    with open(os.path.join(d, "ports.json")) as f:
        ports = json.load(f)
    tag = "selfcheck-%d-%d" % (os.getpid(), int(time.time() * 1000))
    sent = _send_selfcheck(ports, tag)
    end = time.monotonic() + timeout
    while True:
        got = []
        try:
            with open(os.path.join(d, "messages.jsonl"), encoding="utf-8") as f:
                got = [json.loads(x) for x in f if x.endswith("\n") and tag in x]
        except OSError:
            pass
        if len(got) >= len(sent) or time.monotonic() >= end:
            break
        time.sleep(0.05)
    problems = []
    for inp, fields in sent:
        match = [g for g in got if g["input"] == inp and g["rawmsg"] == fields["rawmsg"]]
        if not match:
            problems.append("%s: not received intact: %r" % (inp, fields["rawmsg"]))
            continue
        for k, v in fields.items():
            if match[0].get(k) != v:
                problems.append("%s: %s = %r, want %r" % (inp, k, match[0].get(k), v))
    with open(os.path.join(d, "messages.log"), "rb") as f:
        raw = f.read()
    for inp, fields in sent:
        if fields["rawmsg"].encode("utf-8") + b"\n" not in raw:
            problems.append("messages.log lacks %r" % fields["rawmsg"])
    for p in problems:
        log("selfcheck: " + p)
    if not problems:
        log("selfcheck: %d messages over udp/tcp/tcp_nul intact" % len(sent))
    return 1 if problems else 0


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("command", choices=["start", "stop", "wait", "status", "selfcheck"])
    p.add_argument("--dir", required=True, help="directory for config, pid, ports, outputs")
    p.add_argument("--expect", type=int, help="wait: number of messages")
    p.add_argument("--input", choices=["udp", "tcp", "tcp_nul"], help="wait: count only these")
    p.add_argument("--timeout", type=float, default=30.0, help="bound in seconds (30)")
    a = p.parse_args(argv)
    d = os.path.abspath(a.dir)
    if a.command == "start":
        return cmd_start(d, a.timeout)
    if a.command == "stop":
        return cmd_stop(d, a.timeout)
    if a.command == "status":
        pid = recorded_pid(d)
        return 0 if pid is not None and pid_alive(pid) and is_our_rsyslogd(pid, d) else 1
    if a.command == "selfcheck":
        return cmd_selfcheck(d, a.timeout)
    if a.expect is None:
        p.error("wait needs --expect N")
    return cmd_wait(d, a.expect, a.input, a.timeout)


if __name__ == "__main__":
    sys.exit(main())
