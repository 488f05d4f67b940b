#!/usr/bin/env bash
# A render farm's parts (render --part K/N), each run as its own process, joined by `merge`,
# give what one render gives, byte for byte: frames, WAV and render.json. Scenes: the demo
# (animation, sound, a scripted touch that starts its story), from a start off the frame grid in
# unequal parts; a persistent feedback shader (each frame depends on every one before; a part
# by the serial loop too); a film
# (frame-exact decoding); a governed render with the model sensor (render.json's governor
# figures added up). Bad --part values are usage errors; a missing or mismatched part, frame
# or sound makes merge fail, naming it, with nothing written.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
if ! command -v ffmpeg >/dev/null; then
  echo "SKIP: the ffmpeg program is not installed: no test film (apt install ffmpeg)"; exit 77
fi
cd "$tmp" || exit 1

# same_render A B: every frame, the WAV and render.json of B are those of A (B is a merge).
same_render() {
  local a=$1 b=$2 n=0 f
  for f in "$a"/frame_*.png; do
    n=$((n+1))
    cmp -s "$f" "$b/${f##*/}" || { ko "$b/${f##*/} differs from the one-piece render's"; return; }
  done
  [ "$n" -gt 0 ] && [ "$(ls "$b" | grep -c '^frame_')" = "$n" ] && ok || ko "$b: $n frames expected"
  cmp -s "$a/render.json" "$b/render.json" && ok || {
    ko "$b/render.json differs from the one-piece render's"; diff "$a/render.json" "$b/render.json"; }
}

# parts N DIR ARGS...: the N parts, run at the same time as separate processes, then merge.
parts() {
  local n=$1 dir=$2 k pids=(); shift 2
  for k in $(seq 1 "$n"); do
    "$bin" render "$@" --out "$dir" --part "$k/$n" --quiet & pids+=($!)
  done
  for k in "${pids[@]}"; do wait "$k" || ko "a part of $dir failed"; done
}

# 1. The demo with its sound, from 0.25 s (off the 10 fps grid), 23 frames in 4 parts of 5 or 6.
demo=("$src/scenes/demo.yaml" --events "$src/scenes/demo.events" --size 160x90 --fps 10
      --start 0.25 --frames 23)
expect 0 "one-piece demo render" -- "$bin" render "${demo[@]}" --out one --audio sound.wav
mkdir ref && mv sound.wav ref/
parts 4 farm "${demo[@]}" --audio sound.wav
contains farm/render.part2.json '"frame_range": [
    5,
    11
  ]' "part 2 of 4 of 23 frames is frames 5 to 10"
contains farm/render.part2.json '"sample_range": [
    24000,
    52800
  ]' "part 2's samples: 4800 a frame"
expect 0 "merge the demo" -- "$bin" merge farm
same_render one farm
cmp -s ref/sound.wav sound.wav && ok || ko "the merged WAV differs from the one-piece render's"
cmp -s one/frame_00002.png one/frame_00020.png && ko "the demo should move" || ok
cmp -s <(tail -c 100000 sound.wav) <(head -c 100044 sound.wav | tail -c 100000) &&
  ko "the demo should sound" || ok

# 2. Persistent feedback: every part draws the frames before its own.
expect 0 "one-piece feedback render" -- "$bin" render "$src/tests/shaders/feedback.yaml" --out fb1 \
  --frames 10 --quiet
parts 3 fb3 "$src/tests/shaders/feedback.yaml" --frames 10
expect 0 "merge the feedback render" -- "$bin" merge fb3
same_render fb1 fb3
# The serial loop (VT_RENDER_SERIAL=1, the benchmarks' baseline) cuts parts the same way.
VT_RENDER_SERIAL=1 "$bin" render "$src/tests/shaders/feedback.yaml" --frames 10 --out fbs \
  --part 2/3 --quiet || ko "serial part"
[ "$(ls fbs | grep -c '^frame_')" = 3 ] && ok || ko "serial part 2/3 of 10: 3 frames expected: $(ls fbs)"
for f in fbs/frame_*.png; do
  cmp -s "$f" "fb1/${f#fbs/}" && ok || ko "serial part: $f differs from the one-piece render's"
done

# 3. A film, decoded frame-exactly from each part's first frame.
ffmpeg -nostdin -v error -f lavfi -i "nullsrc=s=64x48:r=25:d=2,format=yuv420p,geq=lum='16+4*N':cb=128:cr=128" \
  -c:v libx264 -qp 0 -g 12 -bf 2 -y grey.mp4 </dev/null || { echo "SKIP: ffmpeg cannot make a film"; exit 77; }
