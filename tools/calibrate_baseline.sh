#!/usr/bin/env bash
# Re-runs the whole calibration of the shipped baseline: five resumable stages, in order.
#   stage 1: scenarios/calibration_baseline.yaml        -> configs/calibrated_baseline.yaml
#   stage 2: scenarios/calibration_baseline_refine.yaml -> configs/calibrated_baseline_refine.yaml
#   stage 3: scenarios/calibration_baseline_stage3.yaml -> configs/calibrated_baseline_stage3.yaml
#   stage 4: scenarios/calibration_baseline_stage4.yaml -> configs/calibrated_baseline_stage4.yaml
#   stage 5: scenarios/calibration_baseline_steady.yaml -> configs/calibrated_baseline_steady.yaml (used by scenarios/baseline.yaml)
# Killed at any point, running it again continues where it stopped. Extra arguments (e.g. --threads 2)
# go to every stage.
set -euo pipefail
cd "$(dirname "$0")/.."
cli=build/release/imersim
for stage in calibration_baseline calibration_baseline_refine calibration_baseline_stage3 calibration_baseline_stage4 calibration_baseline_steady; do
  "$cli" calibrate "scenarios/$stage.yaml" "$@"
done
