#!/usr/bin/env bash
# Inputs that would block: a named pipe (FIFO) or a device given as the scene, the config, the
# event script, an energy log or the power file, or renamed over the scene while it plays, is
# refused at once with a message naming the file (exit 66), never waited on. Every command runs
# under `timeout 10`, so a regression fails here instead of hanging.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }

# expect CODE DESCRIPTION TEXT -- COMMAND...: exit CODE within 10 s, TEXT in stderr.
expect() {
  local want=$1 what=$2 text=$3; shift 4
  timeout 10 "$@" >"$tmp/out" 2>"$tmp/err"; local got=$?
  if [ "$got" = 124 ]; then ko "$what: still waiting after 10 s"; return; fi
  [ "$got" = "$want" ] && ok || { ko "$what: exit $got, expected $want"; sed 's/^/  | /' "$tmp/err"; }
  grep -qF -- "$text" "$tmp/err" && ok || { ko "$what: '$text' not in:"; sed 's/^/  | /' "$tmp/err"; }
}

mkfifo "$tmp/scene.yaml" "$tmp/config.yaml" "$tmp/events.txt" "$tmp/energy.csv" "$tmp/watts"
scene="$src/tests/scenes/minimal.yaml"
pipe="it is a named pipe (FIFO), not a regular file"

expect 66 "check of a FIFO" "$tmp/scene.yaml: error: cannot read: $pipe" -- \
  "$bin" check "$tmp/scene.yaml"
expect 66 "play of a FIFO" "$tmp/scene.yaml: error: cannot read: $pipe" -- \
  "$bin" play "$tmp/scene.yaml" --quit-after 1
expect 66 "render of a FIFO" "$tmp/scene.yaml: error: cannot read: $pipe" -- \
  "$bin" render "$tmp/scene.yaml" --out "$tmp/out1" --frames 1
expect 66 "a FIFO as the config" "$tmp/config.yaml: error: cannot read: $pipe" -- \
  "$bin" play "$scene" --config "$tmp/config.yaml" --quit-after 1
expect 66 "a FIFO as the event script (play)" "$tmp/events.txt: error: cannot read: $pipe" -- \
  "$bin" play "$scene" --events "$tmp/events.txt" --quit-after 1
expect 66 "a FIFO as the event script (render)" "$tmp/events.txt: error: cannot read: $pipe" -- \
  "$bin" render "$scene" --events "$tmp/events.txt" --out "$tmp/out2" --frames 1
expect 66 "report of a FIFO" "$tmp/energy.csv: error: cannot read: $pipe" -- \
  "$bin" report "$tmp/energy.csv"
expect 66 "report /dev/zero" \
  "/dev/zero: error: cannot read: it is a character device, not a regular file" -- \
  "$bin" report /dev/zero
expect 66 "a FIFO as the power file (sensors)" "$tmp/watts: cannot read the power file: $pipe" -- \
  "$bin" sensors --power-sensor "file:$tmp/watts"
expect 73 "a FIFO as the energy log" "cannot open the energy log $tmp/energy.csv: not a regular file" -- \
  "$bin" play "$scene" --energy-log "$tmp/energy.csv" --quit-after 1
# play goes on without a measurement, and --quit-after still ends it.
expect 0 "a FIFO as the power file (play)" "$tmp/watts: cannot read the power file: $pipe" -- \
  "$bin" play "$scene" --power-sensor "file:$tmp/watts" --quit-after 1

# Hot reload: a FIFO renamed over the scene while it plays is refused like a broken scene; the
# show goes on and --quit-after still fires.
mkdir "$tmp/show"
cp "$scene" "$tmp/show/scene.yaml"
timeout 60 "$bin" play "$tmp/show/scene.yaml" --quit-after 8 --verbose >"$tmp/out" 2>"$tmp/log" &
pid=$!
wait_for() {  # wait_for PATTERN: until the log holds it (20 s at most)
  for _ in $(seq 200); do
    grep -qF -- "$1" "$tmp/log" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
wait_for "first frame presented" || ko "play should present its first frame"
mkfifo "$tmp/show/new.yaml" && mv "$tmp/show/new.yaml" "$tmp/show/scene.yaml"
wait_for "$tmp/show/scene.yaml: error: cannot read: $pipe" && ok ||
  ko "a FIFO renamed over the scene should be refused with a message"
wait_for "was not reloaded" && ok || ko "the running scene should be kept"
wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || { ko "play should end at --quit-after with 0, got $rc"; cat "$tmp/log"; }

echo "test_fifo_inputs: $passed passed, $failed failed"
[ "$failed" = 0 ]
