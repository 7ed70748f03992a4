// Replicate loop: simulate, record, optionally snapshot; cross-replicate summary datasets.
#include "experiment/runner.hpp"

#include <cmath>

#include "model/recorder.hpp"
#include "model/simulation.hpp"
#include "model/snapshot.hpp"
#include "model/state_io.hpp"
#include "policy/policy_set.hpp"

namespace imersim {

namespace {
Dataset summary_shares(const std::vector<std::array<double, kStages>>& shares) {
  Dataset d{"mean_stage_shares", {shares.size(), kStages}, {"replicate", "stage"}, "share",
            "Per replicate, each stage's cross-sectional share averaged over the reported months.", false, {}, {}};
  for (const auto& row : shares) d.reals.insert(d.reals.end(), row.begin(), row.end());
  return d;
}
}  // namespace

RunResult run_replicates(const Params& params, std::int64_t first, std::int64_t count, const ProgressFn& progress) {
  return run_replicates(params, first, count, progress, RunExtras{});
}

RunResult run_replicates(const Params& params, std::int64_t first, std::int64_t count, const ProgressFn& progress,
                         const RunExtras& extras) {
  RunResult result;
  const std::int64_t total = params.run_burn_in_months + params.run_months;
  for (std::int64_t r = first; r < first + count; ++r) {
    Simulation sim(params, static_cast<std::uint32_t>(r), extras.policies);
    Recorder rec(params);
    std::int64_t start = 0;
    if (extras.from) {
      StateIo::restore(sim, extras.from->replicates.at(static_cast<std::size_t>(r)));
      start = extras.from->month;
    }
    for (std::int64_t m = start; m < total; ++m) {
      if (extras.save_to && m == extras.save_at) extras.save_to->replicates.push_back(StateIo::capture(sim));
      sim.step();
      rec.add(sim.stats(), static_cast<std::uint32_t>(m));
      result.agent_months += sim.alive() + sim.stats().exits_total();
      if (progress) progress(Progress{r - first, count, m + 1, total, result.agent_months, sim.alive()});
    }
    result.output.replicates.push_back(rec.datasets());
    if (const PolicySet* policy = sim.policy())
      for (auto& d : policy->datasets()) result.output.replicates.back().push_back(std::move(d));
    if (params.run_snapshot) result.output.snapshots.push_back(snapshot_datasets(sim.population()));
    result.shares.push_back(rec.mean_shares());
    result.final_counts.push_back(rec.last_counts());
  }
  result.output.summary.push_back(summary_shares(result.shares));
  return result;
}

}  // namespace imersim
