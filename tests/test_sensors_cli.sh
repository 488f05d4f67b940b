#!/usr/bin/env bash
# `vitrine sensors` checks the sensor `play` would use: --power-sensor, else the --config file's
# energy.sensor (with its energy.covers label), read now; exit codes for a bad or missing config.
set -u
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0

. "$(cd "$(dirname "$0")" && pwd)/cli_lib.sh"
lacks() {
  if grep -qF -- "$2" "$1"; then failed=$((failed+1)); echo "FAIL: $3: '$2' in:"; sed 's/^/  | /' "$1"
  else passed=$((passed+1)); fi
}

printf '12.5 W\n' > "$tmp/watts"
printf 'format: vitrine-config/1\nenergy:\n  sensor: "file:%s"\n  covers: "smart plug: PC, screen"\n' \
  "$tmp/watts" > "$tmp/op.yaml"

# The config's file sensor, read now, with what it covers.
expect 0 "sensors --config" -- "$bin" sensors --config "$tmp/op.yaml"
contains "$tmp/out" "sensor: file:$tmp/watts (energy.sensor in $tmp/op.yaml)" "the config's sensor"
contains "$tmp/out" "covers: smart plug: PC, screen (energy.covers)" "the config's covers label"
contains "$tmp/out" "now: 12.5 W, measured" "the meter's reading"
lacks "$tmp/out" "auto uses" "no word of auto when the config names a sensor"
contains "$tmp/out" "rapl " "the machine's sensors are still listed"

# The flag wins, as in play; the config's label is for its own sensor only.
expect 0 "sensors --power-sensor model --config" -- "$bin" sensors --power-sensor model --config "$tmp/op.yaml"
contains "$tmp/out" "sensor: model (--power-sensor)" "the flag's sensor"
contains "$tmp/out" "covers: estimated from the engine's work" "the model's own words"
lacks "$tmp/out" "smart plug" "the config's label is not the model's"
contains "$tmp/out" "now: 30.0 W, estimated" "the model's figure"

# --power-sensor file: never says what auto would use.
expect 0 "sensors --power-sensor file:" -- "$bin" sensors --power-sensor "file:$tmp/watts"
lacks "$tmp/out" "auto uses" "no word of auto with --power-sensor"
contains "$tmp/out" "covers: power file $tmp/watts" "the file sensor's own words"
contains "$tmp/out" "now: 12.5 W, measured" "the file's reading"

# No choice made: auto, as before.
expect 0 "sensors" -- "$bin" sensors
contains "$tmp/out" "auto uses: " "auto is described"
contains "$tmp/out" "sensor: auto (the default)" "the default sensor"

# A config that cannot be used: its problem, and nothing to check.
printf 'energy:\n  sensor: "file:%s/missing"\n' "$tmp" > "$tmp/gone.yaml"
expect 66 "a config naming a missing meter file" -- "$bin" sensors --config "$tmp/gone.yaml"
contains "$tmp/err" "$tmp/missing" "the missing file is named"
printf 'energy:\n  sensr: auto\n' > "$tmp/bad.yaml"
expect 65 "a bad config" -- "$bin" sensors --config "$tmp/bad.yaml"
contains "$tmp/err" "bad.yaml:2:3: error: unknown key 'sensr' in 'energy'" "the config's error, positioned"
expect 66 "a missing config" -- "$bin" sensors --config "$tmp/nowhere.yaml"

echo "test_sensors_cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
