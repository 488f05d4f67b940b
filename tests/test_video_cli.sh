#!/usr/bin/env bash
# Video layers through the command line, with clips made here by the ffmpeg program (skipped,
# 77, without it). Each picture of a clip carries its number as its grey level (Y = 16 + 4n,
# lossless), read back from the rendered PNGs: `render` shows the picture whose interval holds
# each frame's time at 25, 30 and 60 fps and from a --start, split renders are identical, a
# looping film joins without a black or repeated frame, a film on a timeline starts at `at`, a
# film per language follows the language switch;
# colour bars come out within 2 levels for BT.601, BT.709 and BT.2020 in limited and full range;
# 10-bit and alpha films; `check` refuses a missing, broken, empty or oversized film with its fix, and
# `render` goes on with a placeholder; `play` draws a film at its own frame rate, a still one
# once.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
. "$here/cli_lib.sh"
ok() { # ok DESCRIPTION -- TEST...
  local what=$1; shift 2
  if "$@"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $what"; fi
}

if ! command -v ffmpeg >/dev/null; then
  echo "SKIP: the ffmpeg program is not installed: no test clips (apt install ffmpeg)"
  exit 77
fi
clip() { # clip FILE LAVFI-GRAPH ENCODER-OPTIONS...
  local out=$1 graph=$2; shift 2
  ffmpeg -nostdin -v error -f lavfi -i "$graph" "$@" -y "$tmp/$out" </dev/null ||
    { echo "SKIP: ffmpeg could not make $out (an encoder is missing)"; exit 77; }
}
clip grey.mp4 "nullsrc=s=64x48:r=25:d=2,format=yuv420p,geq=lum='16+4*N':cb=128:cr=128" \
  -c:v libx264 -qp 0 -g 12 -bf 2
clip grey10.mkv "nullsrc=s=64x48:r=25:d=1,format=yuv420p10le,geq=lum='64+16*N':cb=512:cr=512" \
  -c:v ffv1
clip alpha.mkv "nullsrc=s=64x48:r=25:d=0.2,format=yuva420p,geq=lum=235:cb=128:cr=128:a=128" \
  -c:v ffv1
bar() { echo "if(lt(X/W,0.25),$1,if(lt(X/W,0.5),$2,if(lt(X/W,0.75),$3,$4)))"; }
bars="nullsrc=s=64x16:r=25:d=0.2,format=yuv420p,geq=lum='$(bar 180 100 50 235)'"
bars="$bars:cb='$(bar 90 160 200 128)':cr='$(bar 200 80 140 128)'"
for m in bt470bg bt709 bt2020nc; do
  for r in tv pc; do
    clip "bars-$m-$r.mp4" "$bars" -c:v libx264 -qp 0 -colorspace "$m" -color_range "$r"
  done
done
clip wide.mkv "color=s=8200x16:r=25:d=0.04,format=yuv420p" -c:v ffv1
head -c 5000 /dev/urandom > "$tmp/junk.mp4"

