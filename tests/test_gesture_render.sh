#!/usr/bin/env bash
# `render --events` replays gestures from `down`, `move` and `up` lines exactly: a drag moves
# a layer to the expected pixels (within its bounds), a swipe fires its trigger, two fingers
# pinch a layer up to its limit, and `pressed` shows while a finger is down; the frames say so.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3

cat > "$tmp/scene.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [200, 100], fps: 10, background: "#000000"}
layers:
  - {id: slides, type: rect, position: [0, 0], size: [100, 50], color: "#404040"}
  - {id: puck, type: rect, position: [10, 60], size: [10, 10], color: "#00ff00",
     drag: {bounds: [0, 50, 90, 80]}}
  - {id: art, type: rect, position: [150, 50], size: [20, 20], anchor: [0.5, 0.5],
     color: "#0000ff", pinch: {min: 1, max: 2}}
  - {id: button, type: rect, position: [110, 0], size: [20, 20], color: "#ffffff",
     pressed: {color: "#ff0000"}}
triggers:
  - when: {swipe: left, on: slides}
    do: {set: {slides.color: "#ff0000"}}
YAML
cat > "$tmp/visit.events" <<'EOF2'
# drag the puck by 30, 10 (then far down: held by its bounds)
0.5 down 15 65
0.7 move 45 75
0.9 move 45 95
0.9 up 45 95
# swipe left across the slides
1.0 down 90 20 3
1.1 move 60 20 3
1.2 up 30 20 3
# pinch the art: fingers 10 px apart, then 30 (3x, held at 2x)
1.5 down 145 50 1
1.5 down 155 50 2
1.7 move 135 50 1
1.7 move 165 50 2
1.8 up 135 50 1
1.8 up 165 50 2
# hold the button from 2.0 to 2.5 s
2.0 down 120 10 4
2.5 up 120 10 4
EOF2
"$bin" check "$tmp/scene.yaml" >"$tmp/out" 2>&1 && ok || { ko "check refused the scene"; cat "$tmp/out"; }
"$bin" render "$tmp/scene.yaml" --events "$tmp/visit.events" --duration 3 --out "$tmp/f" \
  >"$tmp/out" 2>&1 && ok || { ko "render failed"; cat "$tmp/out"; }
# pixel FRAME X Y -> "r,g,b" of that frame (frame N is at N / 10 s)
pixel() {
  (cd "$src/tests" && "$py" -c '
import sys
from pngread import read_png
(w, h), rows = read_png(sys.argv[1])
bpp = len(rows) // (w * h)
i = (int(sys.argv[3]) * w + int(sys.argv[2])) * bpp
print(",".join(str(b) for b in rows[i:i + 3]))' "$tmp/f/frame_$(printf %05d "$1").png" "$2" "$3")
}
expect() { # FRAME X Y RGB WHAT
  local got; got=$(pixel "$1" "$2" "$3")
  [ "$got" = "$4" ] && ok || ko "$5: frame $1 at $2,$3: want $4, got $got"
}
expect 4 15 65 0,255,0 "the puck before the drag"
expect 7 45 75 0,255,0 "the puck under the finger at 0.7 s"
expect 7 15 65 0,0,0 "the puck left its place"
expect 9 44 85 0,255,0 "the puck held by its bounds (y at most 80)"
expect 9 44 91 0,0,0 "the puck never below its bounds"
expect 11 50 20 64,64,64 "the slides before the swipe ends"
expect 12 50 20 255,0,0 "the swipe left turned the slides red"
expect 16 132 50 0,0,0 "the art before the pinch"
expect 17 132 50 0,0,255 "the art pinched to twice its size"
expect 17 128 50 0,0,0 "the art held at pinch.max"
expect 19 115 5 255,255,255 "the button before it is pressed"
expect 21 115 5 255,0,0 "the button pressed (eased in over 0.1 s)"
expect 26 115 5 255,255,255 "the button released"

echo "test_gesture_render: $passed passed, $failed failed"
[ "$failed" = 0 ]
