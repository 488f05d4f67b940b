#!/usr/bin/env bash
# `render` replays OSC from an event script exactly as it replays touches: an `osc` line fires
# the scene's `when: {osc: ...}` triggers and runs /vitrine/ commands at the first frame at or
# after its time; the pixels of the frames say so. `check` accepts the trigger.
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
canvas: {size: [40, 20], fps: 2, background: "#000000"}
layers:
  - {id: box, type: rect, position: [0, 0], size: [10, 10], color: "#ffffff"}
triggers:
  - when: {osc: /room/door}
    do: {set: {box.color: "#ff0000"}}
YAML
cat > "$tmp/show.events" <<'EOF2'
# the door opens at 1 s; the controller moves the box at 2 s and dims it at 2.5 s
1 osc /room/door
2 osc /vitrine/set box.position 20 5
2.5 osc /vitrine/set box.opacity 0
EOF2
"$bin" check "$tmp/scene.yaml" >"$tmp/out" 2>&1 && ok || { ko "check refused the osc trigger"; cat "$tmp/out"; }
"$bin" render "$tmp/scene.yaml" --events "$tmp/show.events" --duration 3 --out "$tmp/f" \
  >"$tmp/out" 2>&1 && ok || { ko "render failed"; cat "$tmp/out"; }
# pixel FRAME X Y -> "r,g,b" of that frame
pixel() {
  (cd "$src/tests" && "$py" -c '
import sys
from pngread import read_png
(w, h), rows = read_png(sys.argv[1])
bpp = len(rows) // (w * h)
i = (int(sys.argv[3]) * w + int(sys.argv[2])) * bpp
print(",".join(str(b) for b in rows[i:i + 3]))' "$tmp/f/frame_$(printf %05d "$1").png" "$2" "$3")
}
# frames at 0, 0.5, 1, 1.5, 2, 2.5 s
[ "$(pixel 1 2 2)" = 255,255,255 ] && ok || ko "before the door: white, got $(pixel 1 2 2)"
[ "$(pixel 2 2 2)" = 255,0,0 ] && ok || ko "at 1 s the trigger turns it red, got $(pixel 2 2 2)"
[ "$(pixel 3 22 7)" = 0,0,0 ] && ok || ko "at 1.5 s not moved yet, got $(pixel 3 22 7)"
[ "$(pixel 4 22 7)" = 255,0,0 ] && ok || ko "at 2 s moved to 20,5, got $(pixel 4 22 7)"
[ "$(pixel 4 2 2)" = 0,0,0 ] && ok || ko "at 2 s gone from 0,0, got $(pixel 4 2 2)"
[ "$(pixel 5 22 7)" = 0,0,0 ] && ok || ko "at 2.5 s opacity 0, got $(pixel 5 22 7)"
# A refused command in a script is a warning naming its line; the render goes on.
printf '1 osc /vitrine/play nothing\n' > "$tmp/bad.events"
"$bin" render "$tmp/scene.yaml" --events "$tmp/bad.events" --duration 1.5 --out "$tmp/g" \
  >"$tmp/out" 2>&1 && ok || ko "a refused scripted command should not fail the render"
grep -q "events: warning: line 1: /vitrine/play: no timeline or sound 'nothing' in the scene" \
  "$tmp/out" && ok || { ko "the warning should name the line"; cat "$tmp/out"; }

echo "test_osc_render: $passed passed, $failed failed"
[ "$failed" = 0 ]
