#!/usr/bin/env bash
# The energy `play` writes to its ledger, row by row, against a power file holding a known value:
# every row after the first says that power, and the energy grows by that power times the time
# between rows (within a second of read timing: the file is read once a second while the scene
# is still, and rows are written just after each UTC second).
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }

watts=7.25
printf '%s W\n' "$watts" > "$tmp/watts"
"$bin" play "$here/cli/ok.yaml" --quit-after 5.5 --power-sensor "file:$tmp/watts" \
  --energy-log "$tmp/e.csv" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 0 ] && ok || { ko "play exits 0, got $rc"; sed 's/^/  | /' "$tmp/err"; }

# time, power_w, energy_j, sensor, measured of each row, the time in seconds since 1970.
# (awk, not read: read drops a trailing empty field, the 'measured' of a row without power)
awk -F, 'NR > 1 {
  cmd = "date -u -d " $1 " +%s"; cmd | getline t; close(cmd)
  printf "%s %s %s %s %s\n", t, ($6 == "" ? "-" : $6), ($7 == "" ? "-" : $7), $8, $10
}' "$tmp/e.csv" > "$tmp/rows"
rows=$(wc -l < "$tmp/rows")
[ "$rows" -ge 4 ] && [ "$rows" -le 7 ] && ok || ko "5.5 s of play should log 4 to 7 rows, got $rows"

# awk prints one line per failed check; the tolerance is one and a half seconds of power.
awk -v w="$watts" -v sensor="file:$tmp/watts" '
  function bad(what) { printf "row %d: %s\n", NR, what }
  $4 != sensor { bad("sensor " $4 ", expected " sensor) }
  # A row with a power figure says how it was had; one without (before the first reading)
  # claims nothing.
  $2 != "-" && $5 != "measured" { bad("says " $5 ", expected measured") }
  $2 == "-" && $5 != "" { bad("has no power figure but says " $5) }
  NR == 1 {
    if ($3 != "0.0") bad("energy_j " $3 " at the first row, expected 0.0")
    t0 = $1; e0 = $3; t = $1; e = $3; next
  }
  {
    if ($2 != sprintf("%.2f", w)) bad("power_w " $2 ", expected " sprintf("%.2f", w))
    grown = $3 - e; want = w * ($1 - t)
    if (grown < want - 1.5 * w || grown > want + 1.5 * w)
      bad(sprintf("energy_j grew by %.1f J in %d s, expected %.1f J (+- %.1f)", grown, $1 - t, want, 1.5 * w))
    total = $3 - e0; want = w * ($1 - t0)
    if (total < want - 1.5 * w || total > want + 1.5 * w)
      bad(sprintf("energy_j %.1f J after %d s, expected %.1f J (+- %.1f)", total, $1 - t0, want, 1.5 * w))
    t = $1; e = $3
  }' "$tmp/rows" > "$tmp/bad"
if [ -s "$tmp/bad" ] || [ "$rows" = 0 ]; then
  ko "the ledger's power and energy:"; sed 's/^/  | /' "$tmp/bad"; sed 's/^/  | /' "$tmp/e.csv"
else
  passed=$((passed + rows))
fi

# Row by row, power_w x seconds (the time its readings cover) is the energy_j step.
awk -F, 'NR > 1 && $6 != "" && $11 != "" && e != "" {
  d = $7 - e; want = $6 * $11
  if (d < want - 0.15 || d > want + 0.15) printf "%s: energy_j grew by %.1f J, power_w x seconds is %.2f J\n", $1, d, want
  n++
}
NR > 1 && $7 != "" { e = $7 }
END { if (n == 0) print "no row with power_w and seconds" }' "$tmp/e.csv" > "$tmp/bad"
[ -s "$tmp/bad" ] && { ko "power_w x seconds against energy_j:"; sed 's/^/  | /' "$tmp/bad" "$tmp/e.csv"; } || ok

# A slowed loop (the test hook VT_TEST_FRAME_DELAY_MS: 700 ms after each frame of a moving
# scene, as under load): rows come late and readings are not 1 s apart, yet each row's seconds
# say the time its readings cover, and power_w x seconds is its energy_j step.
VT_TEST_FRAME_DELAY_MS=700 "$bin" play "$here/scenes/governed.yaml" --quit-after 6.5 \
  --power-sensor "file:$tmp/watts" --energy-log "$tmp/slow.csv" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 0 ] && ok || { ko "slowed play exits 0, got $rc"; sed 's/^/  | /' "$tmp/err"; }
awk -F, 'NR > 1 && $6 != "" && $11 != "" && e != "" {
  d = $7 - e; want = $6 * $11
  if (d < want - 0.15 || d > want + 0.15) printf "%s: energy_j grew by %.2f J, power_w x seconds is %.2f J\n", $1, d, want
  if ($11 < 0.8 || $11 > 1.2) uneven++
  n++
}
NR > 1 && $7 != "" { e = $7 }
END {
  if (n < 3) print "only " n " rows with power_w and seconds"
  if (uneven == 0) print "no row covers other than about 1 s: the loop was not slowed"
}' "$tmp/slow.csv" > "$tmp/bad"
[ -s "$tmp/bad" ] && { ko "slowed loop: power_w x seconds against energy_j:"; sed 's/^/  | /' "$tmp/bad" "$tmp/slow.csv"; } || ok

echo "test_play_energy: $passed passed, $failed failed"
[ "$failed" = 0 ]
