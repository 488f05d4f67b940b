#!/usr/bin/env bash
# `render` draws a frame again only where it changed (the renderer's damage tracking, as in
# play): a hold costs a readback, not a drawing. Its frames must be byte for byte those of
# whole redraws (VT_TEST_FULL_REDRAW=1): a crossfade of two pictures, a rect moving, a caption
# changing, holds between; the verbose summary shows unchanged frames and frames drawn in part.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
ok() { # ok DESCRIPTION -- TEST...
  local what=$1; shift 2
  if "$@"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $what"; fi
}
cp "$here/pngsuite/basn2c08.png" "$tmp/a.png"
cp "$here/pngsuite/basn6a08.png" "$tmp/b.png"
cat >"$tmp/s.yaml" <<'Y'
format: vitrine/1
canvas: {size: [160, 120], fps: 10, background: "#202830"}
layers:
  - {id: a, type: image, src: a.png, position: [0, 0], size: [160, 120]}
  - {id: b, type: image, src: b.png, position: [0, 0], size: [160, 120], opacity: 0}
  - {id: dot, type: rect, size: [12, 12], color: "#ff8000", position: [10, 90]}
  - {id: label, type: text, text: "Salle 2", size: 14, color: "#ffffff", position: [8, 6]}
timelines:
  show:
    duration: 4
    autoplay: true
    tracks:
      - target: b.opacity
        keys: [{t: 0, v: 0}, {t: 1, v: 0}, {t: 2, v: 1}]
      - target: dot.position
        keys: [{t: 0, v: [10, 90]}, {t: 2.5, v: [10, 90]}, {t: 3.5, v: [130, 90]}]
      - target: label.size
        keys: [{t: 0, v: 14}, {t: 3.7, v: 14}, {t: 3.8, v: 18}]
Y
"$bin" render "$tmp/s.yaml" --out "$tmp/damage" --frames 40 --verbose >"$tmp/damage.log" 2>&1
ok "render with damage tracking succeeds" -- test $? -eq 0
VT_TEST_FULL_REDRAW=1 "$bin" render "$tmp/s.yaml" --out "$tmp/whole" --frames 40 --verbose \
  >"$tmp/whole.log" 2>&1
ok "render drawing every frame whole succeeds" -- test $? -eq 0
differ=0
for f in "$tmp"/whole/frame_*.png; do
  cmp -s "$f" "$tmp/damage/$(basename "$f")" || { differ=$((differ+1)); echo "differs: $(basename "$f")"; }
done
ok "40 frames written" -- test "$(ls "$tmp"/damage/frame_*.png | wc -l)" -eq 40
ok "every frame byte for byte a whole redraw's ($differ differ)" -- test "$differ" -eq 0
summary=$(grep -o 'damage: [0-9]* frames drawn whole, [0-9]* in part, [0-9]* unchanged' "$tmp/damage.log")
ok "a damage summary ($summary)" -- test -n "$summary"
read -r whole part unchanged < <(sed 's/[^0-9]\+/ /g' <<<"$summary")
ok "the holds are not drawn ($unchanged unchanged frames)" -- test "${unchanged:-0}" -ge 15
ok "the moving rect and the caption are drawn in part ($part frames)" -- test "${part:-0}" -ge 5
ok "VT_TEST_FULL_REDRAW=1 prints no damage summary" -- bash -c '! grep -q "damage: " "$1"' _ "$tmp/whole.log"
echo "test_render_damage_cli.sh: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
