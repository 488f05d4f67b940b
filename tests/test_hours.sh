#!/usr/bin/env bash
# Opening hours in `play`: outside them nothing is drawn and the process sleeps; `outside_hours:
# run` keeps playing; hours open all day play as usual; the operator config's schedule wins.
set -u
bin=${VT_BIN:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; sed 's/^/  | /' "$tmp/log"; }
scene() {  # scene SCHEDULE-BLOCK
  printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - {id: r, type: rect, size: [8, 8]}\n%s\n' "$1" > "$tmp/s.yaml"
}
play() { "$bin" play "$tmp/s.yaml" --quit-after 0.5 --verbose "$@" >/dev/null 2>"$tmp/log"; }

scene 'schedule: {timezone: Europe/Paris, open: {mon-sun: closed}}'
play && ok || ko "play should exit 0 when closed"
grep -q "outside opening hours: blank" "$tmp/log" && ok || ko "closed: should say so"
grep -q "play: debug: 0 frames drawn" "$tmp/log" && ok || ko "closed: nothing should be drawn"

scene 'schedule: {open: {mon-sun: closed}, outside_hours: run}'
play && ok || ko "outside_hours run: exit 0"
grep -q "outside opening hours" "$tmp/log" && ko "outside_hours run should keep playing" || ok
grep -q "play: debug: 1 frames drawn" "$tmp/log" && ok || ko "outside_hours run: one frame"

scene 'schedule: {timezone: America/New_York, open: {mon-sun: "00:00-24:00"}}'
play && ok || ko "always open: exit 0"
grep -q "play: debug: 1 frames drawn" "$tmp/log" && ok || ko "always open: one frame"

# The operator's schedule wins over the scene's.
printf 'schedule: {open: {mon-sun: closed}}\n' > "$tmp/config.yaml"
play --config "$tmp/config.yaml" && ok || ko "config schedule: exit 0"
grep -q "play: debug: 0 frames drawn" "$tmp/log" && ok || ko "the config's closed hours should win"

# wake_on_input: a visitor wakes a closed exhibit (here a scripted one: --events replays
# visitors); without it the touch changes nothing.
printf '0.2 touch 4 4\n' > "$tmp/touch.events"
scene 'schedule: {open: {mon-sun: closed}, wake_on_input: true}'
play --events "$tmp/touch.events" --quit-after 0.8 && ok || ko "wake_on_input: exit 0"
grep -q "a visitor woke the exhibit outside opening hours" "$tmp/log" && ok ||
  ko "wake_on_input: the touch should wake the exhibit"
grep -q "play: debug: 0 frames drawn" "$tmp/log" && ko "wake_on_input: frames should be drawn" || ok
scene 'schedule: {open: {mon-sun: closed}}'
play --events "$tmp/touch.events" --quit-after 0.8 && ok || ko "no wake_on_input: exit 0"
grep -q "play: debug: 0 frames drawn" "$tmp/log" && ok || ko "without wake_on_input a touch wakes nothing"

# A ddcutil write still running when the exhibit falls asleep again is reaped while closed,
# without --energy-log too (it once stayed a zombie until the next opening).
mkdir "$tmp/bin"
printf '#!/bin/sh\ncase "$1" in getvcp) echo "VCP 10 C 80 100";; setvcp) echo "$3" >> "${0%%/*}/set"; sleep 1;; esac\n' \
  > "$tmp/bin/ddcutil"
chmod +x "$tmp/bin/ddcutil"
printf 'display:\n  ddcutil: {display: 1}\n' > "$tmp/ddc.yaml"
scene 'schedule: {open: {mon-sun: closed}, wake_on_input: true}
states: {idle_after: 0.3}
energy: {attract: {brightness: 0.7}}'
PATH="$tmp/bin:$PATH" "$bin" play "$tmp/s.yaml" --events "$tmp/touch.events" --quit-after 12 \
  --config "$tmp/ddc.yaml" --verbose >/dev/null 2>"$tmp/log" & pid=$!
# Once asleep again (the second "blank"), give the fake ddcutil its 1 s and the poll its turn;
# waiting on the log, not a fixed delay, keeps this right on a slow sanitizer build.
for _ in $(seq 100); do
  [ "$(grep -c "outside opening hours: blank" "$tmp/log")" -ge 2 ] && break
  sleep 0.1
done
sleep 2
zombies=$(ps -o stat= --ppid "$pid" | grep -c Z)
kill -TERM "$pid"; wait "$pid" && ok || ko "ddcutil while closed: exit 0 on SIGTERM"
grep -q "a visitor woke the exhibit" "$tmp/log" && ok || ko "ddcutil while closed: woken"
grep -q "outside opening hours: blank" "$tmp/log" && ok || ko "ddcutil while closed: asleep again"
[ "$zombies" = 0 ] && ok || ko "ddcutil while closed: $zombies zombie child(ren) 2 s after falling asleep"

echo "test_hours: $passed passed, $failed failed"
[ "$failed" = 0 ]
