#!/usr/bin/env bash
# `fallback_image` in the operator config: a scene that cannot be loaded at start (broken, or
# missing) shows the fallback image instead of exiting, with the problem in the log; the scene
# file is watched, and once fixed (or written) the show starts by itself. Without a fallback
# image, or with one that cannot be read, play still exits 65 / 66 as before.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; sed 's/^/  | /' "$tmp/log" | tail -20; }

# A 40x20 red picture, written here (not by the engine).
python3 - "$tmp/fallback.png" <<'PY'
import struct, sys, zlib
w, h = 40, 20
raw = b''.join(b'\0' + b'\xff\x00\x00\xff' * w for _ in range(h))
def chunk(k, d):
    return struct.pack('>I', len(d)) + k + d + struct.pack('>I', zlib.crc32(k + d) & 0xffffffff)
open(sys.argv[1], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0))
    + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
PY
good() { printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\n  background: "#0000ff"\nlayers:\n  - id: r\n    type: rect\n    size: [8, 8]\n'; }
broken() { good; printf '    opacity: 2\n'; }
printf 'format: vitrine-config/1\nfallback_image: fallback.png\n' > "$tmp/c.yaml"

wait_for() {  # wait_for COUNT PATTERN: until the log holds COUNT matching lines (30 s at most)
  for _ in $(seq 300); do
    [ "$(grep -c -- "$2" "$tmp/log")" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# The shape (the picture is captured at the governor's scale) and the colour of the centre of
# the latest captured picture: "wide R G B" for a 2:1 picture.
latest() {
  python3 - "$tmp/cap" <<'PY'
import os, sys
sys.path.insert(0, os.environ['VT_SOURCE_DIR'] + '/tests')
from pngread import read_png
d = sys.argv[1]
names = sorted(n for n in os.listdir(d) if n.endswith('.png'))
(w, h), px = read_png(os.path.join(d, names[-1]))
bpp = len(px) // (w * h)
i = ((h // 2) * w + w // 2) * bpp
print('wide' if w == 2 * h else 'not 2:1', px[i], px[i + 1], px[i + 2])
PY
}

run_case() {  # run_case NAME: the scene at $tmp/show/s.yaml is broken or missing at start
  rm -rf "$tmp/cap"; mkdir -p "$tmp/cap"
  VT_TEST_CAPTURE="$tmp/cap" "$bin" play "$tmp/show/s.yaml" --config "$tmp/c.yaml" --quit-after 60 \
    --verbose >/dev/null 2>"$tmp/log" & pid=$!
  wait_for 1 "first frame presented" || ko "$1: play should show the fallback image"
  grep -q "showing the fallback image $tmp/fallback.png until the scene is fixed" "$tmp/log" && ok ||
    ko "$1: the log should say the fallback image is shown"
  [ "$(latest)" = "wide 255 0 0" ] && ok || ko "$1: the fallback image should be drawn, got $(latest)"
  good > "$tmp/show/s.yaml.tmp" && mv "$tmp/show/s.yaml.tmp" "$tmp/show/s.yaml"
  wait_for 1 "reloaded $tmp/show/s.yaml" && ok || ko "$1: the fixed scene should start by itself"
  sleep 0.5
  # The scene's blue background (16:9, drawn in the fallback's 2:1 target).
  [ "$(latest)" = "not 2:1 0 0 255" ] && ok || ko "$1: the scene should be drawn, got $(latest)"
  kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
  [ "$rc" = 0 ] && ok || ko "$1: play should exit 0 on SIGTERM, got $rc"
}

mkdir -p "$tmp/show"
broken > "$tmp/show/s.yaml"
run_case broken
grep -q "s.yaml:9:14: error: 'opacity' must be between 0 and 1, got 2" "$tmp/log" && ok ||
  ko "broken: the scene's problem should be in the log"
rm -f "$tmp/show/s.yaml"
run_case missing

# Without a fallback image a broken scene still ends play with 65, a missing one with 66.
broken > "$tmp/show/s.yaml"
"$bin" play "$tmp/show/s.yaml" --quit-after 1 >/dev/null 2>"$tmp/log"; rc=$?
[ "$rc" = 65 ] && ok || ko "no fallback: exit 65, got $rc"
# A fallback image that cannot be read: said, and the scene's exit status.
printf 'format: vitrine-config/1\nfallback_image: nowhere.png\n' > "$tmp/c2.yaml"
"$bin" play "$tmp/show/s.yaml" --config "$tmp/c2.yaml" --quit-after 1 >/dev/null 2>"$tmp/log"; rc=$?
[ "$rc" = 65 ] && ok || ko "unreadable fallback: exit 65, got $rc"
grep -q "nowhere.png" "$tmp/log" && ok || ko "unreadable fallback: the log should name it"
# The key is checked with its position.
printf 'format: vitrine-config/1\nfallback_image: [a, b]\n' > "$tmp/c3.yaml"
"$bin" play "$tmp/show/s.yaml" --config "$tmp/c3.yaml" --quit-after 1 >/dev/null 2>"$tmp/log"; rc=$?
[ "$rc" = 65 ] && grep -q "c3.yaml:2:17: error: 'fallback_image'" "$tmp/log" && ok ||
  ko "a bad fallback_image should be a positioned error, got $rc"

echo "test_fallback: $passed passed, $failed failed"
[ "$failed" = 0 ]
