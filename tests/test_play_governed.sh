#!/usr/bin/env bash
# `play` and `render --governed` show the same kiosk: play (its test hook VT_TEST_CAPTURE writes
# each picture it draws, at the size drawn, with its scene time and the governor's setting) and a
# governed render of the same scene and events. In attract (12 fps, scale 0.6 by default) play
# draws at most 12 pictures a second, at 38x19 for the 64x32 canvas, where the governed render
# repeats frames to show 12 pictures a second, drawn at 0.6 (38x19) and enlarged; after a
# visitor's touch, both draw every frame at 64x32. Play's pictures are the render's at the same
# scene time and size, pixel for pixel (play's pace is the machine's: its scene times are read
# from the hook, not chosen).
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
scene=$src/tests/scenes/governed.yaml
echo "2.0 touch 32 16" > "$tmp/touch.events"   # a visitor at 2 s

mkdir "$tmp/play"
VT_TEST_CAPTURE=$tmp/play "$bin" play "$scene" --events "$tmp/touch.events" --quit-after 3.5 \
  >/dev/null 2>"$tmp/err" && ok || { ko "play"; cat "$tmp/err"; }
"$bin" render "$scene" --events "$tmp/touch.events" --frames 60 --quiet --out "$tmp/attract" \
  --governed && ok || ko "governed render of attract"
"$bin" render "$scene" --events "$tmp/touch.events" --start 1 --frames 30 --quiet \
  --out "$tmp/attract1" --governed && ok || ko "governed render of attract from 1 s"
# play's last picture in attract and its last two in active (scene time in ticks, column 2),
# drawn again by render at the same scene time and the size play drew them at.
ticks=705600000
{ awk -v t="$ticks" '$2 >= t && $2 < 2 * t' "$tmp/play/frames.txt" | tail -1
  awk -v t="$ticks" '$2 > 2.1 * t' "$tmp/play/frames.txt" | tail -2; } > "$tmp/same"
[ "$(wc -l < "$tmp/same")" = 3 ] && ok || ko "play's pictures: $(cat "$tmp/play/frames.txt")"
while read -r n tk w h fps scale; do
  start=$(awk -v k="$tk" -v t="$ticks" 'BEGIN { printf "%.12f", k / t }')
  "$bin" render "$scene" --events "$tmp/touch.events" --start "$start" --frames 1 --quiet \
    --size "${w}x$h" --out "$tmp/r$n" || ko "render at $start s, ${w}x$h"
done < "$tmp/same"

PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$(cd "$(dirname "$0")" && pwd)" /usr/bin/python3 - "$tmp" "$ticks" <<'PY'
import json, sys
from pngread import read_png as png
tmp, ticks = sys.argv[1], int(sys.argv[2])
fails = 0
def check(cond, what):
    global fails
    if not cond:
        fails += 1
        print("FAIL: " + what)
rows = [l.split() for l in open(tmp + '/play/frames.txt')]
pics = [(int(n), int(t) / ticks, int(w), int(h), int(f), float(s)) for n, t, w, h, f, s in rows]
# Attract after play's start-up (the first second), before the touch.
att = [p for p in pics if 1.0 <= p[1] < 2.0]
act = [p for p in pics if p[1] >= 2.0]  # from the first picture after the touch
check(len(att) >= 2, "play drew %d pictures in attract between 1 and 2 s" % len(att))
# 12 a second, and one more at the window's edge
check(len(att) <= 13, "play in attract (12 fps cap): at most 12 pictures a second, got %d in "
      "[1, 2) s" % len(att))
check(all((w, h, f, s) == (38, 19, 12, 0.6) for _, _, w, h, f, s in att),
      "play's attract pictures: 38x19 (scale 0.6 of 64x32) at 12 fps: %r" % att)
check(act and all((w, h, f, s) == (64, 32, 30, 1.0) for _, _, w, h, f, s in act),
      "play's active pictures: 64x32 at 30 fps: %r" % act)
for n, _, w, h, _, _ in att[:1] + act[:1]:
    sz, _ = png('%s/play/play_%05d.png' % (tmp, n))
    check(sz == (w, h), "play_%05d.png is %r, frames.txt says %r" % (n, sz, (w, h)))
# The governed render: in attract, the same cap as repeated frames (12 pictures a second on a
# 30 fps grid), drawn at scale 0.6 (enlarged to 64x32).
r = [png('%s/attract1/frame_%05d.png' % (tmp, k)) for k in range(30)]
changes = sum(1 for k in range(1, 30) if r[k][1] != r[k - 1][1])
check(11 <= changes <= 12, "governed render 1-2 s: 12 pictures a second, %d changes in 30 frames"
      % changes)
check(all(s == (64, 32) for s, _ in r), "governed frames at the output size 64x32")
gv = json.load(open(tmp + '/attract/render.json'))['governor']
low = gv['lowest']
check((round(64 * low['scale']), round(32 * low['scale'])) == (38, 19) and low['fps'] == 12,
      "governed render of attract: lowest %r, play drew 38x19 at 12 fps" % low)
# The same picture: play's at scene time t is render's at t at the size drawn (in attract the
# picture the governed render enlarges; in active the governed render's frame itself, which
# test_render_governed.sh finds equal to the ungoverned one).
for l in open(tmp + '/same'):
    n = int(l.split()[0])
    a, b = png('%s/play/play_%05d.png' % (tmp, n)), png('%s/r%05d/frame_00000.png' % (tmp, n))
    check(a == b, "play picture %05d (%s) and render's at its scene time differ" % (n, l.strip()))
sys.exit(1 if fails else 0)
PY
[ $? = 0 ] && ok || ko "play against the governed render"

echo "test_play_governed: $passed passed, $failed failed"
[ "$failed" = 0 ]
