#!/usr/bin/env bash
# `render --audio`: the WAV's exact length and plain PCM header, the onset of a cued sound,
# split renders (--start) giving the same samples, refused frame rates, render.json; `play`
# with a silent device and with none.
set -u
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}

. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"
same() { # same GOT WANT DESCRIPTION
  if [ "$1" = "$2" ]; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi
}

# wavinfo FILE: "format channels rate bits data_bytes file_bytes onset" (onset: first sample
# frame louder than 100 on either channel, -1 if none), from the RIFF header read by hand.
wavinfo() {
  "$py" - "$1" <<'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
assert d[0:4] == b"RIFF" and d[8:16] == b"WAVEfmt " and d[36:40] == b"data", "not a 44-byte WAV"
riff, = struct.unpack("<I", d[4:8])
fmt, ch, rate, brate, align, bits = struct.unpack("<HHIIHH", d[20:36])
n, = struct.unpack("<I", d[40:44])
assert riff == 36 + n and brate == rate * ch * 2 and align == ch * 2
s = struct.unpack("<%dh" % (n // 2), d[44:44 + n])
onset = next((i // ch for i, v in enumerate(s) if abs(v) > 100), -1)
print(fmt, ch, rate, bits, n, len(d), onset)
EOF
}

# A scene with one cued sound: a 1 kHz burst (0.25 s), at 2.0 s into an autoplay timeline.
"$py" - "$tmp/burst.wav" <<'EOF'
import math, struct, sys
rate, n = 48000, 12000
data = b"".join(struct.pack("<h", int(16000 * math.sin(2 * math.pi * 1000 * i / rate)))
                for i in range(n))
hdr = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, 1,
                  rate, rate * 2, 2, 16, b"data", len(data))
open(sys.argv[1], "wb").write(hdr + data)
EOF
cat >"$tmp/cue.yaml" <<'EOF'
format: vitrine/1
canvas: {size: [64, 36], fps: 60, background: "#000000"}
layers:
  - {id: bg, type: rect, position: [0, 0], size: [64, 36], color: "#203040"}
timelines:
  story:
    duration: 4
    autoplay: true
sounds:
  - id: burst
    src: burst.wav
    timeline: story
    at: 2.0
EOF

# 180 frames at 60 fps: exactly 144,000 samples, the burst from sample 96,000.
expect 0 "render --audio" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r1" --frames 180 \
  --audio "$tmp/r1/audio.wav"
read -r fmt ch rate bits n size onset < <(wavinfo "$tmp/r1/audio.wav")
same "$fmt $ch $rate $bits" "1 2 48000 16" "plain PCM, stereo, 48 kHz, 16-bit"
same "$n" $((180 * 800 * 4)) "exactly frames x 48000 / fps samples"
same "$size" $((44 + 180 * 800 * 4)) "nothing after the samples"
if [ "$onset" -ge $((96000 - 48)) ] && [ "$onset" -le $((96000 + 48)) ]; then
  passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: onset at $onset, not 96000 +-48"; fi
contains "$tmp/r1/render.json" "\"audio\": \"$tmp/r1/audio.wav\"" "render.json names the WAV"
contains "$tmp/r1/render.json" "\"audio_samples\": 144000" "render.json gives the sample count"

# The same bytes on every run; a split render gives the same samples as a whole one.
expect 0 "render again" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r2" --frames 180 \
  --audio "$tmp/r2/audio.wav"
if cmp -s "$tmp/r1/audio.wav" "$tmp/r2/audio.wav"; then passed=$((passed+1))
else failed=$((failed+1)); echo "FAIL: two renders of the same scene differ"; fi
expect 0 "render from 1.5 s" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r3" --start 1.5 \
  --frames 90 --audio "$tmp/r3/audio.wav"
if cmp -s <(tail -c $((90 * 800 * 4)) "$tmp/r1/audio.wav") \
          <(tail -c $((90 * 800 * 4)) "$tmp/r3/audio.wav"); then passed=$((passed+1))
else failed=$((failed+1)); echo "FAIL: --start 1.5 gives other samples than a whole render"; fi

# Frame rates that do not divide 48000 are refused before anything is written.
expect 64 "--fps 7 with --audio" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r4" --fps 7 \
  --frames 3 --audio "$tmp/r4/a.wav"
contains "$tmp/err" "--audio needs a frame rate that divides 48000" "fps refusal message"
[ ! -e "$tmp/r4/a.wav" ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: a.wav written"; }
expect 0 "--fps 7 without --audio" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r5" --fps 7 \
  --frames 1
# Audio longer than a WAV holds (4 GiB: 6 h 12 min) is refused before anything is written.
expect 64 "7 h with --audio" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r6" \
  --duration 25200 --audio "$tmp/r6/a.wav"
contains "$tmp/err" "more than a WAV file holds" "WAV size refusal message"
[ ! -e "$tmp/r6" ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: r6 created"; }
expect 64 "--audio is for render" -- "$bin" play "$tmp/cue.yaml" --audio x.wav
expect 73 "--audio in a missing folder" -- "$bin" render "$tmp/cue.yaml" --out "$tmp/r6" \
  --frames 1 --audio "$tmp/nowhere/a.wav"
contains "$tmp/err" "$tmp/nowhere/a.wav: cannot create" "cannot-create message"

# check decodes every sound: garbage named .wav is an error at the sound's line.
head -c 3000 /dev/urandom >"$tmp/noise.wav"
sed 's/src: burst.wav/src: noise.wav/' "$tmp/cue.yaml" >"$tmp/bad.yaml"
expect 65 "check: undecodable sound" -- "$bin" check "$tmp/bad.yaml"
contains "$tmp/err" "bad.yaml:10:5: error: sound 'burst': $tmp/noise.wav: not a sound file" \
  "check names the scene line and the file"
expect 0 "check: good sound" -- "$bin" check "$tmp/cue.yaml"
# render and play go on without it, silent
expect 0 "render: undecodable sound" -- "$bin" render "$tmp/bad.yaml" --out "$tmp/r7" \
  --frames 150 --audio "$tmp/r7/audio.wav"
contains "$tmp/err" "stays silent" "render warns about the sound"
read -r fmt ch rate bits n size onset < <(wavinfo "$tmp/r7/audio.wav")
same "$onset $n" "-1 480000" "silence in its place"

# play: a silent device (ALSOFT_DRIVERS=null), then no device at all: one warning, exit 0.
expect 0 "play with the null device" -- "$bin" play "$tmp/cue.yaml" --quit-after 0.5
expect 0 "play with no device" -- "$bin" play "$tmp/cue.yaml" --quit-after 3.5 \
  --audio-device "no such device"
same "$(grep -c "audio: warning: no audio device" "$tmp/err")" 1 "one warning without a device"

echo "test_audio_cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
