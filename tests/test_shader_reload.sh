#!/usr/bin/env bash
# Hot reload of shader layers in `play`: saving the .fs file reloads the scene; a save that does
# not compile keeps the running version and names the shader's own line and the layer; fixing it
# reloads; the process stays up throughout.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }

mkdir -p "$tmp/show"
shader() {  # shader EXPRESSION: a still generator whose colour is EXPRESSION
  printf '/*{"ISFVSN": "2", "INPUTS": []}*/\n\nvoid main() {\n    gl_FragColor = %s;\n}\n' "$1"
}
shader 'vec4(1.0, 0.5, 0.0, 1.0)' > "$tmp/show/glow.fs"
printf 'format: vitrine/1\ncanvas:\n  size: [64, 36]\nlayers:\n  - id: glow\n    type: shader\n    src: glow.fs\n' > "$tmp/show/scene.yaml"
"$bin" play "$tmp/show/scene.yaml" --quit-after 60 --verbose >"$tmp/out" 2>"$tmp/log" & pid=$!

wait_for() {  # wait_for COUNT PATTERN: until the log holds COUNT such lines (20 s at most)
  for _ in $(seq 200); do
    [ "$(grep -c -- "$2" "$tmp/log")" -ge "$1" ] && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}
wait_for 1 "first frame presented" || ko "play should present its first frame"
shader 'vec4(0.0, 0.5, 1.0, 1.0)' > "$tmp/show/glow.fs"
wait_for 1 "reloaded $tmp/show/scene.yaml" && ok || ko "saving the shader should reload"
shader 'colr' > "$tmp/show/glow.fs"
wait_for 1 "was not reloaded" && ok || ko "a shader that does not compile should be refused"
grep -q "glow.fs:4:.*colr.*(layer 'glow' at $tmp/show/scene.yaml:5:5)" "$tmp/log" && ok ||
  { ko "the refusal should name the shader's line 4 and the layer"; cat "$tmp/log"; }
kill -0 "$pid" 2>/dev/null && ok || ko "play should keep running after a broken shader"
shader 'vec4(0.2)' > "$tmp/show/glow.fs"
wait_for 2 "reloaded $tmp/show/scene.yaml" && ok || ko "the fixed shader should reload"
kill -TERM "$pid"; wait "$pid"; rc=$?; pid=
[ "$rc" = 0 ] && ok || { ko "play should exit 0 on SIGTERM, got $rc"; cat "$tmp/log"; }

echo "test_shader_reload: $passed passed, $failed failed"
[ "$failed" = 0 ]
