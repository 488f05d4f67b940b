#!/usr/bin/env bash
# The layering holds and its checks can fail: a source of engine/text including the renderer's
# header does not build (each module compiles against a view of engine/ holding only what it may
# use), and tools/check-layout.py refuses third-party and private headers out of place.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${VT_SOURCE_DIR:?VT_SOURCE_DIR must name the source tree}
build=${VT_BUILD_DIR:?VT_BUILD_DIR must name the build tree}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
bad() { failed=$((failed+1)); echo "FAIL: $1"; [ -f "$tmp/log" ] && sed 's/^/  | /' "$tmp/log" | tail -n 20; }

cmake --build "$build" --target layering_text_uses_io >"$tmp/log" 2>&1; st=$?
if [ "$st" = 0 ]; then ok; else bad "text including io/vt_io.h should build (exit $st)"; fi
cmake --build "$build" --target layering_text_uses_render >"$tmp/log" 2>&1; st=$?
if [ "$st" != 0 ] && grep -q 'render/vt_render.h' "$tmp/log"; then ok
else bad "text including render/vt_render.h should fail to build on that include (exit $st)"; fi

python3 "$src/tools/check-layout.py" >"$tmp/log" 2>&1; st=$?
if [ "$st" = 0 ]; then ok; else bad "tools/check-layout.py finds problems in the tree (exit $st)"; fi

# A copy with four breaches: each is named with its file and line.
mkdir -p "$tmp/copy/tools"
cp -r "$src/engine" "$src/CMakeLists.txt" "$tmp/copy/"; cp "$src/tools/check-layout.py" "$tmp/copy/tools/"
f=$tmp/copy/engine/text/utf8.c
{ echo '#include <SDL.h>'; echo '#include "render/vt_render.h"'; cat "$f"; } >"$f.new" && mv "$f.new" "$f"
echo '#include "audio/audio_internal.h"' >>"$tmp/copy/engine/app/main.c"
mkdir -p "$tmp/copy/tests"; printf 'cp ../%s/corpus/x.png .\n' "shared" >"$tmp/copy/tests/reads.sh"
(cd "$tmp/copy" && git init -q && git add -A) >/dev/null 2>&1
python3 "$tmp/copy/tools/check-layout.py" >"$tmp/log" 2>&1; st=$?
if [ "$st" = 1 ]; then ok; else bad "check-layout.py should exit 1 on a broken copy (exit $st)"; fi
for want in "engine/text/utf8.c:1: includes <SDL.h>, which only engine/platform may include" \
            "engine/text/utf8.c:2: includes render/vt_render.h, but engine/text may only use core, io, text" \
            "includes audio/audio_internal.h, private to engine/audio" \
            "tests/reads.sh:1: reads the shared folder beside the checkout"; do
  if grep -qF -- "$want" "$tmp/log"; then ok; else bad "check-layout.py should say: $want"; fi
done

echo "test_layering: $passed passed, $failed failed"
[ "$failed" = 0 ]
