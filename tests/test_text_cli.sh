#!/usr/bin/env bash
# Text end to end: a scene file with a translated title and captions rendered by `vitrine
# render`; the key switches the language, the captions follow the scene's time.
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${VT_BIN:?VT_BIN must name the vitrine binary}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
# The status of a command is kept in rc before check is called: a $(...) in the message would
# reset $? before the condition runs.
check() { if eval "$1"; then passed=$((passed+1)); else failed=$((failed+1)); echo "FAIL: $2"; fi; }

cp "$here/vtt/story-fr.vtt" "$here/vtt/story-en.vtt" "$tmp/"
cat >"$tmp/text.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [320, 180], background: "#101010", fps: 2}
language: fr
layers:
  - id: title
    type: text
    text: {fr: "Les marées : quand la mer se retire", en: "Tides"}
    font: DejaVu Serif
    size: 24
    color: "#ffffff"
    position: [10, 10]
    box: [300, 80]
    align: justify
    hyphenate: true
  - id: subs
    type: captions
    src: {fr: story-fr.vtt, en: story-en.vtt}
    size: 18
    position: [0, 0]
    box: [320, 180]
triggers:
  - {when: {key: e}, do: {language: en}}
YAML
printf '2.9 key e\n' >"$tmp/lang.events"

"$bin" render "$tmp/text.yaml" --out "$tmp/r" --frames 8 --events "$tmp/lang.events" \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
check '[ $rc = 0 ]' "render exits 0, got $rc ($(cat "$tmp/err"))"
for f in 0 2 6; do check "[ -s $tmp/r/frame_0000$f.png ]" "frame $f written"; done
# Frames differ where the text does: 0 s no cue (fr title), 1 s "Un", 3 s "Tides" and no cue.
check '! cmp -s "$tmp/r/frame_00000.png" "$tmp/r/frame_00002.png"' "the cue at 1 s changes the frame"
check '! cmp -s "$tmp/r/frame_00000.png" "$tmp/r/frame_00006.png"' "the language switch changes the title"
check '! grep -q warning "$tmp/err"' "no warnings ($(cat "$tmp/err"))"

# A font per language: French in DejaVu Serif (as the scene above), English in DejaVu Sans.
sed 's/font: DejaVu Serif/font: {fr: DejaVu Serif, en: DejaVu Sans}/' "$tmp/text.yaml" >"$tmp/lang-font.yaml"
sed 's/font: DejaVu Serif/font: DejaVu Sans/' "$tmp/text.yaml" >"$tmp/sans.yaml"
"$bin" render "$tmp/lang-font.yaml" --out "$tmp/lf" --frames 8 --events "$tmp/lang.events" \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
check '[ $rc = 0 ]' "render with a font per language exits 0, got $rc ($(cat "$tmp/err"))"
"$bin" render "$tmp/sans.yaml" --out "$tmp/sans" --frames 8 --events "$tmp/lang.events" \
  >"$tmp/out" 2>"$tmp/err"
check 'cmp -s "$tmp/r/frame_00000.png" "$tmp/lf/frame_00000.png"' "French: the serif, as before"
check 'cmp -s "$tmp/sans/frame_00006.png" "$tmp/lf/frame_00006.png"' "English: the sans, after the switch"
check '! cmp -s "$tmp/r/frame_00006.png" "$tmp/lf/frame_00006.png"' "English is not in the serif"
sed 's/font: DejaVu Serif/font: {fr: DejaVu Serif, en: Helvtica}/' "$tmp/text.yaml" >"$tmp/lang-bad.yaml"
"$bin" check "$tmp/lang-bad.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check '[ $rc = 65 ]' "check refuses an unknown family in a language's font, got $rc"
check 'grep -q "font '"'"'Helvtica'"'"' not found" "$tmp/err"' "and names it ($(cat "$tmp/err"))"

# An unknown family: a warning naming it and the font used; the scene still renders.
sed 's/font: DejaVu Serif/font: Helvtica/' "$tmp/text.yaml" >"$tmp/bad-font.yaml"
"$bin" render "$tmp/bad-font.yaml" --out "$tmp/b" --frames 1 >"$tmp/out" 2>"$tmp/err"; rc=$?
check '[ $rc = 0 ]' "render with an unknown font exits 0, got $rc"
check 'grep -q "bad-font.yaml:5:5: layer '"'"'title'"'"': font '"'"'Helvtica'"'"' not found; using '"'"'" "$tmp/err"' \
  "unknown font warning, with the layer's position ($(cat "$tmp/err"))"
check '[ "$(grep -c Helvtica "$tmp/err")" = 1 ]' "the warning is said once"
# ... and an error in check, which is where the artist should hear of it before the kiosk does.
"$bin" check "$tmp/bad-font.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check '[ $rc = 65 ]' "check refuses an unknown font family, got $rc"
check 'grep -q "bad-font.yaml:5:5: error: layer '"'"'title'"'"': font '"'"'Helvtica'"'"' not found; using '"'"'.*'"'"'; install the font or correct its name" "$tmp/err"' \
  "check names the family, the fallback and the fix ($(cat "$tmp/err"))"
"$bin" check "$tmp/text.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
check '[ $rc = 0 ]' "check accepts installed families, got $rc ($(cat "$tmp/err"))"

# A font file missing, or not a font: render draws the default family (exactly what naming it
# draws) with one warning, instead of dropping the label; check refuses both.
sed 's/font: DejaVu Serif/font: DejaVu Sans/' "$tmp/text.yaml" >"$tmp/sans.yaml"
"$bin" render "$tmp/sans.yaml" --out "$tmp/sans" --frames 1 >"$tmp/out" 2>"$tmp/err"
echo "not a font" >"$tmp/broken.ttf"
for f in missing broken; do
  sed "s/font: DejaVu Serif/font: $f.ttf/" "$tmp/text.yaml" >"$tmp/$f-file.yaml"
  "$bin" render "$tmp/$f-file.yaml" --out "$tmp/$f" --frames 1 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check '[ $rc = 0 ]' "render with a $f font file exits 0, got $rc"
  check 'cmp -s "$tmp/$f/frame_00000.png" "$tmp/sans/frame_00000.png"' \
    "a $f font file draws the default family"
  check '[ "$(grep -c warning "$tmp/err")" = 1 ]' "one warning for a $f font file ($(cat "$tmp/err"))"
  check 'grep -q "$f-file.yaml:5:5: layer '"'"'title'"'"': .*$f.ttf.*; using '"'"'DejaVu Sans'"'"'" "$tmp/err"' \
    "the warning names the layer, the file and the fallback ($(cat "$tmp/err"))"
  "$bin" check "$tmp/$f-file.yaml" >"$tmp/out" 2>"$tmp/err"; rc=$?
  check '[ $rc = 65 ]' "check refuses a $f font file, got $rc ($(cat "$tmp/err"))"
done
check 'grep -q "broken-file.yaml:5:5: error: layer '"'"'title'"'"': .*broken.ttf'"'"' is not a font FreeType can read (error [0-9]*); using '"'"'DejaVu Sans'"'"'; replace the file" "$tmp/err"' \
  "check names the broken file and the fallback ($(cat "$tmp/err"))"

echo "test_text_cli: $passed passed, $failed failed"
[ "$failed" = 0 ]
