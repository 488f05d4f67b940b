#!/usr/bin/env bash
# Transitions between two layers: an ISF TRANSITION shader (built-in or the artist's own) reads
# startImage and endImage from layers and its progress from a timeline track. Pixels sampled at
# progress 0, 0.5 and 1 for builtin:crossfade, builtin:wipe and an artist's file between two
# shader layers; and `builtin:` effects in render and check (every one compiles).
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
. "$src/tests/cli_lib.sh"
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }

# Two plain pictures, 8 x 8: red and blue.
/usr/bin/python3 - "$tmp" <<'PY'
import struct, sys, zlib
def png(path, rgb):
    raw = b''.join(b'\0' + bytes(rgb) * 8 for _ in range(8))
    def chunk(kind, body):
        return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body))
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 8, 8, 8, 2, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
png(sys.argv[1] + '/red.png', (255, 0, 0))
png(sys.argv[1] + '/blue.png', (0, 0, 255))
PY

# scene EFFECT: the two pictures hidden, the transition over the canvas, progress 0 -> 1 in 2 s
# (at 2 frames a second: frame 0 is progress 0, frame 2 is 0.5, frame 4 is 1).
scene() {
  cat <<YAML
format: vitrine/1
canvas: {size: [64, 32], fps: 2}
layers:
  - {id: a, type: image, src: red.png, size: [64, 32], visible: false}
  - {id: b, type: image, src: blue.png, size: [64, 32], visible: false}
  - id: t
    type: shader
    src: $1
    inputs: {startImage: a, endImage: b}
timelines:
  change:
    duration: 2
    autoplay: true
    tracks:
      - target: t.inputs.progress
        keys: [{t: 0, v: 0}, {t: 2, v: 1}]
YAML
}

# sample DIR FRAME X Y R G B: the pixel within 3 of (R, G, B)
sample() {
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$src/tests" /usr/bin/python3 - "$@" <<'PY'
import sys
from pngread import read_png
d, frame, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
want = [int(v) for v in sys.argv[5:8]]
(w, h), px = read_png('%s/frame_%05d.png' % (d, frame))
i = (y * w + x) * (len(px) // (w * h))
got = list(px[i:i + 3])
if max(abs(a - b) for a, b in zip(got, want)) > 3:
    sys.exit('frame %d at (%d, %d): %s, expected %s' % (frame, x, y, got, want))
PY
}
at() { if sample "$@"; then ok; else ko "$1 frame $2 at ($3, $4)"; fi; }

scene builtin:crossfade >"$tmp/fade.yaml"
expect 0 "render builtin:crossfade" -- "$bin" render "$tmp/fade.yaml" --out "$tmp/fade" --frames 5 --quiet
at "$tmp/fade" 0 32 16 255 0 0
at "$tmp/fade" 2 32 16 128 0 128
at "$tmp/fade" 4 32 16 0 0 255

# wipe (angle 0: from the left): at 0.5 the left quarter shows the end, the right quarter the start
scene builtin:wipe >"$tmp/wipe.yaml"
expect 0 "render builtin:wipe" -- "$bin" render "$tmp/wipe.yaml" --out "$tmp/wipe" --frames 5 --quiet
for x in 4 60; do at "$tmp/wipe" 0 $x 16 255 0 0; at "$tmp/wipe" 4 $x 16 0 0 255; done
at "$tmp/wipe" 2 8 16 0 0 255
at "$tmp/wipe" 2 56 16 255 0 0

# An artist's own TRANSITION file between two shader layers drawn beneath it: the end shows from
# the top down (y up in ISF: the rows whose y is above 1 - progress).
cat >"$tmp/down.fs" <<'FS'
/*{
    "ISFVSN": "2",
    "CATEGORIES": ["Transition"],
    "INPUTS": [
        {"NAME": "startImage", "TYPE": "image"},
        {"NAME": "endImage", "TYPE": "image"},
        {"NAME": "progress", "TYPE": "float"}
    ]
}*/
void main() {
    bool end = isf_FragNormCoord.y > 1.0 - progress;
    gl_FragColor = end ? IMG_THIS_NORM_PIXEL(endImage) : IMG_THIS_NORM_PIXEL(startImage);
}
FS
cat >"$tmp/own.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [64, 32], fps: 2}
layers:
  - {id: green, type: shader, src: "builtin:gradient", inputs: {startColor: "#00ff00", endColor: "#00ff00"}}
  - {id: white, type: shader, src: "builtin:gradient", inputs: {startColor: "#ffffff", endColor: "#ffffff"}}
  - {id: t, type: shader, src: down.fs, inputs: {startImage: green, endImage: white}}
timelines:
  change:
    duration: 2
    autoplay: true
    tracks: [{target: t.inputs.progress, keys: [{t: 0, v: 0}, {t: 2, v: 1}]}]
YAML
expect 0 "render an artist's transition" -- "$bin" render "$tmp/own.yaml" --out "$tmp/own" --frames 5 --quiet
for y in 4 28; do at "$tmp/own" 0 32 $y 0 255 0; at "$tmp/own" 4 32 $y 255 255 255; done
at "$tmp/own" 2 32 4 255 255 255
at "$tmp/own" 2 32 28 0 255 0

# Every built-in effect loads, compiles (check) and renders; an unknown name is a positioned error
# that lists them.
{
  printf 'format: vitrine/1\ncanvas: {size: [64, 32], fps: 2}\nlayers:\n'
  printf '  - {id: back, type: image, src: red.png, size: [64, 32]}\n'
  for f in "$src"/shaders/builtin/*.fs; do
    n=$(basename "$f" .fs)
    printf '  - {id: fx-%s, type: shader, src: "builtin:%s", size: [16, 16], inputs: {}}\n' "$n" "$n"
  done
} >"$tmp/all.yaml"
expect 0 "check every built-in" -- "$bin" check "$tmp/all.yaml"
grep -q "not compiled" "$tmp/err" && ko "check did not compile the built-ins: $(cat "$tmp/err")" || ok
expect 0 "render every built-in" -- "$bin" render "$tmp/all.yaml" --out "$tmp/all" --frames 2 --quiet
printf 'format: vitrine/1\ncanvas: {size: [64, 32]}\nlayers:\n  - {id: s, type: shader, src: "builtin:film-grian"}\n' >"$tmp/typo.yaml"
expect 65 "check an unknown built-in" -- "$bin" check "$tmp/typo.yaml"
contains "$tmp/err" "typo.yaml:4:32: error: 'builtin:film-grian' is not a built-in effect; did you mean 'builtin:film-grain'?" "the unknown built-in is positioned with a suggestion"
contains "$tmp/err" "blur, clouds, color-grade, crossfade" "the unknown built-in lists the built-ins"

echo "test_shader_transition: $passed passed, $failed failed"
[ "$failed" = 0 ]
