#!/usr/bin/env bash
# Projectors over PJLink against fake projectors on loopback (tests/pjlink_fake.py): a start
# during opening hours asks `POWR ?` before `POWR 1`, with the MD5 password authentication;
# lamp hours and errors reach /vitrine/status; a projector that never answers, one with another
# password and one sending garbage are reported there and retried with backoff, while the show
# answers OSC at once (the frame loop never waits on them); a start outside opening hours with
# display-off powers them off; a reload with another list talks to the new one.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=; fakes=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; for f in $fakes; do kill "$f" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
fake() {  # fake NAME ARGS...: starts a fake projector; its port is in $tmp/NAME.port
  "$py" "$src/tests/pjlink_fake.py" "$tmp/$1.port" "$tmp/$1.log" "${@:2}" & fakes="$fakes $!"
  for _ in $(seq 100); do [ -s "$tmp/$1.port" ] && break; sleep 0.05; done
  touch "$tmp/$1.log"
}
fake good --password secret --power 0
fake silent --mode silent
fake wrongpw --password other
fake garbage --mode garbage
port=$("$py" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
config() {
  cat > "$tmp/c.yaml" <<YAML
format: vitrine-config/1
osc: {port: $port}
projectors:
  - {address: 127.0.0.1, port: $(cat "$tmp/good.port"), password: secret}
  - {address: 127.0.0.1, port: $(cat "$tmp/silent.port")}
  - {address: 127.0.0.1, port: $(cat "$tmp/wrongpw.port"), password: secret}
  - {address: 127.0.0.1, port: $(cat "$tmp/garbage.port")}
YAML
}
config
printf 'format: vitrine/1\ncanvas: {size: [64, 36], fps: 10}\nlayers:\n  - {id: r, type: rect, size: [8, 8]}\n%s\n' "${1:-}" > "$tmp/s.yaml"
wait_for() {  # wait_for SECONDS COMMAND...: until it succeeds
  local end=$((SECONDS + $1)); shift
  while [ $SECONDS -lt "$end" ]; do "$@" && return 0; sleep 0.2; done
  return 1
}
status() { "$py" "$src/tests/osc_client.py" "$port" --reply /vitrine/status; }
# pj N KEY: a field of projector N in the status.
pj() { "$py" -c 'import json,sys; p=json.loads(sys.argv[1])["projectors"][int(sys.argv[2])]; print(json.dumps(p[sys.argv[3]]))' "$js" "$1" "$2"; }

# Exchanges time out after 2 s, status every 3 s, the first retry after 0.5 s (doubling).
VITRINE_TEST_PJLINK_S="2 3 0.5" "$bin" play "$tmp/s.yaml" --config "$tmp/c.yaml" --quit-after 60 \
  --verbose >/dev/null 2>"$tmp/log" & pid=$!
wait_for 20 grep -q "first frame presented" "$tmp/log" || ko "play should start"
# The loop answers at once while the silent projector's exchange is pending (2 s).
t0=$(date +%s.%N); js=$(status) && ok || ko "the status should be answered during an exchange"
"$py" -c "import sys; sys.exit(0 if $(date +%s.%N) - $t0 < 1.5 else 1)" && ok || ko "the status took too long"
[ "$(pj 1 answered)" = false ] && ok || ko "the silent projector has not answered: $js"

# The good one: asked first, then switched on, authenticated.
wait_for 10 grep -qx "POWR 1" "$tmp/good.log" && ok || ko "the good projector should be switched on"
[ "$(head -4 "$tmp/good.log" | tr '\n' '|')" = "auth ok|POWR ?|POWR 1|ERST ?|" ] && ok ||
  ko "POWR ? before POWR 1, authenticated: $(tr '\n' '|' < "$tmp/good.log")"
got() { js=$(status) && [ "$(pj "$1" "$2")" = "$3" ]; }  # got N KEY JSON-VALUE
wait_for 10 got 0 power '"on"' && ok || ko "power on in the status: $js"
[ "$(pj 0 lamp_hours)" = "[1234]" ] && ok || ko "lamp hours: $js"
[ "$(pj 0 errors)" = '{"fan": "ok", "lamp": "ok", "temperature": "ok", "cover": "ok", "filter": "warning", "other": "ok"}' ] && ok || ko "errors: $js"
[ "$(pj 0 problem)" = null ] && [ "$(pj 0 answered)" = true ] && [ "$(pj 0 asked)" = null ] && ok || ko "no problem: $js"
# The others: reported, and tried again (more than once: backoff from 0.5 s).
wait_for 15 got 1 problem '"no answer in 2 s"' && ok || ko "the silent projector: $js"
wait_for 10 got 2 problem '"the password is refused: check '"'"'password'"'"' in the config"' && ok ||
  ko "the wrong password: $js"
grep -qx "auth bad" "$tmp/wrongpw.log" && ok || ko "the wrong password's digest should be refused"
wait_for 10 got 3 problem '"an answer longer than PJLink allows"' && ok || ko "garbage: $js"
wait_for 15 eval '[ "$(grep -c "auth bad" "$tmp/wrongpw.log")" -ge 3 ]' && ok || ko "retries"
[ "$(pj 2 asked)" = '"on"' ] && ok || ko "still asked on: $js"
# Said once each in the log, not at every retry.
[ "$(grep -c "projector 127.0.0.1 port $(cat "$tmp/wrongpw.port"): the password is refused" "$tmp/log")" = 1 ] &&
  ok || ko "a failing projector is said once"
# A reload with another list: the new projector is talked to (asked, then switched on: the
# room is open), the old ones no more; the status lists the new one only.
fake other --power 0
printf 'format: vitrine-config/1\nosc: {port: %s}\nprojectors:\n  - {address: 127.0.0.1, port: %s}\n' \
  "$port" "$(cat "$tmp/other.port")" > "$tmp/c.yaml"
kill -HUP "$pid"
wait_for 10 grep -qx "POWR 1" "$tmp/other.log" && ok || ko "the new projector should be switched on after a reload"
[ "$(head -2 "$tmp/other.log" | tr '\n' '|')" = "POWR ?|POWR 1|" ] && ok ||
  ko "the new projector: asked first: $(tr '\n' '|' < "$tmp/other.log")"
wait_for 10 eval 'js=$(status) && [ "$(echo "$js" | "$py" -c "import json,sys; print(len(json.load(sys.stdin)[\"projectors\"]))")" = 1 ]' &&
  ok || ko "the status should list the new projector only: $js"
grep -q "the projectors changed in the config" "$tmp/log" && ok || ko "the reload should say the projectors changed"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || ko "play should exit 0, got $rc"

# Closed with display-off at the start: powered off at once, without asking first.
config
: > "$tmp/good.log"
printf 'format: vitrine/1\ncanvas: {size: [64, 36]}\nlayers:\n  - {id: r, type: rect, size: [8, 8]}\nschedule: {timezone: UTC, open: {mon-sun: closed}, outside_hours: display-off}\n' > "$tmp/s.yaml"
VITRINE_TEST_PJLINK_S="2 3 0.5" "$bin" play "$tmp/s.yaml" --config "$tmp/c.yaml" --quit-after 4 \
  >/dev/null 2>"$tmp/log"; rc=$?
[ "$rc" = 0 ] && ok || ko "closed: exit 0, got $rc"
[ "$(sed -n 2p "$tmp/good.log")" = "POWR 0" ] && ok || ko "closed: POWR 0 first: $(tr '\n' '|' < "$tmp/good.log")"
grep -q "no display_off_command" "$tmp/log" && ko "projectors are a display_off backend: no warning" || ok

echo "test_pjlink: $passed passed, $failed failed"
[ "$failed" = 0 ]
