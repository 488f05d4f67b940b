#!/usr/bin/env bash
# What render, report and play write: an output only ever replaces a regular file (exit 73 for a
# FIFO, a device, a folder or a symbolic link, left as they were).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
scene=$here/cli/ok.yaml

expect() { # expect CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" = "$want" ]; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $what: exit $got, expected $want"; sed 's/^/  | /' "$tmp/err"; fi
}
contains() {
  if grep -qF -- "$2" "$1"; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $3: '$2' not in:"; sed 's/^/  | /' "$1"; fi
}
ok() { # ok DESCRIPTION -- TEST...
  local what=$1; shift 2
  if "$@"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $what"; fi
}
# whole_png FILE: the PNG signature first and the IEND chunk (with its CRC) last.
whole_png() {
  [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] &&
    [ "$(tail -c 12 "$1" | od -An -tx1 | tr -d ' \n')" = 0000000049454e44ae426082 ]
}
no_temporaries() { ! ls -a "$1" | grep -q '\.tmp-'; }

# ---- outputs only replace regular files ----
# A small energy log for report --out.
{
  echo "time,state,target_fps,fps,scale,power_w,energy_j,sensor,covers,measured"
  for i in $(seq 0 120); do
    printf '2026-11-24T10:%02d:%02dZ,attract,15,15.0,0.75,20.00,%d.0,model,"a model",estimated\n' \
      $((i / 60)) $((i % 60)) $((20 * i))
  done
} > "$tmp/log.csv"
expect 0 "report --out a new file" -- "$bin" report "$tmp/log.csv" --out "$tmp/chart.png"
ok "the chart is a whole PNG" -- whole_png "$tmp/chart.png"
expect 0 "report --out over a regular file" -- "$bin" report "$tmp/log.csv" --out "$tmp/chart.png"

mkdir "$tmp/t"
echo "keep me" > "$tmp/outside.txt"
mkfifo "$tmp/t/fifo.png"
ln -s "$tmp/outside.txt" "$tmp/t/link.png"
mkdir "$tmp/t/folder.png"
ln -s /dev/null "$tmp/t/null.png"
targets="fifo.png:p link.png:l folder.png:d null.png:l"
if mknod "$tmp/t/dev.png" c 1 3 2>/dev/null; then targets="$targets dev.png:c"
else echo "SKIP: a character device as target (mknod needs root)"; fi
type_of() { stat -c %F "$1"; }
for t in $targets; do
  name=${t%:*}
  before=$(type_of "$tmp/t/$name")
  expect 73 "report --out onto $before" -- timeout 20 "$bin" report "$tmp/log.csv" --out "$tmp/t/$name"
  contains "$tmp/err" "not a regular file (it is " "report --out onto $before: message"
  ok "$before left as it was" -- [ "$(type_of "$tmp/t/$name")" = "$before" ]
done
ok "the file a link points to is untouched" -- [ "$(cat "$tmp/outside.txt")" = "keep me" ]
ok "the link to /dev/null still points there" -- [ "$(readlink "$tmp/t/null.png")" = /dev/null ]
ok "no temporary file left by the refusals" -- no_temporaries "$tmp/t"

expect 73 "render --audio onto a FIFO" -- timeout 20 "$bin" render "$scene" --out "$tmp/a1" \
  --frames 3 --audio "$tmp/t/fifo.png"
contains "$tmp/err" "not a regular file (it is a FIFO" "render --audio onto a FIFO: message"
ok "refused before any frame" -- [ ! -e "$tmp/a1/frame_00000.png" ]
ok "the FIFO is left" -- [ -p "$tmp/t/fifo.png" ]
expect 73 "render --audio onto a link" -- "$bin" render "$scene" --out "$tmp/a2" --frames 3 \
  --audio "$tmp/t/link.png"
ok "the link is left" -- [ -L "$tmp/t/link.png" ]

mkdir -p "$tmp/j1/render.json" "$tmp/j2"
ln -s "$tmp/outside.txt" "$tmp/j2/render.json"
expect 73 "render.json is a folder" -- "$bin" render "$scene" --out "$tmp/j1" --frames 2
contains "$tmp/err" "render.json': not a regular file (it is a folder)" "render.json folder: message"
expect 73 "render.json is a link" -- "$bin" render "$scene" --out "$tmp/j2" --frames 2
ok "render.json link left" -- [ -L "$tmp/j2/render.json" ]
mkdir "$tmp/f1"; mkfifo "$tmp/f1/frame_00001.png"
expect 73 "a frame's name is a FIFO" -- timeout 20 "$bin" render "$scene" --out "$tmp/f1" --frames 3
contains "$tmp/err" "frame_00001.png': not a regular file (it is a FIFO" "frame FIFO: message"
ok "the frame FIFO is left" -- [ -p "$tmp/f1/frame_00001.png" ]
ok "no render.json for a failed render" -- [ ! -e "$tmp/f1/render.json" ]

ln -s "$tmp/outside.txt" "$tmp/energy.csv"
expect 73 "play --energy-log onto a link" -- "$bin" play "$scene" --quit-after 0.2 \
  --energy-log "$tmp/energy.csv"
contains "$tmp/err" "not a regular file" "energy log link: message"
ok "the energy log link is left" -- [ -L "$tmp/energy.csv" ]
ok "and what it points to untouched" -- [ "$(cat "$tmp/outside.txt")" = "keep me" ]

echo "test_render_outputs: $passed passed, $failed failed"
[ "$failed" = 0 ]
