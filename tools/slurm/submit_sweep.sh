#!/bin/bash
# Submits a sweep as a SLURM job array of TASKS tasks plus a merge job that waits for all of them.
# Usage: tools/slurm/submit_sweep.sh SWEEP.yaml SWEEP_DIR TASKS [extra sbatch options...]
# Example: tools/slurm/submit_sweep.sh scenarios/sweeps/funnel_sobol.yaml /scratch/$USER/sobol 32 --account=abc
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 SWEEP.yaml SWEEP_DIR TASKS [sbatch options...]" >&2
  exit 2
fi
SWEEP=$1 SWEEP_DIR=$2 TASKS=$3
shift 3
if ! [[ "$TASKS" =~ ^[1-9][0-9]{0,5}$ ]] || [ "$TASKS" -gt 100000 ]; then
  echo "$0: TASKS must be a whole number from 1 to 100000, got '$TASKS'" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
# Validate before queueing or creating anything: a bad sweep file exits 2 here, not in 32 jobs.
"${IMERSIM:-build/release/imersim}" sweep "$SWEEP" --out "$SWEEP_DIR" --dry-run --shard "$((TASKS - 1))/$TASKS"
mkdir -p logs "$SWEEP_DIR"
array=$(sbatch --parsable --array=0-$((TASKS - 1)) --export=ALL,SWEEP="$SWEEP",SWEEP_DIR="$SWEEP_DIR" "$@" \
  "$here/sweep_array.sbatch")
merge=$(sbatch --parsable --dependency=afterany:"$array" --export=ALL,SWEEP_DIR="$SWEEP_DIR" "$@" "$here/merge.sbatch")
echo "array job $array ($TASKS tasks), merge job $merge; results: $SWEEP_DIR/merged.h5"
