#!/usr/bin/env bash
# The scene format's JSON Schema against its documentation, the demo scenes and the invalid
# fixtures; then, when the vitrine binary works, `vitrine check` on the demo scenes.
#
# Complete examples in docs/scene-format.md (```yaml blocks whose first line is
# `format: vitrine/1`) must be valid; an example of a mistake must start some other way (with a
# comment, say). Environment: VT_SOURCE_DIR (the source tree; default: this file's parent
# folder), VT_BIN (the vitrine program; without it that part is skipped, and the test exits 77).
set -u

src="${VT_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
py=/usr/bin/python3
schema="$src/docs/scene.schema.json"
passed=0
failed=0
skipped=0

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL: $*"; }

finish() {
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ] || exit 1
    [ "$skipped" -eq 0 ] || exit 77 # ctest's SKIP_RETURN_CODE
    exit 0
}

if ! "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
    fail "$py lacks jsonschema or yaml (Debian: python3-jsonschema python3-yaml)"
    finish
fi

shopt -s nullglob
scenes=("$src"/scenes/*.yaml)
valid=("$src"/tests/schema/valid-*.yaml)
invalid=("$src"/tests/schema/invalid-*.yaml)
shopt -u nullglob

[ "${#scenes[@]}" -ge 1 ] || fail "no scenes/*.yaml found"
[ "${#invalid[@]}" -ge 8 ] || fail "only ${#invalid[@]} tests/schema/invalid-*.yaml (want >= 8)"

# One line per case from the validator: "ok - ..." or "not ok - ..." (details indented).
out="$("$py" "$src/tests/schema/validate.py" "$schema" \
    --docs "$src/docs/scene-format.md" \
    --valid "${scenes[@]}" "${valid[@]}" \
    --invalid "${invalid[@]}" 2>&1)"
rc=$?
echo "$out"
ok_lines=$(grep -c '^ok - ' <<<"$out")
bad_lines=$(grep -c '^not ok - ' <<<"$out")
passed=$((passed + ok_lines))
failed=$((failed + bad_lines))
if [ "$rc" -ne 0 ] && [ "$bad_lines" -eq 0 ]; then
    fail "validate.py exited with status $rc"
fi
expected_cases=$(( ${#scenes[@]} + ${#valid[@]} + ${#invalid[@]} ))
examples=$(sed -n 's/^examples: \([0-9]*\)$/\1/p' <<<"$out")
examples=${examples:-0}
if [ $((ok_lines + bad_lines)) -ne $((expected_cases + examples)) ]; then
    fail "validate.py reported $((ok_lines + bad_lines)) cases," \
        "expected $((expected_cases + examples))"
fi
if [ "$examples" -lt 3 ]; then
    fail "found only $examples complete examples in docs/scene-format.md (want >= 3)"
else
    pass
fi

# The engine's own checker must accept the demo scenes too.
if [ -n "${VT_BIN:-}" ] && ! "$VT_BIN" --version >/dev/null 2>&1; then
    fail "'$VT_BIN --version' failed: VT_BIN must name a working vitrine"
elif [ -n "${VT_BIN:-}" ]; then
    for s in "${scenes[@]}"; do
        "$VT_BIN" check "$s"
        status=$?
        if [ "$status" -eq 0 ]; then
            pass
            echo "ok - vitrine check ${s#"$src"/}"
        else
            fail "vitrine check ${s#"$src"/} exited with status $status (want 0)"
        fi
    done
else
    echo "skipped: 'vitrine check' of the scenes (VT_BIN unset)"
    skipped=$((skipped + 1))
fi

finish
