#!/usr/bin/env bash
# A film's own sound (`sound:` on a video layer) in `render --audio`, with clips made here by the
# ffmpeg program (skipped, 77, without it). Each picture carries its number as its grey level;
# the sound (AAC) is silent but for a click. The click lands on the sample of its picture's time
# (within 1 ms) and on the frame showing that picture: with the sound stream starting 0.3 s
# after the pictures (its timestamps are followed), looping with the film, on a timeline from
# `at`, after a seek of that timeline in a film long enough to be streamed, at the layer's gain,
# in the current language's film; `sound: false` is silent, a film without sound is a warning.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"
export here

if ! command -v ffmpeg >/dev/null; then
  echo "SKIP: the ffmpeg program is not installed: no test clips (apt install ffmpeg)"
  exit 77
fi
# film FILE SECONDS CLICK-AT [AUDIO-DELAY]: 25 fps, picture n grey 16+4n (mod 200), a 1 ms click
# at CLICK-AT seconds of the sound stream, which starts AUDIO-DELAY seconds after the pictures.
film() {
  ffmpeg -nostdin -v error \
    -f lavfi -i "nullsrc=s=32x24:r=25:d=$2,format=yuv420p,geq=lum='16+4*mod(N\,50)':cb=128:cr=128" \
    -itsoffset "${4:-0}" -f lavfi -i "aevalsrc='if(between(t,$3,$3+0.001),0.8,0)':s=48000:d=$2" \
    -c:v libx264 -qp 0 -g 25 -c:a aac -b:a 128k -t "$2" -y "$tmp/$1" </dev/null ||
    { echo "SKIP: ffmpeg could not make $1 (an encoder is missing)"; exit 77; }
}
film click.mp4 2 0.8
film late.mp4 2 0.5 0.3
film loop.mp4 1 0.4
film long.mp4 12 11.0
film en.mp4 2 1.2
ffmpeg -nostdin -v error -f lavfi -i "nullsrc=s=32x24:r=25:d=1,format=yuv420p" -c:v libx264 \
  -y "$tmp/mute.mp4" </dev/null

