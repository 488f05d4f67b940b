#!/usr/bin/env bash
# Installs what is missing, builds Vitrine (Release) and plays the demo exhibit in a window.
# Without a display it renders a still of the demo to build/demo/ instead and says where.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DVT_TESTS=OFF >/dev/null
cmake --build build/release -j"$(nproc 2>/dev/null || echo 2)"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/release/vitrine play scenes/demo.yaml "$@"
fi
echo "demo: no display found; rendering a still of the demo instead"
build/release/vitrine render scenes/demo.yaml --out build/demo "$@"
echo "demo: open build/demo/frame_00000.png (or run this again on a machine with a display)"
