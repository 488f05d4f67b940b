#!/usr/bin/env bash
# `play` under systemd, with a fake NOTIFY_SOCKET listener: READY=1 once after the first frame,
# STATUS= with the scene and its state, WATCHDOG=1 every half WATCHDOG_USEC while the scene is
# still and while the room is closed, and no ping once the loop is stalled (test hook); the
# journal's priority prefixes only when stderr is the journal, never on `check`.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); lpid=
trap '[ -n "$lpid" ] && kill "$lpid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3

# listen FILE: records each datagram on $tmp/notify as "SECONDS-SINCE-START MESSAGE" lines.
listen() {
  rm -f "$tmp/notify"
  "$py" - "$tmp/notify" "$tmp/log.$1" <<'PY' & lpid=$!
import socket, sys, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
t0 = time.monotonic()
with open(sys.argv[2], "w", buffering=1) as out:
    while True:
        data = s.recv(4096).decode()
        for line in data.split("\n"):
            out.write("%.3f %s\n" % (time.monotonic() - t0, line))
PY
  for _ in $(seq 50); do [ -S "$tmp/notify" ] && return; sleep 0.1; done
}
stop_listening() { sleep 0.2; kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null; lpid=; }
count() { grep -c -- "$1" "$tmp/log.$2" || true; }
# steady LOG: the pings from the first status on against the 5 a second expected then (the
# start-up, slow under a sanitizer on a busy machine, is not the loop's steady state): at least
# half of them, and never more than expected.
steady() {
  awk '$2 ~ /^STATUS=/ && !s { s = $1 } $2 == "WATCHDOG=1" && s && $1 > s { n++; e = $1 }
       END { want = (e - s) / 0.2; ok = n >= 3 && n >= want / 2 && n <= want + 2;
             printf "%d pings in %.1f s", n, e - s; exit ok ? 0 : 1 }' "$tmp/log.$1"
}

cp "$src/tests/cli/ok.yaml" "$tmp/scene.yaml"
# A still scene: 5 s with a 0.4 s watchdog, a ping every 0.2 s from the sleeping loop.
listen still
NOTIFY_SOCKET=$tmp/notify WATCHDOG_USEC=400000 "$bin" play "$tmp/scene.yaml" --size 64x36 \
  --quit-after 5 2>"$tmp/err"; rc=$?
stop_listening
[ "$rc" = 0 ] && ok || { ko "play exit $rc"; cat "$tmp/err"; }
[ "$(count READY=1 still)" = 1 ] && ok || ko "READY=1 once, got $(count READY=1 still)"
grep -q "STATUS=scene.yaml: attract" "$tmp/log.still" && ok || ko "STATUS with scene and state"
got=$(steady still) && ok || ko "still: a ping every 0.2 s, got $got"
first_ready=$(grep -n READY=1 "$tmp/log.still" | head -1 | cut -d: -f1)
[ -n "$first_ready" ] && ok || ko "no READY"

# Closed all day: the loop sleeps until the next opening, yet pings.
printf 'format: vitrine-config/1\nschedule: {open: {mon-sun: closed}}\n' > "$tmp/closed.yaml"
listen closed
NOTIFY_SOCKET=$tmp/notify WATCHDOG_USEC=400000 "$bin" play "$tmp/scene.yaml" --size 64x36 \
  --config "$tmp/closed.yaml" --quit-after 5 2>"$tmp/err"; rc=$?
stop_listening
[ "$rc" = 0 ] && ok || ko "closed: play exit $rc"
grep -q "STATUS=scene.yaml: closed" "$tmp/log.closed" && ok || ko "closed: STATUS says closed"
got=$(steady closed) && ok || ko "closed: a ping every 0.2 s, got $got"

# A stalled loop (test hook: hangs 1 s after the start until --quit-after) stops pinging.
listen stall
VITRINE_TEST_STALL=1 NOTIFY_SOCKET=$tmp/notify WATCHDOG_USEC=400000 "$bin" play \
  "$tmp/scene.yaml" --size 64x36 --quit-after 4 2>"$tmp/err"; rc=$?
stop_listening
last=$(grep WATCHDOG=1 "$tmp/log.stall" | tail -1 | cut -d' ' -f1)
ready=$(grep READY=1 "$tmp/log.stall" | head -1 | cut -d' ' -f1)
# The stall starts 1 s after the loop starts (READY comes with the first frame, just after):
# no ping 1.5 s after READY, none at all in the stall's last 2 s.
[ -n "$last" ] && [ -n "$ready" ] && "$py" -c "import sys; sys.exit(0 if $last < $ready + 1.5 else 1)" \
  && ok || ko "pings should stop when the loop stalls (ready $ready, last ping $last)"
stalled_pings=$(awk -v r="$ready" '$2 == "WATCHDOG=1" && $1 > r + 2.0' "$tmp/log.stall" | wc -l)
[ "$stalled_pings" = 0 ] && ok || ko "$stalled_pings pings during the stall"

# Without NOTIFY_SOCKET nothing is sent and nothing breaks; without a journal, no prefixes.
"$bin" play "$tmp/scene.yaml" --size 64x36 --quit-after 0.3 --osc-port 1 --osc-bind 192.0.2.1 \
  2>"$tmp/err"; rc=$?
[ "$rc" = 0 ] && ok || ko "plain play exit $rc"
grep -q "^vitrine: osc: warning:" "$tmp/err" && ok || ko "plain stderr: no prefix"
# stderr as the journal (JOURNAL_STREAM names its device:inode): <4> warnings, <6> info.
exec 3>"$tmp/journal"
dev_ino=$(stat -L -c '%d:%i' "$tmp/journal")
JOURNAL_STREAM=$dev_ino "$bin" play "$tmp/scene.yaml" --size 64x36 --quit-after 0.3 \
  --osc-port 1 --osc-bind 192.0.2.1 2>&3; rc=$?
exec 3>&-
grep -q "^<4>vitrine: osc: warning: cannot listen" "$tmp/journal" && ok ||
  { ko "journal: <4> before warnings"; cat "$tmp/journal"; }
# check's output never carries them, even with the journal on stderr.
printf 'format: vitrine/1\ncanvas: {size: [0, 1]}\n' > "$tmp/bad.yaml"
exec 3>"$tmp/journal2"
JOURNAL_STREAM=$(stat -L -c '%d:%i' "$tmp/journal2") "$bin" check "$tmp/bad.yaml" 2>&3 >&3
exec 3>&-
grep -q "^<" "$tmp/journal2" && ko "check printed priority prefixes" || ok
grep -q "error" "$tmp/journal2" && ok || ko "check should still print its errors"

echo "test_systemd: $passed passed, $failed failed"
[ "$failed" = 0 ]
