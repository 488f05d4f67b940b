#!/usr/bin/env bash
# Benchmarks behind every figure of docs/performance.md (and the simulation's in docs/energy.md).
# Each section prints its figures with the number of runs and, when it ran more than once, the
# median, the lowest and the highest:
#   render       render throughput of a 20-layer scene at 1280x720 and 1920x1080, pipelined (PBO
#                readback + encoder threads) against the serial render-read-encode loop at the
#                same zlib level, the two modes run in turn (RUNS runs of each);
#   render-1thread  the same with llvmpipe on one thread (LP_NUM_THREADS=1);
#   png          W1 (bench/w1.yaml: four generated 1280x720 images, a 1 s crossfade every 5 s, a
#                caption, 60 fps), W1_FRAMES frames (600) rendered to PNG at each of PNG_LEVELS
#                (0 to 9) beside ffmpeg encoding the same frames to PNG at its defaults, in turn
#                (RUNS_LONG runs): time, CPU and total size of each, and the ratios to ffmpeg;
#                then bench_png: the encoder alone on the same frames, CPU per frame at each level;
#   browser      W1 played for 20 s after an 8 s warm-up, side by side on one Xvfb display:
#                Chromium in kiosk mode showing the same slideshow as a CSS animation (the same
#                generated images and caption) against `vitrine play` at full quality
#                (`energy: {attract: full}`) and at its default attract caps, in turn
#                (RUNS_LONG runs): CPU of each whole process tree, % of a core, and the ratio;
#                skipped with a message where Chromium or xvfb-run is missing (the benchmark
#                never makes Chromium a dependency of Vitrine: install it to run this section);
#   slideshow    a `type: slideshow` of 20 generated 1920x1080 photos (JPEG, 5 s each, 1 s
#                crossfades, fit: cover) played on Xvfb 1920x1080 for SLIDE_SECONDS (20) after an
#                8 s warm-up: `vitrine play` (attract: full) against Chromium in kiosk mode showing
#                the same photos as a CSS animation with the same timing, in turn (RUNS_LONG
#                runs): CPU of each whole process tree, % of a core, and the ratio; skipped like
#                browser without Chromium or Xvfb;
#   still        CPU used by `play` on a still scene over 10 s after 2 s of start-up, and its
#                wake-ups (voluntary context switches) per thread (RUNS_LONG runs);
#   first-frame  process start (exec) and main() to first presented frame of scenes/demo.yaml,
#                with the start-up phases (RUNS runs);
#   attract      frames drawn by `play` in 60 s of bench/attract-fade.yaml, one 3 s fade every
#                20 s (RUNS_LONG runs);
#   reload       memory (RSS) of `play` over RELOADS hot reloads in a row (one run);
#   projection   bench_projection: frame time and CPU of a 3840x1080 canvas on two warped,
#                edge-blended 1920x1080 outputs against one 3840x1080 output, in turn, ROUNDS
#                rounds of FRAMES frames (one run: the ratio is side by side);
#   text         bench_text: laying out and rasterising a French paragraph (RUNS runs);
#   governor     bench_governor: the governor's CPU cost per frame (RUNS runs);
#   player       bench_player: the engine's CPU per frame for 100 animated layers, player update
#                and draw list without GL (RUNS runs);
#   audio-drift  bench_audio_drift: a looping sound's drift over 10 minutes of timeline, through
#                the loopback device (one run: the mix is deterministic, only its speed varies);
#   governor-sim the governor against the simulated machines of tests/governor_plant.h over
#                SEEDS noise seeds (bench_governor_sim: tests/test_governor_sim.c built with
#                -DSEEDS=40), summarised: the worst seed of each figure; and bench_plant, the
#                simulated H100's curve against the measurements it was fitted to;
#   shader       a heavy 1080p generator (bench/raymarch.fs: ray marching, soft shadows) beside a
#                trivial one (builtin:plasma) on the same 1920x1080 layer: the frame time of an
#                ungoverned render of SHADER_FRAMES frames (10) of each, in turn (RUNS_LONG runs),
#                then what the governor does with each under a modelled budget below the model's
#                idle figure (render --governed --power-sensor model --budget-watts 20, 8 s of
#                attract at 30 fps): pictures drawn, frames held, the lowest fps and scale;
#   report       bench_report: `report --period year` (reading, summing, the chart and its PNG)
#                over a year of ledgers generated at one row a second, as `play` writes them
#                (3.3 GB in /tmp: ROW_STEP=5, the sparsest the report counts, writes 0.7 GB),
#                timed RUNS times over the same files: run 1 without summaries, run 2 writing
#                them, the runs after reading them (RUNS=3 or more);
#   video-skip   bench_video: a 10 s 1080p30 H.264 film played live at 12 fps, decoding every
#                picture against skipping non-reference ones: CPU and the ratio (RUNS runs);
#   video        the same film: CPU of `play` against mpv in a window (Xvfb), and `render` of
#                300 frames to PNG against ffmpeg decoding it to PNG (RUNS_LONG runs, in turn).
#   damage       bench/pulse.yaml (a 200x200 pulsing button over a full-screen 1280x720 picture,
#                60 fps, attract: full) played full screen on Xvfb 1280x720, 10 s after 3 s of
#                start-up: CPU of `play` with damage tracking against every frame drawn whole
#                (VT_TEST_FULL_REDRAW=1), in turn (RUNS_LONG runs): % of a core, frames drawn a
#                second and CPU per frame (the two may not reach the same frame rate on a busy
#                machine: compare the CPU per frame); skipped without Xvfb.
# Usage: [RUNS=5] [RUNS_LONG=1] [FRAMES=120] [RELOADS=100] [ROW_STEP=1] [W1_FRAMES=600]
#        [PNG_LEVELS="0 1 ... 9"] bench/run.sh [build-dir] [section...]
#   build-dir defaults to build/release, configured with -DVT_BENCH=ON and built when a program
#   is missing; no section: all of them (about 15 minutes with the defaults on 2 cores).
# Timings depend on what else the machine runs: the script prints the machine and its load
# average before and after each section; run it on a quiet machine, at normal priority.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
shift || true
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(render render-1thread png browser slideshow still first-frame attract reload
  text governor player audio-drift governor-sim report shader video-skip video projection damage)
