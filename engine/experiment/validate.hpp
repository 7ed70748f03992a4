// Validation of simulated replicates against a target file: per target the mean, 95 % t-interval,
// relative error and PASS/FAIL; the composition-aware fit statistics; table text and HDF5 datasets.
#pragma once
#include <array>
#include <map>
#include <string>
#include <vector>

#include "analysis/fit.hpp"
#include "core/stage.hpp"
#include "experiment/runner.hpp"
#include "experiment/targets.hpp"
#include "output/dataset.hpp"

namespace imersim {

/// One target compared with the simulated replicates.
struct TargetFit {
  Target target;
  std::vector<double> replicates;  ///< simulated value of the outcome in each replicate (a share)
  MeanCi sim;                      ///< mean over replicates and its 95 % t-interval
  double relative_error = 0;       ///< (sim.mean - target) / target
  double z = 0;                    ///< log_share_z(sim.mean, target, tolerance, floor)
  bool pass = false;               ///< |relative_error| <= tolerance
};

/// The whole comparison.
struct FitReport {
  std::vector<TargetFit> fits;  ///< in TargetSet::all() order: five shares, then cohort targets
  double objective = 0;         ///< log-share chi-square: sum of z^2 over all targets (what calibrate minimises)
  double aitchison = 0;         ///< Aitchison distance of mean simulated stage composition to the targets
  double target_sum = 0;        ///< sum of the five target shares
  std::int64_t replicates = 0;
  [[nodiscard]] bool pass() const;   ///< every target within tolerance
  [[nodiscard]] int passed() const;  ///< number of targets within tolerance
};

/// Whether the reported months are a steady state: the relative change of each stage's share from
/// the first to the second half of the reported months, per replicate, then its mean and 95 %
/// t-interval over replicates. A stage drifts when that interval excludes 0 and the mean change is
/// at least `limit` in size; a burn-in too short for the upper stages shows here.
struct DriftCheck {
  std::int64_t months = 0;                         ///< reported months (halves of months / 2; an odd middle month is left out)
  double limit = 0;                                ///< smallest |mean change| that counts as drift
  std::array<MeanCi, kStages> change{};            ///< per stage: (second-half share / first-half share) - 1
  std::array<bool, kStages> drifting{};
  [[nodiscard]] bool steady() const;               ///< no stage drifts
};

/// The check on `run`'s replicates (from their stage_counts); months < 2 gives NaN changes, no drift.
DriftCheck drift_check(const RunResult& run, double limit = 0.05);

/// Lines for stdout: per stage the change with its interval, then the verdict (and, when a stage
/// drifts, what to do).
std::string drift_text(const DriftCheck& d);

/// HDF5 summary datasets (drift_*, axis stage) of the check.
std::vector<Dataset> drift_datasets(const DriftCheck& d);

/// Values of every outcome (outcome_specs() order) for each replicate of a run.
std::vector<std::vector<double>> run_outcomes(const RunResult& run);

/// Compares `outcomes` (one row per replicate, outcome_specs() order) with `targets`. A non-finite
/// simulated mean counts as the floor in z and fails its target.
FitReport evaluate_fit(const TargetSet& targets, const std::vector<std::vector<double>>& outcomes);

/// The stdout table: per target simulated % with CI, target %, relative error, tolerance, z, result;
/// then the statistics and the verdict.
std::string fit_table(const FitReport& report, const TargetSet& targets);

/// HDF5 summary datasets (fit_*) of the report; their `target` axis is labelled by the root
/// attribute `fit_targets` (see fit_attributes).
std::vector<Dataset> fit_datasets(const FitReport& report);

/// Root attributes describing the report: target file, labels, statistics, verdict.
std::map<std::string, std::string> fit_attributes(const FitReport& report, const TargetSet& targets);

}  // namespace imersim
