#!/usr/bin/env bash
# Self-test of the remote-handler test tools (tests/remote/*.py), run against CPython's own
# handlers only, to prove the harness before it judges the Rust handlers and receiver:
#   SocketHandler   -> cookbook_receiver.py (TCP; basicConfig, then the dictConfig fixture)
#   DatagramHandler -> cookbook_receiver.py --udp
#   socket-forbidden frames -> cookbook_receiver.py (shows the cookbook receiver runs the payload)
#   HTTPHandler GET / POST -> http_recorder.py (200, then 503)
#   SysLogHandler UDP / TCP -> the real rsyslogd (rsyslog.py), plus rsyslog.py selfcheck
#     (hand-made RFC 5424 octet-counted frames with structured data and a BOM)
# Each step checks line/message counts and the exact content (check.py).
#
# Usage: tests/remote/selftest.sh [-h|--help]     (KEEP=1 keeps the work directory)
# Every step is bounded: the tools exit by themselves (--timeout); the whole run takes ~5 s.
set -uo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

PY=${PY:-$(scripts/python-ref.sh)}
R=tests/remote
WORK=$(mktemp -d "${TMPDIR:-/tmp}/remote-selftest.XXXXXX")
RSYSLOG_DIR="$WORK/rsyslog"
BG_PIDS=()
FAILED=0

cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$RSYSLOG_DIR/ports.json" ]; then "$PY" $R/rsyslog.py stop --dir "$RSYSLOG_DIR" || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "selftest: work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

ok() { printf 'selftest: ok    %s\n' "$*"; }
bad() { printf 'selftest: FAIL  %s\n' "$*"; FAILED=1; }

wait_ready() {  # wait_ready FILE: up to 10 s for a tool's --ready-file
  local i
  for i in $(seq 100); do
    [ -s "$1" ] && { cat "$1"; return 0; }
    sleep 0.1
  done
  return 1
}

RECORDS=$("$PY" $R/check.py expected | wc -l)
LINES=$("$PY" $R/check.py expected | "$PY" -c 'import sys, json; print(sum(json.loads(l)["lines"] for l in sys.stdin))')
echo "selftest: $RECORDS records ($LINES output lines) expected from tests/fixtures/remote/calls.json"

# receiver_case NAME EXPECT SENDER_KIND [receiver options...]: sets OUT to the receiver's
# stdout file, or to "" when a step failed.
receiver_case() {
  local name=$1 expect=$2 kind=$3; shift 3
  OUT=""
  local out="$WORK/$name.out" ready="$WORK/$name.ready"
  "$PY" $R/cookbook_receiver.py --port 0 --expect "$expect" --timeout 20 --ready-file "$ready" "$@" \
    >"$out" 2>"$WORK/$name.err" &
  local rpid=$!
  BG_PIDS+=("$rpid")
  local port
  if ! port=$(wait_ready "$ready"); then bad "$name: receiver not ready"; return; fi
  if ! "$PY" $R/cpython_sender.py --kind "$kind" --port "$port" --timeout 20 2>"$WORK/$name.sender.err"; then
    bad "$name: sender failed: $(cat "$WORK/$name.sender.err")"
  fi
  if ! wait "$rpid"; then bad "$name: receiver exited non-zero: $(cat "$WORK/$name.err")"; return; fi
  OUT=$out
}

# 1-3: SocketHandler / DatagramHandler -> the cookbook receiver.
for spec in "tcp-basicconfig socket" "tcp-dictconfig socket --dictconfig tests/fixtures/remote/receiver_config.json" "udp datagram --udp"; do
  set -- $spec
  name=$1 kind=$2; shift 2
  receiver_case "$name" "$RECORDS" "$kind" "$@"
  out=$OUT
  if [ -n "$out" ]; then
    n=$(wc -l <"$out")
    if [ "$n" -eq "$LINES" ] && "$PY" $R/check.py cookbook --output "$out"; then
      ok "$kind -> cookbook_receiver ($name): $n lines, content exact"
    else
      bad "$kind -> cookbook_receiver ($name): $n lines, want $LINES"
    fi
  else
    bad "$kind -> cookbook_receiver ($name)"
  fi
done
if cmp -s <(sed -E 's/^ *[0-9]+ //' "$WORK/tcp-basicconfig.out") <(sed -E 's/^ *[0-9]+ //' "$WORK/tcp-dictconfig.out"); then
  ok "receiver_config.json prints what the cookbook's basicConfig prints"
