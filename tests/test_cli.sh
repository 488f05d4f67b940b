#!/usr/bin/env bash
# The command line: every exit code, the messages people read, and what render writes.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; skipped=0

. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"

expect 0 "--version" -- "$bin" --version
contains "$tmp/out" "vitrine 0.1.0" "--version prints the version"
expect 0 "--help" -- "$bin" --help
for opt in --out --start --duration --frames --fps --size --events --png-level --fullscreen \
           --display --quit-after; do contains "$tmp/out" "$opt" "--help lists $opt"; done

# 64: usage errors
expect 64 "no command" -- "$bin"
contains "$tmp/err" "no command given" "no command message"
expect 64 "unknown option" -- "$bin" check --frmaes 3 "$here/cli/ok.yaml"
contains "$tmp/err" "unknown option '--frmaes'; did you mean '--frames'?" "option suggestion"
expect 64 "unknown command" -- "$bin" rendr x.yaml
contains "$tmp/err" "did you mean 'render'?" "command suggestion"
expect 64 "--osc-bind with a name" -- "$bin" play "$here/cli/ok.yaml" --osc-bind localhost
contains "$tmp/err" "--osc-bind takes a numeric IPv4 or IPv6 address, like 127.0.0.1, 0.0.0.0 (every interface) or ::1; got 'localhost'" "--osc-bind message"
expect 64 "missing option value" -- "$bin" render "$here/cli/ok.yaml" --out
contains "$tmp/err" "--out needs a value" "missing value message"
expect 64 "render without --out" -- "$bin" render "$here/cli/ok.yaml"
expect 64 "bad --fps" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/o" --fps 0
contains "$tmp/err" "--fps expects a whole number from 1 to 240, got '0'" "range message"
expect 64 "bad --size" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/o" --size 12by4
expect 64 "option of another command" -- "$bin" check --fullscreen "$here/cli/ok.yaml"
contains "$tmp/err" "--fullscreen does not apply to 'vitrine check'" "inapplicable option"
expect 64 "both --duration and --frames" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/o" \
  --duration 1 --frames 3
expect 64 "no scene" -- "$bin" check

# check: 0 valid, 65 invalid (every problem printed), 66 missing
expect 0 "check valid" -- "$bin" check "$here/cli/ok.yaml"
expect 65 "check invalid" -- "$bin" check "$here/cli/bad.yaml"
contains "$tmp/err" "cli/bad.yaml:4:8: error: 'fps' must be an integer" "type error position"
contains "$tmp/err" "cli/bad.yaml:9:5: error: unknown key 'opactiy'" "unknown key position"
contains "$tmp/err" "did you mean 'opacity'?" "key suggestion"
expect 66 "check missing file" -- "$bin" check "$tmp/nope.yaml"
expect 66 "missing outranks invalid" -- "$bin" check "$here/cli/bad.yaml" "$tmp/nope.yaml"
expect 65 "check several" -- "$bin" check "$here/cli/ok.yaml" "$here/cli/bad.yaml"
# A flood of errors (a generated scene gone wrong) prints the first 100 and a count of the rest.
{ printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n'
  for i in $(seq 150); do printf '  - id: a\n    type: rect\n    size: [1, 1]\n'; done; } > "$tmp/dups.yaml"
expect 65 "check many errors" -- "$bin" check "$tmp/dups.yaml"
lines=$(wc -l < "$tmp/err")
[ "$lines" = 101 ] && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: $lines lines printed, expected 100 and a count"; }
contains "$tmp/err" "dups.yaml: ... and 49 more errors not shown (149 errors in all); fix the ones above first" "the count of the errors not shown"

# render: frames numbered from 0, render.json, events
expect 0 "render 3 frames" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/r" --frames 3
for f in frame_00000.png frame_00001.png frame_00002.png render.json; do
  if [ -s "$tmp/r/$f" ]; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: no $f"; fi
done
if [ -e "$tmp/r/frame_00003.png" ]; then failed=$((failed+1)); echo "FAIL: extra frame"; else passed=$((passed+1)); fi
contains "$tmp/r/render.json" '"frames": 3' "render.json frame count"
contains "$tmp/r/render.json" '"fps": 30' "render.json fps"
contains "$tmp/r/render.json" "\"scene_sha256\": \"$(sha256sum "$here/cli/ok.yaml" | cut -c1-64)\"" \
  "render.json scene hash"
expect 0 "render --duration --size" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/d" \
  --duration 0.2 --fps 10 --size 32x18
contains "$tmp/d/render.json" '"frames": 2' "duration x fps frames"
contains "$tmp/d/render.json" '"width": 32' "render --size width"
expect 0 "render with events" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/e" --frames 2 \
  --events "$here/cli/events-ok.txt"