known=" render render-1thread png browser slideshow still first-frame attract reload text governor player audio-drift governor-sim report shader video-skip video projection damage "
for s in "${sections[@]}"; do
  if [[ $known != *" $s "* ]]; then
    echo "run.sh: unknown section '$s' (one of:$known)" >&2
    exit 64
  fi
done
runs=${RUNS:-5} runs_long=${RUNS_LONG:-1} frames=${FRAMES:-${VT_BENCH_FRAMES:-120}}
reloads=${RELOADS:-100}
for p in vitrine bench_text bench_governor bench_audio_drift bench_governor_sim bench_plant bench_report \
  bench_png bench_player bench_video bench_projection; do
  if [ ! -x "$build/$p" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DVT_BENCH=ON >/dev/null
    cmake --build "$build" -j"$(nproc)" >/dev/null
    break
  fi
done
bin=$build/vitrine
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} ALSOFT_DRIVERS=null
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

calc() { awk "BEGIN{print $1}"; }
# stats FORMAT: the numbers on stdin, one a line -> "median M (min A, max B, N runs)", or the
# single value and "1 run".
stats() {
  sort -g | awk -v f="$1" '{ v[NR] = $1 } END {
    if (NR == 0) { print "no result"; exit 1 }
    if (NR == 1) { printf f " (1 run)", v[1]; exit }
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median " f " (min " f ", max " f ", %d runs)", m, v[1], v[NR], NR }'
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
begin() { t_begin=$(date +%s); echo; echo "$1"; echo "   load average before: $(load)"; }
end() { echo "   load average after: $(load) ($(($(date +%s) - t_begin)) s)"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
echo "gl: $("$bin" render scenes/bench-20-layers.yaml --out "$out/gl" --frames 1 --verbose 2>&1 |
  grep -m1 'render: ' | sed 's/.*render: //;s/^debug: //')"
echo "date: $(date -u +'%Y-%m-%d %H:%M UTC'); RUNS=$runs RUNS_LONG=$runs_long FRAMES=$frames" \
  "RELOADS=$reloads"

# The command's own timing of its frame loop (start-up, image decoding and GL set-up excluded).
fps_of() { "$@" 2>&1 >/dev/null | sed -n 's/.*(\([0-9.]*\) frames\/s).*/\1/p'; }
sec_render() {
  begin "render throughput, scenes/bench-20-layers.yaml, $frames frames, png level 1, $runs runs of each mode in turn"
  for size in 1280x720 1920x1080; do
    : >"$out/fp" && : >"$out/fs" && : >"$out/ratio"
    for _ in $(seq "$runs"); do
      rm -rf "$out/p" "$out/s"
      fp=$(fps_of "$bin" render scenes/bench-20-layers.yaml --out "$out/p" --frames "$frames" --size "$size")
      fs=$(VT_RENDER_SERIAL=1 fps_of "$bin" render scenes/bench-20-layers.yaml --out "$out/s" \
        --frames "$frames" --size "$size")
      echo "$fp" >>"$out/fp" && echo "$fs" >>"$out/fs" && calc "$fp / $fs" >>"$out/ratio"
      cmp -s "$out/p/frame_00001.png" "$out/s/frame_00001.png" ||
        echo "   (note: frames differ between modes!)"
    done
    echo "   $size pipelined $(stats '%.1f fps' <"$out/fp")"
    echo "   $size serial    $(stats '%.1f fps' <"$out/fs")"
    echo "   $size speed-up  $(stats '%.2fx' <"$out/ratio") (each run's pipelined / serial)"
  done
  end
}
sec_render_1thread() {
  echo
  echo "llvmpipe on one thread (LP_NUM_THREADS=1):"
  LP_NUM_THREADS=1 sec_render
}

# W1's four pictures, generated by ffmpeg's test sources into DIR at SIZE: w1_images DIR SIZE.
w1_images() {
  local ff=(ffmpeg -hide_banner -loglevel error -y)
  "${ff[@]}" -f lavfi -i "gradients=s=$2:c0=0x1b3a5c:c1=0xe8a860:c2=0x2e6b4f:nb_colors=3:x0=0:y0=0:x1=1280:y1=720:seed=1,format=rgb24" -frames:v 1 "$1/w1-1.png"
  "${ff[@]}" -f lavfi -i "mandelbrot=s=$2,format=rgb24" -frames:v 1 "$1/w1-2.png"
  "${ff[@]}" -f lavfi -i "color=c=black:s=$2,format=rgb24,geq=r='128+60*sin(X/53)*cos(Y/31)+40*sin((X+Y)/97)':g='110+70*sin(X/41+1)*cos(Y/67)':b='90+50*cos(X/29)*sin(Y/43+2)'" -frames:v 1 "$1/w1-3.png"
  "${ff[@]}" -f lavfi -i "sierpinski=s=$2:seed=4,format=rgb24,gblur=sigma=2" -frames:v 1 "$1/w1-4.png"
}

# W1, the workload of issue 17. The images are generated by ffmpeg's test sources (a gradient, a
# Mandelbrot set, sine waves, a blurred Sierpinski carpet: smooth and detailed areas, no noise);
# ffmpeg encodes the frames vitrine renders (read back from a level-0 render as raw RGB), so
# both write the same pictures. ffmpeg's PNG encoder at its defaults: zlib level 6, no filter.
sec_png() {
  local n=${W1_FRAMES:-600} levels=${PNG_LEVELS:-0 1 2 3 4 5 6 7 8 9}
  begin "PNG: W1 (bench/w1.yaml), $n frames of 1280x720, vitrine render at levels $levels vs ffmpeg -c:v png, $runs_long run(s) in turn"
  if ! command -v ffmpeg >/dev/null; then
    echo "   skipped: ffmpeg not found (Debian: apt install ffmpeg)"
    end
    return
  fi
  local w1=$out/w1 s=1280x720 ff=(ffmpeg -hide_banner -loglevel error -y)
  mkdir -p "$w1" && cp bench/w1.yaml "$w1/"
  w1_images "$w1" "$s"
  "$bin" render "$w1/w1.yaml" --out "$w1/f0" --frames "$n" --png-level 0 --quiet
  "${ff[@]}" -i "$w1/f0/frame_%05d.png" -f rawvideo -pix_fmt rgb24 "$w1/raw.rgb"
  rm -rf "$w1/f0"
  bytes() { find "$1" -name '*.png' -printf '%s\n' | awk '{ t += $1 } END { print t + 0 }'; }
  # timed FILE CMD...: appends "wall user+sys" seconds of CMD to FILE.
  timed() {
    local f=$1 TIMEFORMAT='%R %U %S'
    shift
    { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ print $1, $2 + $3 }' >>"$f"
  }
  : >"$out/png.ff"
  for l in $levels; do : >"$out/png.$l"; done
  for _ in $(seq "$runs_long"); do
    rm -rf "$w1/ff" && mkdir "$w1/ff"
    timed "$out/png.ff" "${ff[@]}" -f rawvideo -pix_fmt rgb24 -s "$s" -r 60 -i "$w1/raw.rgb" \
      -c:v png "$w1/ff/f%05d.png"
    ffb=$(bytes "$w1/ff")
    for l in $levels; do
      rm -rf "$w1/v"
      timed "$out/png.$l" "$bin" render "$w1/w1.yaml" --out "$w1/v" --frames "$n" --png-level "$l"
      echo "$(bytes "$w1/v")" >"$out/png.$l.bytes"
    done
  done
  # The encoder alone (one thread, CPU time), against ffmpeg's CPU per frame for the same work.
  # shellcheck disable=SC2086
  "$build/bench_png" "$w1/raw.rgb" 1280 720 $levels >"$out/png.enc"
  rm -rf "$w1/v" "$w1/ff" "$w1/raw.rgb"
  med() { cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
  local ffw ffc
  ffw=$(med "$out/png.ff" 1) ffc=$(med "$out/png.ff" 2)
  printf '   %-14s %8s %8s %9s %8s %8s\n' "" "time s" "CPU s" "size MB" "speed" "size"
  printf '   %-14s %8.1f %8.1f %9.1f %8s %8s\n' "ffmpeg png" "$ffw" "$ffc" "$(calc "$ffb / 1e6")" 1 1
  local pick="" t6="" t9=""
  for l in $levels; do
    local w c b
    w=$(med "$out/png.$l" 1) c=$(med "$out/png.$l" 2) b=$(cat "$out/png.$l.bytes")
    printf '   %-14s %8.1f %8.1f %9.1f %7.2fx %7.2fx\n' "vitrine $l" "$w" "$c" "$(calc "$b / 1e6")" \
      "$(calc "$ffw / $w")" "$(calc "$b / $ffb")"
    if [ -z "$pick" ] && [ "$(calc "$b <= 1.1 * $ffb")" = 1 ]; then pick=$l; fi
    if [ "$l" = 6 ]; then t6=$w; fi
    if [ "$l" = 9 ]; then t9=$w; fi
  done
  echo "   (time: median wall-clock seconds of the whole command, CPU: its user + system seconds;"
  echo "   speed: ffmpeg's time / vitrine's, size: vitrine's bytes / ffmpeg's)"
  if [ -n "$pick" ]; then
    printf '   lowest level at most 1.1x ffmpeg'"'"'s size: %s, %.2fx ffmpeg'"'"'s speed (target >= 1.5x)\n' \
      "$pick" "$(calc "$ffw / $(med "$out/png.$pick" 1)")"
  fi
  if [ -n "$t6" ] && [ -n "$t9" ]; then
    printf '   level 9 / level 6 time: %.2fx (target <= 3x)\n' "$(calc "$t9 / $t6")"
  fi
  printf '   the encoder alone (bench_png, one thread) against ffmpeg'"'"'s %.1f ms of CPU a frame:\n' \
    "$(calc "$ffc / $n * 1000")"
  sed -n 's/^bench_png: level \([0-9]*\): .*, \([0-9.]*\) ms CPU per frame, \([0-9.]*\) MB$/\1 \2 \3/p' "$out/png.enc" |
    while read -r l ms mb; do
      printf '   level %s: %6.2f ms a frame (%.2fx ffmpeg'"'"'s speed), %.1f MB\n' "$l" "$ms" \
        "$(calc "$ffc / $n * 1000 / $ms")" "$mb"
    done
  end
}

# W1 in a browser against W1 in play, on one Xvfb display (1280x720, 24 bits), in turn. Each
# program runs in its own session (setsid); its CPU is the user+system time, from /proc, of every
# process of that session (Chromium's browser, renderer and GPU processes) between the end of the
# warm-up and 20 s later.
sec_browser() {
  begin "W1 (bench/w1.yaml, bench/w1.html) played 20 s after an 8 s warm-up on Xvfb 1280x720: Chromium kiosk vs vitrine play, $runs_long run(s) in turn"
  local chrome
  chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
  if [ -z "$chrome" ] || ! command -v Xvfb >/dev/null; then
    echo "   SKIPPED: needs Chromium (apt install chromium) and Xvfb; Vitrine never depends on them"
    end
    return 0
  fi
  echo "   browser: $("$chrome" --version 2>/dev/null | head -1)"
  local w1=$out/w1b dpy=:$((90 + RANDOM % 9)) tck
  tck=$(getconf CLK_TCK)
  mkdir -p "$w1" && cp bench/w1.yaml bench/w1.html "$w1/"
  w1_images "$w1" 1280x720
  sed 's/^canvas:/energy: {attract: full}\ncanvas:/' "$w1/w1.yaml" >"$w1/w1-full.yaml"
  Xvfb "$dpy" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
  local xpid=$!
  sleep 1
  # session_cpu SID: clock ticks of user+system time of every live process of session SID.
  session_cpu() {
    # cat goes on past processes that end while it reads.
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
      awk -v sid="$1" '{ sub(/^.*\) /, ""); if ($4 == sid) t += $12 + $13 } END { print t + 0 }'
  }
  # measure NAME CMD...: runs CMD in its own session, prints its % of a core over 20 s.
  measure() {
    local name=$1 pid a b
    shift
    DISPLAY=$dpy setsid "$@" >"$out/browser.$name.log" 2>&1 &
    pid=$!
    sleep 8
    a=$(session_cpu "$pid")
    sleep 20
    b=$(session_cpu "$pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sleep 1
    calc "($b - $a) / $tck / 20 * 100" >>"$out/browser.$name"
    # play --verbose says how many frames it drew in its 28 s (warm-up included).
    sed -n 's/.* \([0-9]*\) frames drawn.*/\1/p' "$out/browser.$name.log" >>"$out/browser.$name.frames"
  }
  local prof=$out/chromium-profile
  : >"$out/browser.chromium" && : >"$out/browser.full" && : >"$out/browser.attract" && : >"$out/browser.ratio"
  for _ in $(seq "$runs_long"); do
    rm -rf "$prof"
    measure chromium "$chrome" --kiosk --no-first-run --no-default-browser-check --noerrdialogs \
      --disable-background-networking --disable-component-update --disable-sync \
      --password-store=basic --user-data-dir="$prof" --window-position=0,0 --window-size=1280,720 \
      $([ "$(id -u)" -eq 0 ] && echo --no-sandbox) "file://$w1/w1.html"
    measure full env SDL_VIDEODRIVER=x11 "$bin" play "$w1/w1-full.yaml" --fullscreen --quit-after 40 --verbose
    measure attract env SDL_VIDEODRIVER=x11 "$bin" play "$w1/w1.yaml" --fullscreen --quit-after 40 --verbose
    calc "$(tail -1 "$out/browser.full") / $(tail -1 "$out/browser.chromium")" >>"$out/browser.ratio"
  done
  kill "$xpid" 2>/dev/null || true
  wait "$xpid" 2>/dev/null || true
  echo "   Chromium kiosk, CSS animation     $(stats '%.1f %%' <"$out/browser.chromium") of a core"
  echo "   vitrine play, attract: full       $(stats '%.1f %%' <"$out/browser.full") of a core," \
    "$(awk '{ printf "%.1f ", $1 / 28 }' "$out/browser.full.frames")frames/s over its 28 s"
  echo "   vitrine play, default attract caps $(stats '%.1f %%' <"$out/browser.attract") of a core," \
    "$(awk '{ printf "%.1f ", $1 / 28 }' "$out/browser.attract.frames")frames/s over its 28 s"
  echo "   play full / Chromium              $(stats '%.2fx' <"$out/browser.ratio") (each run's ratio; target <= 0.5x)"
  rm -rf "$w1" "$prof"
  end
}

# The slideshow of issue 20 in play against Chromium, as sec_browser does W1, on a 1920x1080
# display: 20 photos (ffmpeg's gradients with grain, JPEG quality 3), each 5 s with its 1 s
# crossfade into the next (the 100 s loop's last one fading out over the first).
sec_slideshow() {
  local secs=${SLIDE_SECONDS:-20}
  begin "Slideshow: 20 photos 1920x1080, 5 s each, 1 s crossfades, played $secs s after an 8 s warm-up on Xvfb 1920x1080: vitrine play vs Chromium kiosk, $runs_long run(s) in turn"
  local chrome
  chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
  if [ -z "$chrome" ] || ! command -v Xvfb >/dev/null || ! command -v ffmpeg >/dev/null; then
    echo "   SKIPPED: needs Chromium (apt install chromium), Xvfb and ffmpeg; Vitrine never depends on them"
    end
    return 0
  fi
  echo "   browser: $("$chrome" --version 2>/dev/null | head -1)"
  local d=$out/slides dpy=:$((80 + RANDOM % 9)) tck i
  tck=$(getconf CLK_TCK)
  mkdir -p "$d/photos"
  for i in $(seq -w 1 20); do
    ffmpeg -hide_banner -loglevel error -y -f lavfi \
      -i "gradients=s=1920x1080:seed=$i:nb_colors=4,format=yuv420p,noise=alls=10:allf=t" \
      -frames:v 1 -q:v 3 "$d/photos/photo-$i.jpg"
  done
  printf '%s\n' 'format: vitrine/1' 'energy: {attract: full}' \
    'canvas: {size: [1920, 1080], fps: 60, background: "#000000"}' 'layers:' \
    '  - {id: photos, type: slideshow, size: [1920, 1080], fit: cover, duration: 5,' \
    '     transition: {type: crossfade, duration: 1}, folder: photos}' >"$d/slides.yaml"
  # The same timing in CSS: photo i (from 0) fades in over [5i - 1, 5i] s of a 100 s loop, stays
  # until 5i + 5 under the next one, then goes; the first stays beneath them all.
  {
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>slides</title><style>'
    echo 'html, body { margin: 0; width: 1920px; height: 1080px; overflow: hidden; background: #000; cursor: none; }'
    echo 'img { position: absolute; left: 0; top: 0; width: 1920px; height: 1080px; object-fit: cover; }'
    for i in $(seq 1 19); do
      if [ "$i" -lt 19 ]; then
        echo "#p$i { animation: f$i 100s linear infinite; } @keyframes f$i { 0%, $((5 * i - 1))% { opacity: 0; } $((5 * i))%, $((5 * i + 5))% { opacity: 1; } $((5 * i + 5)).01%, 100% { opacity: 0; } }"
      else
        echo "#p$i { animation: f$i 100s linear infinite; } @keyframes f$i { 0%, 94% { opacity: 0; } 95%, 99% { opacity: 1; } 100% { opacity: 0; } }"
      fi
    done
    echo '</style></head><body>'
    i=0
    for f in "$d"/photos/*.jpg; do
      echo "<img id=\"p$i\" src=\"photos/$(basename "$f")\" alt=\"\">"
      i=$((i + 1))
    done
    echo '</body></html>'
  } >"$d/slides.html"
  Xvfb "$dpy" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  local xpid=$!
  sleep 1
  session_cpu() {
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } |
      awk -v sid="$1" '{ sub(/^.*\) /, ""); if ($4 == sid) t += $12 + $13 } END { print t + 0 }'
  }
  measure() {
    local name=$1 pid a b
    shift
    DISPLAY=$dpy setsid "$@" >"$out/slides.$name.log" 2>&1 &
    pid=$!
    sleep 8
    a=$(session_cpu "$pid")
    sleep "$secs"
    b=$(session_cpu "$pid")
    kill -TERM -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    sleep 1
    calc "($b - $a) / $tck / $secs * 100" >>"$out/slides.$name"
    sed -n 's/.* \([0-9]*\) frames drawn, .*/\1/p' "$out/slides.$name.log" >>"$out/slides.$name.frames"
  }
  local prof=$out/chromium-profile-slides
  : >"$out/slides.chromium" && : >"$out/slides.play" && : >"$out/slides.ratio"
  for _ in $(seq "$runs_long"); do
    rm -rf "$prof"
    measure chromium "$chrome" --kiosk --no-first-run --no-default-browser-check --noerrdialogs \
      --disable-background-networking --disable-component-update --disable-sync \
      --password-store=basic --user-data-dir="$prof" --window-position=0,0 --window-size=1920,1080 \
      $([ "$(id -u)" -eq 0 ] && echo --no-sandbox) "file://$d/slides.html"
    measure play env SDL_VIDEODRIVER=x11 "$bin" play "$d/slides.yaml" --fullscreen \
      --quit-after $((secs + 20)) --verbose
    calc "$(tail -1 "$out/slides.play") / $(tail -1 "$out/slides.chromium")" >>"$out/slides.ratio"
  done
  kill "$xpid" 2>/dev/null || true
  wait "$xpid" 2>/dev/null || true
  echo "   Chromium kiosk, CSS animation $(stats '%.1f %%' <"$out/slides.chromium") of a core"
  echo "   vitrine play, attract: full   $(stats '%.1f %%' <"$out/slides.play") of a core," \
    "$(awk -v s="$secs" '{ printf "%d frames drawn ", $1 }' "$out/slides.play.frames")(warm-up included)"
  echo "   play / Chromium               $(stats '%.2fx' <"$out/slides.ratio") (each run's ratio)"
  rm -rf "$d" "$prof"
  end
}

sec_still() {
  begin "CPU of play on a still scene (scenes/bench-20-layers.yaml), 10 s after 2 s of start-up, $runs_long run(s)"
  : >"$out/cpu"
  for r in $(seq "$runs_long"); do
    "$bin" play scenes/bench-20-layers.yaml --quit-after 13 >/dev/null 2>&1 &
    pid=$!
    sleep 2
    # Per thread: CPU time in ns (schedstat, more precise than clock ticks), voluntary context
    # switches (each one a sleep, so a wake-up after it) and the thread's name.
    snap() {
      for t in /proc/"$pid"/task/*; do
        printf '%s %s %s %s\n' "${t##*/}" "$(cut -d' ' -f1 "$t/schedstat" 2>/dev/null || echo 0)" \
          "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status" 2>/dev/null || echo 0)" \
          "$(tr ' ' _ <"$t/comm" 2>/dev/null || echo gone)"
      done
    }
    snap >"$out/a"
    sleep 10
    snap >"$out/b"
    wait "$pid" || true
    # Threads present at both ends, or started in between (counted from 0).
    awk 'NR == FNR { ns[$1] = $2; cs[$1] = $3; next }
         { dn += $2 - ns[$1]; w[$4] += $3 - cs[$1]; tw += $3 - cs[$1] }
         END { printf "%.0f %d", dn, tw; for (n in w) if (w[n]) printf " %s:%d", n, w[n]; print "" }' \
      "$out/a" "$out/b" >"$out/still"
    read -r dn tw names <"$out/still"
    printf '   run %d: %.3f %% of a core (%.1f ms of CPU in 10 s), %d wake-ups (%s)\n' "$r" \
      "$(calc "$dn / 1e9 / 10 * 100")" "$(calc "$dn / 1e6")" "$tw" "${names:-none}"
    calc "$dn / 1e9 / 10 * 100" >>"$out/cpu"
  done
  echo "   CPU $(stats '%.3f %%' <"$out/cpu") of a core"
  end
}

sec_first_frame() {
  begin "start to first presented frame, scenes/demo.yaml (5 text layers, 2 sounds, a film), $runs runs"
  # Counted from just before exec (the libraries' loading included) by the monotonic clock the
  # log line prints, and from main() as play counts it; the start-up phases from main() beside.
  for _ in $(seq "$runs"); do
    python3 - "$bin" <<'PY'
import re, subprocess, sys, time
t0 = time.monotonic_ns()
err = subprocess.run([sys.argv[1], "play", "scenes/demo.yaml", "--quit-after", "0", "--verbose"],
                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
def ms(pattern):
    m = re.search(pattern, err)
    return float(m.group(1)) if m else float("nan")
m = re.search(r"first frame presented ([0-9.]+) ms after start \(monotonic clock ([0-9]+) ns\)", err)
if not m:
    sys.exit("run.sh: play printed no first frame: " + err[-400:])
print("%.1f %.1f %.1f %.1f" % ((int(m.group(2)) - t0) / 1e6, float(m.group(1)),
      ms(r"window and GL context ready ([0-9.]+) ms"), ms(r"scene built \S+ \S+ \S+ ([0-9.]+) ms")))
PY
  done >"$out/first"
  echo "   first frame, from exec $(cut -d' ' -f1 "$out/first" | stats '%.0f ms')"
  echo "   first frame, from main() $(cut -d' ' -f2 "$out/first" | stats '%.0f ms')"
  echo "   of which: window and GL context ready $(cut -d' ' -f3 "$out/first" | stats '%.0f ms'),"
  echo "   scene built (renderer, images, films) $(cut -d' ' -f4 "$out/first" | stats '%.0f ms')"
  end
}

# Frame time (ms) of the render's own frame loop: 1000 / its frames per second.
ms_of() { fps_of "$@" | awk '{ if ($1 > 0) printf "%.0f\n", 1000 / $1 }'; }
sec_shader() {
  local n=${SHADER_FRAMES:-10}
  begin "shader layers at 1920x1080: bench/raymarch.fs beside builtin:plasma, $n frames each, $runs_long run(s) in turn"
  : >"$out/heavy" && : >"$out/light" && : >"$out/ratio"
  for _ in $(seq "$runs_long"); do
    rm -rf "$out/h" "$out/l"
    h=$(ms_of "$bin" render bench/shader-1080p.yaml --out "$out/h" --frames "$n")
    l=$(ms_of "$bin" render bench/shader-baseline.yaml --out "$out/l" --frames "$n")
    echo "$h" >>"$out/heavy" && echo "$l" >>"$out/light" && calc "$h / $l" >>"$out/ratio"
  done
  echo "   ray marcher     $(stats '%.0f ms a frame' <"$out/heavy")"
  echo "   plasma          $(stats '%.0f ms a frame' <"$out/light")"
  echo "   ratio           $(stats '%.1fx' <"$out/ratio") (each run's ray marcher / plasma)"
  for scene in shader-1080p shader-baseline; do
    rm -rf "$out/g"
    "$bin" render "bench/$scene.yaml" --out "$out/g" --duration 8 --governed --power-sensor model \
      --budget-watts 20 --quiet 2>/dev/null
    python3 -c 'import json, sys
g = json.load(open(sys.argv[1]))["governor"]
print("   %-15s governed, 20 W modelled budget, 8 s: %d pictures, %d held frames, lowest %s fps, scale %s"
      % (sys.argv[2], g["pictures"], g["held_frames"], g["lowest"]["fps"], g["lowest"]["scale"]))' \
      "$out/g/render.json" "$scene"
  done
  end
}

sec_attract() {
  begin "frames drawn by play in 60 s, bench/attract-fade.yaml (one 3 s fade every 20 s), $runs_long run(s)"
  for _ in $(seq "$runs_long"); do
    "$bin" play bench/attract-fade.yaml --quit-after 60 --verbose 2>&1 |
      sed -n 's/.*play: debug: \([0-9]*\) frames drawn.*/\1/p'
  done >"$out/frames"
  echo "   frames drawn: $(stats '%.0f' <"$out/frames") (the fades alone at the default attract" \
    "cap of 12 fps: 3 x 36 = 108)"
  end
}

sec_reload() {
  begin "RSS of play over $reloads hot reloads (scenes/demo.yaml copied to a temporary folder), one run"
  rm -rf "$out/show" && cp -r scenes "$out/show"
  "$bin" play "$out/show/demo.yaml" --quit-after 3600 >/dev/null 2>"$out/reload.log" &
  pid=$!
  sleep 1
  rss() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status"; }
  local line
  line="   RSS (MB) at start $(rss)"
  for i in $(seq 1 "$reloads"); do
    sed -i "s/^title: .*/title: \"Reload $i\"/" "$out/show/demo.yaml"
    until [ "$(grep -c 'reloaded' "$out/reload.log")" -ge "$i" ]; do sleep 0.05; done
    case $i in 1 | 10 | 50 | *00 | "$reloads") line+=", after $i: $(rss)" ;; esac
  done
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "$line"
  end
}

sec_projection() {
  begin "bench_projection (Release), one run of ${ROUNDS:-3} rounds"
  FRAMES=$frames "$build/bench_projection" | sed 's/^/   /'
  end
}

sec_text() {
  begin "bench_text (Release), $runs runs"
  for _ in $(seq "$runs"); do "$build/bench_text"; done >"$out/text"
  head -1 "$out/text" | sed 's/: [0-9.]* ms CPU/: T ms CPU/;s/new size: [0-9.]* ms/new size: R ms/;s/^/   /'
  echo "   T: layout $(sed -n 's/.*lines: \([0-9.]*\) ms CPU.*/\1/p' "$out/text" | stats '%.2f ms')"
  echo "   R: rasterising $(sed -n 's/.*new size: \([0-9.]*\) ms.*/\1/p' "$out/text" | stats '%.2f ms')"
  end
}

sec_governor() {
  begin "bench_governor (Release), $runs runs"
  for _ in $(seq "$runs"); do "$build/bench_governor"; done |
    sed -n 's/.*frames, \([0-9.]*\) ns CPU.*/\1/p' >"$out/gov"
  echo "   decide + observe at 10 Hz: $(stats '%.0f ns' <"$out/gov") of CPU a frame (target 200000 ns)"
  end
}

sec_player() {
  begin "bench_player (Release), $runs runs"
  for _ in $(seq "$runs"); do "$build/bench_player" || true; done |
    sed -n 's/.*frames, \([0-9.]*\) us CPU.*/\1/p' >"$out/player"
  echo "   player update + draw list, 100 animated layers: $(stats '%.1f us' <"$out/player") of CPU a frame (target 500 us)"
  end
}

sec_audio_drift() {
  begin "bench_audio_drift (Release), one run (deterministic but for the x real column)"
  "$build/bench_audio_drift" | sed 's/^/   /'
  end
}

sec_governor_sim() {
  begin "bench_governor_sim: tests/test_governor_sim.c with -DSEEDS=40, the worst of the seeds"
  "$build/bench_governor_sim" >"$out/sim" || echo "   (note: a check of the simulation failed)"
  # Regulation lines: means of [20,30), [40,50), [80,90) s against the budgets; settle and
  # overshoot after the load step (30 s) and the budget change (60 s). The means are printed to
  # 0.1 W (0.01 W for the screen), so "off" is that precise.
  awk '/ means / && (/idle given/ || / dimming /) {
      key = $1 (/scale first/ ? " scale first" : /dimming/ ? " dimming" : "")
      n[key]++
      for (i = 1; i <= NF; i++) {
        if ($i == "means") split($(i + 1), m, "/")
        if ($i == "(budgets") { b1 = $(i + 1) + 0; b2 = $(i + 2) + 0 }
        if ($i == "step:") { sl = $(i + 2) + 0; ol = $(i + 5) + 0 }
        if ($i == "change:") { sb = $(i + 2) + 0; ob = $(i + 5) + 0 }
        if ($i == "changes") sc = $(i + 1) + 0
        if ($i == "learnt") dw = $(i + 1) + 0
        if ($i == "(lowest") lb = $(i + 1) + 0
        if ($i == "brightness") br = $(i + 1) + 0
      }
      if (key ~ /dimming/) { b1 = 17; b2 = 16 }
      off = 0
      for (j = 1; j <= 3; j++) { e = (m[j] - (j < 3 ? b1 : b2)) / (j < 3 ? b1 : b2); if (e < 0) e = -e; if (e > off) off = e }
      if (off > W[key]) W[key] = off
      if (sl > SL[key]) SL[key] = sl; if (ol > OL[key]) OL[key] = ol
      if (sb > SB[key]) SB[key] = sb; if (ob > OB[key]) OB[key] = ob
      if (sc > SC[key]) SC[key] = sc
      if (key ~ /dimming/) {
        if (!(key in DL) || dw < DL[key]) DL[key] = dw; if (dw > DH[key]) DH[key] = dw
        if (!(key in LB) || lb < LB[key]) LB[key] = lb
        if (!(key in BL) || br < BL[key]) BL[key] = br; if (br > BH[key]) BH[key] = br
      }
    }
    END {
      for (k in n) {
        printf "   %-18s %d seeds: means worst %.1f %% off; load step: settled <= %.1f s, overshoot <= %.1f %%;" \
          " budget change: settled <= %.1f s, overshoot <= %.1f %%", k, n[k], 100 * W[k], SL[k], OL[k], SB[k], OB[k]
        if (k ~ /scale first/) printf "; at most %d changes of the render scale", SC[k]
        if (k ~ /dimming/) printf "; display learnt %.1f to %.1f W (15 W); brightness at the end %.2f to %.2f, lowest %.2f", DL[k], DH[k], BL[k], BH[k], LB[k]
        print ""
      }
    }' "$out/sim" | sort
  # The start-up spike and the first visitor (the desktop plant): the worst of the seeds.
  awk 'function after(re, s) { if (!match($0, re)) return -1; s = substr($0, RSTART + RLENGTH)
      sub(/^[^0-9]*/, "", s); return s + 0 }
    /start-up spike/ {
      b = after("budget "); n[b]++; off[b] += after(": ")
      f = after("the visitor: "); s = after("fps scale "); l = after("lowest ")
      fit[b] = after("fps [(]"); o = after("at most "); st = after("within 5 % after ")
      match($0, /[0-9.]+ W over the last/); m = substr($0, RSTART) + 0
      if (!(b in F) || f < F[b]) F[b] = f; if (!(b in S) || s < S[b]) S[b] = s
      if (!(b in L) || l < L[b]) L[b] = l
      if (o >= 0 && o > O[b]) O[b] = o; if (st >= 0 && st > ST[b]) ST[b] = st
      if (!(b in ML) || m < ML[b]) ML[b] = m; if (m > MH[b]) MH[b] = m
    }
    END {
      for (b in n) {
        printf "   desktop start-up spike, budget %g W, %d seeds: %d samples of attract off its" \
          " caps; the first visitor: input frame >= %d fps, scale >= %.2f; lowest %d fps (%g" \
          " fit)", b, n[b], off[b], F[b], S[b], L[b], fit[b]
        if (b in ST) printf "; meter at most %.1f %% over, within 5 %% after <= %.1f s", O[b], ST[b]
        printf "; %.1f to %.1f W over the last 10 s\n", ML[b], MH[b]
      }
    }' "$out/sim" | sort
  grep -E 'idle learnt|attract:|visitors:|passed' "$out/sim" | sed 's/^/   /'
  "$build/bench_plant" | sed 's/^/   /'
  end
}

