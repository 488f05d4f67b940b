#!/usr/bin/env bash
# A synced room (docs/sync.md) that returns to attract: the leader starts the show over on every
# machine at one tick, and a follower started afterwards replays only what follows that restart
# (its log starts there) and draws what the leader draws. Loopback multicast, else unicast peers
# on 127.0.0.1 (the test says which).
set -u
bin=${VT_BIN:?}
tmp=$(mktemp -d); pids=()
trap 'for q in "${pids[@]}"; do kill "$q" 2>/dev/null; done; [ -n "${KEEP:-}" ] && cp -r "$tmp" "$KEEP"; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
wait_for() {  # wait_for LOG PATTERN (40 s)
  for _ in $(seq 400); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
. "$(dirname "$0")/sync_lib.sh"
gp=$(free_port); pa=$(free_port); pb=$(free_port)
if multicast_loops "$gp"; then mode=multicast; else mode=peers; fi
mode=${VT_TEST_SYNC_MODE:-$mode}
echo "test_sync_restart: group traffic over $mode on 127.0.0.1"
cat > "$tmp/scene.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [64, 36], fps: 20}
layers:
  - {id: box, type: rect, size: [10, 10], color: "#ffffff"}
states: {idle_after: 1.5}
timelines:
  drift:
    autoplay: true
    loop: true
    duration: 3
    tracks:
      - target: box.position
        keys: [{t: 0, v: [0, 0]}, {t: 1.5, v: [54, 26]}, {t: 3, v: [0, 0]}]
YAML
printf '0123456789abcdef0123456789abcdef\n' > "$tmp/room.key"
for r in leader:$pa follower:$pb; do
  role=${r%%:*}; port=${r##*:}
  if [ "$mode" = multicast ]; then group="\"239.255.74.0:$gp\""
  else group="[\"127.0.0.1:$pa\", \"127.0.0.1:$pb\"], port: $port"; fi
  printf 'format: vitrine-config/1\nsync: {role: %s, group: %s, interface: 127.0.0.1, secret_file: room.key, delay: 0.25}\n' \
    "$role" "$group" > "$tmp/$role.yaml"
done
mkdir -p "$tmp/L" "$tmp/F"
printf '0.5 key space\n' > "$tmp/keys.txt"
VT_TEST_CAPTURE="$tmp/L" "$bin" play "$tmp/scene.yaml" --config "$tmp/leader.yaml" \
  --events "$tmp/keys.txt" --quit-after 120 --verbose >/dev/null 2>"$tmp/L.log" & pids+=($!)
# The key wakes the room (entry #1); 1.5 s of silence later it returns to attract and the
# leader orders a restart (entry #2).
wait_for "$tmp/L.log" "ordered entry #1 at tick" && ok || ko "the leader should order the key"
wait_for "$tmp/L.log" "ordered entry #2 (restart) at tick" && ok || ko "back in attract, the leader should order a restart"
wait_for "$tmp/L.log" "applied entry #2 (restart) at tick" && ok || ko "the leader should apply its restart"
tr=$(grep -o "applied entry #2 (restart) at tick [0-9]*" "$tmp/L.log" | grep -o "[0-9]*$")
# A follower started now replays only from the restart, and draws what the leader draws.
VT_TEST_CAPTURE="$tmp/F" "$bin" play "$tmp/scene.yaml" --config "$tmp/follower.yaml" \
  --quit-after 8 --verbose >/dev/null 2>"$tmp/F.log"; rc=$?
[ "$rc" = 0 ] && ok || ko "the follower should end cleanly, exit $rc"
grep -q "following the leader: epoch .* 1 entries" "$tmp/F.log" && ok ||
  ko "the follower's log should start at the restart: $(grep following "$tmp/F.log")"
grep -q "applied entry #2 (restart) at tick $tr\$" "$tmp/F.log" && ok || ko "the follower should restart at tick $tr"
grep -q "applied entry #1 " "$tmp/F.log" && ko "entries before the restart should not be replayed" || ok
same=0; differ=0
# (frames the energy governors drew at different scales are not comparable: left out)
while read -r i t w h _; do
  [ "$t" -ge "${tr:-0}" ] || continue  # before it joined, a follower plays on its own
  l=$(awk -v t="$t" -v w="$w" -v h="$h" '$2 == t && $3 == w && $4 == h {print $1; exit}' "$tmp/L/frames.txt")
  [ -n "$l" ] || continue
  if cmp -s "$tmp/F/play_$i.png" "$tmp/L/play_$l.png"; then same=$((same+1)); else differ=$((differ+1)); fi
done < "$tmp/F/frames.txt"
[ "$same" -ge 3 ] && [ "$differ" = 0 ] && ok ||
  ko "the follower's frames should be the leader's at the same ticks: $same same, $differ differ"
echo "test_sync_restart ($mode): $passed passed, $failed failed"
[ "$failed" = 0 ]