expect 65 "render with bad events" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/e2" \
  --events "$here/cli/events-bad.txt"
contains "$tmp/err" "cli/events-bad.txt:3:5: error: unknown event 'tap'" "event error position"
expect 66 "render with missing events" -- "$bin" render "$here/cli/ok.yaml" --out "$tmp/e3" \
  --events "$tmp/none.txt"
expect 65 "render invalid scene" -- "$bin" render "$here/cli/bad.yaml" --out "$tmp/x"
expect 66 "render missing scene" -- "$bin" render "$tmp/none.yaml" --out "$tmp/x"

# 73/74: output that cannot be created or written; never a partial frame
expect 73 "render into /dev/full" -- "$bin" render "$here/cli/ok.yaml" --out /dev/full/frames
contains "$tmp/err" "cannot create folder" "unwritable output message"
if unshare -m --propagation private true 2>/dev/null; then
  mkdir -p "$tmp/full" "$tmp/ro"
  expect 74 "render onto a full disk" -- unshare -m --propagation private sh -c \
    "mount -t tmpfs -o size=24k tmpfs '$tmp/full' && '$bin' render '$here/cli/ok.yaml' --out '$tmp/full' --frames 40 --png-level 0 --size 256x144; rc=\$?; ls -la '$tmp/full' >&2; exit \$rc"
  contains "$tmp/err" "No space left on device" "disk-full message"
  if grep -q 'tmp-' "$tmp/err"; then failed=$((failed+1)); echo "FAIL: temporary file left behind"; else passed=$((passed+1)); fi
  expect 73 "render into a read-only folder" -- unshare -m --propagation private sh -c \
    "mount -t tmpfs -o ro tmpfs '$tmp/ro' && exec '$bin' render '$here/cli/ok.yaml' --out '$tmp/ro' --frames 1"
  contains "$tmp/err" "Read-only file system" "read-only message"
else
  echo "skipped: disk-full and read-only checks (needs root for unshare -m)"; skipped=$((skipped+1))
fi

# sensors: the report, one reading of the chosen sensor, unknown sensors
printf '12.5 W\n' > "$tmp/watts"
expect 0 "sensors with a power file" -- "$bin" sensors --power-sensor "file:$tmp/watts"
contains "$tmp/out" "now: 12.5 W" "power file reading"
contains "$tmp/out" "model  found" "the report lists the model"
expect 64 "unknown sensor" -- "$bin" sensors --power-sensor rapel
contains "$tmp/err" 'did you mean "rapl"?' "sensor suggestion"
expect 64 "sensors takes no file" -- "$bin" sensors x.yaml

# play with the energy governor: operator config, budget, power file
printf 'format: vitrine-config/1\nenergy:\n  sensor: file:%s\n  budget_watts: 20\n' "$tmp/watts" > "$tmp/ok-config.yaml"
expect 0 "play with a config" -- "$bin" play "$here/cli/ok.yaml" --config "$tmp/ok-config.yaml" --quit-after 0.3
contains "$tmp/err" "power budget: 20.0 W" "the config's budget"
expect 0 "--budget-watts wins" -- "$bin" play "$here/cli/ok.yaml" --config "$tmp/ok-config.yaml" \
  --budget-watts 12 --quit-after 0.2
contains "$tmp/err" "power budget: 12.0 W" "the flag's budget"
printf 'energy:\n  sensr: auto\n' > "$tmp/bad-config.yaml"
expect 65 "play with an invalid config" -- "$bin" play "$here/cli/ok.yaml" --config "$tmp/bad-config.yaml"
contains "$tmp/err" "bad-config.yaml:2:3: error: unknown key 'sensr'" "config error position"
expect 66 "play with a missing config" -- "$bin" play "$here/cli/ok.yaml" --config "$tmp/none.yaml"
expect 64 "budget out of range" -- "$bin" play "$here/cli/ok.yaml" --budget-watts 0

# play: headless, stops by itself
expect 0 "play --quit-after" -- "$bin" play "$here/cli/ok.yaml" --quit-after 0.3 --events "$here/cli/events-ok.txt"
expect 65 "play invalid" -- "$bin" play "$here/cli/bad.yaml" --quit-after 0.1
# 70: the platform cannot start (here: a video driver that does not exist)
expect 70 "play without a video system" -- env SDL_VIDEODRIVER=nosuchdriver "$bin" play \
  "$here/cli/ok.yaml" --quit-after 0
contains "$tmp/err" "cannot start the video system" "internal error message"

echo "test_cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] || exit 1
[ "$skipped" = 0 ] || exit 77  # ctest's SKIP_RETURN_CODE
