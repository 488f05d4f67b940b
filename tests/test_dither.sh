#!/usr/bin/env bash
# Dithering: a dark ramp from a 16-bit PNG drawn across a 3840 px wall. Without dithering its
# 8-bit output is 32 flat bands about 120 px wide; with it (the default) the bands dissolve into
# a fine ordered pattern: averaged as the eye does over 8x8 pixels, no run of equal values is
# wider than a few pixels, the average of each band stays the ramp's (no bias), and two renders
# are byte-identical. `canvas: {dither: false}` turns it off.
# The same ramp under a black layer at 75 % (a fade, a dimmed background) is composited in a
# 16-bit canvas and dithered once at the end: rounded to 8 bits before the fade, its 32 steps
# would become 8 bands 480 px wide, whatever dither they had. Split renders (--part) give the
# same frames (canvas.depth: 8 goes back to 8-bit compositing, bands under the fade). A scene without a 16-bit picture keeps the 8-bit canvas: an 8-bit ramp at 60 %
# opacity comes out exactly round(0.6 v), with no dither pattern in it.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"

# A 3840x8 16-bit grey PNG: 0 at the left to 8000 (of 65535, about 31 in 8 bits) at the right.
"$py" - "$tmp/ramp16.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
w, h = 3840, 8
row = b'\0' + b''.join(struct.pack('>H', x * 8000 // (w - 1)) for x in range(w))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' +
    chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 0, 0, 0, 0)) +
    chunk(b'IDAT', zlib.compress(row * h)) + chunk(b'IEND', b''))
PY
for d in on off fade fadeoff fade8; do
  { printf 'format: vitrine/1\ncanvas:\n  size: [3840, 64]\n  fps: 2\n'
    case $d in off|fadeoff) printf '  dither: false\n' ;; fade8) printf '  depth: 8\n' ;; esac
    printf 'layers:\n  - {id: ramp, type: image, src: ramp16.png, size: [3840, 64], fit: fill}\n'
    case $d in fade*) printf '  - {id: dim, type: rect, size: [3840, 64], color: "#000000", opacity: 0.75}\n' ;; esac
  } > "$tmp/$d.yaml"
  expect 0 "render, $d" -- "$bin" render "$tmp/$d.yaml" --out "$tmp/$d" --frames 1
done
expect 0 "render again" -- "$bin" render "$tmp/on.yaml" --out "$tmp/again" --frames 1
cmp -s "$tmp/on/frame_00000.png" "$tmp/again/frame_00000.png" && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: two dithered renders differ"; }

# An 8-bit ramp, 0 to 255 a pixel at a time, at 60 % over black.
"$py" - "$tmp/ramp8.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
row = b'\0' + bytes(range(256))
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' +
    chunk(b'IHDR', struct.pack('>IIBBBBB', 256, 8, 8, 0, 0, 0, 0)) +
    chunk(b'IDAT', zlib.compress(row * 8)) + chunk(b'IEND', b''))
PY
printf 'format: vitrine/1\ncanvas: {size: [256, 8]}\nlayers:\n  - {id: ramp, type: image, src: ramp8.png, size: [256, 8], opacity: 0.6, filter: nearest}\n' > "$tmp/eight.yaml"
expect 0 "render, 8-bit ramp" -- "$bin" render "$tmp/eight.yaml" --out "$tmp/eight" --frames 1
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$py" - "$tmp/eight/frame_00000.png" <<'PY' && passed=$((passed+1)) ||
import sys
from pngread import read_png
(w, h), rows = read_png(sys.argv[1])
bpp = len(rows) // (w * h)
bad = [(x, y, rows[(y * w + x) * bpp]) for y in range(h) for x in range(w)
       if rows[(y * w + x) * bpp] != round(0.6 * x)]
if bad:
    print('FAIL: the 8-bit ramp at 60 %% is not round(0.6 v): %d pixels, first (x, y, got) %s'
          % (len(bad), bad[0]))
