#!/usr/bin/env bash
# The demo's film: scenes/films/inset.webm, a sign-language-style inset (a stylised signer: a
# head and two hands tracing slow figures) on a transparent background, made from arithmetic by
# ffmpeg's geq filter and encoded as VP9 with alpha (WebM), 320x360, 25 fps, 6 s, looping (the
# motion is periodic over the film). One encoder thread and fixed settings: the same bytes on
# every run with the same FFmpeg. Usage: tools/gen-film.sh [OUT.webm]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-scenes/films/inset.webm}
mkdir -p "$(dirname "$out")"
command -v ffmpeg >/dev/null || { echo "gen-film.sh: needs the ffmpeg program (apt install ffmpeg)" >&2; exit 69; }
# Positions of the hands: Lissajous figures with periods dividing 6 s, so the film loops.
w=2*PI*T/6
lx="(110+45*sin($w*2))"; ly="(250-60*sin($w*3))"
rx="(210+45*sin($w*2+1.7))"; ry="(240-55*sin($w*3+0.9))"
disc() { echo "lt(hypot(X-$1,Y-$2),$3)"; } # inside a disc
soft() { echo "clip((($3)-hypot(X-$1,Y-$2))*0.6,0,1)"; } # antialiased disc, 0..1
alpha="255*max(max($(soft 160 95 42),$(soft "$lx" "$ly" 26)),max($(soft "$rx" "$ry" 26),$(soft 160 230 60)*lt(Y,300)))"
ffmpeg -nostdin -v error -f lavfi -i "nullsrc=s=320x360:r=25:d=6,format=yuva420p,geq=\
lum='if($(disc "$lx" "$ly" 27)+$(disc "$rx" "$ry" 27),200,if($(disc 160 95 43),180,60))':\
cb='if($(disc 160 95 43)+$(disc "$lx" "$ly" 27)+$(disc "$rx" "$ry" 27),118,140)':\
cr='if($(disc 160 95 43)+$(disc "$lx" "$ly" 27)+$(disc "$rx" "$ry" 27),145,120)':\
a='$alpha'" \
  -c:v libvpx-vp9 -pix_fmt yuva420p -crf 36 -b:v 0 -threads 1 -row-mt 0 -g 150 \
  -metadata title="Vitrine demo inset" -fflags +bitexact -flags:v +bitexact -y "$out" </dev/null
echo "gen-film.sh: wrote $out ($(stat -c %s "$out") bytes)"
