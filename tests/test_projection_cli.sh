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

# render --output ID --calibrate: the test pattern play --calibrate shows on that output, drawn
# through its corner pin: grid lines where the warp takes every eighth of the source, the overlap
# tinted, the selected corner's handle (the first) yellow where the warp puts it, the others white.
cat >"$tmp/pin.yaml" <<'YAML'
outputs:
  - id: left   # pinned
    source: [0, 0, 240, 200]
    size: [120, 100]
    warp: {corners: [[0.1, 0.3], [0.9, 0.25], [1, 1], [0.05, 0.95]]}
    edge_blend: {right: 40, gamma: 1.0}
YAML
expect 64 "render --calibrate without --output" -- "$bin" render "$scene" --calibrate --out "$tmp/x"
contains "$tmp/err" "render --calibrate draws one output's calibration pattern: name it with --output ID" "--calibrate needs --output"
expect 0 "render --output left --calibrate" -- "$bin" render "$scene" --config "$tmp/pin.yaml" --output left --calibrate --frames 1 --out "$tmp/cal"
python3 - "$tmp/cal" <<'PY' && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: the calibration pattern's pixels"; }
import sys
sys.path.insert(0, __import__("os").environ.get("VT_SOURCE_DIR", "..") + "/tests")
from pngread import read_png
(w, h), px = read_png(sys.argv[1] + "/frame_00000.png")
ch = len(px) // (w * h)
def at(x, y):
    i = (int(y) * w + int(x)) * ch
    return tuple(px[i:i + 3])
# The corner pin (Heckbert's square-to-quad), in output pixels.
(x0, y0), (x1, y1), (x2, y2), (x3, y3) = [(x * w, y * h) for x, y in
                                          [(0.1, 0.3), (0.9, 0.25), (1, 1), (0.05, 0.95)]]
dx1, dx2, dx3 = x1 - x2, x3 - x2, x0 - x1 + x2 - x3
dy1, dy2, dy3 = y1 - y2, y3 - y2, y0 - y1 + y2 - y3
den = dx1 * dy2 - dx2 * dy1
g, hh = (dx3 * dy2 - dx2 * dy3) / den, (dx1 * dy3 - dx3 * dy1) / den
a, b, d, e = x1 - x0 + g * x1, x3 - x0 + hh * x3, y1 - y0 + g * y1, y3 - y0 + hh * y3
def warp(u, v):
    z = g * u + hh * v + 1
    return (a * u + b * v + x0) / z, (d * u + e * v + y0) / z
green = lambda c: c[1] > 200 and c[0] < 60 and c[2] < 120
problems = []
for u, v in [(0.375, 0.55), (0.5, 0.7), (0.3, 0.625), (0.6, 0.875)]:   # on a line
    if not green(at(*warp(u, v))):
        problems.append(("no line at", u, v, warp(u, v), at(*warp(u, v))))
for u, v in [(0.3125, 0.5625), (0.4375, 0.6875)]:                      # between lines: the show
    if at(*warp(u, v)) != (255, 255, 255):
        problems.append(("not the show at", u, v, at(*warp(u, v))))
c = at(*warp(0.8125, 0.5625))   # in the right overlap (the last 40 of 120 px): tinted orange
if not (c[0] > c[1] + 40 and c[1] > c[2] + 30):
    problems.append(("no tint in the overlap", c))
sel = at(x0, y0)                # the selected handle: yellow, at the pinned top-left corner
if not (sel[0] > 230 and 190 < sel[1] < 235 and sel[2] < 30):
    problems.append(("no selected handle at the top-left corner", (x0, y0), sel))
if at(x1, y1) != (255, 255, 255) or at(x3, y3) != (255, 255, 255):
    problems.append(("no white handle at the other corners", at(x1, y1), at(x3, y3)))
if green(at(w * 0.05, h * 0.05)) or at(6, 60) != (0, 0, 0):           # outside the quad: black
    problems.append(("not black outside the warp", at(6, 60)))
if problems:
    print(problems)
    sys.exit(1)
PY

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
