// Replicate loop: simulate, record, optionally snapshot; cross-replicate summary datasets.
#include "experiment/runner.hpp"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <mutex>

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
  const std::int64_t total = params.run_burn_in_months + params.run_months;
  // One slot per replicate, filled by whichever thread runs it, gathered in replicate order below.
  struct One {
    std::vector<Dataset> datasets, snapshot, saved;
    std::array<double, kStages> shares{};
    std::array<std::int64_t, kStages> counts{};
    std::int64_t agent_months = 0;
  };
  std::vector<One> runs(static_cast<std::size_t>(std::max<std::int64_t>(count, 0)));
  // Progress from concurrent replicates, serialised: months done over all replicates, reported as
  // (replicate, month) of a sequential run so bars and ETAs stay monotone.
  std::mutex progress_mutex;
  std::int64_t months_done = 0, agent_months_done = 0;
  auto run_one = [&](std::int64_t k) {
    const std::int64_t r = first + k;
    One& out = runs[static_cast<std::size_t>(k)];
    Simulation sim(params, static_cast<std::uint32_t>(r), extras.policies);
    Recorder rec(params);
    std::int64_t start = 0;
    if (extras.from) {
      StateIo::restore(sim, extras.from->replicates.at(static_cast<std::size_t>(r)));
      start = extras.from->month;
    }
    for (std::int64_t m = start; m < total; ++m) {
      if (extras.save_to && m == extras.save_at) out.saved = StateIo::capture(sim);
      sim.step();
      rec.add(sim.stats(), static_cast<std::uint32_t>(m));
      const std::int64_t am = sim.alive() + sim.stats().exits_total();
      out.agent_months += am;
      if (progress) {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        ++months_done;
        agent_months_done += am;
        const std::int64_t span = total - start;
        const std::int64_t rep = (months_done - 1) / span;
        progress(Progress{rep, count, start + months_done - rep * span, total, agent_months_done, sim.alive()});
      }
    }
    out.datasets = rec.datasets();
    if (const PolicySet* policy = sim.policy())
      for (auto& d : policy->datasets()) out.datasets.push_back(std::move(d));
    if (params.run_snapshot) out.snapshot = snapshot_datasets(sim.population());
    out.shares = rec.mean_shares();
    out.counts = rec.last_counts();
  };
  // Replicates run side by side (each is also parallel over agents): the month loop has serial
  // parts (entry, tallies, the free-slot scan) that leave threads idle when one replicate runs
  // alone. Each replicate's result does not depend on scheduling; isolation keeps a thread that
  // waits inside one replicate from starting another (at most one population per thread in memory).
  tbb::parallel_for(std::int64_t{0}, count, [&](std::int64_t k) { tbb::this_task_arena::isolate([&] { run_one(k); }); });

  RunResult result;
  for (auto& one : runs) {
    if (extras.save_to && !one.saved.empty()) extras.save_to->replicates.push_back(std::move(one.saved));
    result.output.replicates.push_back(std::move(one.datasets));
    if (params.run_snapshot) result.output.snapshots.push_back(std::move(one.snapshot));
    result.shares.push_back(one.shares);
    result.final_counts.push_back(one.counts);
    result.agent_months += one.agent_months;
  }
  result.output.summary.push_back(summary_shares(result.shares));
  return result;
}

}  // namespace imersim
