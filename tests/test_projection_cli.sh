#!/usr/bin/env bash
# Projection outputs on the command line: check --config finds the room's mistakes with their
# positions, render --output draws one output at its size and render.json records it, and the
# usage errors (--size with --output, an unknown output id).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"
scene=$here/outputs/room.yaml
cfg=$here/outputs/room-config.yaml

expect 0 "check a scene with outputs" -- "$bin" check "$scene"
expect 0 "check --config" -- "$bin" check "$scene" --config "$cfg"
expect 65 "check --config with mistakes" -- "$bin" check "$scene" --config "$here/outputs/bad-config.yaml"
contains "$tmp/err" "bad-config.yaml:4:9: error: duplicate output id 'left' (first at line 2)" "duplicate id"
contains "$tmp/err" "bad-config.yaml:6:21: error: the corner pin cannot be drawn: the corners cross" "crossing corners"
printf 'outputs:\n  - id: a\n    source: [300, 0, 200, 200]\n' >"$tmp/outside.yaml"
expect 65 "a source outside the canvas" -- "$bin" check "$scene" --config "$tmp/outside.yaml"
contains "$tmp/err" ":3:13: error: output 'a' shows [300, 0, 200, 200], which is not inside the 400x200 canvas" "source outside the canvas"

expect 64 "--size with --output" -- "$bin" render "$scene" --output all --size 10x10 --out "$tmp/x"
contains "$tmp/err" "--size does not go with --output" "--size with --output message"
expect 64 "unknown output" -- "$bin" render "$scene" --config "$cfg" --output rigth --out "$tmp/x"
contains "$tmp/err" "no output 'rigth' in $cfg (did you mean 'right'?); its outputs are: left, right" "unknown output message"

expect 0 "render --output left" -- "$bin" render "$scene" --config "$cfg" --output left --out "$tmp/l"
python3 - "$tmp/l" <<'PY' && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: render --output frame and render.json"; }
import json, sys
sys.path.insert(0, __import__("os").environ.get("VT_SOURCE_DIR", "..") + "/tests")
from pngread import read_png
(w, h), px = read_png(sys.argv[1] + "/frame_00000.png")
m = json.load(open(sys.argv[1] + "/render.json"))
assert (w, h) == (120, 100), (w, h)                       # the output's size, not the canvas's
assert m["width"] == 120 and m["output"]["id"] == "left", m
assert m["output"]["edge_blend"]["right"] == 40 and m["output"]["canvas_drawn"] == [400, 200], m
stride = w * 3 if len(px) == w * h * 3 else w * 4
ch = stride // w
row = 50 * stride
assert px[row + 10 * ch] == 255, "white outside the ramp"
assert px[row + 119 * ch] < 8, "the ramp ends near black at the edge"
mid = px[row + 100 * ch]                                   # 20 of 40 px into the ramp, gamma 1
assert abs(mid - 128) <= 8, mid
PY
expect 0 "render without --output draws the canvas" -- "$bin" render "$scene" --config "$cfg" --out "$tmp/c"
contains "$tmp/c/render.json" '"output": null' "render.json without --output"
contains "$tmp/c/render.json" '"width": 400' "the canvas's size"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
