#!/usr/bin/env bash
# `vitrine report` and `play --energy-log` from the command line: the text and --json figures
# of a known log, the chart file, exit codes (0, 64, 65, 66, 73) and the messages people read.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0; skipped=0
header="time,state,target_fps,fps,scale,power_w,energy_j,sensor,covers,measured"

. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"
# json FILTER EXPECTED DESCRIPTION: jq on $tmp/out
json() {
  local got; got=$(jq -c "$1" "$tmp/out" 2>&1)
  if [ "$got" = "$2" ]; then passed=$((passed+1))
  else failed=$((failed+1)); echo "FAIL: $3: jq '$1' gave '$got', expected '$2'"; fi
}

# 20 W for an hour in attract, then 10 minutes active: 20 Wh + 10/3 Wh.
{
  echo "$header"
  for i in $(seq 0 4200); do
    s=attract; [ "$i" -gt 3600 ] && s=active
    printf '2026-11-24T%02d:%02d:%02dZ,%s,15,15.0,0.75,20.00,%d.0,file:/run/p,"power file /run/p",measured\n' \
      $((9 + i / 3600)) $((i / 60 % 60)) $((i % 60)) "$s" $((20 * i))
  done
} > "$tmp/log.csv"

expect 0 "report (text)" -- "$bin" report "$tmp/log.csv"
contains "$tmp/out" "energy  23.33 Wh" "text: total energy"
contains "$tmp/out" "CO2e    1.17 g (at 50 gCO2e/kWh)" "text: CO2e at the default factor"
contains "$tmp/out" "interaction sessions: 1, 23.333 Wh per session" "text: sessions"
contains "$tmp/out" "sensor file:/run/p, covering power file /run/p" "text: method"

expect 0 "report --json" -- "$bin" report "$tmp/log.csv" --json --visitors 10 --carbon 100
json '.energy_wh' '23.3333' "json: energy_wh"
json '.co2e_g' '2.3333' "json: co2e_g with --carbon 100"
json '.carbon_g_per_kwh' '100' "json: carbon_g_per_kwh"
json '.states.attract.seconds' '3600' "json: states.attract.seconds"
json '.states.active.energy_wh' '3.3333' "json: states.active.energy_wh"
json '.sessions' '1' "json: sessions"
json '.wh_per_session' '23.3333' "json: wh_per_session"
json '.visitors' '10' "json: visitors"
json '.wh_per_visitor' '2.3333' "json: wh_per_visitor"
json '.days | length' '1' "json: one day"
json '.days[0].date' '"2026-11-24"' "json: the day's date"
json '.savings | keys' '["basis","percent","wh"]' "json: savings keys"
json '.method | keys' '["covers","error","measured","measured_fraction","sensor"]' "json: method keys"
json '.method.measured' 'true' "json: measured"
json '[.energy_wh, .co2e_g, .carbon_g_per_kwh, .states, .sessions, .wh_per_session, .visitors, .wh_per_visitor, .days, .savings, .method] | map(. != null) | all' 'true' "json: every stable key"

