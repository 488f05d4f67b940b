#!/usr/bin/env bash
# The render farm on a real Slurm: the test starts a single-node cluster on this machine as the
# current user (munged with a key of its own, slurmctld and slurmd with a slurm.conf in a
# temporary folder, on free ports), submits tools/render-farm-submit.sh (a job array of parts,
# then the merge once they all succeed) and compares the result with one render: frames, WAV
# and render.json byte for byte. Skipped (77), saying why, where Slurm or munge is missing or
# the cluster cannot start (a container without the rights slurmd needs).
set -u
bin=${VT_BIN:?}; src=${VT_SOURCE_DIR:?}
tmp=$(mktemp -d)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  [ -s "$tmp/munge/munged.pid" ] && kill "$(cat "$tmp/munge/munged.pid")" 2>/dev/null
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
passed=0; failed=0
export ALSOFT_DRIVERS=${ALSOFT_DRIVERS:-null} SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
ok() { passed=$((passed+1)); }
ko() { failed=$((failed+1)); echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; for f in "$tmp"/log/*; do [ -s "$f" ] && tail -n 3 "$f" | sed "s|^|  ${f##*/}: |"; done; exit 77; }
for c in munged munge unmunge slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$c" >/dev/null || skip "$c is not installed (apt install slurm-wlm munge)"
done

# munge: its own key, socket and files, forced to run as whoever we are
mkdir -p "$tmp/munge" "$tmp/state" "$tmp/spool" "$tmp/log" && chmod 700 "$tmp/munge"
head -c 1024 /dev/urandom >"$tmp/munge/munge.key" && chmod 600 "$tmp/munge/munge.key"
sock=$tmp/munge/munge.sock
munged --force --socket="$sock" --key-file="$tmp/munge/munge.key" --log-file="$tmp/log/munged.log" \
  --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/seed" 2>"$tmp/log/munged.err" ||
  skip "munged does not start"
for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
echo hello | munge -S "$sock" 2>/dev/null | unmunge -S "$sock" >/dev/null 2>&1 ||
  skip "munge does not work here"

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
node=$(hostname -s) user=$(id -un)
cat >"$tmp/slurm.conf" <<CONF
ClusterName=vitrinetest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
PlugStackConfig=$tmp/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$node NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
: >"$tmp/plugstack.conf"
export SLURM_CONF=$tmp/slurm.conf
slurmctld -D -f "$SLURM_CONF" >"$tmp/log/slurmctld.out" 2>&1 & pids+=($!)
slurmd -D -f "$SLURM_CONF" >"$tmp/log/slurmd.out" 2>&1 & pids+=($!)
for i in $(seq 60); do
  sinfo -h -o %t 2>/dev/null | grep -qx idle && break
  sleep 0.5
done
sinfo -h -o %t 2>/dev/null | grep -qx idle || skip "the single-node Slurm did not come up"

cd "$tmp" || exit 1
render=("$src/scenes/demo.yaml" --events "$src/scenes/demo.events" --size 128x72 --fps 10
        --start 0.3 --frames 15 --quiet)
"$bin" render "${render[@]}" --out one --audio "$tmp/sound.wav" || ko "one-piece render"
mkdir ref && mv sound.wav ref/
ids=$(VITRINE=$bin "$src/tools/render-farm-submit.sh" 3 "${render[@]::1}" "$tmp/farm" \
      "${render[@]:1}" --audio "$tmp/sound.wav") || ko "render-farm-submit.sh"
read -r array merge <<<"$ids"
[ -n "${merge:-}" ] && ok || ko "two job ids expected, got '$ids'"
state=
for i in $(seq 600); do
  state=$(scontrol show job "${merge:-0}" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
  case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
  sleep 0.5
done
[ "$state" = COMPLETED ] && ok || {
  ko "the merge job ended $state"; cat "$tmp"/farm/slurm-*.log 2>/dev/null | tail -n 20; }
parts=$(ls "$tmp"/farm/render.part*.json 2>/dev/null | wc -l)
[ "$parts" = 3 ] && ok || ko "3 part manifests expected, got $parts"
n=0
for f in one/frame_*.png; do
  n=$((n+1)); cmp -s "$f" "farm/${f#one/}" || ko "farm/${f#one/} differs from the one-piece render's"
done
[ "$n" = 15 ] && ok || ko "15 frames expected, got $n"
cmp -s one/render.json farm/render.json && ok || ko "render.json differs from the one-piece render's"
cmp -s ref/sound.wav sound.wav && ok || ko "the WAV differs from the one-piece render's"

echo "test_render_farm_slurm: $passed passed, $failed failed"
[ "$failed" = 0 ]
