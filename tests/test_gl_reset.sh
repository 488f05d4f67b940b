#!/usr/bin/env bash
# A lost GL context (a GPU reset) in `play`: llvmpipe never resets, so the test hook
# VITRINE_TEST_GL_RESET=S pretends one S seconds after the first frame. The window gets a new context, every GL
# object is made again from the CPU side, and the show goes on without a restart: the frame
# drawn after is byte-identical to the one before, and play exits 0.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; sed 's/^/  | /' "$tmp/log" | tail -15; }
cp "$src/tests/scenes/img/dot.png" "$tmp/dot.png"
printf 'format: vitrine/1\ncanvas: {size: [64, 36], background: "#102030"}\nlayers:\n  - {id: img, type: image, src: dot.png, size: [20, 10], position: [5, 5]}\n  - {id: r, type: rect, size: [8, 8], position: [40, 20], color: "#ff8000", rotation: 30}\n' > "$tmp/s.yaml"
mkdir "$tmp/cap"
VT_TEST_CAPTURE="$tmp/cap" VITRINE_TEST_GL_RESET=1 "$bin" play "$tmp/s.yaml" --quit-after 8 \
  --verbose >/dev/null 2>"$tmp/log"; rc=$?
[ "$rc" = 0 ] && ok || ko "play should go on and exit 0, got $rc"
grep -q "the OpenGL context was lost (a GPU reset): rebuilding it" "$tmp/log" && ok || ko "the loss is said"
grep -q "the OpenGL context is back; the show goes on" "$tmp/log" && ok || ko "the recovery is said"
# A still scene draws once at the start and once after the rebuild: the same picture.
[ "$(wc -l < "$tmp/cap/frames.txt")" = 2 ] && ok || ko "two frames: $(cat "$tmp/cap/frames.txt")"
[ "$(cut -d' ' -f3- "$tmp/cap/frames.txt" | uniq | wc -l)" = 1 ] && ok || ko "drawn at the same size"
cmp -s "$tmp/cap/play_00000.png" "$tmp/cap/play_00001.png" && ok || ko "the frame after the rebuild should be identical"
# The picture is the scene's, not an empty one: the orange square is there.
"$(command -v python3)" - "$tmp/cap/play_00001.png" <<'PY' && ok || ko "the rebuilt frame shows the scene"
import os, sys
sys.path.insert(0, os.environ['VT_SOURCE_DIR'] + '/tests')
from pngread import read_png
(w, h), px = read_png(sys.argv[1])
bpp = len(px) // (w * h)
sys.exit(0 if any(px[i] > 200 and 100 < px[i + 1] < 160 and px[i + 2] < 60 for i in range(0, len(px), bpp)) else 1)
PY

echo "test_gl_reset: $passed passed, $failed failed"
[ "$failed" = 0 ]