expect 0 "report --out" -- "$bin" report "$tmp/log.csv" --out "$tmp/chart.png" --timezone Europe/Paris
[ "$(head -c 8 "$tmp/chart.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: --out should write a PNG"; }
contains "$tmp/out" "Chart written to $tmp/chart.png" "--out says where"
ls "$tmp" | grep -q 'tmp-' && { failed=$((failed+1)); echo "FAIL: a temporary file was left"; } \
  || passed=$((passed+1))
expect 73 "--out into a missing folder" -- "$bin" report "$tmp/log.csv" --out "$tmp/no/such/chart.png"
expect 65 "--day without rows" -- "$bin" report "$tmp/log.csv" --out "$tmp/c2.png" --day 2027-01-01
contains "$tmp/err" "no logged time on the chart's day" "empty chart day message"

# --period: a bar per day over the last days logged; the one-day chart stays the default.
expect 0 "report --period week" -- "$bin" report "$tmp/log.csv" --period week --out "$tmp/week.png"
[ "$(head -c 8 "$tmp/week.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
  && passed=$((passed+1)) || { failed=$((failed+1)); echo "FAIL: --period week should write a PNG"; }
expect 0 "report --period day" -- "$bin" report "$tmp/log.csv" --period day --out "$tmp/day.png"
expect 0 "report, default chart" -- "$bin" report "$tmp/log.csv" --out "$tmp/default.png"
cmp -s "$tmp/day.png" "$tmp/default.png" && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: --period day should draw the default chart"; }
cmp -s "$tmp/week.png" "$tmp/default.png" && { failed=$((failed+1)); echo "FAIL: --period week drew the day chart"; } \
  || passed=$((passed+1))
expect 64 "--period with a typo" -- "$bin" report "$tmp/log.csv" --period wek --out "$tmp/p.png"
contains "$tmp/err" "--period expects one of day|week|month|year|all, got 'wek'; did you mean 'week'?" \
  "--period typo names the word meant"
expect 64 "--period unknown" -- "$bin" report "$tmp/log.csv" --period=decade --out "$tmp/p.png"
contains "$tmp/err" "--period expects one of day|week|month|year|all, got 'decade'" "--period unknown word"
expect 64 "--period without --out" -- "$bin" report "$tmp/log.csv" --period year
contains "$tmp/err" "--period chooses what the chart shows; give --out chart.png too" "--period needs --out"
expect 64 "--period with --day" -- "$bin" report "$tmp/log.csv" --period month --day 2026-11-24 --out "$tmp/p.png"
contains "$tmp/err" "--day picks the one-day chart's day; it does not go with --period month" "--day and --period"
expect 64 "--period applies to report" -- "$bin" play "$here/cli/ok.yaml" --period week
contains "$tmp/err" "--period does not apply to 'vitrine play'" "--period is report's"
[ -e "$tmp/p.png" ] && { failed=$((failed+1)); echo "FAIL: a usage error wrote a chart"; } || passed=$((passed+1))

# Hostile input: each bad line named; exit 65 only when nothing is usable.
{ echo "$header"; echo "yesterday,attract,15,15,0.75,1,1,s,c,measured"; echo "x"; } > "$tmp/bad.csv"
expect 65 "nothing usable" -- "$bin" report "$tmp/bad.csv"
contains "$tmp/err" "bad.csv:2:1: error: bad time 'yesterday'" "bad time message with file:line:col"
contains "$tmp/err" "bad.csv:3: error: expected 11 comma-separated fields (10 before the seconds column), found 1" "field count message"
expect 0 "a bad file beside a good one" -- "$bin" report "$tmp/bad.csv" "$tmp/log.csv"
printf '%s\n' "$header" "2026-11-24T12:00:00Z,attract,15,15.0,0.75,20.00,0.0,s,c,measured" > "$tmp/torn.csv"
printf '2026-11-24T12:00:01Z,attr' >> "$tmp/torn.csv"
expect 0 "a torn last line" -- "$bin" report "$tmp/torn.csv" "$tmp/log.csv"
contains "$tmp/err" "torn.csv:3: warning: incomplete last row" "torn line is a warning"
expect 66 "missing file" -- "$bin" report "$tmp/missing.csv"
contains "$tmp/err" "missing.csv: error: cannot open: No such file or directory" "missing file message"

# Usage.
expect 64 "no log" -- "$bin" report
contains "$tmp/err" "'vitrine report' needs energy log files" "no log message"
expect 64 "unknown zone" -- "$bin" report "$tmp/log.csv" --timezone Mars/Olympus
contains "$tmp/err" "unknown time zone 'Mars/Olympus'" "unknown zone message"
expect 64 "--carbon out of range" -- "$bin" report "$tmp/log.csv" --carbon -1
expect 64 "--energy-log applies to play" -- "$bin" report "$tmp/log.csv" --energy-log x.csv
contains "$tmp/err" "--energy-log does not apply to 'vitrine report'" "inapplicable option"
expect 0 "--help lists report" -- "$bin" --help
contains "$tmp/out" "report LOG.csv..." "--help: the report command"
contains "$tmp/out" "--energy-log FILE.csv" "--help: --energy-log"
contains "$tmp/out" "--period day|week|month|year|all" "--help: --period"

# play writes a ledger the report reads back.
expect 0 "play --energy-log" -- "$bin" play "$here/cli/ok.yaml" --quit-after 2.5 \
  --power-sensor model --energy-log "$tmp/play.csv"
head -1 "$tmp/play.csv" | grep -qx "$header,seconds" && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: the ledger's header"; }
rows=$(($(wc -l < "$tmp/play.csv") - 1))
[ "$rows" -ge 1 ] && [ "$rows" -le 4 ] && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: 2.5 s of play should log 1 to 4 rows, got $rows"; }
grep -q ',attract,.*,model,estimated from' "$tmp/play.csv" && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: rows should name the state and the sensor"; cat "$tmp/play.csv"; }
expect 0 "report of play's ledger" -- "$bin" report "$tmp/play.csv" --json
json '.method.measured' 'false' "model figures are not measurements"
# A missing folder is made, as render --out makes its own; one that cannot be made is exit 73.
(cd "$tmp" && "$bin" play "$here/cli/ok.yaml" --quit-after 1.5 --power-sensor model \
  --energy-log logs/energy.csv >"$tmp/out" 2>"$tmp/err")
[ $? = 0 ] && [ -s "$tmp/logs/energy.csv" ] && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: --energy-log logs/energy.csv should make logs/"; sed 's/^/  | /' "$tmp/err"; }
expect 73 "--energy-log under a file" -- "$bin" play "$here/cli/ok.yaml" --quit-after 0 \
  --energy-log "$tmp/log.csv/no/log.csv"
contains "$tmp/err" "cannot open the energy log $tmp/log.csv/no/log.csv" "unwritable log message"
# A full disk: one warning, the show goes on, and the log resumes when there is room again.
if unshare -m --propagation private true 2>/dev/null; then
  mkdir -p "$tmp/full"
  expect 0 "play with the log on a full disk" -- unshare -m --propagation private sh -c \
    "mount -t tmpfs -o size=16k tmpfs '$tmp/full' && { dd if=/dev/zero of='$tmp/full/fill' bs=1k count=64 2>/dev/null; \
     '$bin' play '$here/cli/ok.yaml' --quit-after 8 --power-sensor model --energy-log '$tmp/full/e.csv' & \
     for i in \$(seq 100); do [ -e '$tmp/full/e.csv' ] && break; sleep 0.1; done; \
     sleep 2.5; rm '$tmp/full/fill'; wait \$!; rc=\$?; cp '$tmp/full/e.csv' '$tmp/after-full.csv'; exit \$rc; }"
  [ "$(grep -c 'cannot write to the energy log' "$tmp/err")" = 1 ] && passed=$((passed+1)) \
    || { failed=$((failed+1)); echo "FAIL: a full disk should give exactly one warning"; sed 's/^/  | /' "$tmp/err"; }
  contains "$tmp/err" "No space left on device; the show goes on" "disk-full warning"
  contains "$tmp/err" "the energy log is written again" "recovery message"
  expect 0 "report of a log written across a full disk" -- "$bin" report "$tmp/after-full.csv" --json
  json '.bad_rows' '0' "no half row after a full disk"
else
  echo "skipped: the full-disk play check (needs root for unshare -m)"; skipped=$((skipped+1))
fi

# The config's energy.log, relative to the config file.
mkdir -p "$tmp/site"
printf 'energy:\n  sensor: model\n  log: logs-here.csv\n  log_max_mb: 1\n' > "$tmp/site/op.yaml"
expect 0 "config energy.log" -- "$bin" play "$here/cli/ok.yaml" --quit-after 3 --config "$tmp/site/op.yaml"
[ -s "$tmp/site/logs-here.csv" ] && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: energy.log should be written beside the config"; }
# The config's words for what a meter covers, with a comma: quoted in the ledger, whole in the
# report. The model's own words (auto on a machine without sensors) are never cut mid-word.
printf '31.5\n' > "$tmp/site/watts"
printf 'energy:\n  sensor: "file:%s"\n  covers: "smart plug: PC, screen"\n  log: labelled.csv\n' \
  "$tmp/site/watts" > "$tmp/site/plug.yaml"
expect 0 "play with energy.covers" -- "$bin" play "$here/cli/ok.yaml" --quit-after 2.5 --config "$tmp/site/plug.yaml"
grep -q ',"smart plug: PC, screen",measured' "$tmp/site/labelled.csv" && passed=$((passed+1)) \
  || { failed=$((failed+1)); echo "FAIL: the covers label should be quoted in the ledger"; cat "$tmp/site/labelled.csv"; }
expect 0 "report of a labelled ledger" -- "$bin" report "$tmp/site/labelled.csv" --json
json '.method.covers' '"smart plug: PC, screen"' "the covers label comes back whole"
json '.bad_rows' '0' "a quoted covers field is no bad row"
expect 0 "play with auto" -- "$bin" play "$here/cli/ok.yaml" --quit-after 2.5 --energy-log "$tmp/auto.csv"
expect 0 "report of auto's ledger" -- "$bin" report "$tmp/auto.csv" --json
# Every source auto uses ends its words with ")": "(RAPL)", "(NVML)", "(hwmon0)", "per pixel)".
json '.method.covers | endswith(")") and (contains("as no power sensor") | not)' 'true' \
  "auto's covers: what it measures, whole, without the reasons for what is missing"
printf 'energy:\n  log_max_mb: 0\n' > "$tmp/site/bad.yaml"
expect 65 "config log_max_mb out of range" -- "$bin" play "$here/cli/ok.yaml" --quit-after 0 --config "$tmp/site/bad.yaml"
contains "$tmp/err" "bad.yaml:2:15: error:" "log_max_mb error is positioned"

echo "test_report_cli: $passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] || exit 1
[ "$skipped" = 0 ] || exit 77  # ctest's SKIP_RETURN_CODE
