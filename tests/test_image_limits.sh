#!/usr/bin/env bash
# `check` and `render` agree on every image size limit: an image check accepts is drawn (never a
# checkerboard), and one it refuses is exactly one render draws as a checkerboard, with the
# same reason. Sizes at and just past each limit (65535 pixels a side, 64 Mpx), and a 20000 px
# panorama. (Accepted images at the 64 Mpx bound itself are left to test_image: 256 MiB each.)
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

for size in 16384x1 1x16384 65535x1 65536x1 1x65536 20000x1080 8192x8193; do
  w=${size%x*}; h=${size#*x}
  white "$tmp/i$size.png" "$w" "$h"
  printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - id: p\n    type: image\n    src: i%s.png\n' \
    "$size" > "$tmp/s$size.yaml"
  "$bin" check "$tmp/s$size.yaml" >"$tmp/out" 2>"$tmp/cerr"; checked=$?
  expect 0 "render $size" -- "$bin" render "$tmp/s$size.yaml" --out "$tmp/r$size" --frames 1
  pixel=$(top_left "$tmp/r$size/frame_00000.png")
  if grep -q "drawing a checkerboard" "$tmp/err"; then drawn=checkerboard; else drawn=image; fi
  case "$checked/$drawn/$pixel" in
    0/image/255,255,255|65/checkerboard/255,0,255) passed=$((passed+1)) ;;
    *) failed=$((failed+1))
       echo "FAIL: $size: check exit $checked, render drew the $drawn (top-left pixel $pixel)"
       sed 's/^/  check | /' "$tmp/cerr"; sed 's/^/  render | /' "$tmp/err" ;;
  esac
  # A refusal says the same thing in both: the size and the limit.
  if [ "$checked" = 65 ]; then
    reason=$(sed -n 's/.*pixels, over the limit of \([0-9x]*\).*/\1/p' "$tmp/cerr" | head -1)
    contains "$tmp/err" "over the limit of $reason" "$size: render gives check's reason ($reason)"
  fi
done
# Which side of each limit is which: the limits are 65535 a side and 64 Mpx.
for size in 65536x1 1x65536 8192x8193; do
  "$bin" check "$tmp/s$size.yaml" >/dev/null 2>&1
  [ $? = 65 ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: check accepts $size"; }
done

echo "test_image_limits: $passed passed, $failed failed"
[ "$failed" = 0 ]
