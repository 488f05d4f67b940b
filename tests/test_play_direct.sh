#!/usr/bin/env bash
# `play` draws a frame that changes whole (a full-canvas crossfade, as W1) straight into the
# window at render scale 1, and its frames are byte for byte those of `render`: two 1:1
# pictures crossfading without end under a caption on a plate, played with its pictures
# captured (VT_TEST_CAPTURE reads the window's back buffer then) and compared pixel for pixel
# with `render` at the same scene times; play's summary says how many frames went straight into
# the window (more than none). Then the same scene with the picture turned a little: those
# frames must not go into the window (llvmpipe may round a turned picture's edges otherwise).
set -u
bin=${VT_BIN:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py() { PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$(cd "$(dirname "$0")" && pwd)" /usr/bin/python3 "$@"; }

# Two pictures with detail everywhere (gradients and a checker): a wrong pixel shows.
py - "$tmp" <<'PY'
import struct, sys, zlib
w, h = 320, 180
def png(path, f):
    rows = b''.join(b'\0' + bytes(v for x in range(w) for v in f(x, y)) for y in range(h))
    def chunk(t, d):
        return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
                           + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))
png(sys.argv[1] + '/a.png', lambda x, y: (x * 255 // w, y * 255 // h, 200 if (x // 8 + y // 8) % 2 else 40))
png(sys.argv[1] + '/b.png', lambda x, y: (255 - y * 255 // h, (x * 7 + y * 3) % 256, 90 if (x // 5) % 2 else 180))
PY
scene() { # ROTATION
  cat <<EOF
format: vitrine/1
energy: {attract: full}
canvas: {size: [320, 180], background: "#000000", fps: 30}
layers:
  - {id: a, type: image, src: a.png, position: [0, 0], size: [320, 180], rotation: $1}
  - {id: b, type: image, src: b.png, position: [0, 0], size: [320, 180], opacity: 0}
  - {id: caption, type: text, text: "Salle 2 — Les marées", lang: fr, size: 16, color: "#f4efe6",
     position: [20, 140], box: [240, 30], max_lines: 1, plate: "#00000099"}
timelines:
  fade:
    duration: 2
    loop: true
    autoplay: true
    tracks:
      - target: b.opacity
        keys: [{t: 0, v: 0}, {t: 1, v: 1}, {t: 2, v: 0}]
EOF
}
scene 0 >"$tmp/s.yaml"
scene 3 >"$tmp/turned.yaml"

for mode in s turned; do
  mkdir "$tmp/$mode"
  VT_TEST_CAPTURE="$tmp/$mode" "$bin" play "$tmp/$mode.yaml" --quit-after 2.5 --verbose \
    >/dev/null 2>"$tmp/$mode.err" && ok || { ko "play ($mode)"; cat "$tmp/$mode.err"; }
  n=$(wc -l <"$tmp/$mode/frames.txt")
  [ "$n" -ge 8 ] && ok || ko "play ($mode) drew $n pictures in 2.5 s"
  # Four pictures spread over the second half of the run, the last one among them.
  awk -v n="$n" 'NR == int(n / 2) || NR == int(n * 2 / 3) || NR == int(n * 5 / 6) || NR == n' \
    "$tmp/$mode/frames.txt" >"$tmp/$mode.same"
  while read -r f tk w h _; do
    start=$(awk -v k="$tk" 'BEGIN { printf "%.12f", k / 705600000 }')
    "$bin" render "$tmp/$mode.yaml" --start "$start" --frames 1 --quiet --size "${w}x$h" \
      --out "$tmp/$mode.r$f" || ko "render at $start s"
  done <"$tmp/$mode.same"
done

py - "$tmp" <<'PY' || failed=$((failed + 1))
import sys
from pngread import read_png as png
tmp = sys.argv[1]
fails = 0
for mode in ('s', 'turned'):
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
            print('FAIL: %s picture %s (%sx%s at tick %s): %d pixels differ from render'
                  % (mode, n, w, h, tk, diff))
sys.exit(1 if fails else 0)
PY
[ $? = 0 ] && ok

direct=$(sed -n 's/.* \([0-9]*\) frames drawn straight into the window.*/\1/p' "$tmp/s.err")
[ "${direct:-0}" -gt 0 ] && ok || ko "no frame drawn straight into the window: $(cat "$tmp/s.err")"
grep -q 'straight into the window' "$tmp/turned.err" && ko "a turned picture drawn straight into the window" || ok
echo "test_play_direct: $passed passed, $failed failed"
[ "$failed" = 0 ]
