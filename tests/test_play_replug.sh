#!/usr/bin/env bash
# A display unplugged and plugged back while play runs (docs/operations.md, Recovery), pretended
# by the test hook VITRINE_TEST_DISPLAY_UNPLUG=A:B (the offscreen driver's one display gone A s
# after the first frame, back at B s). With outputs: the output on it closes, the log and the
# status say so, the show runs on; back, it opens again and frames are drawn on it. A single
# fullscreen window: the loss is logged and in the status's last_error, and when the display
# comes back the window is put back and the GPU side rebuilt; frames are drawn again.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null}
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
port=$("$py" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
status() { "$py" "$src/tests/osc_client.py" "$port" --reply /vitrine/status; }
# outputs JSON: "id:open" for each output
outputs() { "$py" -c 'import json,sys; print(" ".join("%s:%s" % (o["id"], o["open"]) for o in json.loads(sys.argv[1])["outputs"]))' "$1"; }
field() { "$py" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
wait_for() {  # wait_for PATTERN: until the log holds it (20 s)
  for _ in $(seq 200); do
    grep -q -- "$1" "$tmp/log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
frames_after() {  # frames_after PATTERN: frames logged after the log line matching PATTERN
  local before; before=$(cat "$tmp/n.$1" 2>/dev/null || echo 0)
  echo $(( $(wc -l < "$tmp/frames.txt") - before ))
}
mark() { wc -l < "$tmp/frames.txt" > "$tmp/n.$1"; }

cat > "$tmp/scene.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [400, 200], fps: 20, background: "#000000"}
layers:
  - {id: box, type: rect, size: [40, 40], color: "#ffffff"}
timelines:
  drift:
    duration: 4
    loop: true
    autoplay: true
    tracks:
      - target: box.position
        keys: [{t: 0, v: [0, 0]}, {t: 4, v: [360, 160]}]
YAML
{ printf 'format: vitrine-config/1\nosc: {port: %s}\n' "$port"
  sed -n '/^outputs:/,$p' "$src/tests/outputs/room-config.yaml"; } > "$tmp/two.yaml"
printf 'format: vitrine-config/1\nosc: {port: %s}\n' "$port" > "$tmp/one.yaml"

# Two outputs, fullscreen: 'left' on display 0 (the one there), 'right' on display 1 (never).
VITRINE_TEST_DISPLAY_UNPLUG=2:5 VT_TEST_FRAME_LOG="$tmp/frames.txt" "$bin" play "$tmp/scene.yaml" \
  --config "$tmp/two.yaml" --fullscreen --quit-after 30 --verbose >/dev/null 2>"$tmp/log" & pid=$!
wait_for "first frame presented" || ko "outputs: play should present its first frame"
js=$(status); [ "$(outputs "$js")" = "left:True right:False" ] && ok || ko "outputs at start: $js"
wait_for "output 'left': its display is gone; the show runs on the other outputs" && ok ||
  ko "the lost display should be logged: $(grep play: "$tmp/log" | tail -5)"
mark gone; sleep 0.5
js=$(status); [ "$(outputs "$js")" = "left:False right:False" ] && ok || ko "status while unplugged: $js"
left=$("$py" -c 'import json,sys; print([o["display_present"] for o in json.loads(sys.argv[1])["outputs"] if o["id"] == "left"][0])' "$js")
[ "$left" = False ] && ok || ko "left's display should be missing: $js"
sleep 0.5
[ "$(frames_after gone)" -ge 5 ] && ok || ko "the show should run on while the display is gone ($(frames_after gone) frames)"
wait_for "output 'left': its display is back: drawn again" && ok ||
  ko "the display's return should be logged: $(grep play: "$tmp/log" | tail -5)"
mark back; sleep 1
js=$(status); [ "$(outputs "$js")" = "left:True right:False" ] && ok || ko "status after the return: $js"
[ "$(frames_after back)" -ge 5 ] && ok || ko "frames should be drawn again ($(frames_after back))"
kill -0 "$pid" 2>/dev/null && ok || ko "play should keep running"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || ko "play should end cleanly, exit $rc"
grep -q "ERROR\|error:" "$tmp/log" && ko "errors in the log: $(grep -i error "$tmp/log")" || ok

# A single fullscreen window.
VITRINE_TEST_DISPLAY_UNPLUG=2:4 VT_TEST_FRAME_LOG="$tmp/frames.txt" "$bin" play "$tmp/scene.yaml" \
  --config "$tmp/one.yaml" --fullscreen --quit-after 30 --verbose >/dev/null 2>"$tmp/log" & pid=$!
wait_for "first frame presented" || ko "window: play should present its first frame"
wait_for "display 0 is gone: the show runs on unseen until it comes back" && ok ||
  ko "window: the lost display should be logged: $(grep play: "$tmp/log" | tail -5)"
js=$(status)
case $(field "$js" last_error) in "display 0 is gone"*) ok ;; *) ko "window: status while unplugged: $js" ;; esac
wait_for "the OpenGL context is back; the show goes on" && ok ||
  ko "window: the GPU side should be rebuilt when the display is back: $(grep play: "$tmp/log" | tail -5)"
mark back1; sleep 1
js=$(status); [ "$(field "$js" last_error)" = None ] && ok || ko "window: the loss should be cleared: $js"
[ "$(frames_after back1)" -ge 5 ] && ok || ko "window: frames should be drawn again ($(frames_after back1))"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || ko "window: play should end cleanly, exit $rc"

echo "test_play_replug: $passed passed, $failed failed"
[ "$failed" = 0 ]