sec_report() {
  begin "bench_report (Release): report --period year over a year of ledgers, one row every ${ROW_STEP:-1} s, $runs runs (1: no summaries, 2: writing them, 3+: reading them)"
  VT_BENCH_ROW_STEP=${ROW_STEP:-1} VT_BENCH_RUNS=$runs "$build/bench_report" >"$out/report" ||
    echo "   (note: over the 2 s target, or failed)"
  sed 's/^bench_report: /   /' "$out/report"
  end
}

# A 1080p30 H.264 film (ffmpeg's testsrc2, x264 veryfast: B pictures, some of them references),
# made once per run of this script.
film_1080() {
  [ -f "$out/film1080.mp4" ] || ffmpeg -nostdin -v error -f lavfi -i "testsrc2=s=1920x1080:r=30:d=10" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p -g 60 -y "$out/film1080.mp4" </dev/null
}
sec_video_skip() {
  begin "bench_video (Release): a 10 s 1080p30 H.264 film drawn at 12 fps (attract's cap), every picture decoded vs non-reference pictures skipped, $runs runs of each in turn"
  film_1080
  "$build/bench_video" "$out/film1080.mp4" 12 "$runs" | sed 's/^/   /' | tee "$out/vskip"
  echo "   ratio skip / full: $(sed -n 's/.*ratio \([0-9.]*\)$/\1/p' "$out/vskip" | stats '%.2f')"
  end
}

