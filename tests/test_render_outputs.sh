#!/usr/bin/env bash
# What render, report and play write: an output only ever replaces a regular file (exit 73 for a
# FIFO, a device, a folder or a symbolic link, left as they were); SIGINT/SIGTERM stop a render
# at once (exit 130/143) with whole frames, no render.json and no temporary file; a re-render
# leaves neither the earlier render.json nor its frames beyond the new count; temporary files of
# killed renders are removed by the next render into that folder, a live render's are kept.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
live=
trap '[ -n "$live" ] && kill "$live" 2>/dev/null; rm -rf "$tmp"' EXIT
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
all_frames_whole() {
  local f n=0
  for f in "$1"/frame_*.png; do
    [ -e "$f" ] || continue
    whole_png "$f" || { echo "  not a whole PNG: $f"; return 1; }
    n=$((n+1))
  done
  echo "  $n whole frames in $1"
}

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
contains "$tmp/err" "not a regular file (it is a named pipe (FIFO)" "render --audio onto a FIFO: message"
ok "refused before any frame" -- [ ! -e "$tmp/a1/frame_00000.png" ]
ok "the FIFO is left" -- [ -p "$tmp/t/fifo.png" ]
expect 73 "render --audio onto a link" -- "$bin" render "$scene" --out "$tmp/a2" --frames 3 \
  --audio "$tmp/t/link.png"
ok "the link is left" -- [ -L "$tmp/t/link.png" ]

mkdir -p "$tmp/j1/render.json" "$tmp/j2"
ln -s "$tmp/outside.txt" "$tmp/j2/render.json"
expect 73 "render.json is a folder" -- "$bin" render "$scene" --out "$tmp/j1" --frames 2
contains "$tmp/err" "render.json': not a regular file (it is a folder)" "render.json folder: message"
ok "refused before any frame" -- [ ! -e "$tmp/j1/frame_00000.png" ]
expect 73 "render.json is a link" -- "$bin" render "$scene" --out "$tmp/j2" --frames 2
ok "render.json link left" -- [ -L "$tmp/j2/render.json" ]
mkdir "$tmp/f1"; mkfifo "$tmp/f1/frame_00001.png"
expect 73 "a frame's name is a FIFO" -- timeout 20 "$bin" render "$scene" --out "$tmp/f1" --frames 3
contains "$tmp/err" "frame_00001.png': not a regular file (it is a named pipe (FIFO)" "frame FIFO: message"
ok "the frame FIFO is left" -- [ -p "$tmp/f1/frame_00001.png" ]
ok "no render.json for a failed render" -- [ ! -e "$tmp/f1/render.json" ]

ln -s "$tmp/outside.txt" "$tmp/energy.csv"
expect 73 "play --energy-log onto a link" -- "$bin" play "$scene" --quit-after 0.2 \
  --energy-log "$tmp/energy.csv"
contains "$tmp/err" "not a regular file" "energy log link: message"
ok "the energy log link is left" -- [ -L "$tmp/energy.csv" ]
ok "and what it points to untouched" -- [ "$(cat "$tmp/outside.txt")" = "keep me" ]

# ---- an interrupted render ----
# interrupt SIGNAL CODE DIR [ARGS...]: a long render into DIR gets SIGNAL once it has written a
# few frames; it must exit CODE within 20 s.
interrupt() {
  local sig=$1 code=$2 dir=$3; shift 3
  set -m # a background job of a script would otherwise start with SIGINT ignored
  "$bin" render "$scene" --out "$dir" --frames 100000 --size 320x180 "$@" 2>"$tmp/err" &
  local pid=$! i got
  set +m
  for i in $(seq 600); do
    [ -e "$dir/frame_00003.png" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "-$sig" "$pid"
  for i in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    failed=$((failed+1)); echo "FAIL: render still running 20 s after SIG$sig"; return
  fi
  wait "$pid"; got=$?
  if [ "$got" = "$code" ]; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: SIG$sig: exit $got, expected $code"; sed 's/^/  | /' "$tmp/err"; fi
  contains "$tmp/err" "render stopped by SIG$sig" "SIG$sig: message"
  ok "SIG$sig: no render.json" -- [ ! -e "$dir/render.json" ]
  ok "SIG$sig: no temporary file" -- no_temporaries "$dir"
  ok "SIG$sig: frames were written" -- [ -e "$dir/frame_00000.png" ]
  ok "SIG$sig: every frame is a whole PNG" -- all_frames_whole "$dir"
}
interrupt INT 130 "$tmp/i1" --audio "$tmp/i1.wav"
ok "SIGINT: no WAV" -- [ ! -e "$tmp/i1.wav" ]
ok "SIGINT: no WAV temporary" -- no_temporaries "$tmp"
# An interrupted re-render: the earlier render.json must not describe the new frames.
expect 0 "a complete render" -- "$bin" render "$scene" --out "$tmp/i2" --frames 2
ok "it has a render.json" -- [ -e "$tmp/i2/render.json" ]
interrupt TERM 143 "$tmp/i2"

# ---- re-rendering into a folder ----
expect 0 "render 8 frames" -- "$bin" render "$scene" --out "$tmp/s" --frames 8
touch "$tmp/s/notes.txt" "$tmp/s/frame_00006.png.bak" "$tmp/s/frame_7.png"
expect 0 "render 3 frames into the same folder" -- "$bin" render "$scene" --out "$tmp/s" --frames 3
contains "$tmp/s/render.json" '"frames": 3' "render.json of the new render"
ok "frames 0-2 present" -- [ -e "$tmp/s/frame_00000.png" -a -e "$tmp/s/frame_00002.png" ]
ok "no frame beyond the new count" -- [ "$(ls "$tmp/s" | grep -c '^frame_[0-9]\{5\}\.png$')" = 3 ]
contains "$tmp/err" "removed 5 frames of an earlier, longer render" "stale frames: message"
ok "other files kept" -- [ -e "$tmp/s/notes.txt" -a -e "$tmp/s/frame_00006.png.bak" -a -e "$tmp/s/frame_7.png" ]

# ---- temporaries of killed renders ----
sh -c 'exit 0' & dead=$!; wait "$dead"
sleep 300 & live=$!
mkdir -p "$tmp/k" "$tmp/snd"
stale="k/frame_00000.png.tmp-$dead k/frame_00001.png.tmp-$dead-AbCdEfGh12 \
  k/render.json.tmp-$dead-x1y2z3w4v5 snd/a.wav.tmp-$dead-abcdefghij snd/a.wav.tmp-$dead"
kept="k/frame_00002.png.tmp-$live-abcdefghij snd/a.wav.tmp-$live-abcdefghij \
  snd/other.wav.tmp-$dead-abcdefghij k/notes.txt.tmp-$dead-abcdefghij"
for f in $stale $kept; do echo partial > "$tmp/$f"; done
expect 0 "render into a folder with leftovers" -- "$bin" render "$scene" --out "$tmp/k" --frames 2 \
  --audio "$tmp/snd/a.wav"
for f in $stale; do ok "removed: $f (process gone)" -- [ ! -e "$tmp/$f" ]; done
for f in $kept; do ok "kept: $f" -- [ -e "$tmp/$f" ]; done
contains "$tmp/err" "removed a temporary file left by process $dead" "sweep: message"
kill "$live"; live=

echo "test_render_outputs: $passed passed, $failed failed"
[ "$failed" = 0 ]
