#!/usr/bin/env bash
# The frame offset between two `play` processes in step on one shared clock (docs/sync.md): a
# leader and a follower on this machine (loopback multicast, else unicast peers), an animated
# 30 fps scene, each writing the shared clock's time just after each frame's buffer swap
# (VT_TEST_FRAME_LOG). For every tick both drew, the offset is the follower's time minus the
# leader's. The offscreen driver swaps without waiting for a display, so this measures how
# close the two loops wake and draw (the shared-clock schedule plus each one's drawing time),
# not a projector's scan-out; both processes read the same system clock, so chrony or
# linuxptp's own error between machines (vitrine sync-status reports it) adds to it in a room.
# On a machine shared with other work the tail is the scheduler's: say so with the figures.
# Usage: [DURATION=20] bench/sync_offset.sh [build-dir]   (default build/release)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
bin=$build/vitrine
secs=${DURATION:-20}
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen} ALSOFT_DRIVERS=null
tmp=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${KEEP:-}" ] && cp -r "$tmp" "$KEEP"; rm -rf "$tmp"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$tmp/scene.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [640, 360], fps: 30}
layers:
  - {id: box, type: rect, size: [100, 100], color: "#ffffff"}
timelines:
  drift:
    autoplay: true
    loop: true
    duration: 4
    tracks:
      - target: box.position
        keys: [{t: 0, v: [0, 0]}, {t: 2, v: [540, 260]}, {t: 4, v: [0, 0]}]
YAML
printf '0123456789abcdef0123456789abcdef\n' > "$tmp/room.key"
for role in leader follower; do
  printf 'format: vitrine-config/1\nsync: {role: %s, group: "239.255.74.0:%s", interface: 127.0.0.1, secret_file: room.key}\n' \
    "$role" "$port" > "$tmp/$role.yaml"
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
VT_TEST_FRAME_LOG="$tmp/leader.txt" "$bin" play "$tmp/scene.yaml" --config "$tmp/leader.yaml" \
  --quit-after $((secs + 6)) 2>"$tmp/leader.log" &
sleep 1
VT_TEST_FRAME_LOG="$tmp/follower.txt" "$bin" play "$tmp/scene.yaml" \
  --config "$tmp/follower.yaml" --quit-after $((secs + 3)) 2>"$tmp/follower.log" &
wait
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Skip the first 2 s of the follower (it joins and warms up).
join <(sort "$tmp/leader.txt" | awk '{print $1, $3}') <(sort "$tmp/follower.txt" | awk '{print $1, $3}') |
  sort -n | awk 'NR == 1 {t0 = $1} $1 - t0 > 2 * 705600000 {print ($3 - $2) / 1e6}' > "$tmp/off.txt"
python3 - "$tmp/off.txt" "$(wc -l < "$tmp/leader.txt")" "$(wc -l < "$tmp/follower.txt")" <<'PY'
import statistics, sys
off = [float(x) for x in open(sys.argv[1])]
if not off:
    sys.exit("no tick drawn by both: see the logs")
a = sorted(abs(x) for x in off)
q = lambda p: a[min(len(a) - 1, int(p * len(a)))]
print(f"frames drawn: leader {sys.argv[2]}, follower {sys.argv[3]}, same tick on both: {len(off)}")
print(f"follower - leader at the same tick: median {statistics.median(off):+.3f} ms, "
      f"|offset| median {q(0.5):.3f} ms, 95th {q(0.95):.3f} ms, max {a[-1]:.3f} ms; "
      f"{sum(x > 1000 / 60 for x in a)} of {len(a)} beyond one 60 Hz refresh (16.7 ms)")
PY
