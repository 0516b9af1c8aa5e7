#!/usr/bin/env python3
"""Network handlers' throughput: records/s through `SocketHandler` (TCP, CPython's
length-prefixed pickle frames) from four senders in the same run, into the same receivers.

    make bench-remote        the real run: bench/results/remote-<date>.{md,json} and
                             bench/results/remote-latest.md
    make bench-remote-smoke  1 round, 200 records, debug builds; writes target/bench-remote-smoke/

    python3 bench/remote.py --serve BIN --native BIN --wasi BIN --component WASM
                            [--python PY] [--node NODE] [--records N] [--rounds R]
                            [--cookbook-records N] [--only S,S] [--smoke] [--out DIR] [--latest]

Senders (a fresh process per measurement; methodology in bench/README.md, "Network
handlers"):
  native              examples/socket_bench.rs        the core natively, NetRemote (std::net)
  component           host/examples/socket_bench.rs   the WASI component in Wasmtime, one
                                                      `logger.log` call per record
  node                js/bench/socket.js              the npm package, NodeRemote (node:net)
  cpython             bench/python/socket_bench.py    CPython 3.13's SocketHandler
  component-log-many  the component, one `log-many` call per 64 records
  preencoded          no handler: CPython-pickled frames made before the timing, one `sendall`

Receivers (a fresh process per measurement):
  count     `examples/socket_bench.rs --receive`: splits the stream into frames and counts
            them, nothing else, so the SENDER is what is measured
  serve     `wasm-logging serve` whose root has a `logging.NullHandler` (and a WARNING-level
            stdout handler that prints only the sentinel): each frame unpickled by the
            restricted unpickler and dispatched through the component
  cookbook  the Logging Cookbook's receiver (tests/remote/cookbook_receiver.py, CPython),
            for CPython's sender only, as a reference

Each sender, after its timed span, sends one WARNING "socket-bench: done" on the same
connection. `count` must see exactly N+1 frames, the last one the sentinel; `serve` must print
the sentinel, then on SIGTERM report "N+1 received, 0 rejected". Otherwise the run fails. The
cookbook's receiver drops a connection whose 4-byte length prefix arrives split over two
reads (its `recv(4)`), which a fast sender makes likely: such a run is reported as lost (with
how many records arrived), not as a failure of the run, and left out of that row's figures.

Rounds alternate the order of the measurements (forward, backward, ...) so a drift in the
machine's load spreads over all of them. Reported per sender and receiver: median / min / max
records/s (sender side: first call until every frame was handed to the kernel), end-to-end
records/s (first call until the receiver had the sentinel), and the median of the same-round
ratios to CPython's SocketHandler into the same receiver.
"""

import argparse
import datetime
import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DONE = "socket-bench: done"
COOKBOOK = ROOT / "tests" / "remote" / "cookbook_receiver.py"

# serve's configuration: every record goes to a NullHandler (so the receiver does as little
# as a receiver can), and only WARNING and above, i.e. the sentinel alone, is printed.
RECEIVER_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"m": {"format": "%(message)s"}},
    "handlers": {
        "null": {"class": "logging.NullHandler"},
        "done": {
            "class": "logging.StreamHandler",
            "level": "WARNING",
            "formatter": "m",
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "DEBUG", "handlers": ["null", "done"]},
}


def log(msg):
    print(f"bench-remote: {msg}", file=sys.stderr, flush=True)


class Failure(Exception):
    pass


class Lost(Exception):
    """The cookbook receiver lost the connection: reported, not a failure of the run."""


# ---- receivers ---------------------------------------------------------------------------


