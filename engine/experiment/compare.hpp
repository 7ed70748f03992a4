// `imersim compare`: runs a baseline and policy scenarios with the same seeds (common random
// numbers), optionally all branching from one saved state, and reports per policy the mean paired
// difference of each outcome with a 95 % CI and the government cost per additional Imer reaching
// Survivor and per failure avoided (Fieller intervals). --until-ci adds replicates in batches.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/paired.hpp"
#include "experiment/runner.hpp"
#include "output/dataset.hpp"
#include "scenario/scenario.hpp"

namespace imersim {

struct SavedStates;

struct CompareOptions {
  std::int64_t replicates = 1;      ///< replicates of the first batch, and of each added batch
  double until_ci = 0;              ///< > 0: add batches until every CI half-width <= until_ci x outcome level
  std::int64_t max_replicates = 100;  ///< stop adding batches here
  const SavedStates* from = nullptr;  ///< every scenario starts from this state (checked compatible)
  std::string from_path;              ///< its path, for messages
  ProgressFn progress;                ///< per simulated month of each scenario's batch
};

/// The comparison of one policy scenario with the baseline.
struct PolicyComparison {
  std::string name;
  std::vector<PairedDifference> differences;  ///< per compared outcome (compared_outcomes() order)
  Ratio cost_per_survivor;                    ///< government_cost / reached_survivor differences, IDR/agent
  Ratio cost_per_failure_avoided;             ///< government_cost / -(exits_total) differences, IDR/agent
};

struct CompareResult {
  std::vector<std::string> scenarios;                  ///< names, baseline first
  std::vector<std::vector<std::vector<double>>> values;  ///< [scenario][replicate][compared outcome]
  std::vector<PolicyComparison> policies;              ///< one per policy scenario
  std::int64_t replicates = 0;
  bool target_met = true;                              ///< --until-ci target reached (true without one)
};

/// Names of the outcomes compare reports (from the registry in analysis/outcomes.hpp).
const std::vector<std::string>& compared_outcomes();

/// Runs `scenarios` (baseline first, then policies; at least two). Throws InputError when they do
/// not share run.seed, run.burn_in_months and run.months, or do not fit options.from.
CompareResult run_compare(const std::vector<Scenario>& scenarios, const CompareOptions& options);

/// The stdout table: per policy, each outcome's baseline mean, policy mean, difference and CI, then
/// the cost-effectiveness lines ("n/a" where undefined).
std::string compare_table(const CompareResult& r);

/// The compare HDF5 content (layout: docs/outputs.md, "Compare file").
RunOutput compare_output(const CompareResult& r);

}  // namespace imersim