# CPU (user + system, all threads) of a process over SECONDS after WARM seconds.
cpu_of_pid() { # PID WARM SECONDS -> percent of a core
  local pid=$1 t0 t1
  sleep "$2"
  t0=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  sleep "$3"
  t1=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
  calc "($t1 - $t0) / $(getconf CLK_TCK) / $3 * 100"
}
# Films (issue 14), side by side in one run: `play` of a scene showing the 1080p30 H.264 film
# full screen against mpv playing the same file in a window of the same X server (Xvfb, both on
# the CPU: llvmpipe for vitrine, mpv's --vo=x11), 10 s after 3 s of start-up; then `render` of
# the 10 s film scene to PNG against ffmpeg decoding the film and encoding the same frames to
# PNG. RUNS_LONG runs of each, in turn.
sec_video() {
  begin "films: play vs mpv (1080p30 H.264, Xvfb), render vs ffmpeg to PNG (300 frames), $runs_long run(s) each in turn"
  film_1080
  printf 'format: vitrine/1\ncanvas: {size: [1920, 1080], fps: 30}\nlayers:\n  - {id: f, type: video, src: film1080.mp4, loop: true}\n' \
    >"$out/film.yaml"
  : >"$out/vp" && : >"$out/mp" && : >"$out/vr" && : >"$out/fr"
  for _ in $(seq "$runs_long"); do
    xvfb-run -a -s "-screen 0 1920x1080x24" bash -c "
      SDL_VIDEODRIVER=x11 '$bin' play '$out/film.yaml' --quit-after 14 >/dev/null 2>&1 & p=\$!
      $(declare -f cpu_of_pid calc); cpu_of_pid \$p 3 10 >'$out/v1'; wait \$p" || true
    xvfb-run -a -s "-screen 0 1920x1080x24" bash -c "
      mpv --no-config --really-quiet --vo=x11 --hwdec=no --no-audio --loop=inf --length=14 \
        --geometry=1920x1080 '$out/film1080.mp4' >/dev/null 2>&1 & p=\$!
      $(declare -f cpu_of_pid calc); cpu_of_pid \$p 3 10 >'$out/m1'; kill \$p 2>/dev/null; wait \$p" || true
    cat "$out/v1" >>"$out/vp" && cat "$out/m1" >>"$out/mp"
    echo "   play $(cat "$out/v1") % of a core, mpv $(cat "$out/m1") %: ratio $(calc "$(cat "$out/v1") / $(cat "$out/m1")")"
    rm -rf "$out/vf" "$out/ff" && mkdir -p "$out/ff"
    t0=$(date +%s.%N)
    "$bin" render "$out/film.yaml" --out "$out/vf" --frames 300 >/dev/null 2>&1
    t1=$(date +%s.%N)
    ffmpeg -nostdin -v error -i "$out/film1080.mp4" -frames:v 300 -c:v png "$out/ff/frame_%05d.png"
    t2=$(date +%s.%N)
    calc "$t1 - $t0" >>"$out/vr" && calc "$t2 - $t1" >>"$out/fr"
    echo "   render $(calc "$t1 - $t0") s, ffmpeg $(calc "$t2 - $t1") s: ratio $(calc "($t1 - $t0) / ($t2 - $t1)")"
  done
  echo "   play CPU $(stats '%.1f %%' <"$out/vp"), mpv $(stats '%.1f %%' <"$out/mp") (target: play <= mpv)"
  echo "   render $(stats '%.1f s' <"$out/vr"), ffmpeg $(stats '%.1f s' <"$out/fr")"
  end
}

