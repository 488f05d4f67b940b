#!/usr/bin/env bash
# Hot reload in `play`: an edit that breaks the scene keeps the running one and prints every
# problem with its position; fixing it reloads; an editor-style save (temporary file + rename)
# and an image change reload too; an image caught half-written is refused like a broken edit;
# the process stays up throughout and exits cleanly.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }

mkdir -p "$tmp/show/img"
cp "$src/tests/scenes/img/dot.png" "$tmp/show/img/dot.png"
scene() {  # scene OPACITY [EXTRA-LINE]
  printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - id: dot\n    type: image\n    src: img/dot.png\n    size: [10, 10]\n    opacity: %s\n%s' "$1" "${2:-}"
}
scene 1 > "$tmp/show/scene.yaml"
"$bin" play "$tmp/show/scene.yaml" --quit-after 60 --verbose >"$tmp/out" 2>"$tmp/log" & pid=$!

# wait_for COUNT PATTERN: until the log holds COUNT lines matching PATTERN (20 s at most).
wait_for() {
  for _ in $(seq 200); do
    [ "$(grep -c -- "$2" "$tmp/log")" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
# Edits start once the show is up (its watcher is set before the first frame): a fixed delay
# is too short for a sanitizer build on a busy machine.
wait_for 1 "first frame presented" || ko "play should present its first frame"
scene 2 > "$tmp/show/scene.yaml"                           # out of range: refused
wait_for 1 "was not reloaded" && ok || ko "a broken edit should be refused"
grep -q "scene.yaml:9:14: error: 'opacity' must be between 0 and 1, got 2" "$tmp/log" && ok ||
  ko "the refusal should name the position"
kill -0 "$pid" 2>/dev/null && ok || ko "play should keep running after a broken edit"
# The window says it too (a red strip: test_render checks its pixels): the first problem, the
# file by its base name, then how many more there are.
shows="the window shows: scene.yaml:9:14: 'opacity' must be between 0 and 1, got 2"
wait_for 1 "$shows\$" && ok || ko "the window should show the first problem"
scene 2 '    scale: nope' > "$tmp/show/scene.yaml"            # two problems
wait_for 1 "$shows (and 1 more problem: see the log)" && ok || ko "and count the others"
scene 0.5 > "$tmp/show/scene.yaml"                         # fixed: reloaded
wait_for 1 "reloaded $tmp/show/scene.yaml" && ok || ko "the fixed scene should reload"
scene 0.25 > "$tmp/show/.scene.yaml.swp" && mv "$tmp/show/.scene.yaml.swp" "$tmp/show/scene.yaml"
wait_for 2 "reloaded $tmp/show/scene.yaml" && ok || ko "an editor-style save should reload"
cp "$src/tests/scenes/img/dot.png" "$tmp/show/img/new.png" && mv "$tmp/show/img/new.png" "$tmp/show/img/dot.png"
wait_for 3 "reloaded $tmp/show/scene.yaml" && ok || ko "replacing an image should reload"
echo "# a note" > "$tmp/show/img/unrelated.txt"; sleep 1
[ "$(grep -c "reloaded $tmp/show/scene.yaml" "$tmp/log")" = 3 ] && ok || ko "an unrelated file reloaded"
# A captions file is an asset too: saving it reloads the scene.
printf 'WEBVTT\n\n00:00.000 --> 00:05.000\nBonjour\n' > "$tmp/show/subs.vtt"
scene 0.25 $'  - id: subs\n    type: captions\n    src: subs.vtt\n' > "$tmp/show/scene.yaml"
wait_for 4 "reloaded $tmp/show/scene.yaml" && ok || ko "adding a captions layer should reload"
printf 'WEBVTT\n\n00:00.000 --> 00:05.000\nAu revoir\n' > "$tmp/show/subs.vtt"
wait_for 5 "reloaded $tmp/show/scene.yaml" && ok || ko "saving a captions file should reload"
# An image caught half-written (rewritten in place) is refused like a broken scene: the running
# version stays and the strip names the layer; once the copy is complete, it reloads.
head -c 40 "$src/tests/scenes/img/dot.png" > "$tmp/show/img/dot.png"
wait_for 1 "scene.yaml:5:5: error: layer 'dot': image 'img/dot.png': not a valid PNG image" && ok ||
  ko "a half-written image should be refused at its layer"
wait_for 1 "the window shows: scene.yaml:5:5: layer 'dot': image 'img/dot.png': not a valid" && ok ||
  ko "the strip should say which image"
[ "$(grep -c "reloaded $tmp/show/scene.yaml" "$tmp/log")" = 5 ] && ok || ko "a half-written image was swapped in"
kill -0 "$pid" 2>/dev/null && ok || ko "play should keep running after a half-written image"
# Tried again after the quiet period, without any further change of the file.
wait_for 2 "error: layer 'dot': image 'img/dot.png': not a valid PNG image" && ok ||
  ko "a refused image should be tried again"
cat "$src/tests/scenes/img/dot.png" > "$tmp/show/img/dot.png"
wait_for 6 "reloaded $tmp/show/scene.yaml" && ok || ko "the completed image should reload"
# New opening hours take effect at once (the old scene had none: nothing was due to look at
# the hours again).
scene 0.25 'schedule: {open: {mon-sun: closed}}
' > "$tmp/show/scene.yaml"
wait_for 7 "reloaded $tmp/show/scene.yaml" && ok || ko "a new schedule should reload"
wait_for 1 "outside opening hours: blank" && ok || ko "the reloaded schedule should close the room"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || { ko "play should exit 0 on SIGTERM, got $rc"; cat "$tmp/log"; }

echo "test_reload: $passed passed, $failed failed"
[ "$failed" = 0 ]
