#!/usr/bin/env bash
# play with a display control: a fake backlight folder dimmed in attract and restored at exit,
# and the messages for a missing backlight and for brightness without a display control.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $what"; fi
}
contains() { # contains FILE TEXT DESCRIPTION
  if grep -qF -- "$2" "$1"; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $3: '$2' not in:"; sed 's/^/  | /' "$1"; fi
}

mkdir "$tmp/bl"
echo 1000 > "$tmp/bl/max_brightness"
echo 500 > "$tmp/bl/brightness"
printf 'format: vitrine-config/1\ndisplay:\n  backlight: %s\n' "$tmp/bl" > "$tmp/site.yaml"
{ cat "$here/cli/ok.yaml"; printf 'states: {initial: attract}\nenergy: {attract: {brightness: 0.7}}\n'; } \
  > "$tmp/attract.yaml"

# Attract dims to 0.7 of the brightness found at start; the end of play restores it.
"$bin" play "$tmp/attract.yaml" --size 64x36 --quit-after 8 --config "$tmp/site.yaml" \
  >/dev/null 2>"$tmp/err" & pid=$!
seen=""
for _ in $(seq 80); do
  seen=$(cat "$tmp/bl/brightness"); [ "$seen" = 350 ] && break; sleep 0.1
done
wait "$pid"; rc=$?
check "play exits 0 (got $rc)" [ "$rc" = 0 ]
check "dimmed to 350 in attract (saw $seen)" [ "$seen" = 350 ]
check "restored to 500 at exit (got $(cat "$tmp/bl/brightness"))" [ "$(cat "$tmp/bl/brightness")" = 500 ]
contains "$tmp/err" "display: brightness control: backlight $tmp/bl (max 1000, at start 500)" \
  "the control is named"

# Every catchable termination restores the brightness and ends play cleanly: SIGQUIT used to
# kill it with the display left dimmed. SIGPIPE (a log reader gone) is ignored: the show goes
# on until SIGTERM. (SIGHUP reloads: tests/test_osc_play.sh.) --quit-after keeps a regression
# from hanging the test.
for sig in QUIT INT TERM PIPE; do
  echo 500 > "$tmp/bl/brightness"
  # env --default-signal: a script's background jobs start with SIGINT and SIGQUIT ignored.
  start=$SECONDS
  env --default-signal "$bin" play "$tmp/attract.yaml" --size 64x36 --quit-after 30 \
    --config "$tmp/site.yaml" >/dev/null 2>"$tmp/err" & pid=$!
  seen=""
  for _ in $(seq 100); do
    seen=$(cat "$tmp/bl/brightness"); [ "$seen" = 350 ] && break; sleep 0.1
  done
  check "SIG$sig: dimmed to 350 before the signal (saw $seen)" [ "$seen" = 350 ]
  kill -s "$sig" "$pid"
  if [ "$sig" = PIPE ]; then
    sleep 0.5
    check "SIGPIPE: play goes on" kill -0 "$pid"
    kill -s TERM "$pid"
  fi
  wait "$pid"; rc=$?
  check "SIG$sig: play exits 0 (got $rc)" [ "$rc" = 0 ]
  check "SIG$sig: play ends at the signal, not at --quit-after" [ $((SECONDS - start)) -lt 25 ]
  check "SIG$sig: restored to 500 (got $(cat "$tmp/bl/brightness"))" \
    [ "$(cat "$tmp/bl/brightness")" = 500 ]
done

# attract.brightness below brightness.min (0.6 by default): the cap wins, 0.5 of 500 is 250.
echo 500 > "$tmp/bl/brightness"
{ cat "$here/cli/ok.yaml"; printf 'states: {initial: attract}\nenergy: {attract: {brightness: 0.5}}\n'; } \
  > "$tmp/dim.yaml"
"$bin" play "$tmp/dim.yaml" --size 64x36 --quit-after 30 --config "$tmp/site.yaml" \
  >/dev/null 2>"$tmp/err" & pid=$!
seen=""
for _ in $(seq 100); do
  seen=$(cat "$tmp/bl/brightness"); [ "$seen" = 250 ] && break; sleep 0.1
done
kill -TERM "$pid"; wait "$pid"
check "attract.brightness 0.5 dims to 250, below brightness.min (saw $seen)" [ "$seen" = 250 ]
check "restored to 500 (got $(cat "$tmp/bl/brightness"))" [ "$(cat "$tmp/bl/brightness")" = 500 ]

# A backlight that is not there: said with the config's position; the show plays on.
printf 'format: vitrine-config/1\ndisplay:\n  backlight: %s\n' "$tmp/nope" > "$tmp/missing.yaml"
"$bin" play "$tmp/attract.yaml" --size 64x36 --quit-after 0 --config "$tmp/missing.yaml" \
  >/dev/null 2>"$tmp/err"; rc=$?
check "play exits 0 without its backlight (got $rc)" [ "$rc" = 0 ]
contains "$tmp/err" "$tmp/missing.yaml:3:14: backlight '$tmp/nope' not found (no $tmp/nope/max_brightness)" \
  "missing backlight at the config's line:col"
contains "$tmp/err" "brightness is not governed" "what it means"

# Brightness in degrade without a display control: said, and left alone.
{ cat "$here/cli/ok.yaml"; printf 'energy: {degrade: [fps, brightness]}\n'; } > "$tmp/degrade.yaml"
"$bin" play "$tmp/degrade.yaml" --size 64x36 --quit-after 0 >/dev/null 2>"$tmp/err"; rc=$?
check "play exits 0 (got $rc)" [ "$rc" = 0 ]
contains "$tmp/err" "the scene lists brightness in energy.degrade, but the operator config names no display control" \
  "brightness without a display control"

# With a display control but a sensor that cannot see the screen: dimming for attract only.
"$bin" play "$tmp/degrade.yaml" --size 64x36 --quit-after 0 --config "$tmp/site.yaml" \
  >/dev/null 2>"$tmp/err"; rc=$?
check "play exits 0 (got $rc)" [ "$rc" = 0 ]
contains "$tmp/err" "the power sensor does not see the display (only a wall meter's file: does)" \
  "brightness kept out of the budget without a wall meter"
check "restored after a run with degrade (got $(cat "$tmp/bl/brightness"))" \
  [ "$(cat "$tmp/bl/brightness")" = 500 ]

echo "test_display_play: $passed passed, $failed failed"
[ "$failed" = 0 ]