# Issue 17: a still scene with one small animated element costs in proportion to the element.
sec_damage() {
  begin "damage: bench/pulse.yaml (a 200x200 pulsing button over a 1280x720 picture) full screen on Xvfb 1280x720, play with damage tracking vs whole redraws, 10 s after 3 s, $runs_long run(s) in turn"
  if ! command -v xvfb-run >/dev/null || ! command -v ffmpeg >/dev/null; then
    echo "   SKIPPED: needs xvfb-run (apt install xvfb) and ffmpeg (for the picture)"
    end
    return 0
  fi
  local d=$out/pulse
  mkdir -p "$d" && cp bench/pulse.yaml "$d/"
  ffmpeg -hide_banner -loglevel error -y -f lavfi -i "mandelbrot=s=1280x720,format=rgb24" \
    -frames:v 1 "$d/pulse.png"
  : >"$out/dmg.on" && : >"$out/dmg.off" && : >"$out/dmg.ratio"
  # one ENV...: "CPU% frames/s ms-of-CPU-per-frame" of play over 10 s after 3 s (frames counted
  # in its VT_TEST_FRAME_LOG, a line a frame).
  one() {
    xvfb-run -a -s "-screen 0 1280x720x24" bash -c "
      env $* VT_TEST_FRAME_LOG='$out/dmg.frames' SDL_VIDEODRIVER=x11 '$bin' play '$d/pulse.yaml' \
        --fullscreen --quit-after 14 >/dev/null 2>&1 & p=\$!
      sleep 3; t0=\$(awk '{print \$14 + \$15}' /proc/\$p/stat); f0=\$(wc -l <'$out/dmg.frames')
      sleep 10; t1=\$(awk '{print \$14 + \$15}' /proc/\$p/stat); f1=\$(wc -l <'$out/dmg.frames')
      wait \$p; echo \$t0 \$t1 \$f0 \$f1" >"$out/dmg.t" 2>"$out/dmg.err" || true
    if ! read -r t0 t1 f0 f1 <"$out/dmg.t"; then
      sed 's/^/   (no result: /;s/$/)/' "$out/dmg.err" >&2
      return 1
    fi
    awk -v a="$t0" -v b="$t1" -v hz="$(getconf CLK_TCK)" -v n="$((f1 - f0))" \
      'BEGIN { c = (b - a) / hz / 10; printf "%.1f %.1f %.2f\n", c * 100, n / 10, (n > 0 ? c * 1e4 / n : 0) }'
  }
  for _ in $(seq "$runs_long"); do
    one >>"$out/dmg.on" && one VT_TEST_FULL_REDRAW=1 >>"$out/dmg.off" || continue
    echo "   damage tracking: $(tail -1 "$out/dmg.on" | awk '{ printf "%s %% of a core, %s frames/s, %s ms of CPU a frame", $1, $2, $3 }')"
    echo "   whole redraws:   $(tail -1 "$out/dmg.off" | awk '{ printf "%s %% of a core, %s frames/s, %s ms of CPU a frame", $1, $2, $3 }')"
    calc "$(tail -1 "$out/dmg.on" | cut -d' ' -f3) / $(tail -1 "$out/dmg.off" | cut -d' ' -f3)" >>"$out/dmg.ratio"
  done
  echo "   CPU % with tracking $(cut -d' ' -f1 "$out/dmg.on" | stats '%.1f'), whole $(cut -d' ' -f1 "$out/dmg.off" | stats '%.1f')"
  echo "   CPU a frame, tracking / whole: $(stats '%.2fx' <"$out/dmg.ratio")"
  rm -rf "$d"
  end
}

for s in "${sections[@]}"; do
  "sec_${s//-/_}"
done