class Serve:
    """`wasm-logging serve` on a free port; notices the sentinel on its stdout."""

    def __init__(self, args, n, config_path, work):
        self.n = n
        self.timeout = args.timeout
        self.log_dir = Path(tempfile.mkdtemp(prefix="serve-", dir=work))
        self.proc = subprocess.Popen(
            [args.serve, "serve", "--config", str(config_path), "--listen", "127.0.0.1:0",
             "--component", args.component, "--log-dir", str(self.log_dir)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, cwd=str(self.log_dir))
        self.ports = queue.Queue()
        self.stderr = []
        self.done = threading.Event()
        self.done_at = None
        self.threads = [threading.Thread(target=self._read_err, daemon=True),
                        threading.Thread(target=self._read_out, daemon=True)]
        for t in self.threads:
            t.start()

    def _read_err(self):
        for line in self.proc.stderr:
            line = line.rstrip("\n")
            self.stderr.append(line)
            m = re.match(r"wasm-logging serve: listening on (\S+):(\d+) \(tcp\)", line)
            if m:
                self.ports.put(int(m.group(2)))
        self.ports.put(None)

    def _read_out(self):
        for line in self.proc.stdout:
            if line.rstrip("\n") == DONE and not self.done.is_set():
                self.done_at = time.time()
                self.done.set()

    def port(self):
        try:
            port = self.ports.get(timeout=120)
        except queue.Empty:
            port = None
        if port is None:
            raise Failure("serve did not start listening: " + " | ".join(self.stderr[-5:]))
        return port

    def finish(self, sender_exited_at):
        """Waits for the sentinel, stops serve, checks its counts; the sentinel's time."""
        if not self.done.wait(timeout=self.timeout):
            raise Failure("serve never printed the sentinel")
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            raise Failure("serve did not stop on SIGTERM")
        for t in self.threads:
            t.join(timeout=5)
        counts = None
        for line in reversed(self.stderr):
            m = re.match(r"wasm-logging serve: (\d+) received, (\d+) rejected", line)
            if m:
                counts = int(m.group(1)), int(m.group(2))
                break
        if counts is None:
            raise Failure("serve did not report its counts: " + " | ".join(self.stderr[-5:]))
        if counts != (self.n + 1, 0):
            raise Failure(f"serve received {counts[0]} records and rejected {counts[1]}; expected"
                          f" {self.n + 1} ({self.n} and the sentinel) and 0")
        return self.done_at, self.n

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.log_dir, ignore_errors=True)


