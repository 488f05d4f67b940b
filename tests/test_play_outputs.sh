#!/usr/bin/env bash
# play with projection outputs under the offscreen driver: a window per output at its size,
# sharing one context; --fullscreen puts each on its display and a missing display is a warning
# (the show goes on); --display with outputs is a usage error naming outputs.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"
scene=$here/outputs/room.yaml
cfg=$here/outputs/room-config.yaml

expect 0 "play two outputs" -- "$bin" play "$scene" --config "$cfg" --quit-after 0.5 --verbose
contains "$tmp/err" "output 'left' opened: 120x100" "left window at its size"
contains "$tmp/err" "output 'right' opened: 240x200" "right window at its source's size"
expect 0 "play the scene's own output" -- "$bin" play "$scene" --quit-after 0.2 --verbose
contains "$tmp/err" "output 'all' opened: 400x200" "the scene's outputs without a config"

expect 64 "--display with outputs" -- "$bin" play "$scene" --display 0 --quit-after 0
contains "$tmp/err" "--display does not go with outputs: each output names its display in 'outputs' ($scene)" "--display message"

# The offscreen driver has one display: output 'right' (display 1) is missing, 'left' plays.
expect 0 "fullscreen with a display missing" -- "$bin" play "$scene" --config "$cfg" --fullscreen --quit-after 0.5 --verbose
contains "$tmp/err" "output 'left' opened: 120x100, fullscreen" "left on display 0"
contains "$tmp/err" "warning: output 'right': display 1 (of 1) is not there; the show runs on the other outputs" "missing display warning"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
