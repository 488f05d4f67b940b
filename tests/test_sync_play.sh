#!/usr/bin/env bash
# Two (then three) `play` processes on this machine in step on one shared clock (docs/sync.md):
# a leader and a follower on loopback multicast (unicast peers on 127.0.0.1 where this machine
# cannot loop multicast back: the test says which). A key pressed on the follower is ordered by
# the leader and starts the story on both at the same tick; a follower started late joins in
# step (its frames at the same ticks are the leader's, byte for byte); a forged packet (another
# secret) is dropped and counted, the same packet properly signed is taken.
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d); pids=()
trap 'for q in "${pids[@]}"; do kill "$q" 2>/dev/null; done; rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
py=python3; [ -x /usr/bin/python3 ] && py=/usr/bin/python3
wait_for() {  # wait_for LOG PATTERN: until LOG holds a line matching PATTERN (30 s)
  for _ in $(seq 300); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
. "$(dirname "$0")/sync_lib.sh"

# Can this machine loop multicast back to itself?
group_port=$(free_port)
if multicast_loops "$group_port"; then mode=multicast; else mode=peers; fi
mode=${VT_TEST_SYNC_MODE:-$mode}  # VT_TEST_SYNC_MODE=peers tries the other way
echo "test_sync_play: group traffic over $mode on 127.0.0.1"

cat > "$tmp/scene.yaml" <<'YAML'
format: vitrine/1
canvas: {size: [64, 36], fps: 20}
layers:
  - {id: box, type: rect, size: [10, 10], color: "#ffffff"}
states: {custom: [visit], idle_after: 600}
timelines:
  story:
    duration: 10
    tracks:
      - target: box.position
        keys: [{t: 0, v: [0, 0]}, {t: 10, v: [54, 26]}]
triggers:
  - when: {key: space}
    do: {play: story}
  - when: {osc: /room/door}
    do: {state: visit}
YAML
printf '0123456789abcdef0123456789abcdef\n' > "$tmp/room.key"
pa=$(free_port); pb=$(free_port); pc=$(free_port)
config() {  # config NAME ROLE PORT
  if [ "$mode" = multicast ]; then
    group="\"239.255.74.0:$group_port\""
  else
    group="[\"127.0.0.1:$pa\", \"127.0.0.1:$pb\", \"127.0.0.1:$pc\"], port: $3"
  fi
  printf 'format: vitrine-config/1\nsync: {role: %s, group: %s, interface: 127.0.0.1, secret_file: room.key, delay: 0.25}\nmetrics: {file: %s.prom, interval: 1}\n' \
    "$2" "$group" "$1" > "$tmp/$1.yaml"
}
# offset NAME ROLE: the value of vitrine_sync_offset_seconds{role="ROLE"} in NAME.prom
offset() { sed -n 's/^vitrine_sync_offset_seconds{role="'"$2"'"} //p' "$tmp/$1.prom" 2>/dev/null; }
config leader leader "$pa"; config follower follower "$pb"; config late follower "$pc"
# The leader's address, for packets sent to it.
if [ "$mode" = multicast ]; then to="239.255.74.0 $group_port"; else to="127.0.0.1 $pa"; fi

mkdir -p "$tmp/L" "$tmp/C"
VT_TEST_CAPTURE="$tmp/L" VT_TEST_FRAME_LOG="$tmp/L.txt" "$bin" play "$tmp/scene.yaml" \
  --config "$tmp/leader.yaml" --quit-after 150 --verbose >/dev/null 2>"$tmp/L.log" & pids+=($!)
wait_for "$tmp/L.log" "first frame presented" || ko "the leader should present its first frame"
printf '1.0 key space\n' > "$tmp/keys.txt"
VT_TEST_FRAME_LOG="$tmp/F.txt" "$bin" play "$tmp/scene.yaml" --config "$tmp/follower.yaml" \
  --events "$tmp/keys.txt" --quit-after 150 --verbose >/dev/null 2>"$tmp/F.log" & pids+=($!)
wait_for "$tmp/F.log" "following the leader" && ok || ko "the follower should find the leader"

# The key pressed on the follower: ordered by the leader, applied by both at one tick.
wait_for "$tmp/L.log" "ordered entry #1 at tick" && ok || ko "the leader should order the key"
wait_for "$tmp/F.log" "applied entry #1 at tick" && ok || ko "the follower should apply it"
wait_for "$tmp/L.log" "applied entry #1 at tick" && ok || ko "the leader should apply it"
tl=$(grep -o "applied entry #1 at tick [0-9]*" "$tmp/L.log" | grep -o "[0-9]*$")
tf=$(grep -o "applied entry #1 at tick [0-9]*" "$tmp/F.log" | grep -o "[0-9]*$")
[ -n "$tl" ] && [ "$tl" = "$tf" ] && ok || ko "the key should apply at one tick: leader $tl, follower $tf"
sleep 1
# Their frame logs: no frame before that tick is active, both show the story after it (the
# first frame after it may come a frame or two late on a loaded machine, on either), and every
# tick both drew shows the same state.
first_active() { awk '$2 == "active" {print $1; exit}' "$1"; }
for who in L F; do
  fa=$(first_active "$tmp/$who.txt")
  [ -n "$fa" ] && [ "$fa" -ge "${tl:-0}" ] && ok || ko "$who: first active frame at tick '$fa', the key at $tl"
done
common=$(join <(awk '{print $1, $2}' "$tmp/L.txt" | sort) <(awk '{print $1, $2}' "$tmp/F.txt" | sort))
n=$(echo "$common" | awk '$1 >= '"${tl:-0}"' {n++} END {print n+0}')
[ "$n" -ge 5 ] && ok || ko "leader and follower should draw the same ticks (only $n in common)"
echo "$common" | awk '$2 != $3 {bad++} END {exit bad > 0}' && ok || ko "states differ at one tick"

# A follower started late (the story running) asks for the epoch and the entries, replays
# them and draws what the leader draws.
VT_TEST_CAPTURE="$tmp/C" "$bin" play "$tmp/scene.yaml" --config "$tmp/late.yaml" \
  --quit-after 8 --verbose >/dev/null 2>"$tmp/C.log"; rc=$?
[ "$rc" = 0 ] && ok || ko "the late follower should end cleanly, exit $rc"
grep -q "following the leader: epoch .* 2 entries" "$tmp/C.log" && ok ||
  ko "the late follower should get the epoch and 2 entries: $(grep sync "$tmp/C.log")"
grep -q "applied entry #1 at tick $tl\$" "$tmp/C.log" && ok || ko "the late follower should replay the key at tick $tl"
same=0; differ=0
# Before it joined, a follower plays on its own clock from tick 0; joining moves it forward to
# the leader's ticks (seconds ahead): frames before that jump, if it drew any, are its own.
joined=$(awk 'NR > 1 && $2 - prev > 705600000 {print NR; exit} {prev = $2}' "$tmp/C/frames.txt")
# (frames the energy governors drew at different scales are not comparable: left out)
n_line=0
while read -r i t w h _; do
  n_line=$((n_line+1))
  [ "$n_line" -ge "${joined:-1}" ] || continue
  [ "$t" -ge "${tl:-0}" ] || continue  # before the key, nothing to compare
  l=$(awk -v t="$t" -v w="$w" -v h="$h" '$2 == t && $3 == w && $4 == h {print $1; exit}' "$tmp/L/frames.txt")
  [ -n "$l" ] || continue
  if cmp -s "$tmp/C/play_$i.png" "$tmp/L/play_$l.png"; then same=$((same+1)); else differ=$((differ+1)); fi
done < "$tmp/C/frames.txt"
[ "$same" -ge 3 ] && [ "$differ" = 0 ] && ok ||
  ko "the late follower's frames should be the leader's at the same ticks: $same same, $differ differ"

# A forged packet (another secret): dropped and counted, never ordered. The same packet
# signed with the room's secret is taken: the signature alone made the difference.
# shellcheck disable=SC2086
"$py" "$src/tests/sync_client.py" $to "$tmp/room.key" --bad-key input /room/door
wait_for "$tmp/L.log" "dropped a packet from 127.0.0.1:[0-9]*: bad HMAC.* (1 so far)" && ok ||
  ko "the leader should drop the forged packet"
sleep 0.5
grep -q "ordered entry #2" "$tmp/L.log" && ko "a forged input was ordered" || ok
# shellcheck disable=SC2086
"$py" "$src/tests/sync_client.py" $to "$tmp/room.key" input /room/door
wait_for "$tmp/L.log" "ordered entry #2 at tick" && ok || ko "a signed input should be ordered"
wait_for "$tmp/F.log" "applied entry #2 at tick" && ok || ko "the follower should apply it"
# sync-status asks the room: both answer with their offset and round trip (the same clock: a
# small offset; 75 only if this busy machine delayed an answer past 2 ms); with another secret
# nobody answers (69).
"$bin" sync-status --config "$tmp/late.yaml" >"$tmp/status.txt" 2>&1; rc=$?
{ [ "$rc" = 0 ] || [ "$rc" = 75 ]; } && ok || ko "sync-status should reach the room, exit $rc: $(cat "$tmp/status.txt")"
grep -q "^sync-status: 2 machines answered" "$tmp/status.txt" && ok || ko "sync-status: $(cat "$tmp/status.txt")"
grep -Eq "leader +offset [-+][0-9.]+ ms  round trip [0-9.]+ ms" "$tmp/status.txt" && ok ||
  ko "sync-status should measure the leader: $(cat "$tmp/status.txt")"
sed 's/secret_file: room.key/secret: "not the room secret at all"/' "$tmp/late.yaml" > "$tmp/other.yaml"
"$bin" sync-status --config "$tmp/other.yaml" >"$tmp/status.txt" 2>&1; rc=$?
[ "$rc" = 69 ] && ok || ko "sync-status with another secret should exit 69, got $rc: $(cat "$tmp/status.txt")"
"$bin" sync-status >/dev/null 2>&1; rc=$?
[ "$rc" = 64 ] && ok || ko "sync-status without --config should exit 64, got $rc"

# The fleet metric: the leader writes 0 with its role; a follower pings its leader every second
# as sync-status does and writes its smoothed offset (one clock here: well under a ms, allowing
# for a loaded machine); a follower whose clock reads 3 ms ahead (a test hook) measures it.
lo=$(offset leader leader); fo=$(offset follower follower)
[ "$lo" = 0 ] && ok || ko "the leader's metric should be 0 with role leader: $(grep sync_offset "$tmp/leader.prom")"
awk -v v="$fo" 'BEGIN {exit !(v != "" && v != "NaN" && v > -0.002 && v < 0.002)}' && ok ||
  ko "the follower's offset should be measured and small: '$fo' ($(grep sync_offset "$tmp/follower.prom"))"
grep -q "the leader's clock is [-+][0-9.]* ms from this one's" "$tmp/F.log" && ok ||
  ko "the follower should log its first offset: $(grep "clock" "$tmp/F.log")"
rm -f "$tmp/late.prom"
VITRINE_TEST_SYNC_SKEW_MS=3 "$bin" play "$tmp/scene.yaml" --config "$tmp/late.yaml" \
  --quit-after 4 --verbose >/dev/null 2>"$tmp/S.log"; rc=$?
so=$(offset late follower)
[ "$rc" = 0 ] && awk -v v="$so" 'BEGIN {exit !(v != "" && v > 0.0015 && v < 0.0045)}' && ok ||
  ko "a follower 3 ms ahead should measure about +0.003 s, exit $rc: '$so' ($(grep -i "clock\|sync_offset" "$tmp/S.log" "$tmp/late.prom"))"
grep -q "the leader's clock is -[0-9.]* ms from this one's: frames may land a refresh apart" "$tmp/S.log" && ok ||
  ko "3 ms off should be warned about: $(grep clock "$tmp/S.log")"

sleep 0.5
for q in "${pids[@]}"; do kill -TERM "$q" 2>/dev/null; done
for q in "${pids[@]}"; do wait "$q"; done; pids=()
# the forged packet and sync-status's pings with another secret
grep -Eq "sync: .* packets: .* [1-9][0-9]* forged" "$tmp/L.log" && ok || ko "the leader should count the forged packets: $(grep packets: "$tmp/L.log")"
[ "$(tail -1 "$tmp/F.txt" | awk '{print $2}')" = visit ] && ok || ko "the follower should end in visit"

echo "test_sync_play ($mode): $passed passed, $failed failed"
[ "$failed" = 0 ]
