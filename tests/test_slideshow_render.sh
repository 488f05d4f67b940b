#!/usr/bin/env bash
# A slideshow rendered: which picture a frame shows is a function of its index. Three solid
# pictures (red, green, blue), 1 s each with 0.4 s crossfades, 10 fps, over two loops: every
# frame's centre is the picture due at its time, pure during holds, half and half at a
# crossfade's midpoint (the loop's last one fading out over the first too); a shuffled folder
# renders the same frames twice.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"

mkdir -p "$tmp/pics"
"$py" - "$tmp/pics" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
for name, rgb in (('1-red', b'\xff\0\0'), ('2-green', b'\0\xff\0'), ('3-blue', b'\0\0\xff')):
    row = b'\0' + rgb * 8
    open('%s/%s.png' % (sys.argv[1], name), 'wb').write(b'\x89PNG\r\n\x1a\n' +
        chunk(b'IHDR', struct.pack('>IIBBBBB', 8, 8, 8, 2, 0, 0, 0)) +
        chunk(b'IDAT', zlib.compress(row * 8)) + chunk(b'IEND', b''))
PY
printf 'format: vitrine/1\ncanvas: {size: [64, 36], fps: 10}\nlayers:\n  - id: s\n    type: slideshow\n    size: [64, 36]\n    duration: 1\n    transition: {duration: 0.4}\n    items: [pics/1-red.png, pics/2-green.png, pics/3-blue.png]\n' >"$tmp/s.yaml"
expect 0 "render the slideshow" -- "$bin" render "$tmp/s.yaml" --out "$tmp/f" --frames 60

PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$py" - "$tmp/f" >"$tmp/check" <<'PY'
import sys
from pngread import read_png
colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255)]
bad = 0
for n in range(60):
    (w, h), rows = read_png('%s/frame_%05d.png' % (sys.argv[1], n))
    bpp = len(rows) // (w * h)
    px = tuple(rows[(18 * w + 32) * bpp:(18 * w + 32) * bpp + 3])
    u = (n % 30) / 10.0
    i, f = int(u), u - int(u)
    if f < 0.6 - 1e-9:  # a hold: exactly the picture
        want, tol = colours[i], 0
    else:  # the next fading in over it (the last: fading out over the first)
        a = (f - 0.6) / 0.4
        lo, hi = (colours[0], colours[2]) if i == 2 else (colours[i], colours[i + 1])
        a = 1 - a if i == 2 else a
        want, tol = tuple(round(l + (h_ - l) * a) for l, h_ in zip(lo, hi)), 3
    if any(abs(p - q) > tol for p, q in zip(px, want)):
        bad += 1
        print('frame %d: %s, want %s' % (n, px, want))
print('bad', bad)
PY
contains "$tmp/check" "bad 0" "every frame shows the picture due at its index"

# midpoints: frame 8 (0.8 s) half red half green; frame 28 (2.8 s) blue half gone over red
grep -q "frame 8:\|frame 28:" "$tmp/check" && { failed=$((failed+1)); echo "FAIL: crossfade midpoints"; } || passed=$((passed+1))

printf 'format: vitrine/1\ncanvas: {size: [64, 36], fps: 10}\nlayers:\n  - {id: s, type: slideshow, size: [64, 36], duration: 1, transition: {duration: 0.4}, folder: pics, shuffle: 3}\n' >"$tmp/f.yaml"
expect 0 "render a shuffled folder" -- "$bin" render "$tmp/f.yaml" --out "$tmp/a" --frames 30
expect 0 "render it again" -- "$bin" render "$tmp/f.yaml" --out "$tmp/b" --frames 30
same=1
for n in 00000 00015 00025; do cmp -s "$tmp/a/frame_$n.png" "$tmp/b/frame_$n.png" || same=0; done
[ $same = 1 ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: a shuffled folder renders differently twice"; }

# A wipe (softness 0, from the left) and captions (yellow on a yellow plate, at the bottom):
# red -> green runs 0.6..1.0 s: frame 6 is progress 0 (all red), frame 8 is 0.5 (the left
# quarter green, the right quarter red), frame 10 is 1 (all green). Captions: "A" on red, none
# on green, "CCCCCC" (a wider plate) on blue, each at full strength during its picture's hold.
printf 'format: vitrine/1\ncanvas: {size: [64, 36], fps: 10}\nlayers:\n  - id: s\n    type: slideshow\n    size: [64, 36]\n    duration: 1\n    transition: {type: wipe, duration: 0.4, inputs: {softness: 0}}\n    caption_style: {size: 8, color: "#ffff00", plate: "#ffff00", position: [32, 34]}\n    items:\n      - {src: pics/1-red.png, caption: A}\n      - pics/2-green.png\n      - {src: pics/3-blue.png, caption: CCCCCC}\n' >"$tmp/w.yaml"
expect 0 "render a wipe with captions" -- "$bin" render "$tmp/w.yaml" --out "$tmp/w" --frames 30
PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$here" "$py" - "$tmp/w" >"$tmp/wcheck" <<'PY'
import sys
from pngread import read_png
R, G, B, Y = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0)
want = [(6, 8, 10, R), (6, 56, 10, R), (8, 8, 10, G), (8, 56, 10, R), (10, 8, 10, G),
        (10, 56, 10, G), (3, 32, 30, Y), (3, 44, 30, R), (13, 32, 30, G), (13, 44, 30, G),
        (23, 32, 30, Y), (23, 44, 30, Y), (4, 8, 10, R), (14, 56, 10, G)]
bad = 0
for n, x, y, rgb in want:
    (w, h), rows = read_png('%s/frame_%05d.png' % (sys.argv[1], n))
    bpp = len(rows) // (w * h)
    px = tuple(rows[(y * w + x) * bpp:(y * w + x) * bpp + 3])
    if any(abs(p - q) > 3 for p, q in zip(px, rgb)):
        bad += 1
        print('frame %d at (%d, %d): %s, want %s' % (n, x, y, px, rgb))
print('bad', bad)
PY
contains "$tmp/wcheck" "bad 0" "the wipe at progress 0, 0.5 and 1; each caption with its picture"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
