#!/usr/bin/env bash
# Dithering: a dark ramp from a 16-bit PNG drawn across a 3840 px wall. Without dithering its
# 8-bit output is 32 flat bands about 120 px wide; with it (the default) the bands dissolve into
# a fine ordered pattern: averaged as the eye does over 8x8 pixels, no run of equal values is
# wider than a few pixels, the average of each band stays the ramp's (no bias), and two renders
# are byte-identical. `canvas: {dither: false}` turns it off.
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
for d in on off; do
  { printf 'format: vitrine/1\ncanvas:\n  size: [3840, 64]\n'
    [ $d = off ] && printf '  dither: false\n'
    printf 'layers:\n  - {id: ramp, type: image, src: ramp16.png, size: [3840, 64], fit: fill}\n'
  } > "$tmp/$d.yaml"
  expect 0 "render, dither $d" -- "$bin" render "$tmp/$d.yaml" --out "$tmp/$d" --frames 1
done
expect 0 "render again" -- "$bin" render "$tmp/on.yaml" --out "$tmp/again" --frames 1
cmp -s "$tmp/on/frame_00000.png" "$tmp/again/frame_00000.png" && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: two dithered renders differ"; }

# stats FRAME: the widest run of equal 8x8 means along the rows (the band width the eye sees),
# and the worst gap between a 120-px strip's mean and the ramp's own mean there, in 8-bit steps.
stats() {
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$py" - "$1" <<'PY'
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
    want = sum((x * 8000 // (w - 1)) / 257 for x in range(x0, x0 + 120)) / 120
    bias = max(bias, abs(got - want))
print(best, '%.3f' % bias)
PY
}
read -r on_run on_bias < <(stats "$tmp/on/frame_00000.png")
read -r off_run off_bias < <(stats "$tmp/off/frame_00000.png")
echo "widest flat run: dithered $on_run px, not dithered $off_run px; worst strip bias $on_bias / $off_bias"
[ "$on_run" -le 6 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: dithered ramp has a flat band $on_run px wide"; }
[ "$off_run" -ge 100 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: dither: false should show the bands, widest $off_run px"; }
"$py" -c "import sys; sys.exit(0 if float('$on_bias') <= 0.1 else 1)" && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: the dithered ramp is off by $on_bias steps on average"; }

echo "test_dither: $passed passed, $failed failed"
[ "$failed" = 0 ]
