// Helpers for model tests: small parameter sets and running a simulation with a thread limit.
#pragma once
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "experiment/runner.hpp"
#include "model/block_step.hpp"
#include "model/population.hpp"
#include "model/simulation.hpp"
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

/// The per-agent arrays (numbered in Population::for_each_array's order) in which two populations of
/// the same number of slots differ, byte for byte; empty when they are the same.
inline std::vector<int> differing_fields(Population& a, Population& b) {
  std::vector<const void*> pa, pb;
  std::vector<std::size_t> bytes;
  a.for_each_array([&](auto& v) {
    pa.push_back(v.data());
    bytes.push_back(v.size() * sizeof(v[0]));
  });
  b.for_each_array([&](auto& v) { pb.push_back(v.data()); });
  std::vector<int> differ;
  for (std::size_t k = 0; k < pa.size(); ++k)
    if (bytes[k] != 0 && std::memcmp(pa[k], pb[k], bytes[k]) != 0)  // an empty array's data() may be null
      differ.push_back(static_cast<int>(k));
  return differ;
}

/// Whether two populations hold the same slots, byte for byte; a failure naming `at` and each array
/// that differs when not.
inline bool same_population(Population& a, Population& b, const std::string& at) {
  if (a.slots() != b.slots()) {
    ADD_FAILURE() << at << ": slots differ";
    return false;
  }
  const std::vector<int> differ = differing_fields(a, b);
  for (const int field : differ) ADD_FAILURE() << at << ": field " << field << " differs";
  return differ.empty();
}

/// What a comparison of the kernel with step_agent saw, summed over the months that matched.
struct KernelCoverage {
  std::int64_t months = 0, new_products = 0, lost = 0, blocked = 0, discouraged = 0, other = 0, bankrupt = 0,
               survivors = 0;
};

/// Runs `p` twice on two threads, step_agent only and with the kernel built for `isa`, and compares
/// every per-agent array (byte for byte) and the tallies after every month; `before_month(pop, m)`,
/// when given, changes each population alike before month m. Stops at the first month that differs,
/// with a failure naming `label`, the month and the arrays.
inline KernelCoverage compare_kernel_with_step_agent(const Params& p, int months, const std::string& label, BlockIsa isa,
                                                     const std::function<void(Population&, int)>& before_month = {}) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  Simulation scalar(p, 0), kernel(p, 0);
  scalar.set_block_isa(BlockIsa::Scalar);
  kernel.set_block_isa(isa);
  KernelCoverage seen;
  for (int m = 0; m < months; ++m) {
    if (before_month) {
      before_month(scalar.mutable_population(), m);
      before_month(kernel.mutable_population(), m);
    }
    scalar.step();
    kernel.step();
    const std::string at = label + " month " + std::to_string(m);
    if (!same_population(scalar.mutable_population(), kernel.mutable_population(), at)) break;
    if (!(scalar.stats() == kernel.stats())) {
      ADD_FAILURE() << at << ": tallies differ";
      break;
    }
    ++seen.months;
    const MonthStats& s = kernel.stats();
    seen.new_products += s.new_products;
    seen.lost += s.products_lost;
    seen.blocked += s.blocked;
    seen.survivors += s.stage_counts[1];
    for (const auto& e : s.exits) {
      seen.bankrupt += e[static_cast<int>(ExitCause::Bankruptcy)];
      seen.discouraged += e[static_cast<int>(ExitCause::Discouraged)];
      seen.other += e[static_cast<int>(ExitCause::Other)];
    }
  }
  return seen;
}

/// A suite whose tests run once per build of the block kernel, skipped on CPUs that cannot run it:
/// `INSTANTIATE_TEST_SUITE_P(Builds, Suite, test::kernel_builds(), test::kernel_build_name)`.
class KernelBuildTest : public ::testing::TestWithParam<BlockIsa> {
 protected:
  void SetUp() override {
    if (!block_isa_supported(GetParam()))
      GTEST_SKIP() << "this CPU cannot run the " << block_isa_name(GetParam()) << " kernel";
  }
};
inline auto kernel_builds() { return ::testing::Values(BlockIsa::Avx512, BlockIsa::Avx2); }
inline std::string kernel_build_name(const ::testing::TestParamInfo<BlockIsa>& build) { return block_isa_name(build.param); }

}  // namespace imersim::test
