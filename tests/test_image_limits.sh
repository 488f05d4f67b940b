#!/usr/bin/env bash
# `check` and `render` agree on every image size limit: an image check accepts is drawn (never a
# checkerboard), and one it refuses is exactly one render draws as a checkerboard, with the
# same reason. Sizes at and just past each limit (65535 pixels a side, 64 Mpx), a 20000 px
# panorama, and under, at and over the GPU's texture limit (lowered to 256 with --max-texture
# on both): tiled, or refused past what tiles can reach. (Accepted images at the 64 Mpx bound
# itself are left to test_image: 256 MiB each.)
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"

# white FILE WIDTH HEIGHT: a valid 1-bit grey PNG, all white (a few KB for millions of pixels).
white() {
  "$py" - "$@" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
path, w, h = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
row = b'\0' + b'\xff' * ((w + 7) // 8)
z = zlib.compressobj(9)
data = b''.join(z.compress(row) for _ in range(h)) + z.flush()
open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' +
                       chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)) +
                       chunk(b'IDAT', data) + chunk(b'IEND', b''))
PY
}
# top_left FRAME: the first pixel of a rendered frame, as "r,g,b".
top_left() {
  PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$py" - "$1" <<'PY'
import sys
from pngread import read_png
(w, h), rows = read_png(sys.argv[1])
print(','.join(str(v) for v in rows[:3]))
PY
}

# agree SIZE WANT [--max-texture N]: check exits WANT (0 or 65) on an image of SIZE and render
# draws it (never a checkerboard) exactly when check accepts it, or the checkerboard with
# check's reason; an image render tiles says so, and check accepts it.
agree() {
  local size=$1 want=$2; shift 2
  local w=${size%x*} h=${size#*x}
  [ -f "$tmp/i$size.png" ] || white "$tmp/i$size.png" "$w" "$h"
  printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - id: p\n    type: image\n    src: i%s.png\n' \
    "$size" > "$tmp/s$size.yaml"
  "$bin" check "$tmp/s$size.yaml" "$@" >"$tmp/out" 2>"$tmp/cerr"; checked=$?
  [ "$checked" = "$want" ] && passed=$((passed+1)) ||
    { failed=$((failed+1)); echo "FAIL: check $size $*: exit $checked, expected $want"; sed 's/^/  | /' "$tmp/cerr"; }
  expect 0 "render $size $*" -- "$bin" render "$tmp/s$size.yaml" --out "$tmp/r$size" --frames 1 "$@"
  pixel=$(top_left "$tmp/r$size/frame_00000.png")
  if grep -q "drawing a checkerboard" "$tmp/err"; then drawn=checkerboard; else drawn=image; fi
  case "$checked/$drawn/$pixel" in
    0/image/255,255,255|65/checkerboard/255,0,255) passed=$((passed+1)) ;;
    *) failed=$((failed+1))
       echo "FAIL: $size $*: check exit $checked, render drew the $drawn (top-left pixel $pixel)"
       sed 's/^/  check | /' "$tmp/cerr"; sed 's/^/  render | /' "$tmp/err" ;;
  esac
  # A refusal says the same thing in both: what check says after the file's name.
  if [ "$checked" = 65 ]; then
    reason=$(sed -n "s/.*image 'i$size.png': //p" "$tmp/cerr" | head -1)
    [ -n "$reason" ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: $size: no reason"; cat "$tmp/cerr"; }
    contains "$tmp/err" "$reason" "$size $*: render gives check's reason"
  elif [ "$drawn" = image ] && grep -q "drawn from" "$tmp/err"; then
    tiled=$((tiled+1))
  fi
}

tiled=0
# The decoders' limits (65535 pixels a side, 64 Mpx) under the GPU's own texture limit: a
# 20000 px panorama is drawn (in tiles where the GPU takes less).
for size in 16384x1 1x16384 20000x1080 65535x1; do agree "$size" 0; done
for size in 65536x1 1x65536 8192x8193; do agree "$size" 65; done
# A GPU that takes 256 a side: under, at and over it (tiled), the most tiles can reach there
# (257 * 2^6 - 1: 16447), one past it, and the bounds above it.
lim="--max-texture 256"
tiled=0
for size in 255x1 256x256 257x1 1x300 1024x320 16447x1 1x16447; do agree "$size" 0 $lim; done
[ "$tiled" = 5 ] && passed=$((passed+1)) ||
  { failed=$((failed+1)); echo "FAIL: $tiled of the 5 images over 256 said they were tiled"; }
for size in 16448x1 1x16448 20000x1080 65536x1 8192x8193; do agree "$size" 65 $lim; done
# Rounded corners on a tiled picture come from one texture: check warns as render does.
printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - id: p\n    type: image\n    src: i1024x320.png\n    radius: 8\n' \
  > "$tmp/round.yaml"
expect 0 "check round $lim" -- "$bin" check "$tmp/round.yaml" $lim
warning="layer 'p': image 'i1024x320.png' is drawn in tiles (over the GPU's texture limit of 256 pixels a side), but its rounded corners, border and shadow are drawn from one texture: the picture shows reduced to 256x80"
contains "$tmp/err" "round.yaml:5:5: warning: $warning" "check warns of corners on tiles"
expect 0 "render round $lim" -- "$bin" render "$tmp/round.yaml" --out "$tmp/round" --frames 1 $lim
contains "$tmp/err" "$warning" "render warns of corners on tiles"
expect 0 "check round" -- "$bin" check "$tmp/round.yaml"
grep -q "drawn in tiles" "$tmp/err" && { failed=$((failed+1)); echo "FAIL: check warns of tiles under 16384"; } || passed=$((passed+1))
echo "test_image_limits: $passed passed, $failed failed"
[ "$failed" = 0 ]
