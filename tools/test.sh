#!/usr/bin/env bash
# Installs what is missing, builds Vitrine with AddressSanitizer + UndefinedBehaviorSanitizer,
# checks that the Release build (-O3) is free of warnings, runs every test headless (Mesa
# llvmpipe through SDL's offscreen EGL driver: no display, no GPU needed) and, when clang is
# present, a short run of each fuzz target. Ends with "tools/test.sh: N passed, N failed,
# N skipped": a test that cannot run here (exit 77) and a fuzz target not run are skipped,
# never passed.
#   tools/test.sh            everything
#   VT_FUZZ_SECONDS=0 tools/test.sh   skip the fuzzing runs
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

tools/install-deps.sh

echo "== build: Debug with ASan + UBSan (build/asan)"
cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DVT_SANITIZE=ON >/dev/null
cmake --build build/asan -j"$jobs"

echo "== build: Release -O3, warnings are errors (build/release)"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DVT_TESTS=OFF >/dev/null
cmake --build build/release -j"$jobs"

echo "== tests"
export SDL_VIDEODRIVER=offscreen ALSOFT_DRIVERS=null
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
status=0 passed=0 failed=0 skipped=0 skipped_names=()
ctest --test-dir build/asan --output-on-failure -j"$jobs" | tee build/asan/ctest.log || status=1
summary=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' build/asan/ctest.log || true)
if [ -z "$summary" ]; then echo "no test ran"; exit 1; fi
total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
failed=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$summary")
# ctest counts a skipped test (exit 77) among the passed ones and lists it under "The following
# tests did not run:" as "  N - name (Skipped)".
mapfile -t skipped_names < <(sed -nE 's/^[[:space:]]+[0-9]+ - (.+) \(Skipped\)$/\1/p' \
  build/asan/ctest.log)
skipped=${#skipped_names[@]}
passed=$((total - failed - skipped)); [ "$failed" = 0 ] || status=1

echo "== checks: layering and formatting"
# The layering the build cannot see (third-party and private headers out of place).
if python3 tools/check-layout.py; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
# The engine's code as .clang-format sets it (tests keep their hand-aligned tables).
if command -v clang-format >/dev/null; then
  mapfile -t unformatted < <(git ls-files 'engine/*.c' 'engine/*.h' 'fuzz/*.c' 'bench/*.c' |
    while read -r f; do clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"; done)
  if [ ${#unformatted[@]} = 0 ]; then
    echo "format: every engine, fuzz and bench file follows .clang-format"; passed=$((passed + 1))
  else
    echo "format: these files do not follow .clang-format (fix with clang-format -i FILE...):"
    printf '  %s\n' "${unformatted[@]}"; failed=$((failed + 1)); status=1
  fi
else
  skipped_names+=("format check (no clang-format)"); skipped=$((skipped + 1))
fi

fuzz_seconds=${VT_FUZZ_SECONDS:-20}
if command -v clang >/dev/null && [ "$fuzz_seconds" != 0 ]; then
  echo "== fuzz: ${fuzz_seconds} s per target (build/fuzz)"
  CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=Debug -DVT_FUZZ=ON -DVT_TESTS=OFF >/dev/null
  cmake --build build/fuzz -j"$jobs"
  for target in build/fuzz/fuzz_*; do
    name=$(basename "$target"); corpus=tests/fuzz-corpus/${name#fuzz_}
    work=$(mktemp -d); cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    if "$target" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
         -artifact_prefix="build/fuzz/$name-" \
         -print_final_stats=0 "$work" >"build/fuzz/$name.log" 2>&1; then
      echo "$name: no crash in ${fuzz_seconds} s ($(ls "$work" | wc -l) corpus inputs)"
      passed=$((passed + 1))
    else
      echo "$name: FAILED, see build/fuzz/$name.log"; tail -n 30 "build/fuzz/$name.log"; status=1
      failed=$((failed + 1))
    fi
    rm -rf "$work"
  done
else
  why="no clang"; [ "$fuzz_seconds" = 0 ] && why="VT_FUZZ_SECONDS=0"
  echo "== fuzz: skipped ($why)"
  for src in fuzz/fuzz_*.c; do
    name=$(basename "$src" .c); skipped_names+=("$name ($why)"); skipped=$((skipped + 1))
  done
fi
for name in "${skipped_names[@]}"; do echo "skipped: $name"; done
echo "tools/test.sh: $passed passed, $failed failed, $skipped skipped"
exit $status
