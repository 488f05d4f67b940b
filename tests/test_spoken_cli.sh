#!/usr/bin/env bash
# Spoken languages in `render --audio`: a sound with one file per language; pressing the English
# button at 1.0 s crossfades to the English file at the same position (its amplitude steps every
# 0.5 s, so the output's steps tell the position), and the French voice is gone after 0.25 s.
set -u
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"

# fr.wav: 1 kHz at amplitude 0.3; en.wav: 500 Hz at 0.1 + 0.05 x (half-seconds elapsed). 4 s each.
"$py" - "$tmp" <<'EOF'
import math, struct, sys
rate, n = 48000, 4 * 48000
def wav(path, f):
    data = b"".join(struct.pack("<h", int(32767 * f(i / rate))) for i in range(n))
    hdr = struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, 1,
                      rate, rate * 2, 2, 16, b"data", len(data))
    open(path, "wb").write(hdr + data)
wav(sys.argv[1] + "/fr.wav", lambda t: 0.3 * math.sin(2 * math.pi * 1000 * t))
wav(sys.argv[1] + "/en.wav",
    lambda t: (0.1 + 0.05 * math.floor(t / 0.5)) * math.sin(2 * math.pi * 500 * t))
EOF
cat >"$tmp/voice.yaml" <<'EOF'
format: vitrine/1
canvas: {size: [64, 36], fps: 50, background: "#000000"}
language: fr
layers:
  - {id: title, type: text, text: {fr: Bonjour, en: Hello}}
sounds:
  - {id: voice, src: {fr: fr.wav, en: en.wav}, autoplay: true}
triggers:
  - {when: {key: e}, do: {language: en}}
EOF
printf '1.0 key e\n' >"$tmp/en.events"
expect 0 "render --audio with a language switch" -- "$bin" render "$tmp/voice.yaml" \
  --out "$tmp/r" --frames 150 --audio "$tmp/r/voice.wav" --events "$tmp/en.events"

# Goertzel amplitudes of 1 kHz and 500 Hz in 10 ms windows; prints checks as "name value".
"$py" - "$tmp/r/voice.wav" >"$tmp/measures" <<'EOF'
import math, struct, sys
d = open(sys.argv[1], "rb").read()
n, = struct.unpack("<I", d[40:44])
s = struct.unpack("<%dh" % (n // 2), d[44:44 + n])
left = [v / 32768.0 for v in s[0::2]]
rate = 48000
def amp(a, b, f):  # amplitude of frequency f in samples [a, b)
    w = 2 * math.pi * f / rate
    re = sum(left[i] * math.cos(w * i) for i in range(a, b))
    im = sum(left[i] * math.sin(w * i) for i in range(a, b))
    return 2 * math.hypot(re, im) / (b - a)
win = 480
# The mix's level for a mono sound (OpenAL's panning of a non-spatial mono source), measured on
# the French file, whose amplitude is 0.3: the levels below are in the files' own scale.
g = amp(int(0.5 * rate), int(0.9 * rate), 1000) / 0.3
fr_before = g
fr_after = amp(int(1.3 * rate), int(1.45 * rate), 1000) / g
en_after = amp(int(1.3 * rate), int(1.45 * rate), 500) / g
# The English file's step from 0.20 to 0.25 happens at its own 1.5 s: where does it land?
step = next((k * win / rate for k in range(int(1.3 * rate / win), int(2.0 * rate / win))
             if amp(k * win, (k + 1) * win, 500) / g > 0.225), -1)
print("mix_gain %.3f" % g)
print("fr_after %.3f" % fr_after)
print("en_after %.3f" % en_after)
print("step_ms %d" % round(step * 1000))
EOF
val() { awk -v k="$1" '$1 == k {print $2}' "$tmp/measures"; }
in_range() { # NAME LO HI
  local v; v=$(val "$1")
  if awk -v v="$v" -v lo="$2" -v hi="$3" 'BEGIN {exit !(v >= lo && v <= hi)}'; then
    passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $1 = $v, expected within [$2, $3]"; cat "$tmp/measures"; fi
}
in_range mix_gain 0.4 1.1      # French alone before the switch, at a plausible level
in_range fr_after 0 0.01       # gone 0.3 s after it
in_range en_after 0.18 0.22    # English at its 1.0-1.5 s level: same position, not restarted
in_range step_ms 1480 1520     # its 1.5 s step lands at 1.5 s of the show (within 20 ms)

echo "test_spoken_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