scene() { # scene NAME FPS FILM [LAYER-KEYS] [MORE-YAML]: a 64x48 canvas with one film
  cat > "$tmp/$1.yaml" <<YAML
format: vitrine/1
canvas: {size: [64, 48], fps: $2, background: "#ff0000"}
layers:
  - {id: film, type: video, src: $3, size: [64, 48]${4:+, $4}}
${5:-}
YAML
}
# numbers DIR [BITS]: each frame's picture number, from its centre grey (8 or 10-bit clip).
numbers() {
  python3 - "$1" "${2:-8}" <<'PY'
import glob, sys
sys.path.insert(0, sys.argv[0] and __import__('os').environ['here'])
from pngread import read_png
out = []
for f in sorted(glob.glob(sys.argv[1] + '/frame_*.png')):
    (w, h), px = read_png(f)
    bpp = len(px) // (w * h)
    g = px[((h // 2) * w + w // 2) * bpp]
    y = g * 219 / 255  # limited range: Y - 16 (8-bit units)
    out.append(str(round(y / 4) if sys.argv[2] == '8' else round(y * 4 / 16)))
print(' '.join(out))
PY
}
export here
render() { # render SCENE DIR OPTIONS...
  local s=$1 d=$2; shift 2
  expect 0 "render $s $*" -- "$bin" render "$tmp/$s.yaml" --out "$tmp/$d" "$@"
}
seq_of() { # seq_of FRAMES FPS FIRST-FRAME [LOOP]: the picture numbers a 25 fps film should give
  python3 -c "
n, fps, first, loop = $1, $2, $3, ${4:-0}
print(' '.join(str((k * 25 // fps) % 50 if loop else min((k * 25 // fps), 49))
               for k in range(first, first + n)))"
}

# ---- frame-exact pictures ----
for fps in 25 30 60; do
  scene "g$fps" "$fps" grey.mp4
  render "g$fps" "out$fps" --frames $((fps + 6))
  got=$(numbers "$tmp/out$fps"); want=$(seq_of $((fps + 6)) "$fps" 0)
  ok "$fps fps: the picture of each frame's time" -- [ "$got" = "$want" ]
  [ "$got" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$got" "$want"
done
render g30 start30 --start 1.2 --frames 12
got=$(numbers "$tmp/start30"); want=$(seq_of 12 30 36)
ok "30 fps from --start 1.2" -- [ "$got" = "$want" ]
[ "$got" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$got" "$want"

# ---- split renders are identical ----
render g60 whole --frames 60
render g60 part --start 0.5 --frames 30
same=yes
for k in $(seq 0 29); do
  cmp -s "$tmp/whole/frame_$(printf %05d $((k + 30))).png" "$tmp/part/frame_$(printf %05d "$k").png" ||
    { same=no; echo "  frame $((k + 30)) differs from part frame $k"; break; }
done
ok "a render split at 0.5 s gives the same frames" -- [ "$same" = yes ]

# ---- a loop joins without a black or repeated frame ----
scene loop 25 grey.mp4 "loop: true"
render loop loopout --start 1.8 --frames 10
got=$(numbers "$tmp/loopout"); want=$(seq_of 10 25 45 1)
ok "loop: 45..49 then 0..4" -- [ "$got" = "$want" ]
[ "$got" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$got" "$want"
scene noloop 25 grey.mp4
render noloop endout --start 1.8 --frames 10
got=$(numbers "$tmp/endout"); want=$(seq_of 10 25 45)
ok "without loop the last picture holds" -- [ "$got" = "$want" ]

# ---- a film on a timeline starts at `at` ----
scene tl 25 grey.mp4 "timeline: story, at: 0.4" "timelines: {story: {duration: 10, autoplay: true}}"
render tl tlout --frames 20
got=$(numbers "$tmp/tlout"); want="0 0 0 0 0 0 0 0 0 0 0 1 2 3 4 5 6 7 8 9"
ok "timeline: still before at, then from its start" -- [ "$got" = "$want" ]
[ "$got" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$got" "$want"

# ---- a film per language follows the language switch ----
clip en.mp4 "nullsrc=s=64x48:r=25:d=2,format=yuv420p,geq=lum=200:cb=128:cr=128" -c:v libx264 -qp 0
scene lang 25 "{fr: grey.mp4, en: en.mp4}" "" "triggers: [{when: {key: e}, do: {language: en}}]"
echo "0.5 key e" > "$tmp/lang.events"
render lang langout --frames 20 --events "$tmp/lang.events"
got=$(numbers "$tmp/langout"); want="$(seq_of 13 25 0) 46 46 46 46 46 46 46"
ok "language switch: the French film, then the English one" -- [ "$got" = "$want" ]
[ "$got" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$got" "$want"
expect 0 "check a film per language" -- "$bin" check "$tmp/lang.yaml"

# ---- 10-bit ----
scene g10 25 grey10.mkv
render g10 out10 --frames 25
got=$(numbers "$tmp/out10" 10); want=$(seq_of 25 25 0)
ok "10-bit film: each picture" -- [ "$got" = "$want" ]
[ "$got" = "$want" ] || printf '  got:  %s\n  want: %s\n' "$got" "$want"

# ---- colour: matrix and range ----
for m in bt470bg bt709 bt2020nc; do
  for r in tv pc; do
    scene "bars-$m-$r" 25 "bars-$m-$r.mp4"
    render "bars-$m-$r" "bars-$m-$r" --frames 1
    python3 - "$tmp/bars-$m-$r/frame_00000.png" "$m" "$r" <<'PY' > "$tmp/bars.txt"
import os, sys
sys.path.insert(0, os.environ['here'])
from pngread import read_png
path, matrix, rng = sys.argv[1:]
kr, kb = {'bt470bg': (0.299, 0.114), 'bt709': (0.2126, 0.0722), 'bt2020nc': (0.2627, 0.0593)}[matrix]
kg = 1 - kr - kb
bars = [(180, 90, 200), (100, 160, 80), (50, 200, 140), (235, 128, 128)]
(w, h), px = read_png(path)
bpp = len(px) // (w * h)
worst = 0
for i, (y, cb, cr) in enumerate(bars):
    if rng == 'tv':
        Y, Cb, Cr = (y - 16) / 219, (cb - 128) / 224, (cr - 128) / 224
    else:
        Y, Cb, Cr = y / 255, (cb - 128) / 255, (cr - 128) / 255
    rgb = (Y + 2 * (1 - kr) * Cr, Y - 2 * kb * (1 - kb) / kg * Cb - 2 * kr * (1 - kr) / kg * Cr,
           Y + 2 * (1 - kb) * Cb)
    want = [round(min(max(c, 0), 1) * 255) for c in rgb]
    x = int((i + 0.5) * w / 4)
    got = list(px[((h // 2) * w + x) * bpp:((h // 2) * w + x) * bpp + 3])
    worst = max(worst, max(abs(a - b) for a, b in zip(got, want)))
    print(f'bar {i}: got {got}, want {want}')
print(f'worst {worst}')
PY
    worst=$(sed -n 's/^worst //p' "$tmp/bars.txt")
    ok "bars $m $r within 2 levels" -- [ "${worst:-99}" -le 2 ]
    [ "${worst:-99}" -le 2 ] || sed 's/^/  /' "$tmp/bars.txt"
  done
done

# ---- alpha: a white film at half opacity over the red background ----
scene alpha 25 alpha.mkv
render alpha alphaout --frames 1
px=$(python3 -c "
import os, sys
sys.path.insert(0, os.environ['here'])
from pngread import read_png
(w, h), px = read_png('$tmp/alphaout/frame_00000.png')
bpp = len(px) // (w * h)
i = ((h // 2) * w + w // 2) * bpp
print(*px[i:i + 3])")
ok "alpha: white at 128/255 over red is (255 128 128) ±2, got ($px)" -- python3 -c "
got = [int(v) for v in '$px'.split()]
raise SystemExit(0 if all(abs(a - b) <= 2 for a, b in zip(got, (255, 128, 128))) else 1)"

# ---- HAP: HAP Alpha cut out over the background, HAP Q's colour, through the compositor ----
if ffmpeg -hide_banner -encoders 2>/dev/null | grep -q ' hap '; then
  clip hapa.mov "color=c=white:s=64x48:r=25:d=0.2,format=rgba,geq=r=255:g=255:b=255:a=128" \
    -c:v hap -format hap_alpha
  clip hapq.mov "color=c=0x336699:s=64x48:r=25:d=0.2,format=rgba" -c:v hap -format hap_q
  for h in hapa:255,128,128:2 hapq:51,102,153:6; do
    IFS=: read -r name want tol <<<"$h"
    scene "$name" 25 "$name.mov"
    render "$name" "${name}out" --frames 1
    px=$(python3 -c "
import os, sys
sys.path.insert(0, os.environ['here'])
from pngread import read_png
(w, h), px = read_png('$tmp/${name}out/frame_00000.png')
bpp = len(px) // (w * h)
i = ((h // 2) * w + w // 2) * bpp
print(*px[i:i + 3])")
    ok "HAP $name: the centre is ($want) ±$tol, got ($px)" -- python3 -c "
got = [int(v) for v in '$px'.split()]
raise SystemExit(0 if all(abs(a - b) <= $tol for a, b in zip(got, ($want))) else 1)"
  done
else
  echo "SKIP: this ffmpeg has no hap encoder: no HAP film rendered"
fi

# ---- check: films probed, errors positioned with their fix ----
expect 0 "check a scene with a film" -- "$bin" check "$tmp/g25.yaml"
scene junk 25 junk.mp4
expect 65 "check a film that is not one" -- "$bin" check "$tmp/junk.yaml"
contains "$tmp/err" "junk.yaml:4:5: error: layer 'film': film 'junk.mp4': not a film" "check: junk"
contains "$tmp/err" "ffmpeg -i IN -c:v libx264" "check: junk: the fix"
scene wide 25 wide.mkv
expect 65 "check a film over the texture limit" -- "$bin" check "$tmp/wide.yaml"
contains "$tmp/err" "film 'wide.mkv': the film is 8200x16, larger than 8192" "check: wide"
contains "$tmp/err" "-vf scale=" "check: wide: the fix"
# Its index whole, its pictures cut off: the header is fine, no picture decodes.
clip fast.mp4 "nullsrc=s=64x48:r=25:d=1,format=yuv420p,geq=lum=128:cb=128:cr=128" \
  -c:v libx264 -qp 0 -movflags +faststart
python3 -c "
d = open('$tmp/fast.mp4', 'rb').read()
open('$tmp/empty.mp4', 'wb').write(d[:d.index(b'mdat') + 4])"
scene empty 25 empty.mp4
expect 65 "check a film whose pictures are cut off" -- "$bin" check "$tmp/empty.yaml"
contains "$tmp/err" "film 'empty.mp4': the film has no picture that decodes" "check: empty"
scene none 25 none.mp4
expect 65 "check a missing film" -- "$bin" check "$tmp/none.yaml"
contains "$tmp/err" "none.yaml:4:34: error: film file 'none.mp4' not found" "check: missing"

# ---- render goes on: a broken film is a warning and a magenta placeholder ----
render junk junkout --frames 1
contains "$tmp/err" "warning" "render: a broken film is a warning"
px=$(python3 -c "
import os, sys
sys.path.insert(0, os.environ['here'])
from pngread import read_png
(w, h), px = read_png('$tmp/junkout/frame_00000.png')
print(*px[0:3])")
ok "render: the placeholder is magenta, got ($px)" -- [ "$px" = "255 0 255" ]

# ---- play: a 25 fps film in a 60 fps scene is drawn at most 25 times a second; still: ~never ----
drawn() { sed -n 's/.*debug: \([0-9]*\) frames drawn.*/\1/p' "$tmp/err"; }
scene play60 60 grey.mp4 "loop: true"
expect 0 "play a looping film" -- "$bin" play "$tmp/play60.yaml" --quit-after 3 --verbose
n=$(drawn)
ok "play: a 25 fps film drawn at its own rate (${n:-?} frames in 3 s, at most 80)" -- \
  [ -n "$n" ] && [ "$n" -le 80 ] && [ "$n" -ge 5 ]
scene still 60 grey.mp4 "timeline: story" "timelines: {story: {duration: 10}}"
expect 0 "play a film whose timeline never starts" -- "$bin" play "$tmp/still.yaml" --quit-after 2 --verbose
n=$(drawn)
ok "play: a still film is drawn once (${n:-?} frames in 2 s, at most 3)" -- [ -n "$n" ] && [ "$n" -le 3 ]

echo "test_video_cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
