#!/usr/bin/env bash
# Remote control of `play` over OSC on loopback: every /vitrine/ address, the status reply,
# malformed, oversized and refused packets counted, a sender outside the allow list dropped, the
# rate limit, a bundle held until its timetag, reload by OSC and by SIGHUP; a port that cannot
# be bound is a warning and the show runs on.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
# Debian's own python3 first: a version manager's shim can take a second to start.
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
osc() { "$py" "$src/tests/osc_client.py" "$port" "$@"; }
# field JSON KEY [SUBKEY]: a value of the status reply.
field() {
  "$py" -c 'import json,sys; o=json.loads(sys.argv[1]); [o:=o[k] for k in sys.argv[2:]]; print(o)' "$@"
}
status() { osc --reply /vitrine/status; }
wait_for() {  # wait_for COUNT PATTERN: until the log holds COUNT lines matching it (20 s)
  for _ in $(seq 200); do
    [ "$(grep -c -- "$2" "$tmp/log")" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

cat > "$tmp/scene.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [64, 36], fps: 10}
layers:
  - {id: box, type: rect, size: [10, 10], color: "#ffffff"}
states: {custom: [visit], idle_after: 600}
timelines:
  go:
    duration: 2
    tracks:
      - target: box.position
        keys: [{t: 0, v: [0, 0]}, {t: 2, v: [50, 0]}]
triggers:
  - when: {osc: /room/door}
    do: {state: visit}
YAML
port=$("$py" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$tmp/config.yaml" <<YAML
format: vitrine-config/1
osc: {port: $port, allow: [127.0.0.1/32], rate: 20}
YAML
"$bin" play "$tmp/scene.yaml" --config "$tmp/config.yaml" --quit-after 120 --verbose \
  >"$tmp/out" 2>"$tmp/log" & pid=$!
wait_for 1 "first frame presented" || ko "play should present its first frame"
grep -q "listening for OSC on 127.0.0.1 port $port" "$tmp/log" && ok || ko "should say where it listens"

js=$(status) && ok || ko "no status reply"
[ "$(field "$js" state)" = attract ] && ok || ko "state should be attract: $js"
[ "$(field "$js" scene)" = "$tmp/scene.yaml" ] && ok || ko "scene: $js"
[ "$(field "$js" target_fps)" = 10 ] && ok || ko "target_fps: $js"
for k in fps scale power_w energy_j energy_wh_today uptime_s last_error; do
  field "$js" "$k" >/dev/null 2>&1 && ok || ko "status lacks $k: $js"
done
# A visitor by OSC (a presence sensor) moves attract to active.
osc /vitrine/input 1
js=$(status); [ "$(field "$js" state)" = active ] && ok || ko "/vitrine/input should wake: $js"
# An address of the room's own fires the scene's osc trigger.
osc /room/door 1
js=$(status); [ "$(field "$js" state)" = visit ] && ok || ko "when: {osc: /room/door}: $js"
osc /vitrine/state active
js=$(status); [ "$(field "$js" state)" = active ] && ok || ko "/vitrine/state active: $js"
osc /vitrine/state visit
js=$(status); [ "$(field "$js" state)" = visit ] && ok || ko "/vitrine/state visit: $js"
n=$(grep -c "osc: debug: /vitrine/[a-z]* from" "$tmp/log")
for cmd in "/vitrine/play go" "/vitrine/pause go" "/vitrine/resume go" "/vitrine/seek go 1.5" \
           "/vitrine/stop go" "/vitrine/play go 0.5" "/vitrine/set box.opacity 0.5" \
           "/vitrine/set box.position 3 4" "/vitrine/set box.color s:#ff8800" \
           "/vitrine/set box.visible true" "/vitrine/budget 12" "/vitrine/budget 0"; do
  osc $cmd
  # shellcheck disable=SC2086
  wait_for $((++n)) "osc: debug: /vitrine/[a-z]* from 127.0.0.1:" && ok || ko "$cmd was not applied"
done
wait_for 1 "power budget set remotely" && ok || ko "/vitrine/budget should set the budget"
# Refused commands say why, and status keeps the last one.
osc /vitrine/play nothing
wait_for 1 "osc: warning: from 127.0.0.1:[0-9]*: /vitrine/play: no timeline or sound 'nothing'" &&
  ok || ko "an unknown id should be refused with a reason"
js=$(status)
[ "$(field "$js" last_error)" = "/vitrine/play: no timeline or sound 'nothing' in the scene" ] &&
  ok || ko "status should keep the last error: $js"
osc /vitrine/language fr
wait_for 1 "no text in language 'fr'" && ok || ko "an unknown language should be refused"
# Malformed, oversized, and a sender outside the allow list: counted, dropped.
osc --garbage
osc --oversized 9000
osc --from 127.0.0.2 /vitrine/state attract
sleep 0.3
js=$(status)
[ "$(field "$js" osc malformed)" = 1 ] && ok || ko "malformed should count 1: $js"
[ "$(field "$js" osc oversized)" = 1 ] && ok || ko "oversized should count 1: $js"
[ "$(field "$js" osc denied)" = 1 ] && ok || ko "denied should count 1: $js"
[ "$(field "$js" state)" = visit ] && ok || ko "a denied sender changed the state: $js"
# A bundle one second ahead waits for its time.
osc --at 1.5 /vitrine/state attract
sleep 0.3
js=$(status); [ "$(field "$js" state)" = visit ] && ok || ko "the bundle came early: $js"
sleep 2
js=$(status); [ "$(field "$js" state)" = attract ] && ok || ko "the bundle did not come: $js"
# The rate: 20 a second per sender; 100 at once lose most, and the show goes on.
osc --repeat 100 /vitrine/seek go 0
sleep 1.5
js=$(status)
limited=$(field "$js" osc limited)
[ "$limited" -ge 60 ] && ok || ko "100 messages at 20/s should be limited: $js"
# Reload by OSC and by SIGHUP (which used to kill play), both in the loop.
osc /vitrine/reload
wait_for 1 "/vitrine/reload: reloading the operator config and the scene" && ok || ko "OSC reload"
wait_for 1 "reloaded $tmp/scene.yaml" && ok || ko "the scene should reload"
kill -HUP "$pid"
wait_for 1 "SIGHUP: reloading the operator config and the scene" && ok || ko "SIGHUP reload"
wait_for 2 "reloaded $tmp/scene.yaml" && ok || ko "the scene should reload on SIGHUP"
kill -0 "$pid" 2>/dev/null && ok || ko "play should survive SIGHUP"
js=$(status) && ok || ko "OSC should still answer after the reloads"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || ko "play should end cleanly on SIGTERM, exit $rc"

# --kiosk: a broken edit shows nothing on screen; the log and the status's last_error say it.
"$bin" play "$tmp/scene.yaml" --config "$tmp/config.yaml" --kiosk --quit-after 60 --verbose \
  >"$tmp/out" 2>"$tmp/log" & pid=$!
wait_for 1 "first frame presented" || ko "kiosk: play should present its first frame"
cp "$tmp/scene.yaml" "$tmp/good.yaml"
printf 'format: vitrine/1\ncanvas: {size: [64, 36], fps: 0}\n' > "$tmp/scene.yaml"
wait_for 1 "was not reloaded" && ok || ko "kiosk: the broken edit should be refused"
grep -q "the window shows" "$tmp/log" && ko "kiosk: an error strip was shown" || ok
js=$(status)
case $(field "$js" last_error) in scene.yaml:2:*) ok ;; *) ko "kiosk: last_error: $js" ;; esac
kill -TERM "$pid"; wait "$pid"; pid=
cp "$tmp/good.yaml" "$tmp/scene.yaml"

# Projection outputs in the status: each with its display, whether that display is there and
# its window open, and its size. The offscreen driver has one display: fullscreen, 'left'
# (display 0) plays and 'right' (display 1) waits for its display. Without outputs: [].
"$bin" play "$tmp/scene.yaml" --config "$tmp/config.yaml" --quit-after 60 --verbose \
  >"$tmp/out" 2>"$tmp/log" & pid=$!
wait_for 1 "first frame presented" || ko "outputs: play should present its first frame"
js=$(status); [ "$(field "$js" outputs)" = "[]" ] && ok || ko "no outputs: [] expected: $js"
kill -TERM "$pid"; wait "$pid"; pid=
{ cat "$tmp/config.yaml"; sed -n '/^outputs:/,$p' "$src/tests/outputs/room-config.yaml"; } > "$tmp/two.yaml"
"$bin" play "$src/tests/outputs/room.yaml" --config "$tmp/two.yaml" --fullscreen --quit-after 60 \
  --verbose >"$tmp/out" 2>"$tmp/log" & pid=$!
wait_for 1 "first frame presented" || ko "outputs: play should present its first frame"
js=$(status)
outs=$("$py" -c 'import json,sys; print(" ".join("%s:%s:%s:%s:%s" % (o["id"], o["display"], o["display_present"], o["open"], "x".join(map(str, o["size"]))) for o in json.loads(sys.argv[1])["outputs"]))' "$js")
case $outs in
  "left:0:True:True:"[1-9]*x[1-9]*" right:1:False:False:240x200") ok ;;
  *) ko "outputs: left open on display 0, right waiting for display 1 at 240x200: '$outs' ($js)" ;;
esac
kill -TERM "$pid"; wait "$pid"; pid=

# A port that cannot be bound: a warning, and the show runs.
"$bin" play "$tmp/scene.yaml" --osc-port "$port" --osc-bind 192.0.2.1 --quit-after 0.5 \
  >"$tmp/out" 2>"$tmp/log"; rc=$?
[ "$rc" = 0 ] && ok || ko "an unbindable OSC address should not stop the show, exit $rc"
grep -q "osc: warning: cannot listen for OSC on 192.0.2.1 port $port: .*; remote control is off" \
  "$tmp/log" && ok || { ko "the warning should name the address"; cat "$tmp/log"; }
# --osc-port 0 turns the config's OSC off.
"$bin" play "$tmp/scene.yaml" --config "$tmp/config.yaml" --osc-port 0 --quit-after 0.3 \
  --verbose >"$tmp/out" 2>"$tmp/log"
grep -q "listening for OSC" "$tmp/log" && ko "--osc-port 0 should turn OSC off" || ok

echo "test_osc_play: $passed passed, $failed failed"
[ "$failed" = 0 ]
