// Validation of simulated replicates against a target file: per target the mean, 95 % t-interval,
// relative error and PASS/FAIL; the composition-aware fit statistics; table text and HDF5 datasets.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "analysis/fit.hpp"
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