else
  bad "receiver_config.json output differs from basicConfig's"
fi

# 4: the forbidden frame on one connection: the cookbook receiver (plain pickle.loads) runs it.
receiver_case forbidden 3 socket-forbidden
out=$OUT
if [ -n "$out" ] && "$PY" $R/check.py cookbook --output "$out" --forbidden nested; then
  ok "socket-forbidden -> cookbook_receiver: 3 records, payload executed (as expected of pickle.loads)"
else
  bad "socket-forbidden -> cookbook_receiver"
fi

# 5-7: HTTPHandler -> http_recorder.
for spec in "http-get GET 200" "http-post POST 200" "http-post POST 503"; do
  set -- $spec
  kind=$1 method=$2 status=$3
  rec="$WORK/$kind-$status.jsonl" ready="$WORK/$kind-$status.ready"
  "$PY" $R/http_recorder.py --port 0 --out "$rec" --expect "$RECORDS" --status "$status" --timeout 20 \
    --ready-file "$ready" 2>"$WORK/$kind-$status.err" &
  rpid=$!
  BG_PIDS+=("$rpid")
  if ! port=$(wait_ready "$ready"); then bad "$kind: recorder not ready"; continue; fi
  "$PY" $R/cpython_sender.py --kind "$kind" --port "$port" --timeout 20 || bad "$kind: sender failed"
  wait "$rpid" || bad "$kind: recorder exited non-zero: $(cat "$WORK/$kind-$status.err")"
  n=$(wc -l <"$rec")
  if [ "$n" -eq "$RECORDS" ] && "$PY" $R/check.py http --records "$rec" --method "$method" --status "$status"; then
    ok "$kind -> http_recorder (status $status): $n requests, content exact"
  else
    bad "$kind -> http_recorder (status $status): $n requests, want $RECORDS"
  fi
done

# 8-11: SysLogHandler -> the real rsyslogd.
if [ ! -x /usr/sbin/rsyslogd ]; then
  bad "rsyslog: /usr/sbin/rsyslogd missing (run scripts/setup.sh)"
elif ! ports=$("$PY" $R/rsyslog.py start --dir "$RSYSLOG_DIR" --timeout 20); then
  bad "rsyslog: start failed"
else
  port_of() { "$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$RSYSLOG_DIR/ports.json" "$1"; }
  # tcp splits a message at each LF: count the pieces (check.py knows the rule).
  TCP_PIECES=$("$PY" $R/check.py expected | "$PY" -c 'import sys, json; print(sum(len([p for p in ("<x>" + json.loads(l)["message"]).split("\n") if p]) for l in sys.stdin))')
  total=0
  for spec in "syslog-udp udp $RECORDS" "syslog-tcp tcp_nul $RECORDS" "syslog-tcp tcp $TCP_PIECES"; do
    set -- $spec
    kind=$1 input=$2 want=$3
    "$PY" $R/cpython_sender.py --kind "$kind" --port "$(port_of "$input")" --timeout 20 || bad "$kind -> $input: sender failed"
    total=$((total + want))
    if "$PY" $R/rsyslog.py wait --dir "$RSYSLOG_DIR" --input "$input" --expect "$want" --timeout 10 \
      && "$PY" $R/check.py syslog --jsonl "$RSYSLOG_DIR/messages.jsonl" --input "$input"; then
      ok "$kind -> rsyslog $input: $want messages, rawmsg exact"
    else
      bad "$kind -> rsyslog $input"
    fi
  done
  n=$(wc -l <"$RSYSLOG_DIR/messages.jsonl")
  [ "$n" -eq "$total" ] && ok "rsyslog messages.jsonl: $n lines" || bad "rsyslog messages.jsonl: $n lines, want $total"
  if "$PY" $R/rsyslog.py selfcheck --dir "$RSYSLOG_DIR" --timeout 10; then
    ok "rsyslog selfcheck: RFC 5424 octet-counted frames with SD and BOM land intact"
  else
    bad "rsyslog selfcheck"
  fi
  "$PY" $R/rsyslog.py stop --dir "$RSYSLOG_DIR" && ! "$PY" $R/rsyslog.py status --dir "$RSYSLOG_DIR" \
    && ok "rsyslog stopped" || bad "rsyslog stop"
fi

if [ "$FAILED" = 0 ]; then echo "selftest: all passed"; else echo "selftest: FAILED"; fi
exit "$FAILED"
