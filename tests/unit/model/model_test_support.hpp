// Helpers for model tests: small parameter sets and running a simulation with a thread limit.
#pragma once
#include <tbb/global_control.h>

#include "experiment/runner.hpp"
#include "params/params.hpp"

namespace imersim::test {

/// A small, fast run: 2,000 newcomers a month, 24 burn-in + 36 reported months.
inline Params small_params() {
  Params p;
  p.entry_per_month = 2000;
  p.population_initial_agents = 5000;
  p.run_burn_in_months = 24;
  p.run_months = 36;
  p.ads_roas = 10;
  p.money_living_cost = 5e5;
  p.entry_capital_median = 1e7;
  return p;
}

inline RunResult run_with_threads(const Params& p, int threads, std::int64_t replicates = 1) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  return run_replicates(p, 0, replicates);
}

}  // namespace imersim::test
