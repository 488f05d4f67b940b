#!/usr/bin/env bash
# The `vitrine` program does not link FFmpeg's libraries: it loads them when a scene has a film
# (they and what they pull in are about 130 libraries, 0.1 s of CPU), so `check` and `render`
# of a scene without films never load them, and a scene with a film does, once.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
ok() { # ok DESCRIPTION -- TEST...
  local what=$1; shift 2
  if "$@"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $what"; fi
}
if ! command -v ffmpeg >/dev/null; then
  echo "SKIP: the ffmpeg program is not installed: no test clip (apt install ffmpeg)"
  exit 77
fi

if command -v readelf >/dev/null; then
  needed=$(readelf -d "$bin" | grep NEEDED)
  ok "the program needs no FFmpeg library at start" -- \
    bash -c '! grep -qE "libav(codec|format|util)|libsw(scale|resample)" <<<"$1"' _ "$needed"
  ok "readelf lists the program's libraries" -- grep -q "libSDL2" <<<"$needed"
else
  echo "SKIP: readelf is not installed: the program's libraries are not listed"
fi

ffmpeg -nostdin -v error -f lavfi -i "testsrc=s=64x48:r=25:d=0.4" -c:v libx264 -pix_fmt yuv420p \
  -y "$tmp/clip.mp4" </dev/null || { echo "SKIP: ffmpeg could not make the clip"; exit 77; }
cat >"$tmp/still.yaml" <<'Y'
format: vitrine/1
canvas: {size: [64, 48], fps: 5}
layers:
  - {id: box, type: rect, size: [10, 10], color: "#ff0000"}
Y
cat >"$tmp/film.yaml" <<'Y'
format: vitrine/1
canvas: {size: [64, 48], fps: 5}
layers:
  - {id: clip, type: video, src: clip.mp4}
Y
loaded="FFmpeg's libraries loaded in"
for cmd in check render; do
  extra=(); [ "$cmd" = render ] && extra=(--out "$tmp/out-$cmd" --frames 2)
  "$bin" "$cmd" "$tmp/still.yaml" "${extra[@]}" --verbose >"$tmp/still.log" 2>&1
  ok "$cmd of a scene without films succeeds" -- test $? -eq 0
  ok "$cmd of a scene without films loads no FFmpeg" -- bash -c '! grep -q "$1" "$2"' _ "$loaded" "$tmp/still.log"
  "$bin" "$cmd" "$tmp/film.yaml" "${extra[@]/out-$cmd/out-film-$cmd}" --verbose >"$tmp/film.log" 2>&1
  ok "$cmd of a scene with a film succeeds" -- test $? -eq 0
  ok "$cmd of a scene with a film loads FFmpeg once" -- test "$(grep -c "$loaded" "$tmp/film.log")" -eq 1
done
ok "the film's frames were rendered" -- test -s "$tmp/out-film-render/frame_00001.png"

echo "test_video_load_cli.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
