#!/usr/bin/env bash
# Benchmarks of the rendering foundation (results go to docs/performance.md with the machine):
#  1. render throughput of a 20-layer scene at 1280x720 and 1920x1080, pipelined (PBO readback +
#     encoder threads) against the serial render-read-encode loop at the same zlib level;
#  2. CPU used by `play` on a still scene over 10 s, after start-up;
#  3. process start to first presented frame of scenes/demo.yaml.
#  4. frames drawn by `play` in 60 s of an attract loop with one 3-second fade every 20 s
#     (redraw only on change: the target is frames during the fades only, 3 x 3 s x 60 fps);
#  5. memory (RSS) of `play` over 100 hot reloads in a row.
# Usage: bench/run.sh [build-dir]   (default build/release; built when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
if [ ! -x "$build/vitrine" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVT_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)"
fi
bin=$build/vitrine
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} ALSOFT_DRIVERS=null
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
frames=${VT_BENCH_FRAMES:-120}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "gl: $(SDL_VIDEODRIVER=offscreen "$bin" render scenes/bench-20-layers.yaml --out "$out/gl" \
  --frames 1 --verbose 2>&1 | grep -m1 'render: ' | sed 's/.*render: //')"

secs() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N); awk -v a="$t0" -v b="$t1" 'BEGIN{print (b-a)/1e9}'; }
calc() { awk "BEGIN{print $1}"; }
echo
echo "1. render throughput, scenes/bench-20-layers.yaml, $frames frames, png level 1"
# The command's own timing of its frame loop (start-up, image decoding and GL set-up excluded).
fps_of() { "$@" 2>&1 >/dev/null | sed -n 's/.*(\([0-9.]*\) frames\/s).*/\1/p'; }
for threads in default 1; do
  if [ "$threads" = 1 ]; then export LP_NUM_THREADS=1; echo "   llvmpipe on one thread (LP_NUM_THREADS=1):"; fi
  for size in 1280x720 1920x1080; do
    rm -rf "$out/p" "$out/s"
    fp=$(fps_of "$bin" render scenes/bench-20-layers.yaml --out "$out/p" --frames "$frames" --size "$size")
    fs=$(VT_RENDER_SERIAL=1 fps_of "$bin" render scenes/bench-20-layers.yaml --out "$out/s" --frames "$frames" --size "$size")
    printf '   %-9s pipelined %6.1f fps   serial %6.1f fps   speed-up %.2fx\n' "$size" "$fp" "$fs" \
      "$(calc "$fp / $fs")"
    cmp -s "$out/p/frame_00007.png" "$out/s/frame_00007.png" || echo "   (note: frames differ between modes!)"
  done
done
unset LP_NUM_THREADS

echo
echo "2. CPU of play on a still scene (scenes/bench-20-layers.yaml), 10 s after 2 s of start-up"
"$bin" play scenes/bench-20-layers.yaml --quit-after 13 >/dev/null 2>&1 & pid=$!
sleep 2
# CPU time of every thread in ns (schedstat), more precise than clock ticks.
cpu_ns() { cat /proc/"$pid"/task/*/schedstat | awk '{s += $1} END {print s}'; }
a=$(cpu_ns); sleep 10; b=$(cpu_ns)
wait "$pid"
printf '   %.3f %% of a core (%.1f ms of CPU in 10 s)\n' "$(calc "($b - $a) / 1e9 / 10 * 100")" \
  "$(calc "($b - $a) / 1e6")"

echo
echo "3. start to first presented frame, scenes/demo.yaml (median of 5)"
for i in 1 2 3 4 5; do
  "$bin" play scenes/demo.yaml --quit-after 0 --verbose 2>&1 | \
    sed -n 's/.*first frame presented \([0-9.]*\) ms.*/\1/p'
done | sort -n | sed -n 3p | awk '{printf "   %.1f ms\n", $1}'

echo
echo "4. frames drawn by play in 60 s, bench/attract-fade.yaml (one 3 s fade every 20 s at 60 fps)"
"$bin" play bench/attract-fade.yaml --quit-after 60 --verbose 2>&1 | \
  sed -n 's/.*play: debug: \([0-9]*\) frames drawn.*/   \1 frames drawn (fades alone, at the default attract cap of 12 fps: 3 x 36 = 108)/p'

echo
echo "5. RSS of play over 100 hot reloads (scenes/demo.yaml copied to a temporary folder)"
cp -r scenes "$out/show"
"$bin" play "$out/show/demo.yaml" --quit-after 600 >/dev/null 2>"$out/reload.log" & pid=$!
sleep 1
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
for i in $(seq 1 100); do
  sed -i "s/^title: .*/title: \"Reload $i\"/" "$out/show/demo.yaml"
  until [ "$(grep -c 'reloaded' "$out/reload.log")" -ge "$i" ]; do sleep 0.05; done
  [ "$i" = 10 ] && r10=$(rss)
  [ "$i" = 50 ] && r50=$(rss)
done
r100=$(rss); kill "$pid"; wait "$pid" 2>/dev/null || true
printf '   RSS after 10 reloads %d KiB, 50: %d KiB, 100: %d KiB\n' "$r10" "$r50" "$r100"
