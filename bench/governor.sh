#!/usr/bin/env bash
# The energy governor against a real power reading on this machine: a poller turns the CPU
# time `vitrine play` uses into watts (a kiosk-like model: 5 W idle + 20 W per busy core,
# averaged over 1 s like a wall meter), writes it atomically to a file, and play reads it with
# --power-sensor file:... The same loop runs with any real meter's poller.
#   1. uncapped: the mean power of the animated 20-layer scene;
#   2. a budget halfway between the measured floor and uncapped: the mean over the last 10 s of 25 s, and the
#      error against the budget (target within +-5 %);
#   0. the idle floor, as play measures it while a still scene draws nothing (1 Hz reads);
#   3. attract with the default frugal caps, and with the earlier defaults (15 fps, scale 0.75),
#      against `attract: full`: energy above the measured floor.
# The machine is usually shared and the figures are noisy: run it once or twice, not in a loop.
# Usage: [NICE=-10] bench/governor.sh [build-dir]   (default build/release)
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

echo "machine: $(nproc) cores; model: $idle W idle + $per_core W per busy core, 1 s average"
run still 12 scenes/bench-20-layers.yaml >/dev/null
floor=$(sed -n 's/.*idle floor measured while still: \([0-9.]*\) W.*/\1/p' "$tmp/still.err")
echo "0. idle floor measured by play: ${floor:?play did not measure it} W"
unc=$(run uncapped 15 "$tmp/active.yaml")
echo "1. uncapped: $unc W"
budget=$(awk -v u="$unc" -v i="$floor" 'BEGIN { printf "%.1f", (u + i) / 2 }')
held=$(run budget 25 "$tmp/active.yaml" --budget-watts "$budget")
echo "2. budget $budget W: mean of the last 10 s $held W ($(awk -v h="$held" -v b="$budget" \
  'BEGIN { printf "%+.1f", (h - b) / b * 100 }') %)"
frugal=$(run attract 15 "$tmp/attract.yaml")
old=$(run old 15 "$tmp/old.yaml")
full=$(run full 15 "$tmp/full.yaml")
less() { awk -v a="$1" -v f="$full" -v i="$floor" 'BEGIN { printf "%.0f", (1 - (a - i) / (f - i)) * 100 }'; }
echo "3. attract: default caps $frugal W, earlier defaults (15 fps, 0.75) $old W, attract: full" \
  "$full W; above the measured $floor W floor: $(less "$frugal") % and $(less "$old") % less"
