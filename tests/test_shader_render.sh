#!/usr/bin/env bash
# Shader layers rendered on Mesa (llvmpipe under SDL_VIDEODRIVER=offscreen): every feature of
# tests/shaders/features.yaml against a golden with a tolerance, split renders of a persistent
# feedback buffer identical to one render, compile errors on the shader file's own lines with the
# layer, exit 65 when a shader cannot compile.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
. "$src/tests/cli_lib.sh"
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
sh="$src/tests/shaders"

# 1. Every feature, frame 2 (the feedback buffer has moved twice), against the golden: each
# channel within 3 of it (GPU drivers round differently), at most 0.5 % of pixels off.
expect 0 "render features" -- "$bin" render "$sh/features.yaml" --out "$tmp/f" --frames 3 --quiet
golden="$src/tests/golden/shader-features.png"
if [ "${VT_UPDATE_GOLDEN:-0}" = 1 ]; then
  cp "$tmp/f/frame_00002.png" "$golden"; echo "wrote $golden"
fi
if PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$src/tests" /usr/bin/python3 - "$tmp/f/frame_00002.png" "$golden" <<'PY'
import sys
from pngread import read_png
(a_size, a), (b_size, b) = read_png(sys.argv[1]), read_png(sys.argv[2])
if a_size != b_size:
    sys.exit("size %s, golden %s" % (a_size, b_size))
bpp = len(a) // (a_size[0] * a_size[1])
off = sum(1 for i in range(0, len(a), bpp)
          if max(abs(a[i + k] - b[i + k]) for k in range(bpp)) > 3)