scene() { # scene NAME LAYER-KEYS [MORE-YAML]
  cat > "$tmp/$1.yaml" <<YAML
format: vitrine/1
canvas: {size: [32, 24], fps: 25, background: "#000000"}
layers:
  - {id: film, type: video, size: [32, 24], $2}
${3:-}
YAML
}
render() { # render SCENE FRAMES [OPTIONS...]
  local s=$1 n=$2; shift 2
  expect 0 "render --audio $s" -- "$bin" render "$tmp/$s.yaml" --out "$tmp/$s" --frames "$n" \
    --audio "$tmp/$s/a.wav" "$@"
}
# clicks SCENE: the sample of each click's onset (the first above half the loudest), then the
# loudest sample; picture SCENE FRAME: the number of the picture frame FRAME shows.
clicks() {
  python3 - "$tmp/$1/a.wav" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
i = d.find(b"data"); n, = struct.unpack("<I", d[i + 4:i + 8])
s = struct.unpack("<%dh" % (n // 2), d[i + 8:i + 8 + n])
left = [abs(v) for v in s[0::2]]
peak = max(left) or 1
on, k = [], 0
while k < len(left):
    if left[k] > peak / 2:
        on.append(k); k += 4800  # one click per 0.1 s at most
    else:
        k += 1
print(' '.join(map(str, on)), max(left))
PY
}
picture() {
  python3 - "$tmp/$1/frame_$(printf %05d "$2").png" <<'PY'
import os, sys
sys.path.insert(0, os.environ['here'])
from pngread import read_png
(w, h), px = read_png(sys.argv[1])
bpp = len(px) // (w * h)
print(round(px[((h // 2) * w + w // 2) * bpp] * 219 / 255 / 4))
PY
}
near() { # near DESCRIPTION GOT WANT...: each onset within 48 samples (1 ms) of the wanted one
  local what=$1 got=$2; shift 2
  if python3 -c '
import sys
g = sys.argv[1].split(); w = sys.argv[2:]
sys.exit(not (len(g) == len(w) and all(abs(int(a) - int(b)) <= 48 for a, b in zip(g, w))))' \
    "$got" "$@"; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $what: clicks at samples '$got', expected $*"; fi
}
onsets() { clicks "$1" | awk '{NF--; print}'; }
loudest() { clicks "$1" | awk '{print $NF}'; }
is() { # is DESCRIPTION GOT WANT
  if [ "$2" = "$3" ]; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $1: $2, expected $3"; fi
}

# ---- the click on its picture: 0.8 s is sample 38400 and picture 20 ----
scene click "src: click.mp4, sound: true"
render click 50
near "click at 0.8 s" "$(onsets click)" 38400
is "frame 20 shows picture 20" "$(picture click 20)" 20
full=$(loudest click)

# ---- a sound stream starting 0.3 s after the pictures: its click is at 0.8 s of the film ----
scene late "src: late.mp4, sound: true"
render late 50
near "late sound stream: click at 0.3 + 0.5 s" "$(onsets late)" 38400

# ---- looping: the 1 s film's click at 0.4, 1.4, 2.4 s ----
scene loop "src: loop.mp4, loop: true, sound: true"
render loop 75
near "looping film: a click each loop" "$(onsets loop)" 19200 67200 115200
is "looping film: frame 35 shows picture 10" "$(picture loop 35)" 10

# ---- on a timeline from at: 0.5 ----
scene tl "src: click.mp4, timeline: story, at: 0.5, sound: {gain: 0.5}" \
  "timelines: {story: {duration: 20, autoplay: true}}"
render tl 50
near "timeline at 0.5: click at 1.3 s" "$(onsets tl)" 62400
is "timeline at 0.5: frame 33 shows picture 20" "$(picture tl 33)" 20
half=$(loudest tl)
ok=$(awk -v h="$half" -v f="$full" 'BEGIN {print (h > 0.45 * f && h < 0.55 * f) ? 1 : 0}')
is "gain 0.5 halves the click ($half of $full)" "$ok" 1

# ---- a streamed film (12 s) on a timeline sought to 10.5 s at 1 s: click at 1.5 s ----
scene seek "src: long.mp4, timeline: story, sound: true" \
  "timelines: {story: {duration: 20, autoplay: true}}
triggers: [{when: {key: s}, do: {seek: {story: 10.5}}}]"
echo "1.0 key s" > "$tmp/seek.events"
render seek 50 --events "$tmp/seek.events"
near "streamed film sought: click at 1.5 s" "$(onsets seek)" 72000
is "streamed film sought: frame 38 shows picture 275 (25 mod 50)" "$(picture seek 38)" 25

# ---- a film per language: the English film's click at 1.2 s after the switch at 0.5 s ----
scene lang "src: {fr: loop.mp4, en: en.mp4}, sound: true" \
  "triggers: [{when: {key: e}, do: {language: en}}]"
echo "0.5 key e" > "$tmp/lang.events"
render lang 50 --events "$tmp/lang.events"
near "language switch: the French click at 0.4 s, then the English one at 1.2 s" \
  "$(onsets lang)" 19200 57600

# ---- sound: false is silent; a film without sound warns and plays its pictures ----
cat > "$tmp/off.yaml" <<YAML
format: vitrine/1
canvas: {size: [32, 24], fps: 25, background: "#000000"}
layers:
  - {id: film, type: video, size: [32, 24], src: click.mp4, sound: false}
  - {id: mute, type: video, size: [32, 24], src: mute.mp4, sound: true}
YAML
render off 25
is "sound: false is silent" "$(loudest off)" 0
contains "$tmp/err" "mute.mp4: the film has no sound" "a film without sound is said"

echo "test_video_sound_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
