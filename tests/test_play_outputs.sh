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

# play --calibrate with a scripted technician: the script's pointer is in the pixels of the
# output being edited ('left', 120x100); a press on its bottom-right corner grabs it, the moves
# drag it, up lets go, s saves: the file gets the corner where the pointer let go, comments kept.
cat >"$tmp/room.yaml" <<'YAML'
# The room's projectors.
outputs:
  - id: left   # the left wall
    source: [0, 0, 240, 200]
    size: [120, 100]
    warp: {corners: [[0, 0], [1, 0], [1, 1], [0, 1]]}  # pinned
    edge_blend: {right: 40, gamma: 1.0}
  - id: right
    source: [160, 0, 240, 200]
    edge_blend: {left: 80, gamma: 1.0}
YAML
cat >"$tmp/drag.events" <<'EV'
0.3 down 119 99
0.4 move 110 95
0.5 move 105 93
0.6 up   106 90
0.8 key  s
EV
expect 0 "play --calibrate with a drag" -- "$bin" play "$scene" --config "$tmp/room.yaml" --calibrate --events "$tmp/drag.events" --quit-after 1.5
contains "$tmp/err" "calibration saved into $tmp/room.yaml" "the drag saved"
python3 - "$tmp/room.yaml" <<'PY' && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: the dragged corner in the file"; cat "$tmp/room.yaml"; }
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"warp: \{corners: (\[\[.*\]\])\}  # pinned\n", text)
corners = eval(m.group(1))
# grabbed 1 px left of and above the corner: it keeps that offset to the pointer
want = [[0, 0], [1, 0], [107 / 120, 91 / 100], [0, 1]]
assert all(abs(a - b) < 1e-5 for p, q in zip(corners, want) for a, b in zip(p, q)), corners
assert text.startswith("# The room's projectors.\n") and "  - id: left   # the left wall\n" in text
PY

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
