// Helpers for model tests: small parameter sets and running a simulation with a thread limit.
#pragma once
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>
#include <string>
#include <vector>

#include "experiment/runner.hpp"
#include "model/block_step.hpp"
#include "model/population.hpp"
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
