#!/usr/bin/env bash
# `render --out preview.mp4` (issue 17): the frames encoded into a film by libavcodec, checked
# with ffprobe (frame count, size, duration), against the PNG render of the same frames (PSNR in
# BT.709 YUV 4:2:0: luma at least 38 dB, average 35), with the sound muxed in when --audio is given (the WAV written too);
# .mov, .mkv and .webm by their names; the film appears whole or not at all (a render that
# cannot write leaves nothing, no temporary file behind). Skipped (77) without ffmpeg/ffprobe.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"
if ! command -v ffmpeg >/dev/null || ! command -v ffprobe >/dev/null; then
  echo "SKIP: the ffmpeg and ffprobe programs are not installed (apt install ffmpeg)"
  exit 77
fi
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=s=160x90:r=25:d=3" \
  -f lavfi -i "sine=f=440:r=48000:d=3" -c:v libx264 -pix_fmt yuv420p -c:a aac \
  -y "$tmp/film.mp4" </dev/null || { echo "SKIP: ffmpeg could not make a clip"; exit 77; }
cat > "$tmp/s.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [160, 90], fps: 25, background: "#203040"}
layers:
  - {id: film, type: video, src: film.mp4, size: [120, 68], position: [80, 45], anchor: [0.5, 0.5], sound: true}
YAML
is() { if [ "$2" = "$3" ]; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1: '$2', expected '$3'"; fi; }
probe() { ffprobe -v error -count_frames -select_streams "$2" -show_entries "$3" -of csv=p=0 "$1"; }

expect 0 "render --out x.mp4 --audio" -- "$bin" render "$tmp/s.yaml" --out "$tmp/x.mp4" \
  --frames 50 --audio "$tmp/x.wav"
is "mp4: frames" "$(probe "$tmp/x.mp4" v:0 stream=nb_read_frames)" 50
is "mp4: size" "$(probe "$tmp/x.mp4" v:0 stream=codec_name,width,height)" "h264,160,90"
is "mp4: duration" "$(probe "$tmp/x.mp4" v:0 stream=duration)" "2.000000"
is "mp4: sound" "$(probe "$tmp/x.mp4" a:0 stream=codec_name,sample_rate,channels)" "aac,48000,2"
dur=$(probe "$tmp/x.mp4" a:0 stream=duration)
is "mp4: the sound lasts the film (${dur} s)" "$(awk -v d="$dur" 'BEGIN {print (d >= 1.99 && d <= 2.03)}')" 1
is "the WAV is written too" "$(test -s "$tmp/x.wav" && echo yes)" yes
is "no temporary file left" "$(ls -a "$tmp" | grep -c tmp-)" 0

expect 0 "render the same frames to PNG" -- "$bin" render "$tmp/s.yaml" --out "$tmp/png" --frames 50
# Compared where the film is: YUV 4:2:0, BT.709 limited range (its tags), each PNG converted so.
psnr=$(ffmpeg -nostdin -i "$tmp/x.mp4" -framerate 25 -i "$tmp/png/frame_%05d.png" -lavfi \
  "[1:v]scale=out_color_matrix=bt709:out_range=tv,format=yuv420p[b];[0:v][b]psnr" -f null - 2>&1 |
  sed -n 's/.*PSNR y:\([0-9.inf]*\) .* average:\([0-9.inf]*\).*/\1 \2/p')
is "the film is the PNG render: PSNR (luma, average) ${psnr:-none} dB, at least 38 and 35" \
  "$(echo "$psnr" | awk '{print (NF == 2 && ($1 == "inf" || $1 >= 38) && ($2 == "inf" || $2 >= 35))}')" 1

for e in mov mkv webm; do
  expect 0 "render --out x.$e" -- "$bin" render "$tmp/s.yaml" --out "$tmp/x.$e" --frames 10
  is "$e: frames" "$(probe "$tmp/x.$e" v:0 stream=nb_read_frames)" 10
done

mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
if [ ! -w "$tmp/ro" ]; then
  expect 73 "a folder that cannot be written" -- "$bin" render "$tmp/s.yaml" --out "$tmp/ro/x.mp4" --frames 5
  is "nothing at the name" "$(ls -A "$tmp/ro" | wc -l)" 0
fi
printf 'format: vitrine/1\ncanvas: {size: [161, 90], fps: 25}\nlayers: []\n' > "$tmp/odd.yaml"
expect 64 "an odd width" -- "$bin" render "$tmp/odd.yaml" --out "$tmp/odd.mp4" --frames 2
contains "$tmp/err" "needs an even width and height" "an odd size says what to do"
is "no film for the odd size" "$(ls "$tmp" | grep -c odd.mp4)" 0

echo "test_render_film: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