class Count:
    """`socket_bench --receive`: counts frames, the sender's bottleneck-free peer."""

    def __init__(self, args, n, config_path, work):
        self.n = n
        self.timeout = args.timeout
        self.proc = subprocess.Popen(
            [args.native, "--receive", "--expect", str(n + 1)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def port(self):
        line = self.proc.stdout.readline()
        try:
            return json.loads(line)["port"]
        except (ValueError, KeyError):
            raise Failure(f"the counting receiver did not start: {line!r} "
                          f"{self.proc.stderr.read()[-500:]}")

    def finish(self, sender_exited_at):
        try:
            out, err = self.proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise Failure("the counting receiver did not see the connection end")
        if self.proc.returncode != 0:
            raise Failure(f"the counting receiver exited {self.proc.returncode}: {err[-500:]}")
        res = json.loads(out.strip().splitlines()[-1])
        if res["frames"] != self.n + 1 or res["partial"] != 0 or not res["last_is_sentinel"]:
            raise Failure(f"the counting receiver got {res['frames']} frames (+{res['partial']} "
                          f"bytes), the last one the sentinel: {res['last_is_sentinel']}; "
                          f"expected {self.n + 1} ({self.n} and the sentinel)")
        return res["t_last"], self.n

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Cookbook:
    """The cookbook's receiver; exits 0 once it handled N+1 records. Its stdout (one line per
    record, '%(message)s') is counted as it comes, to notice a lost connection at once."""

    def __init__(self, args, n, config_path, work):
        self.n = n
        self.timeout = args.timeout
        self.ready = work / f"ready-{time.monotonic_ns()}"
        self.proc = subprocess.Popen(
            [args.python, str(COOKBOOK), "--port", "0", "--ready-file", str(self.ready),
             "--expect", str(n + 1), "--format", "%(message)s", "--timeout", str(args.timeout)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines = 0
        self.all_at = None
        self.counter = threading.Thread(target=self._count, daemon=True)
        self.counter.start()

    def _count(self):
        while True:
            chunk = self.proc.stdout.read1(1 << 16)
            if not chunk:
                return
            self.lines += chunk.count(b"\n")
            if self.all_at is None and self.lines >= self.n + 1:
                self.all_at = time.time()

    def port(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.ready.exists():
                return int(self.ready.read_text().strip())
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        raise Failure("the cookbook receiver did not start: "
                      + self.proc.stderr.read().decode(errors="replace")[-500:])

    def finish(self, sender_exited_at):
        seen, still = -1, time.monotonic()
        while self.proc.poll() is None:
            if self.lines != seen:
                seen, still = self.lines, time.monotonic()
            elif time.monotonic() - still > 2.0:
                self.kill()
                raise Lost(f"{self.lines} of {self.n + 1} records arrived, then the receiver "
                           f"stopped reading the connection")
            time.sleep(0.01)
        self.counter.join(timeout=5)
        err = self.proc.stderr.read().decode(errors="replace")
        if self.proc.returncode != 0 or self.all_at is None:
            raise Lost(f"the cookbook receiver exited {self.proc.returncode} after "
                       f"{self.lines} lines: {err.strip()[-300:]}")
        return self.all_at, self.n

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


RECEIVERS = {"count": Count, "serve": Serve, "cookbook": Cookbook}
RECEIVER_LABELS = {
    "count": "frame counter (`socket_bench --receive`)",
    "serve": "`wasm-logging serve`, NullHandler",
    "cookbook": "cookbook receiver (CPython)",
}


# ---- senders -----------------------------------------------------------------------------

SENDER_LABELS = {
    "native": "native Rust (`NetRemote`)",
    "component": "WASI component in Wasmtime, `logger.log` per record",
    "node": "Node (npm package, `NodeRemote`)",
    "cpython": "CPython 3.13 `SocketHandler`",
    "component-log-many": "WASI component, `log-many` × 64",
    "preencoded": "pre-encoded frames, one `sendall` (the receiver's capacity)",
}
MAIN = ["native", "component", "node", "cpython"]


def sender_command(args, sender, port, n):
    py = [args.python, str(ROOT / "bench" / "python" / "socket_bench.py")]
    common = ["--port", str(port), "--records", str(n)]
    return {
        "native": [args.native] + common,
        "component": [args.wasi] + common + ["--component", args.component],
        "component-log-many": [args.wasi] + common + ["--component", args.component,
                                                      "--batch", "64"],
        "node": [args.node, str(ROOT / "js" / "bench" / "socket.js")] + common,
        "cpython": py + common,
        "preencoded": py + common + ["--preencoded"],
    }[sender]


def rows(args):
    """The measurements of one round, in the forward order: (receiver, sender, N)."""
    out = []
    for s in MAIN:
        out += [("count", s, args.records), ("serve", s, args.records)]
    out += [("count", "component-log-many", args.records),
            ("serve", "preencoded", args.records),
            ("cookbook", "cpython", args.cookbook_records)]
    return out


def measure(args, receiver_kind, sender, n, config_path, work):
    receiver = RECEIVERS[receiver_kind](args, n, config_path, work)
    try:
        port = receiver.port()
        r = subprocess.run(sender_command(args, sender, port, n), stdin=subprocess.DEVNULL,
                           capture_output=True, text=True, timeout=args.timeout, cwd=str(work))
        exited = time.time()
        if r.returncode != 0:
            raise Failure(f"the sender exited {r.returncode}: {r.stderr.strip()[-2000:]}")
        lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
        if not lines:
            raise Failure(f"the sender printed no result: {r.stdout[-500:]!r}")
        res = json.loads(lines[-1])
        if res.get("sender") != sender:
            raise Failure(f"the program run is the {res.get('sender')!r} sender")
        if res.get("n") != n:
            raise Failure(f"the sender logged {res.get('n')} records, expected {n}")
        ended, received = receiver.finish(exited)
    finally:
        receiver.kill()
    e2e = max(ended - res["t0"], 1e-9)
    out = {
        "receiver": receiver_kind,
        "sender": sender,
        "n": n,
        "secs": res["secs"],
        "rate": n / res["secs"],
        "e2e_secs": e2e,
        "e2e_rate": n / e2e,
        "received": received,
        "waits": res.get("waits"),
        "errors": res.get("errors"),
        "stderr": r.stderr.strip()[-2000:],
    }
    if sender == "preencoded":
        # No handler at all: its figure is the end-to-end one (the receiver's capacity).
        out["rate"], out["secs"] = out["e2e_rate"], e2e
    return out


# ---- environment -------------------------------------------------------------------------


def sh(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                              cwd=str(ROOT)).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


def loadavg():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return list(os.getloadavg())


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown cpu"


def lock_version(name):
    text = (ROOT / "Cargo.lock").read_text()
    m = re.search(r'name = "%s"\nversion = "([^"]+)"' % re.escape(name), text)
    return m.group(1) if m else "?"


def environment(args):
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no"])
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "host": platform.node(),
        "cpu": f"{os.cpu_count()} × {cpu_model()}",
        "kernel": f"{platform.system()} {platform.release()} {platform.machine()}",
        "commit": sh(["git", "rev-parse", "--short", "HEAD"])
        + (" + uncommitted changes" if dirty else ""),
        "rustc": sh(["rustc", "--version"]),
        "node": sh([args.node, "--version"]),
        "python": f"{args.python} "
        f"({sh([args.python, '-c', 'import sys; print(sys.version.split()[0])'])})",
        "wasmtime": lock_version("wasmtime"),
        "wasm-logging": lock_version("wasm-logging"),
        "binaries": {"serve": args.serve, "native": args.native, "component host": args.wasi,
                     "component": args.component},
        "records": args.records,
        "cookbook_records": args.cookbook_records,
        "rounds": args.rounds,
        "smoke": args.smoke,
    }


# ---- report ------------------------------------------------------------------------------


def fmt_rate(r):
    if r >= 1e6:
        return f"{r / 1e6:.2f} M/s"
    if r >= 1e3:
        return f"{r / 1e3:.1f} k/s"
    return f"{r:.0f} /s"


def summarize(runs, lost, table):
    by_round = {}
    for r in runs:
        by_round.setdefault(r["round"], {})[(r["receiver"], r["sender"])] = r
    summary = {}
    for recv, sender, n in table:
        key = f"{recv}:{sender}"
        mine = [r for r in runs if (r["receiver"], r["sender"]) == (recv, sender)]
        lost_here = [x for x in lost if (x["receiver"], x["sender"]) == (recv, sender)]
        s = {"receiver": recv, "sender": sender, "n": n, "runs": len(mine),
             "lost": len(lost_here)}
        if mine:
            rates = [r["rate"] for r in mine]
            e2e = [r["e2e_rate"] for r in mine]
            # Same-round ratios to CPython into the same receiver (the cookbook row has no
            # other sender: none).
            ratios = [rs[(recv, sender)]["rate"] / rs[(recv, "cpython")]["rate"]
                      for rs in by_round.values()
                      if (recv, sender) in rs and (recv, "cpython") in rs]
            s.update({
                "rate_median": statistics.median(rates),
                "rate_min": min(rates),
                "rate_max": max(rates),
                "e2e_median": statistics.median(e2e),
                "e2e_min": min(e2e),
                "e2e_max": max(e2e),
                "ratio_median": statistics.median(ratios) if ratios else None,
                "ratio_min": min(ratios) if ratios else None,
                "ratio_max": max(ratios) if ratios else None,
                "waits_median": statistics.median([r["waits"] for r in mine])
                if all(isinstance(r["waits"], (int, float)) for r in mine) else None,
            })
        summary[key] = s
    return summary


def rate_cell(s, prefix):
    return (f"{fmt_rate(s[prefix + '_median'])} "
            f"({fmt_rate(s[prefix + '_min'])}–{fmt_rate(s[prefix + '_max'])})")


def report(env, table, runs, lost, summary, orders, took):
    L = []
    P = L.append
    smoke = " (SMOKE MODE: tiny N, debug builds; not results)" if env["smoke"] else ""
    P(f"# wasm-logging network handlers: `SocketHandler` throughput — "
      f"{env['date'][:10]} on {env['host']}{smoke}")
    P("")
    P("Produced by `make bench-remote` (bench/remote.py); methodology in bench/README.md, "
      "\"Network handlers\".")
    P("")
    P("| | |")
    P("|---|---|")
    P(f"| machine | {env['cpu']}, {env['kernel']} |")
    lb, la = env["loadavg_before"], env["loadavg_after"]
    P(f"| load average (1/5/15 min) | before {lb[0]:.2f} / {lb[1]:.2f} / {lb[2]:.2f}, "
      f"after {la[0]:.2f} / {la[1]:.2f} / {la[2]:.2f} |")
    P(f"| rustc | {env['rustc']} |")
    P(f"| node | {env['node']} |")
    P(f"| python | {env['python']} |")
    P(f"| wasmtime | {env['wasmtime']} |")
    P(f"| commit | {env['commit']} |")
    P(f"| method | {env['records']:,} records per measurement ({env['cookbook_records']:,} into the "
      f"cookbook receiver), {env['rounds']} round{'s' if env['rounds'] != 1 else ''}, the order "
      f"alternating; a fresh receiver and a fresh sender process per measurement; "
      f"median (min–max) |")
    P(f"| took | {took:.0f} s |")
    P("")
    P("*records/s*: the sender's span from its first call until every frame was handed to the "
      "kernel. *end to end*: from the first call until the receiver had the last frame (the "
      "sentinel after the N records). *vs CPython*: the median of the same-round ratios to "
      "CPython's `SocketHandler` into the same receiver (above 1× faster than CPython), their "
      "min–max in brackets.")
    for recv, title in (
        ("count", "Into a frame counter: the senders' own throughput"),
        ("serve", "Into `wasm-logging serve` (root: a `NullHandler`)"),
        ("cookbook", "Reference: CPython's `SocketHandler` into the Logging Cookbook's receiver"),
    ):
        here = [(r, s, n) for r, s, n in table if r == recv]
        if not here:
            continue
        P("")
        P(f"## {title}")
        P("")
        P("| sender | records/s | vs CPython | end to end |")
        P("|---|---|---|---|")
        for _, sender, _n in here:
            s = summary[f"{recv}:{sender}"]
            label = SENDER_LABELS[sender]
            if not s["runs"]:
                P(f"| {label} | no complete run ({s['lost']} lost) | – | – |")
                continue
            if sender == "preencoded":
                P(f"| {label} | – | (capacity) | {rate_cell(s, 'e2e')} |")
                continue
            if recv == "cookbook" or sender == "cpython" or s["ratio_median"] is None:
                ratio = "1×" if sender == "cpython" and recv != "cookbook" else "–"
            else:
                ratio = (f"**{s['ratio_median']:.2f}×** "
                         f"({s['ratio_min']:.2f}–{s['ratio_max']:.2f})")
            extra = f"; {s['lost']} of {s['runs'] + s['lost']} runs lost" if s["lost"] else ""
            P(f"| {label} | {rate_cell(s, 'rate')}{extra} | {ratio} | {rate_cell(s, 'e2e')} |")
    P("")
    P("## Every run (records/s; `preencoded`: end to end)")
    P("")
    keys = [f"{r}:{s}" for r, s, _ in table]
    P("| round | " + " | ".join(keys) + " |")
    P("|---|" + "---|" * len(keys))
    for rnd, _order in enumerate(orders, 1):
        cells = []
        for recv, sender, _ in table:
            r = next((x for x in runs if x["round"] == rnd and
                      (x["receiver"], x["sender"]) == (recv, sender)), None)
            gone = any(x["round"] == rnd and (x["receiver"], x["sender"]) == (recv, sender)
                       for x in lost)
            cells.append("lost" if gone else "–" if r is None else fmt_rate(r["rate"]))
        P(f"| {rnd}{'' if rnd % 2 else ' (reversed)'} | " + " | ".join(cells) + " |")
    if lost:
        P("")
        P("Lost runs (the cookbook receiver's `recv(4)` ends a connection whose length prefix "
          "arrives split over two reads):")
        P("")
        for x in lost:
            P(f"- round {x['round']} {x['receiver']}:{x['sender']}: {x['why']}")
    notes = [r for r in runs if r["stderr"]]
    if notes:
        P("")
        P("## Sender stderr")
        P("")
        for r in notes:
            P(f"- round {r['round']} {r['receiver']}:{r['sender']}: `{r['stderr'][:300]}`")
    P("")
    return "\n".join(L)


# ---- main --------------------------------------------------------------------------------


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--serve", required=True, help="the wasm-logging binary (serve)")
    p.add_argument("--native", required=True, help="examples/socket_bench.rs, built")
    p.add_argument("--wasi", required=True, help="host/examples/socket_bench.rs, built")
    p.add_argument("--component", required=True, help="wasm_logging.wasm (wasm32-wasip2)")
    p.add_argument("--python", default=sh([str(ROOT / "scripts" / "python-ref.sh")]) or "python3")
    p.add_argument("--node", default="node")
    p.add_argument("--records", type=int, default=None)
    p.add_argument("--cookbook-records", type=int, default=None,
                   help="records into the cookbook receiver (default: --records / 10)")
    p.add_argument("--rounds", type=int, default=None)
    p.add_argument("--timeout", type=float, default=180.0, help="per sender and receiver (s)")
    p.add_argument("--only", default=None,
                   help="comma-separated senders (a partial run; cpython is always kept)")
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--out", default=None)
    p.add_argument("--latest", action="store_true", help="also write remote-latest.md")
    args = p.parse_args(argv)
    if args.records is None:
        args.records = 200 if args.smoke else 200_000
    if args.cookbook_records is None:
        args.cookbook_records = args.records if args.smoke else max(1, args.records // 10)
    if args.rounds is None:
        args.rounds = 1 if args.smoke else 5
    if not args.smoke and args.rounds < 5:
        log(f"note: {args.rounds} rounds (the method asks for at least 5)")
    out = Path(args.out) if args.out else ROOT / ("target/bench-remote-smoke" if args.smoke
                                                  else "bench/results")
    for f in ("serve", "native", "wasi", "component"):
        if not Path(getattr(args, f)).exists():
            p.error(f"--{f} {getattr(args, f)}: no such file")

    table = rows(args)
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - set(SENDER_LABELS)
        if unknown:
            p.error(f"--only: unknown senders {sorted(unknown)}")
        table = [t for t in table if t[1] in wanted | {"cpython"}]
    env = environment(args)
    env["loadavg_before"] = loadavg()
    work = Path(tempfile.mkdtemp(prefix="wasm-logging-bench-remote-"))
    config_path = work / "receiver.json"
    config_path.write_text(json.dumps(RECEIVER_CONFIG))
    started = time.monotonic()
    runs, lost, orders = [], [], []
    try:
        for rnd in range(1, args.rounds + 1):
            order = table if rnd % 2 == 1 else list(reversed(table))
            orders.append([f"{r}:{s}" for r, s, _ in order])
            for recv, sender, n in order:
                what = f"round {rnd}/{args.rounds} {sender} -> {recv}"
                try:
                    r = measure(args, recv, sender, n, config_path, work)
                except Lost as e:
                    lost.append({"round": rnd, "receiver": recv, "sender": sender, "n": n,
                                 "why": str(e)})
                    log(f"{what}: LOST ({e})")
                    continue
                except Failure as e:
                    raise Failure(f"{what}: {e}") from None
                r["round"] = rnd
                runs.append(r)
                log(f"{what}: {fmt_rate(r['rate'])} (end to end {fmt_rate(r['e2e_rate'])}), "
                    f"{r['received']} + 1 received")
    except Failure as e:
        log(f"FAILED: {e}")
        return 1
    finally:
        shutil.rmtree(work, ignore_errors=True)
    env["loadavg_after"] = loadavg()
    took = time.monotonic() - started

    if args.smoke:
        # Every sender delivered exactly N records and the sentinel (checked per run above,
        # or the run failed); the cookbook receiver too, here.
        for recv, sender, n in table:
            got = [r["received"] for r in runs if (r["receiver"], r["sender"]) == (recv, sender)]
            if not got or any(g != n for g in got):
                log(f"FAILED: {sender} -> {recv}: delivered {got}, expected {n}")
                return 1

    summary = summarize(runs, lost, table)
    md = report(env, table, runs, lost, summary, orders, took)
    print(md)
    out.mkdir(parents=True, exist_ok=True)
    stamp = f"remote-{env['date'][:10]}"
    doc = {"environment": env, "main": MAIN, "summary": summary, "runs": runs, "lost": lost,
           "orders": orders, "receiver_config": RECEIVER_CONFIG, "took_s": took}
    (out / f"{stamp}.md").write_text(md)
    (out / f"{stamp}.json").write_text(json.dumps(doc, indent=2) + "\n")
    written = [f"{stamp}.md", f"{stamp}.json"]
    if args.latest:
        (out / "remote-latest.md").write_text(md)
        written.append("remote-latest.md")
    log(f"written: {', '.join(str(out / w) for w in written)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
