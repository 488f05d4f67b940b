#!/usr/bin/env bash
# The energy governor with its loop closed through a power file, on a machine without a power
# sensor. The "sensor" is this script's own model, not a measurement: a poller turns the CPU time
# `vitrine play` uses into watts (5 W idle + 20 W per busy core, averaged over 1 s like a wall
# meter), writes them atomically to a file, and play reads it with --power-sensor file:... So
# the figures show how the governor follows a reading that moves with its own work (CPU time),
# not what the machine draws from the wall; for that, run play with a real sensor (rapl, nvml, or
# a meter's poller writing the file).
#   0. the idle floor, as play measures it while a still scene draws nothing (1 Hz reads);
#   1. uncapped: the mean modelled power of the animated 20-layer scene;
#   2. a budget halfway between the measured floor and uncapped: the mean over the last 10 s of
#      25 s, and the error against the budget (target within +-5 %);
#   3. attract with the default frugal caps, and with the earlier defaults (15 fps, scale 0.75),
#      against `attract: full`: energy above the measured floor.
# Each run takes about 100 s; with RUNS=N (default 1) it repeats them and ends with the median,
# lowest and highest of each figure. The machine is usually shared and the figures are noisy:
# the load average is printed before and after each run.
# Usage: [RUNS=1] [NICE=-10] bench/governor.sh [build-dir]   (default build/release)
# NICE runs play at that priority (negative values need root), so that other work on a shared
# machine starves it less: the poller measures the CPU play uses, which contention caps.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
bin=$build/vitrine
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} ALSOFT_DRIVERS=null
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
idle=5; per_core=20

# poll PID FILE LOG: every 100 ms, watts from CPU use over the last second, to FILE (atomic)
# and to LOG (one line per sample: seconds watts).
poll() {
  local pid=$1 file=$2 log=$3 hz; hz=$(getconf CLK_TCK)
  local -a hist=(); local t0; t0=$(date +%s%N)
  while kill -0 "$pid" 2>/dev/null; do
    local ns  # a thread may end between the glob and the read: cat fails, the sum is kept
    ns=$(cat /proc/"$pid"/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%.0f", s}') || true
    hist+=("$(date +%s%N) $ns"); [ ${#hist[@]} -gt 11 ] && hist=("${hist[@]:1}")
    read -r ta na <<<"${hist[0]}"; read -r tb nb <<<"${hist[-1]}"
    local w; w=$(awk -v i="$idle" -v k="$per_core" -v dn=$((nb - na)) -v dt=$((tb - ta)) \
      'BEGIN { busy = dt > 0 ? dn / dt : 0; printf "%.2f", i + k * busy }')
    echo "$w W" > "$file.tmp"; mv "$file.tmp" "$file"
    echo "$(( (tb - t0) / 1000000 )) $w" >> "$log"
    sleep 0.1
  done
}
# run NAME SECONDS SCENE [play options...]: plays, polls, prints the mean of the last 10 s.
run() {
  local name=$1 secs=$2 scene=$3; shift 3
  echo "$idle W" > "$tmp/$name.w"
  nice -n "${NICE:-0}" "$bin" play "$scene" --size 1280x720 --quit-after "$secs" --power-sensor "file:$tmp/$name.w" \
    "$@" >/dev/null 2>"$tmp/$name.err" & local pid=$!
  poll "$pid" "$tmp/$name.w" "$tmp/$name.log"; wait "$pid" || true
  awk -v from=$(( (secs - 10) * 1000 )) '$1 >= from { s += $2; n++ } END { printf "%.2f", s / n }' \
    "$tmp/$name.log"
}

# Variants of the scene, beside a copy of its images: active (no attract caps), attract with the
# default frugal caps, attract opted out (`attract: full`).
cp -r scenes/img "$tmp/img"
printf 'states: {initial: active, idle_after: 0}\n' | cat scenes/bench-heavy.yaml - > "$tmp/active.yaml"
cp scenes/bench-heavy.yaml "$tmp/attract.yaml"
printf 'energy: {attract: full}\n' | cat scenes/bench-heavy.yaml - > "$tmp/full.yaml"

printf 'energy: {attract: {fps: 15, scale: 0.75}}\n' | cat scenes/bench-heavy.yaml - > "$tmp/old.yaml"

stats() { # the numbers on stdin -> "median M (min A, max B, N runs)"
  sort -g | awk -v f="$1" '{ v[NR] = $1 } END {
    if (NR == 1) { printf f " (1 run)", v[1]; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median " f " (min " f ", max " f ", %d runs)", m, v[1], v[NR], NR }'
}
runs=${RUNS:-1}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //');" \
  "sensor: a model of play's CPU time ($idle W idle + $per_core W per busy core, 1 s average), not a measurement"
echo "date: $(date -u +'%Y-%m-%d %H:%M UTC'); RUNS=$runs NICE=${NICE:-0}"
for r in $(seq "$runs"); do
  echo "run $r, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  run still 12 scenes/bench-20-layers.yaml >/dev/null
  floor=$(sed -n 's/.*idle floor measured while still: \([0-9.]*\) W.*/\1/p' "$tmp/still.err")
  echo "0. idle floor measured by play: ${floor:?play did not measure it} W"
  unc=$(run uncapped 15 "$tmp/active.yaml")
  echo "1. uncapped: $unc W"
  budget=$(awk -v u="$unc" -v i="$floor" 'BEGIN { printf "%.1f", (u + i) / 2 }')
  held=$(run budget 25 "$tmp/active.yaml" --budget-watts "$budget")
  err=$(awk -v h="$held" -v b="$budget" 'BEGIN { printf "%+.1f", (h - b) / b * 100 }')
  echo "2. budget $budget W: mean of the last 10 s $held W ($err %)"
  frugal=$(run attract 15 "$tmp/attract.yaml")
  old=$(run old 15 "$tmp/old.yaml")
  full=$(run full 15 "$tmp/full.yaml")
  less() { awk -v a="$1" -v f="$full" -v i="$floor" 'BEGIN { printf "%.0f", (1 - (a - i) / (f - i)) * 100 }'; }
  echo "3. attract: default caps $frugal W, earlier defaults (15 fps, 0.75) $old W, attract: full" \
    "$full W; above the measured $floor W floor: $(less "$frugal") % and $(less "$old") % less"
  echo "run $r, load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$floor $unc $err $(less "$frugal") $(less "$old")" >>"$tmp/runs"
done
if [ "$runs" -gt 1 ]; then
  echo "over $runs runs:"
  echo "   idle floor $(cut -d' ' -f1 "$tmp/runs" | stats '%.2f W')"
  echo "   uncapped $(cut -d' ' -f2 "$tmp/runs" | stats '%.2f W')"
  echo "   budget error $(cut -d' ' -f3 "$tmp/runs" | stats '%+.1f %%')"
  echo "   attract, default caps $(cut -d' ' -f4 "$tmp/runs" | stats '%.0f %%') less above the floor"
  echo "   attract, earlier caps $(cut -d' ' -f5 "$tmp/runs" | stats '%.0f %%') less above the floor"
fi
