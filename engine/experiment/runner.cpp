// Replicate loop: simulate, record, optionally snapshot; cross-replicate summary datasets.
#include "experiment/runner.hpp"

#include <cmath>

#include "model/recorder.hpp"
#include "model/simulation.hpp"
#include "model/snapshot.hpp"

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
  RunResult result;
  const std::int64_t total = params.run_burn_in_months + params.run_months;
  for (std::int64_t r = first; r < first + count; ++r) {
    Simulation sim(params, static_cast<std::uint32_t>(r));
    Recorder rec(params);
    for (std::int64_t m = 0; m < total; ++m) {
      sim.step();
      rec.add(sim.stats(), static_cast<std::uint32_t>(m));
      result.agent_months += sim.alive() + sim.stats().exits_total();
      if (progress) progress(Progress{r - first, count, m + 1, total, result.agent_months, sim.alive()});
    }
    result.output.replicates.push_back(rec.datasets());
    if (params.run_snapshot) result.output.snapshots.push_back(snapshot_datasets(sim.population()));
    result.shares.push_back(rec.mean_shares());
    result.final_counts.push_back(rec.last_counts());
  }
  result.output.summary.push_back(summary_shares(result.shares));
  return result;
}

}  // namespace imersim