print("pixels off:", off)
sys.exit(0 if off <= a_size[0] * a_size[1] // 200 else 1)
PY
then ok; else ko "features frame 2 differs from $golden (mkdir out; VT_UPDATE_GOLDEN=1 rewrites it)"; fi

# 2. Persistent feedback: a render split at 0.6 s draws the frames before it, so its frames are
# byte-identical to the same frames of one render; and the picture does change frame to frame.
expect 0 "feedback whole" -- "$bin" render "$sh/feedback.yaml" --out "$tmp/a" --frames 10 --quiet
expect 0 "feedback split" -- "$bin" render "$sh/feedback.yaml" --out "$tmp/b" --start 0.6 \
  --frames 4 --quiet
for k in 0 1 2 3; do
  f=$(printf 'frame_%05d.png' "$k"); g=$(printf 'frame_%05d.png' $((k + 6)))
  cmp -s "$tmp/b/$f" "$tmp/a/$g" && ok || ko "split feedback render: b/$f differs from a/$g"
done
cmp -s "$tmp/a/frame_00003.png" "$tmp/a/frame_00009.png" && ko "feedback frames 3 and 9 should differ" || ok

# A persistent buffer that changes size (the layer halves at 0.5 s) is resampled, not emptied:
# frame 9 has brightened 9 steps of 1/16 (143), not 4 since the change (80).
expect 0 "feedback resized" -- "$bin" render "$sh/feedback-resize.yaml" --out "$tmp/r" --frames 10 --quiet
if PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$src/tests" /usr/bin/python3 - "$tmp/r/frame_00009.png" <<'PY'
import sys
from pngread import read_png
(w, h), px = read_png(sys.argv[1])
i = (5 * w + 5) * (len(px) // (w * h))
print("red at (5, 5):", px[i])
sys.exit(0 if abs(px[i] - 143) <= 2 else 1)
PY
then ok; else ko "a resized persistent buffer should keep its picture"; fi

# 3. A shader that does not compile: its own line, the layer, exit 65 and no frame.
mkdir -p "$tmp/bad"
cat >"$tmp/bad/waves.fs" <<'FS'
/*{
    "ISFVSN": "2",
    "INPUTS": [
        {"NAME": "tint", "TYPE": "color"}
    ]
}*/

void main() {
    vec4 c = IMG_THIS_PIXEL(nothing);
    gl_FragColor = colr;
}
FS
printf 'format: vitrine/1\ncanvas: {size: [64, 36]}\nlayers:\n  - {id: back, type: rect, size: [8, 8]}\n  - id: waves\n    type: shader\n    src: waves.fs\n' >"$tmp/bad/scene.yaml"
expect 65 "render a broken shader" -- "$bin" render "$tmp/bad/scene.yaml" --out "$tmp/bad/out" --quiet
contains "$tmp/err" "$tmp/bad/waves.fs:10:" "the error is on the shader's own line 10"
contains "$tmp/err" "colr" "the error names the undeclared word"
contains "$tmp/err" "(layer 'waves' at $tmp/bad/scene.yaml:5:5)" "the error names the layer"
[ -e "$tmp/bad/out/frame_00000.png" ] && ko "a render with a broken shader wrote a frame" || ok

# 4. `check` compiles shaders in a hidden window as render does; with no GL it says so and still
# checks the rest.
expect 65 "check a broken shader" -- "$bin" check "$tmp/bad/scene.yaml"
contains "$tmp/err" "$tmp/bad/waves.fs:10:" "check: the error is on the shader's own line"
expect 0 "check the features" -- "$bin" check "$sh/features.yaml"
expect 0 "check without GL" -- env SDL_VIDEO_EGL_DRIVER=/nonexistent/libEGL.so "$bin" check "$tmp/bad/scene.yaml"
contains "$tmp/err" "warning: shaders were not compiled (no OpenGL here" "check without GL warns"

# 5. A bad JSON header is a positioned error at load: exit 65 (check needs no GL for it).
printf '/*{\n  "INPUTS": [\n    {"NAME": "a", "TYPE": "float",}\n  ]\n}*/\nvoid main() {}\n' >"$tmp/bad/waves.fs"
expect 65 "render a bad header" -- "$bin" render "$tmp/bad/scene.yaml" --out "$tmp/bad/out2" --quiet
contains "$tmp/err" "$tmp/bad/waves.fs:3:" "the header error is on the file's line 3"
contains "$tmp/err" "(layer 'waves' at $tmp/bad/scene.yaml:5:5)" "the header error names the layer"
expect 65 "check a bad header without GL" -- env SDL_VIDEO_EGL_DRIVER=/nonexistent/libEGL.so "$bin" check "$tmp/bad/scene.yaml"
contains "$tmp/err" "$tmp/bad/waves.fs:3:" "check: the header error is on the file's line 3"

# 6. A missing shader file is a warning in render, and its layer shows the placeholder.
printf 'format: vitrine/1\ncanvas: {size: [64, 36]}\nlayers:\n  - {id: gone, type: shader, src: missing.fs, size: [32, 36]}\n' >"$tmp/bad/missing.yaml"
expect 0 "render a missing shader" -- "$bin" render "$tmp/bad/missing.yaml" --out "$tmp/miss" --quiet
contains "$tmp/err" "warning: shader file 'missing.fs' not found" "the missing shader is a warning"
if PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$src/tests" /usr/bin/python3 - "$tmp/miss/frame_00000.png" <<'PY'
import sys
from pngread import read_png
(w, h), px = read_png(sys.argv[1])
bpp = len(px) // (w * h)
left = {tuple(px[(y * w + x) * bpp:(y * w + x) * bpp + 3]) for y in range(h) for x in range(32)}
right = {tuple(px[(y * w + x) * bpp:(y * w + x) * bpp + 3]) for y in range(h) for x in range(32, w)}
sys.exit(0 if left == {(255, 0, 255), (0, 0, 0)} and right == {(0, 0, 0)} else 1)
PY
then ok; else ko "the missing shader's layer should show the magenta placeholder"; fi

# 7. DATE in render: 2026-01-01 00:00:00 UTC plus the scene's time unless --date fixes another
# origin. The shader shows the month in red (/12), the day in green (/31), the hour in blue (/24).
mkdir -p "$tmp/date"
cat >"$tmp/date/date.fs" <<'FS'
/*{ "ISFVSN": "2" }*/
void main() {
    gl_FragColor = vec4(DATE.y / 12.0, DATE.z / 31.0, DATE.w / 86400.0, 1.0);
}
FS
printf 'format: vitrine/1\ncanvas: {size: [8, 8], fps: 1}\nlayers:\n  - {id: d, type: shader, src: date.fs}\n' >"$tmp/date/scene.yaml"
pixel() { # FILE: "r g b" of pixel (4, 4)
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$src/tests" /usr/bin/python3 -c '
import sys
from pngread import read_png
(w, h), px = read_png(sys.argv[1])
i = (4 * w + 4) * (len(px) // (w * h))
print(*px[i:i + 3])' "$1"
}
near() { # WHAT GOT WANT: each of three channels within 2
  set -- "$1" $2 $3
  if [ $(( ($2-$5)*($2-$5) <= 4 && ($3-$6)*($3-$6) <= 4 && ($4-$7)*($4-$7) <= 4 )) = 1 ]; then ok
  else ko "$1: got $2 $3 $4, expected $5 $6 $7"; fi
}
expect 0 "render DATE by default" -- "$bin" render "$tmp/date/scene.yaml" --out "$tmp/date/a" --frames 1 --quiet
near "default DATE: January 1st, midnight" "$(pixel "$tmp/date/a/frame_00000.png")" "21 8 0"
expect 0 "render --date" -- "$bin" render "$tmp/date/scene.yaml" --out "$tmp/date/b" --date 2027-06-15T18:00:00 --start 3600 --frames 1 --quiet
near "--date 2027-06-15T18:00:00, an hour in: June 15th, 19:00" "$(pixel "$tmp/date/b/frame_00000.png")" "128 123 202"
contains "$tmp/date/b/render.json" '"date": "2027-06-15T18:00:00"' "render.json records --date"
expect 64 "render --date on a day that does not exist" -- "$bin" render "$tmp/date/scene.yaml" --out "$tmp/date/c" --date 2027-02-29
contains "$tmp/err" "--date takes a date and time in UTC like 2026-06-21T21:30:00" "a bad --date says what it takes"

# 8. A last pass with a TARGET is still the layer's picture (ISF; Life.fs of the ISF-Files
# collection keeps its only pass in a persistent buffer): 0.25 of red added each frame.
mkdir -p "$tmp/last"
cat >"$tmp/last/acc.fs" <<'FS'
/*{ "ISFVSN": "2", "PASSES": [{"TARGET": "acc", "PERSISTENT": true}] }*/
void main() {
    gl_FragColor = vec4(IMG_THIS_PIXEL(acc).r + 0.25, 0.0, 0.0, 1.0);
}
FS
printf 'format: vitrine/1\ncanvas: {size: [8, 8], fps: 10}\nlayers:\n  - {id: a, type: shader, src: acc.fs}\n' >"$tmp/last/scene.yaml"
expect 0 "render a last pass with a TARGET" -- "$bin" render "$tmp/last/scene.yaml" --out "$tmp/last/o" --frames 2 --quiet
near "a last pass with a TARGET, frame 0" "$(pixel "$tmp/last/o/frame_00000.png")" "64 0 0"
near "a last pass with a TARGET, frame 1" "$(pixel "$tmp/last/o/frame_00001.png")" "128 0 0"

# 9. iMouse (Shadertoy) follows the visitor's pointer from an event script: xy where it is, in
# the layer's pixels with y up, zw where it landed, z negative once it is up. The shader shows
# x / width in red, y / height in green, and whether it is down in blue.
mkdir -p "$tmp/mouse"
cat >"$tmp/mouse/mouse.fs" <<'FS'
void mainImage(out vec4 c, in vec2 f) {
    c = vec4(iMouse.x / iResolution.x, iMouse.y / iResolution.y, iMouse.z > 0.0 ? 1.0 : 0.0, 1.0);
}
FS
printf 'format: vitrine/1\ncanvas: {size: [100, 100], fps: 2}\nlayers:\n  - {id: m, type: shader, src: mouse.fs}\n' >"$tmp/mouse/scene.yaml"
printf '0 down 30 20\n0.5 move 60 40\n1 up 60 40\n' >"$tmp/mouse/events"
expect 0 "render iMouse from an event script" -- "$bin" render "$tmp/mouse/scene.yaml" --out "$tmp/mouse/o" --frames 3 --events "$tmp/mouse/events" --quiet
near "iMouse as the finger lands at (30, 20)" "$(pixel "$tmp/mouse/o/frame_00000.png")" "77 204 255"
near "iMouse as it moves to (60, 40)" "$(pixel "$tmp/mouse/o/frame_00001.png")" "153 153 255"
near "iMouse once it is up" "$(pixel "$tmp/mouse/o/frame_00002.png")" "153 153 0"

echo "test_shader_render: $passed passed, $failed failed"
[ "$failed" = 0 ]
