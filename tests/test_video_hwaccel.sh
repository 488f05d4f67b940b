#!/usr/bin/env bash
# Hardware decoding of live films: `play` tries VA-API then NVDEC once and says which decodes;
# without either (this machine when it has no /dev/dri render node and no NVIDIA driver) one
# line says software decoding and why, and the film plays; `video: {hwaccel: off}` in the
# operator config never tries (no such line), until a reload allows it; a bad value is a positioned config error (65);
# `render` never decodes on the GPU (renders are the same on every machine). Skipped (77)
# without the ffmpeg program.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"
if ! command -v ffmpeg >/dev/null; then
  echo "SKIP: the ffmpeg program is not installed: no test clips (apt install ffmpeg)"
  exit 77
fi
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=s=64x48:r=25:d=1" -c:v libx264 -pix_fmt yuv420p \
  -y "$tmp/film.mp4" </dev/null || { echo "SKIP: ffmpeg could not make a clip"; exit 77; }
cat > "$tmp/s.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [64, 48], fps: 25}
layers:
  - {id: film, type: video, src: film.mp4, loop: true}
YAML
printf 'format: vitrine-config/1\nvideo: {hwaccel: off}\n' > "$tmp/off.yaml"
printf 'format: vitrine-config/1\nvideo: {hwaccel: maybe}\n' > "$tmp/bad.yaml"
count() { grep -c -- "$1" "$tmp/err"; }
is() { if [ "$2" = "$3" ]; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1: '$2', expected '$3'"; sed 's/^/  | /' "$tmp/err"; fi; }

expect 0 "play, hardware decoding allowed" -- "$bin" play "$tmp/s.yaml" --quit-after 1 --verbose
said=$(( $(count "video: software decoding: no hardware decoder (VA-API: ") + $(count "video: films are decoded by ") ))
is "which decoder is used is said once" "$said" 1
if ! ls /dev/dri/renderD* >/dev/null 2>&1 && ! ls /dev/nvidia* >/dev/null 2>&1; then
  is "no GPU here: the software fallback is said" \
    "$(count 'video: software decoding: no hardware decoder (VA-API: ')" 1
  is "no GPU here: the film decodes in software" "$(count "fps, software decoding")" 1
fi
is "play: the film plays (no warning)" "$(count 'warning')" 0

expect 0 "play, video: {hwaccel: off}" -- "$bin" play "$tmp/s.yaml" --quit-after 1 --verbose \
  --config "$tmp/off.yaml"
is "hwaccel off: no device is tried" \
  "$(( $(count 'no hardware decoder') + $(count 'films are decoded by') ))" 0
is "hwaccel off: the film decodes in software" "$(count "fps, software decoding")" 1

# A reload (SIGHUP) that allows hardware decoding again: the films reopened try the devices.
printf 'format: vitrine-config/1\nvideo: {hwaccel: off}\n' > "$tmp/hup.yaml"
"$bin" play "$tmp/s.yaml" --quit-after 30 --verbose --config "$tmp/hup.yaml" 2>"$tmp/err" & pid=$!
for _ in $(seq 100); do grep -q "first frame presented" "$tmp/err" && break; sleep 0.1; done
printf 'format: vitrine-config/1\nvideo: {hwaccel: auto}\n' > "$tmp/hup.yaml"
kill -HUP "$pid"
for _ in $(seq 100); do grep -q "reloaded" "$tmp/err" && break; sleep 0.1; done
sleep 0.5
kill -TERM "$pid"; wait "$pid"
is "hwaccel allowed by a reload: the devices are tried" \
  "$(( $(count 'no hardware decoder') + $(count 'films are decoded by') ))" 1

expect 65 "play, video: {hwaccel: maybe}" -- "$bin" play "$tmp/s.yaml" --quit-after 1 \
  --config "$tmp/bad.yaml"
contains "$tmp/err" "bad.yaml:2:18: error: unknown hwaccel 'maybe'; valid hwaccels: auto, off" \
  "a bad hwaccel value is a positioned error"

expect 0 "render" -- "$bin" render "$tmp/s.yaml" --out "$tmp/r" --frames 2 --verbose
is "render never tries the GPU" "$(( $(count 'no hardware decoder') + $(count 'films are decoded by') ))" 0

echo "test_video_hwaccel: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
