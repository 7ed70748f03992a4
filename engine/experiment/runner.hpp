// Runs the replicates of a scenario and assembles what the run writes and prints.
#pragma once
#include <array>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/stage.hpp"
#include "output/dataset.hpp"
#include "params/params.hpp"

namespace imersim {

/// Progress of a run, reported after each simulated month.
struct Progress {
  std::int64_t replicate;        ///< 0-based
  std::int64_t replicates;
  std::int64_t month;            ///< months completed in this replicate (burn-in included)
  std::int64_t months;           ///< months per replicate (burn-in included)
  std::int64_t agent_months;     ///< agent-months simulated so far in the whole run
  std::int64_t population;       ///< alive now
};
using ProgressFn = std::function<void(const Progress&)>;

/// What a set of replicates produced.
struct RunResult {
  RunOutput output;                                    ///< datasets per replicate (+ snapshots), summary
  std::vector<std::array<double, kStages>> shares;     ///< per replicate: mean share per stage over the reported months
  std::vector<std::array<std::int64_t, kStages>> final_counts;  ///< per replicate: counts at the last month
  std::int64_t agent_months = 0;
};

/// Runs replicates [first, first + count) of `params`, side by side when threads allow, each also
/// parallel over agents (use tbb::global_control outside to set the thread count). Results come
/// back in replicate order and do not depend on the number of threads. `progress` is called from
/// the threads running replicates, one call at a time.
RunResult run_replicates(const Params& params, std::int64_t first, std::int64_t count, const ProgressFn& progress = {});

struct PolicySpecs;
struct SavedStates;
/// Optional parts of a run: policy levers, a saved state to start from, a month to save at.
struct RunExtras {
  const PolicySpecs* policies = nullptr;  ///< levers to run (null or empty: none); their datasets are added
  const SavedStates* from = nullptr;      ///< start replicate r from from->replicates[r] (checked by the caller)
  std::int64_t save_at = -1;              ///< after this many months (burn-in included) capture each replicate...
  SavedStates* save_to = nullptr;         ///< ...into save_to->replicates (in replicate order)
};
/// run_replicates with levers and saved states (same guarantees).
RunResult run_replicates(const Params& params, std::int64_t first, std::int64_t count, const ProgressFn& progress,
                         const RunExtras& extras);

}  // namespace imersim