cat >film.yaml <<'YAML'
format: vitrine/1
canvas: {size: [64, 48], fps: 30}
layers:
  - {id: film, type: video, src: grey.mp4, position: [0, 0], size: [64, 48]}
YAML
expect 0 "one-piece film render" -- "$bin" render film.yaml --out v1 --frames 40 --quiet
parts 3 v3 film.yaml --frames 40
expect 0 "merge the film render" -- "$bin" merge v3
same_render v1 v3

# 4. Governed, with the model sensor: render.json adds the parts' pictures and lowest settings.
gov=("$src/tests/scenes/governed.yaml" --events "$src/tests/scenes/governed.events" --frames 60
     --governed --power-sensor model --budget-watts 20)
expect 0 "one-piece governed render" -- "$bin" render "${gov[@]}" --out g1 --quiet
parts 3 g3 "${gov[@]}"
expect 0 "merge the governed render" -- "$bin" merge g3
same_render g1 g3

# 5. Bad --part values: usage errors, nothing written.
for bad in 0/3 4/3 x 3 1/ 1/0 2/3x; do
  expect 64 "--part $bad" -- "$bin" render "${demo[@]}" --out bad --part "$bad"
  contains "$tmp/err" "--part" "--part $bad: the message names the option"
done
expect 64 "more parts than frames" -- "$bin" render "${demo[@]}" --out bad --part 1/24
contains "$tmp/err" "23 frames cannot be shared by 24 parts; use at most 23 parts" "N > frames"
[ ! -e bad ] && ok || ko "a refused part created its folder"

# 6. merge refuses what is not one whole render, naming the part and what differs.
cp -r farm m1
rm m1/render.json m1/render.part3.json
expect 66 "a part missing" -- "$bin" merge m1
contains "$tmp/err" "part 3 of 4 is missing: no m1/render.part3.json" "missing part named"
[ ! -e m1/render.json ] && ok || ko "render.json written despite a missing part"
cp -r farm m2; rm m2/render.json
"$bin" render "${demo[@]}" --size 80x45 --out m2 --part 2/4 --audio sound.wav --quiet || ko "part 2 at 80x45"
expect 65 "a part of another size" -- "$bin" merge m2
contains "$tmp/err" "part 2 is not of the same render as part 1: its width is 80, part 1's is 160" \
  "mismatched part named"
[ ! -e m2/render.json ] && ok || ko "render.json written despite a mismatched part"
cp -r farm m3; rm m3/frame_00013.png
expect 66 "a frame missing" -- "$bin" merge m3
contains "$tmp/err" "frame_00013.png of part 3 is missing from m3" "missing frame named"
cp sound.wav.part4 keep4; rm sound.wav.part4
expect 66 "a sound part missing" -- "$bin" merge farm
contains "$tmp/err" "the sound of part 4 is missing: cannot open sound.wav.part4" "missing sound named"
head -c 30 keep4 >sound.wav.part4
expect 65 "a sound part cut in its header" -- "$bin" merge farm
contains "$tmp/err" "sound.wav.part4 is not the WAV that render --part writes" "broken sound named"
head -c 10044 keep4 >sound.wav.part4
expect 65 "a short sound part" -- "$bin" merge farm
contains "$tmp/err" "sound.wav.part4 holds 115200 bytes of samples (a 10044-byte file), but part 4's frames 17 to 22 need 115200" "short sound named"
mv keep4 sound.wav.part4
cmp -s ref/sound.wav sound.wav && ok || ko "a refused merge changed the WAV"
sed 's/"parts": 4/"parts": 5/' farm/render.part2.json >m1/render.part2.json
expect 65 "a part of another split" -- "$bin" merge m1
contains "$tmp/err" "says it is part 2 of 5, not part 2 of 4" "another split named"
mkdir empty
expect 66 "no part" -- "$bin" merge empty
contains "$tmp/err" "no part in empty" "no part message"
expect 64 "--audio for silent parts" -- "$bin" merge fb3 --audio x.wav
contains "$tmp/err" "rendered without --audio" "silent parts message"

# A whole render in the folder makes the part manifests stale: it removes them.
expect 0 "a whole render over the parts" -- "$bin" render "$src/tests/shaders/feedback.yaml" \
  --out fb3 --frames 10 --quiet
[ -z "$(ls fb3 | grep '^render\.part')" ] && ok || ko "a whole render left part manifests: $(ls fb3)"

echo "test_render_farm: $passed passed, $failed failed"
[ "$failed" = 0 ]
