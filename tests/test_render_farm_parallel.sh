#!/usr/bin/env bash
# The render farm with GNU parallel, as docs/render-farm.md writes it for a set of ssh hosts,
# here on local processes (-S : is this machine, without ssh): the parts render concurrently,
# merge joins them, and the frames, WAV and render.json are those of one render. A failing
# part stops parallel (--halt) and merge is not run. Skipped (77) without GNU parallel.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
if ! command -v parallel >/dev/null || ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
  echo "SKIP: GNU parallel is not installed (apt install parallel)"; exit 77
fi
cd "$tmp" || exit 1
render=("$src/scenes/demo.yaml" --events "$src/scenes/demo.events" --size 128x72 --fps 10
        --frames 16 --quiet)
"$bin" render "${render[@]}" --out one --audio sound.wav || ko "one-piece render"
mkdir ref && mv sound.wav ref/

# The documented line, with -S : (this machine) for the hosts and the build's binary.
parallel --will-cite -S : --jobs 2 --halt now,fail=1 --env SDL_VIDEODRIVER \
  "$bin" render "${render[@]}" --out farm --audio sound.wav --part {}/4 ::: 1 2 3 4 \
  && "$bin" merge farm || ko "parallel and merge"
n=0
for f in one/frame_*.png; do
  n=$((n+1)); cmp -s "$f" "farm/${f#one/}" || ko "farm/${f#one/} differs from the one-piece render's"
done
[ "$n" = 16 ] && ok || ko "16 frames expected, got $n"
cmp -s one/render.json farm/render.json && ok || ko "render.json differs from the one-piece render's"
cmp -s ref/sound.wav sound.wav && ok || ko "the WAV differs from the one-piece render's"

# A part that fails (more parts than frames: exit 64) stops the line before merge.
parallel --will-cite -S : --jobs 2 --halt now,fail=1 \
  "$bin" render "${render[@]}" --out bad --part {}/20 ::: 1 2 2>/dev/null \
  && "$bin" merge bad 2>/dev/null && ko "a failed part should stop the line" || ok
[ ! -e bad/render.json ] && ok || ko "merge ran after a failed part"

echo "test_render_farm_parallel: $passed passed, $failed failed"
[ "$failed" = 0 ]
