#!/usr/bin/env bash
# `outside_hours: display-off`: the operator config's display_off_command runs at closing and
# display_on_command at opening (commands writing marker files), a failing, missing or hanging
# command is one warning and the show goes on, the keys are validated with their position, and a
# scene can never carry commands. The opening is a real one: the schedule opens at the next
# minute of the UTC clock (the test waits up to a minute for it).
set -u
bin=${VT_BIN:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; sed 's/^/  | /' "$tmp/log"; }
scene() {  # scene SCHEDULE-BLOCK
  printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - {id: r, type: rect, size: [8, 8]}\n%s\n' "$1" > "$tmp/s.yaml"
}
config() { printf '%s\n' "$@" > "$tmp/c.yaml"; }
play() { "$bin" play "$tmp/s.yaml" --config "$tmp/c.yaml" --verbose "$@" >/dev/null 2>"$tmp/log"; }

# Closed all week: the off command runs at start, the on command never.
scene 'schedule: {timezone: UTC, open: {mon-sun: closed}, outside_hours: display-off}'
config "display_off_command: [touch, $tmp/off]" "display_on_command: [touch, $tmp/on]"
play --quit-after 2.5 --power-sensor model --energy-log "$tmp/e.csv" && ok || ko "closed: exit 0"
[ -e "$tmp/off" ] && ok || ko "closed: the off command should have run"
# Asleep outside hours, the ledger still gets a row a second, in state closed.
grep -c ',closed,0,0.0,0.00,' "$tmp/e.csv" | grep -q '^[1-3]$' && ok || ko "closed: 1 to 3 closed rows"
[ -e "$tmp/on" ] && ko "closed: the on command should not run" || ok
grep -q "play: debug: display_off_command done" "$tmp/log" && ok || ko "closed: the off command is reaped"

# Without display-off the commands are not run.
rm -f "$tmp/off"
scene 'schedule: {timezone: UTC, open: {mon-sun: closed}}'
play --quit-after 0.5 && ok || ko "blank: exit 0"
[ -e "$tmp/off" ] && ko "blank: the off command should not run" || ok

# display-off without a command: said once, the screen is blanked.
scene 'schedule: {timezone: UTC, open: {mon-sun: closed}, outside_hours: display-off}'
config "energy: {sensor: model}"
play --quit-after 0.5 && ok || ko "no command: exit 0"
grep -q "no display_off_command: the screen is only blanked" "$tmp/log" && ok || ko "no command: warning"

# Failing, missing and hanging commands: one warning each, the show goes on.
config "display_off_command: [sh, -c, 'exit 3']"
play --quit-after 1 && ok || ko "failing command: exit 0"
grep -q "warning: display_off_command failed (exit status 3)" "$tmp/log" && ok || ko "failing command: warning"
config "display_off_command: [/nonexistent/dpms-off]"
play --quit-after 0.5 && ok || ko "missing command: exit 0"
grep -q "warning: cannot run display_off_command '/nonexistent/dpms-off': No such file or directory" "$tmp/log" \
  && ok || ko "missing command: warning"
config "display_off_command: [sleep, 60]"
start=$(date +%s)
play --quit-after 11.5 && ok || ko "hanging command: exit 0"
grep -q "warning: display_off_command was stopped: it took more than 10 s" "$tmp/log" && ok || ko "hanging command: killed after 10 s"
[ $(( $(date +%s) - start )) -lt 20 ] && ok || ko "hanging command: play should not wait for it"

# Validation: positioned errors, exit 65 before any window opens.
config 'display_off_command: "xset dpms force off"' 'display_on_command: []'
play --quit-after 0; [ $? = 65 ] && ok || ko "bad commands: exit 65"
grep -q "c.yaml:1:22: error: 'display_off_command' must be a list of arguments, not a string; write it like \[xset, dpms, force, off\]; no shell is used" "$tmp/log" \
  && ok || ko "string command: message"
grep -q "c.yaml:2:21: error: 'display_on_command' needs from 1 to 64 arguments, got 0" "$tmp/log" && ok || ko "empty command: message"
config 'display_off_command: [bin/dpms, off]'
play --quit-after 0; [ $? = 65 ] && ok || ko "relative program: exit 65"
grep -q "c.yaml:1:23: error: 'display_off_command' starts with the relative path 'bin/dpms'" "$tmp/log" && ok || ko "relative program: message"
# A scene cannot carry commands.
printf 'display_off_command: [touch, %s/pwned]\n' "$tmp" >> "$tmp/s.yaml"
"$bin" check "$tmp/s.yaml" >/dev/null 2>"$tmp/log"; [ $? = 65 ] && ok || ko "scene with a command: refused"
grep -q "s.yaml:7:1: error: unknown key 'display_off_command'" "$tmp/log" && ok || ko "scene with a command: message"

# A real closing then opening: closed now, open from the next UTC minute.
now=$(date -u +%s); left=$((60 - now % 60))
if [ "$left" -lt 10 ]; then sleep "$left"; now=$(date -u +%s); left=$((60 - now % 60)); fi
open_at=$(( (now / 60 + 1) * 60 ))
from=$(date -u -d "@$open_at" +%H:%M)
to=$(date -u -d "@$((open_at + 120))" +%H:%M)
[ "$to" = "00:00" ] || [ "$to" \< "$from" ] && to=24:00
rm -f "$tmp/off" "$tmp/on"
scene "schedule: {timezone: UTC, open: {mon-sun: \"$from-$to\"}, outside_hours: display-off}"
config "display_off_command: [touch, $tmp/off]" "display_on_command: [touch, $tmp/on]"
play --quit-after $((left + 2)) && ok || ko "closing then opening: exit 0"
[ -e "$tmp/off" ] && ok || ko "the off command should run at closing"
[ -e "$tmp/on" ] && ok || ko "the on command should run at opening ($from)"
[ "$tmp/off" -ot "$tmp/on" ] && ok || ko "off before on"
grep -q "play: opening hours: playing" "$tmp/log" && ok || ko "the show should open"
grep -q "play: debug: [1-9][0-9]* frames drawn" "$tmp/log" && ok || ko "frames drawn once open"

echo "test_display_off: $passed passed, $failed failed"
[ "$failed" = 0 ]
