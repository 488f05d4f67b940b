#!/usr/bin/env bash
# Submits a Vitrine render to a Slurm cluster (docs/render-farm.md): a job array of N parts,
# then the merge, which starts only once every part has succeeded.
#   tools/render-farm-submit.sh [--sbatch OPTION]... N SCENE DIR [RENDER OPTIONS]
# e.g. tools/render-farm-submit.sh --sbatch --partition=render 16 /shared/show.yaml \
#        /shared/out --duration 600 --audio /shared/out/sound.wav
# Prints the two job ids (parts, merge). --sbatch passes an option to both sbatch calls
# (a partition, an account, a time limit). VITRINE and SDL_VIDEODRIVER reach the jobs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
extra=()
while [ $# -gt 0 ] && [ "$1" = --sbatch ]; do
  [ $# -ge 2 ] || { echo "render-farm-submit: --sbatch needs an option" >&2; exit 64; }
  extra+=("$2"); shift 2
done
if [ $# -lt 3 ] || ! [[ $1 =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: render-farm-submit.sh [--sbatch OPTION]... N SCENE DIR [RENDER OPTIONS]" >&2
  exit 64
fi
parts=$1 scene=$2 dir=$3; shift 3
mkdir -p "$dir"
# --parsable prints "jobid" or "jobid;cluster"
array=$(sbatch --parsable "${extra[@]}" --array="1-$parts" --job-name=vitrine-render \
  --output="$dir/slurm-render-%A_%a.log" "$here/render-farm.sbatch" part "$parts" "$scene" "$dir" "$@")
array=${array%%;*}
merge=$(sbatch --parsable "${extra[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --job-name=vitrine-merge --output="$dir/slurm-merge-%j.log" "$here/render-farm.sbatch" merge "$dir")
merge=${merge%%;*}
echo "$array $merge"
