#!/usr/bin/env bash
# `play` draws again only the part of the canvas that changed (damage tracking), and its frames
# are byte for byte those of a whole redraw: a full-canvas picture under a small pulsing button,
# a moving text and a rotating rect, played with damage tracking and with it turned off by the
# test hook VT_TEST_FULL_REDRAW=1, each run's pictures (VT_TEST_CAPTURE, with their scene times)
# compared pixel for pixel with `render` (always a whole redraw) at the same scene times. The
# frames sampled come late in the run: a pixel left stale stays in the frames after it.
set -u
bin=${VT_BIN:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py() { PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$(cd "$(dirname "$0")" && pwd)" /usr/bin/python3 "$@"; }

# The picture: gradients and a checker, detail everywhere (a stale pixel shows).
py - "$tmp/picture.png" <<'PY'
import struct, sys, zlib
w, h = 160, 90
rows = b''.join(b'\0' + bytes(v for x in range(w) for v in
                (x * 255 // w, y * 255 // h, 200 if (x // 8 + y // 8) % 2 else 40))
                for y in range(h))
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                              + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
PY
cat > "$tmp/s.yaml" <<'EOF'
format: vitrine/1
energy: {attract: full}
canvas: {size: [320, 180], background: "#203040", fps: 30}
layers:
  - {id: picture, type: image, src: picture.png, position: [0, 0], size: [320, 180], fit: fill}
  - {id: button, type: rect, position: [260, 140], anchor: [0.5, 0.5], size: [50, 50], radius: 8,
     color: "#e8a860", border: {width: 2, color: "#ffffff"}}
  - {id: spin, type: rect, position: [80, 50], anchor: [0.5, 0.5], size: [60, 10], color: "#40c0ff"}
  - {id: label, type: text, text: "Bonjour", lang: fr, size: 18, color: "#ffffff", position: [10, 120]}
timelines:
  motion:
    duration: 2
    loop: true
    autoplay: true
    tracks:
      - target: button.scale
        keys: [{t: 0, v: 0.8}, {t: 1, v: 1, ease: in-out-sine}, {t: 2, v: 0.8, ease: in-out-sine}]
      - target: button.opacity
        keys: [{t: 0, v: 0.6}, {t: 1, v: 1, ease: in-out-sine}, {t: 2, v: 0.6, ease: in-out-sine}]
      - target: spin.rotation
        keys: [{t: 0, v: 0}, {t: 2, v: 360, ease: linear}]
      - target: label.position
        keys: [{t: 0, v: [10, 120]}, {t: 2, v: [150, 150], ease: linear}]
EOF

for mode in damage full; do
  mkdir "$tmp/$mode"
  env $([ $mode = full ] && echo VT_TEST_FULL_REDRAW=1) VT_TEST_CAPTURE="$tmp/$mode" \
    "$bin" play "$tmp/s.yaml" --quit-after 2.5 --verbose >/dev/null 2>"$tmp/$mode.err" &&
    ok || { ko "play ($mode)"; cat "$tmp/$mode.err"; }
  # Four pictures spread over the second half of the run, the last one among them.
  n=$(wc -l <"$tmp/$mode/frames.txt")
  [ "$n" -ge 8 ] && ok || ko "play ($mode) drew $n pictures in 2.5 s"
  awk -v n="$n" 'NR == int(n / 2) || NR == int(n * 2 / 3) || NR == int(n * 5 / 6) || NR == n' \
    "$tmp/$mode/frames.txt" >"$tmp/$mode.same"
  while read -r f tk w h _; do
    start=$(awk -v k="$tk" 'BEGIN { printf "%.12f", k / 705600000 }')
    "$bin" render "$tmp/s.yaml" --start "$start" --frames 1 --quiet --size "${w}x$h" \
      --out "$tmp/$mode.r$f" || ko "render at $start s"
  done <"$tmp/$mode.same"
done

py - "$tmp" <<'PY' || failed=$((failed + 1))
import sys
from pngread import read_png as png
tmp = sys.argv[1]
fails = 0
for mode in ('damage', 'full'):
    rows = [l.split() for l in open('%s/%s.same' % (tmp, mode))]
    if len(rows) != 4:
        fails += 1
        print('FAIL: %s: %d pictures to compare' % (mode, len(rows)))
    for n, tk, w, h in (r[:4] for r in rows):
        (pw, ph), played = png('%s/%s/play_%s.png' % (tmp, mode, n))
        (rw, rh), rendered = png('%s/%s.r%s/frame_00000.png' % (tmp, mode, n))
        if (pw, ph) != (rw, rh) or played != rendered:
            fails += 1
            diff = sum(1 for i in range(0, min(len(played), len(rendered)), 4)
                       if played[i:i + 4] != rendered[i:i + 4])
            print('FAIL: %s picture %s (%sx%s at tick %s): %d pixels differ from render, a whole '
                  'redraw' % (mode, n, w, h, tk, diff))
sys.exit(1 if fails else 0)
PY
[ $? = 0 ] && ok

# With tracking, play says how much of the canvas its frames drew (the button, text and rect
# move: less than the whole); without, nothing.
grep -q 'damage: [0-9]* of [0-9]* frames drawn in part' "$tmp/damage.err" && ok ||
  ko "play with damage tracking: no summary: $(cat "$tmp/damage.err")"
grep -q 'damage: ' "$tmp/full.err" && ko "VT_TEST_FULL_REDRAW=1: a damage summary" || ok
echo "test_play_damage: $passed passed, $failed failed"
[ "$failed" = 0 ]
