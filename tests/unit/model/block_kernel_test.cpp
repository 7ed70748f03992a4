// The block kernel (model/block_step.hpp) against step_agent, its specification: the same
// population and the same tallies, bit for bit, month after month, over parameter sets chosen so
// that every path of the kernel runs (supplier failures, blocked accounts, cash-limited ad spend,
// discouraged quitting, Survivors with four products, agents with products in slots 2-3 whose shock
// draws fit in the first Shocks block (the kernel's) or do not (step_agent's), probabilities of 0
// and 1 that draw no word).
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "model/block_step.hpp"
#include "model/simulation.hpp"
#include "model_test_support.hpp"

namespace imersim {
namespace {

/// Each test runs once per build of the kernel, on CPUs that run it.
class BlockKernel : public test::KernelBuildTest {
 protected:
  test::KernelCoverage compare(const Params& p, int months, const std::string& label) {
    return test::compare_kernel_with_step_agent(p, months, label + " (" + block_isa_name(GetParam()) + ")", GetParam());
  }
};
INSTANTIATE_TEST_SUITE_P(Builds, BlockKernel, test::kernel_builds(), test::kernel_build_name);

TEST_P(BlockKernel, SameBitsAsStepAgentOnTheDefaults) {
  Params p = test::small_params();
  p.run_burn_in_months = 0;
  const Derived d(p);
  ASSERT_TRUE(block_kernel_applies(MonthContext(p, d, 1, 0, 0)));
  const test::KernelCoverage c = compare(p, 48, "defaults");
  EXPECT_GT(c.new_products, 0);
  EXPECT_GT(c.lost, 0);
  EXPECT_GT(c.blocked, 0);
  EXPECT_GT(c.bankrupt, 0);
  EXPECT_GT(c.other, 0);
  EXPECT_GT(c.survivors, 0);
}

TEST_P(BlockKernel, SameBitsWhenCashLimitsSpendAndAgentsLoseHeart) {
  Params p = test::small_params();
  p.run_burn_in_months = 0;
  p.entry_capital_median = 2e6;  // little cash: ad spend is cut back (the exp path)
  p.ads_cash_share = 0.2;
  p.exit_patience = 1;  // quitting after one dry month: the Exit stream
  p.exit_quit_prob = 0.5;
  p.shocks_supplier_fail_prob = 0.4;
  p.shocks_ad_block_prob = 0.3;
  p.winners_max[0] = 4;  // Hit-and-Runners fill slots 2 and 3 too (those agents go to step_agent)
  const test::KernelCoverage c = compare(p, 36, "cash-limited");
  EXPECT_GT(c.discouraged, 0);
  EXPECT_GT(c.lost, 0);
  EXPECT_GT(c.new_products, 0);
}

TEST_P(BlockKernel, SameBitsWhenProbabilitiesOfZeroOrOneDrawNoWord) {
  Params p = test::small_params();
  p.run_burn_in_months = 0;
  p.exit_other_prob = {0.0, 1.0, 0.0, 0.0, 0.0};  // Hit-and-Runners never leave, Survivors always do
  p.shocks_ad_block_prob = 0.1;
  p.shocks_whitelist_factor = 0.0;                 // whitelisted accounts: block chance 0, no word
  p.shocks_supplier_fail_prob = 1.0;               // every product lost at once: a word, then none
  p.shocks_supplier_access_factor = 0.5;
  compare(p, 24, "edge probabilities");
}

TEST_P(BlockKernel, TakesTheCommonAgents) {
  // The tests above would pass if the kernel took no lane at all (step_agent would do every agent).
  // The kernel adds its lanes' tests into KernelSums, step_agent's into the MonthStats: after a
  // month of step_batches on a population past its start, the kernel must have done most tests.
  Params p = test::small_params();
  p.run_burn_in_months = 0;
  Simulation sim(p, 0);
  sim.set_block_isa(BlockIsa::Scalar);
  for (int m = 0; m < 12; ++m) sim.step();
  const Derived d(p);
  const MonthContext ctx(p, d, static_cast<std::uint32_t>(p.run_seed), 0, sim.month());
  ASSERT_TRUE(block_kernel_applies(ctx));
  Population& pop = sim.mutable_population();
  const std::size_t whole = pop.slots() / kPhiloxLanes * kPhiloxLanes;
  ASSERT_GT(whole, 1000u);
  MonthStats st(p.run_months);
  KernelSums sums;
  step_batches(GetParam(), ctx, pop, 0, whole, st, sums);
  std::int64_t kernel_tests = 0;
  for (std::int64_t v : sums.tests) kernel_tests += v;
  EXPECT_GT(kernel_tests, 4 * st.tests) << "kernel lanes' tests vs step_agent's";
}

TEST_P(BlockKernel, SameBitsOverAnyRangeAndStageWindow) {
  // Simulation gives step_batches ranges that start on a batch; step_batches itself takes any start
  // and any number of batches (the AVX-512 build steps two batches at a time, then one). Each range
  // below, on a population past its start, must give step_agent's arrays and tallies, for every stage
  // window (the revenue ring's months, which a leaver's slot clears).
  for (int window = 1; window <= kMaxWindow; ++window) {
    Params p = test::small_params();
    p.run_burn_in_months = 0;
    p.stage_window = window;
    Simulation sim(p, 0);
    sim.set_block_isa(BlockIsa::Scalar);
    for (int m = 0; m < 10; ++m) {
      sim.step();
      const Derived d(p);
      const MonthContext ctx(p, d, static_cast<std::uint32_t>(p.run_seed), 0, sim.month());
      ASSERT_TRUE(block_kernel_applies(ctx));
      Population& pop = sim.mutable_population();
      const std::size_t n = pop.slots();
      ASSERT_GT(n, 200u);
      const std::size_t starts[] = {0, 1, 3, 8, 13};
      const std::size_t batches[] = {1, 2, 3, 5, (n - 13) / kPhiloxLanes};
      for (std::size_t start : starts)
        for (std::size_t b : batches) {
          const std::size_t end = start + b * kPhiloxLanes;
          Population scalar = pop, kernel = pop;
          MonthStats st_scalar(p.run_months), st_kernel(p.run_months);
          KernelSums sums_scalar, sums_kernel;
          step_batches(BlockIsa::Scalar, ctx, scalar, start, end, st_scalar, sums_scalar);
          step_batches(GetParam(), ctx, kernel, start, end, st_kernel, sums_kernel);
          sums_scalar.fold_into(st_scalar);
          sums_kernel.fold_into(st_kernel);
          const std::string label = "window " + std::to_string(window) + " month " + std::to_string(m) + " slots [" +
                                    std::to_string(start) + ", " + std::to_string(end) + ")";
          (void)test::same_population(scalar, kernel, label);
          EXPECT_TRUE(st_scalar == st_kernel) << label << ": tallies differ";
          if (::testing::Test::HasFailure()) return;
        }
    }
  }
}

TEST(BlockKernelChoice, AppliesOnlyWhereEveryTestDrawsOneWord) {
  Params p = test::small_params();
  auto applies = [](const Params& q) {
    const Derived d(q);
    return block_kernel_applies(MonthContext(q, d, 1, 0, 0));
  };
  EXPECT_TRUE(applies(p));
  Params more = p;
  more.testing_max_tests_per_month = 5;  // a second Testing block
  EXPECT_FALSE(applies(more));
  Params never = p;
  never.testing_success_base = 0;  // skill 0: success 0 draws no word
  EXPECT_FALSE(applies(never));
  Params always = p;
  always.testing_success_base = 1;
  EXPECT_FALSE(applies(always));
  const Derived d(p);
  const PolicyEffects effects;
  EXPECT_FALSE(block_kernel_applies(MonthContext(p, d, 1, 0, 0, &effects)));  // levers: step_agent
}

/// IMERSIM_KERNEL=`value` is refused with an InputError that names the variable and says `why`.
void expect_refused(const char* value, const std::string& why) {
  ::setenv("IMERSIM_KERNEL", value, 1);
  try {
    (void)block_isa_default();
    ADD_FAILURE() << "IMERSIM_KERNEL=" << value << " must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("IMERSIM_KERNEL"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
  }
}

TEST(BlockKernelChoice, EnvironmentChoosesTheVariant) {
  ::setenv("IMERSIM_KERNEL", "scalar", 1);
  EXPECT_EQ(block_isa_default(), BlockIsa::Scalar);
  expect_refused("sse9", "unknown kernel 'sse9'");
  if (block_isa_supported(BlockIsa::Avx2)) {
    ::setenv("IMERSIM_KERNEL", "avx2", 1);
    EXPECT_EQ(block_isa_default(), BlockIsa::Avx2);
  }
  if (!block_isa_supported(BlockIsa::Avx512)) expect_refused("avx512", "cannot run the 'avx512' kernel");
  ::unsetenv("IMERSIM_KERNEL");
  // Unset: the widest build this CPU runs.
  const BlockIsa widest = block_isa_supported(BlockIsa::Avx512) ? BlockIsa::Avx512
                          : block_isa_supported(BlockIsa::Avx2) ? BlockIsa::Avx2
                                                                : BlockIsa::Scalar;
  EXPECT_EQ(block_isa_default(), widest);
  EXPECT_EQ(block_isa_default_for_cpu(), widest);
  EXPECT_TRUE(!block_isa_supported(BlockIsa::Avx512) || block_isa_supported(BlockIsa::Avx2));  // AVX-512 build needs AVX2 too
}

}  // namespace
}  // namespace imersim