sys.exit(1 if bad else 0)
PY
  failed=$((failed+1))

# A split render's second part: the frame is the one the whole render drew.
expect 0 "render, fade, 2 frames" -- "$bin" render "$tmp/fade.yaml" --out "$tmp/whole" --frames 2
expect 0 "render, fade, part 2/2" -- "$bin" render "$tmp/fade.yaml" --out "$tmp/part" --frames 2 --part 2/2
cmp -s "$tmp/whole/frame_00001.png" "$tmp/part/frame_00001.png" && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: a split render's frame differs from the whole render's"; }

# stats FRAME [SCALE]: the widest run of equal 8x8 means along the rows (the band width the eye sees),
# and the worst gap between a 120-px strip's mean and the ramp's own mean there, in 8-bit steps.
stats() {
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$py" - "$1" "${2:-1}" <<'PY'
import sys
from pngread import read_png
(w, h), rows = read_png(sys.argv[1])
bpp = len(rows) // (w * h)
g = [[rows[(y * w + x) * bpp] for x in range(w)] for y in range(8)]
col = [sum(g[y][x] for y in range(8)) for x in range(w)]
block = [sum(col[x:x + 8]) for x in range(w - 7)]
run = best = 1
for a, b in zip(block, block[1:]):
    run = run + 1 if a == b else 1
    best = max(best, run)
bias = 0.0
for x0 in range(0, w - 120, 120):
    got = sum(col[x0:x0 + 120]) / (8 * 120)
    want = sum((x * 8000 // (w - 1)) / 257 * float(sys.argv[2]) for x in range(x0, x0 + 120)) / 120
    bias = max(bias, abs(got - want))
print(best, '%.3f' % bias)
PY
}
read -r on_run on_bias < <(stats "$tmp/on/frame_00000.png")
read -r off_run off_bias < <(stats "$tmp/off/frame_00000.png")
read -r fade_run fade_bias < <(stats "$tmp/fade/frame_00000.png" 0.25)
read -r fadeoff_run fadeoff_bias < <(stats "$tmp/fadeoff/frame_00000.png" 0.25)
read -r fade8_run fade8_bias < <(stats "$tmp/fade8/frame_00000.png" 0.25)
echo "widest flat run: dithered $on_run px, not dithered $off_run px; worst strip bias $on_bias / $off_bias"
[ "$on_run" -le 6 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: dithered ramp has a flat band $on_run px wide"; }
[ "$off_run" -ge 100 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: dither: false should show the bands, widest $off_run px"; }
"$py" -c "import sys; sys.exit(0 if float('$on_bias') <= 0.1 else 1)" && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: the dithered ramp is off by $on_bias steps on average"; }

echo "faded: widest flat run: dithered $fade_run px, not dithered $fadeoff_run px; worst strip bias $fade_bias / $fadeoff_bias"
# A quarter of the slope: the 8x8 pattern's 64 levels move one 64th of a step every 8 px, so
# runs of equal means are longer (14 px here, 372 px when rounded to 8 bits before the fade).
[ "$fade_run" -le 24 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: the faded dithered ramp has a flat band $fade_run px wide"; }
[ "$fadeoff_run" -ge 400 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: the faded ramp without dither should show bands, widest $fadeoff_run px"; }
"$py" -c "import sys; sys.exit(0 if float('$fade_bias') <= 0.1 else 1)" && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: the faded dithered ramp is off by $fade_bias steps on average"; }

# canvas.depth: 8 keeps the 8-bit canvas: the ramp is dithered where drawn, and the fade
# rounds it again into bands.
echo "faded at depth 8: widest flat run $fade8_run px, worst strip bias $fade8_bias"
[ "$fade8_run" -ge 200 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: depth: 8 should round the faded ramp into bands, widest $fade8_run px"; }

echo "test_dither: $passed passed, $failed failed"
[ "$failed" = 0 ]
