// The block kernel against step_agent over edge-case parameter sets (both builds), with the
// population perturbed (identically in both runs) before every month so that rare states are common:
// dry_months at 254/255 and at the patience, flags toggled, up to four short products per agent
// (five or six Shocks words: step_agent's), long lives (brand owners near 255, and non-brand agents
// with lives > 3 that the kernel must hand to step_agent), capital at 0, 1, -1 and the test cost.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "model/block_step.hpp"
#include "model/simulation.hpp"
#include "model_test_support.hpp"

namespace imersim {
namespace {
namespace stress {

struct Lcg {
  std::uint64_t s;
  std::uint64_t next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  }
};

void perturb(Population& pop, const Params& p, std::uint64_t seed, std::int64_t test_cost) {
  Lcg r{seed * 2654435761ULL + 12345};
  for (std::size_t i = 0; i < pop.slots(); ++i) {
    if (!pop.alive(i)) continue;
    const std::uint64_t x = r.next();
    switch (x % 10) {
      case 0: pop.dry_months[i] = 255; break;
      case 1: pop.dry_months[i] = 254; break;
      case 2: pop.dry_months[i] = static_cast<std::uint8_t>(p.exit_patience); break;
      case 3: pop.dry_months[i] = static_cast<std::uint8_t>(p.exit_patience - 1); break;
      default: break;
    }
    const std::uint64_t y = r.next();
    if ((y & 7) == 0) pop.flags[i] ^= kWhitelisted;
    if ((y & 56) == 0) pop.flags[i] ^= kSupplierAccess;
    const bool brand = (pop.flags[i] & kBrandOwner) != 0;
    const std::uint64_t z = r.next() % 16;
    if (z < 4 && !brand) {  // fill empty slots with short products: up to four occupied
      for (int k = 0; k < kSlots; ++k)
        if (pop.demand[k][i] == 0 && (r.next() & 1)) {
          const auto life = static_cast<std::uint8_t>(1 + r.next() % 3);
          pop.life[k][i] = life;
          pop.age[k][i] = static_cast<std::uint8_t>(r.next() % life);
          pop.demand[k][i] = demand_code(1e5 + static_cast<double>(r.next() % 50000000));
        }
    } else if (z == 4 && !brand) {  // a long-lived product on a non-brand agent: not the kernel's
      const int k = static_cast<int>(r.next() % kSlots);
      const auto life = static_cast<std::uint8_t>(r.next() & 1 ? 255 : 4);
      pop.life[k][i] = life;
      pop.age[k][i] = static_cast<std::uint8_t>(life - 1 - r.next() % 2);
      pop.demand[k][i] = demand_code(3e6);
    } else if (z == 5 && brand) {  // brand products near the end of a 250..255 month life
      for (int k = 0; k < kSlots; ++k)
        if (pop.demand[k][i] != 0) {
          const auto life = static_cast<std::uint8_t>(250 + r.next() % 6);
          pop.life[k][i] = life;
          pop.age[k][i] = static_cast<std::uint8_t>(life - 1 - r.next() % 2);
        }
    }
    const std::uint64_t w = r.next() % 24;
    if (w == 0) pop.capital[i] = 0;
    else if (w == 1) pop.capital[i] = 1;
    else if (w == 2) pop.capital[i] = -1;
    else if (w == 3) pop.capital[i] = test_cost;
    else if (w == 4) pop.capital[i] = 2 * test_cost + 1;
  }
}

/// The kernel against step_agent for `months` months of `p`, the populations perturbed alike from month 2 on.
test::KernelCoverage run(const Params& p, int months, const std::string& label, BlockIsa isa) {
  const Derived d(p);
  EXPECT_TRUE(block_kernel_applies(MonthContext(p, d, 1, 0, 0))) << label << ": the kernel does not apply";
  return test::compare_kernel_with_step_agent(p, months, label, isa, [&](Population& pop, int m) {
    if (m >= 2) perturb(pop, p, static_cast<std::uint64_t>(m), d.test_cost);
  });
}

struct Setting {
  const char* name;
  std::function<void(Params&)> set;
};

const double kNaN = std::numeric_limits<double>::quiet_NaN();

const Setting kSettings[] = {
    {"defaults", [](Params&) {}},
    {"patience 255, quit 1", [](Params& p) { p.exit_patience = 255; p.exit_quit_prob = 1.0; }},
    {"patience 1, quit 0", [](Params& p) { p.exit_patience = 1; p.exit_quit_prob = 0.0; }},
    {"patience 1, quit 1", [](Params& p) { p.exit_patience = 1; p.exit_quit_prob = 1.0; }},
    {"patience 254, quit 0.5", [](Params& p) { p.exit_patience = 254; p.exit_quit_prob = 0.5; }},
    {"all shock probabilities 1",
     [](Params& p) {
       p.exit_other_prob = {1.0, 1.0, 1.0, 1.0, 1.0};
       p.shocks_ad_block_prob = 1.0;
       p.shocks_supplier_fail_prob = 1.0;
       p.shocks_whitelist_factor = 1.0;
       p.shocks_supplier_access_factor = 1.0;
     }},
    {"all shock probabilities 0",
     [](Params& p) {
       p.exit_other_prob = {0.0, 0.0, 0.0, 0.0, 0.0};
       p.shocks_ad_block_prob = 0.0;
       p.shocks_supplier_fail_prob = 0.0;
       p.exit_quit_prob = 0.0;
     }},
    {"supplier fail 1, factors 0 (mixed word counts)",
     [](Params& p) {
       p.shocks_supplier_fail_prob = 1.0;
       p.shocks_supplier_access_factor = 0.0;
       p.shocks_ad_block_prob = 0.5;
       p.shocks_whitelist_factor = 0.0;
       p.exit_other_prob = {0.5, 0.5, 0.5, 0.5, 0.5};
     }},
    {"supplier fail 0.5, half the lanes 4 words",
     [](Params& p) {
       p.shocks_supplier_fail_prob = 0.5;
       p.shocks_ad_block_prob = 0.5;
       p.exit_other_prob = {0.5, 0.5, 0.5, 0.5, 0.5};
       p.winners_max = {4, 4, 4, 4, 4};
     }},
    {"test cost 0, many winners",
     [](Params& p) {
       p.testing_cost_per_test = 0;
       p.testing_success_base = 0.6;
       p.testing_success_skill = 0.0;
       p.testing_supplier_bonus = 1.6;
       p.winners_max = {4, 4, 4, 4, 4};
     }},
    {"many winners, life all 1",
     [](Params& p) {
       p.testing_success_base = 0.5;
       p.testing_success_skill = 0.1;
       p.winners_life_p1 = 1.0;
       p.winners_life_p2 = 0.0;
       p.winners_life_p3 = 0.0;
       p.winners_max = {4, 4, 4, 4, 4};
     }},
    {"life p2 = 0 (cdf1 == cdf2), p3 = 0.5",
     [](Params& p) {
       p.testing_success_base = 0.4;
       p.winners_life_p1 = 0.5;
       p.winners_life_p2 = 0.0;
       p.winners_life_p3 = 0.5;
     }},
    {"life all 3", [](Params& p) { p.winners_life_p1 = 0; p.winners_life_p2 = 0; p.winners_life_p3 = 1.0; p.testing_success_base = 0.4; }},
    {"budget share 0", [](Params& p) { p.testing_budget_share = 0.0; }},
    {"budget share 1, cash share 1", [](Params& p) { p.testing_budget_share = 1.0; p.ads_cash_share = 1.0; }},
    {"cash-limited, cash share 0",
     [](Params& p) {
       p.ads_cash_share = 0.0;
       p.entry_capital_median = 2e6;
     }},
    {"capital floor 1e7", [](Params& p) { p.exit_capital_floor = 1e7; }},
    {"capital floor -1e12", [](Params& p) { p.exit_capital_floor = -1e12; }},
    {"-0.0 probabilities and floor",
     [](Params& p) {
       p.shocks_ad_block_prob = -0.0;
       p.shocks_supplier_fail_prob = -0.0;
       p.exit_other_prob = {-0.0, -0.0, -0.0, -0.0, -0.0};
       p.exit_quit_prob = -0.0;
       p.exit_capital_floor = -0.0;
       p.exit_patience = 1;
     }},
    {"brand lives 255",
     [](Params& p) {
       p.brand_life_min = 255;
       p.brand_life_max = 255;
       p.stage_threshold_pioneer = 2e8;
       p.stage_threshold_survivor = 5e7;
     }},
    // Demand codes at their ends (demand_code's clamps, kernel and step_agent alike): a scale of 0
    // (every winner's demand 0: code 0, no product), of 0.1 IDR (below the smallest code: code 1),
    // and a cap at the parameter's limit (1e13) with a heavy tail that reaches it.
    {"potential scale 0", [](Params& p) { p.winners_potential_scale = 0.0; p.testing_success_base = 0.4; }},
    {"potential scale 0.1", [](Params& p) { p.winners_potential_scale = 0.1; p.testing_success_base = 0.4; }},
    {"potential cap 1e13, alpha 1.01",
     [](Params& p) {
       p.winners_potential_cap = 1e13;
       p.winners_potential_alpha = 1.01;
       p.winners_potential_scale = 1e9;
       p.testing_success_base = 0.4;
     }},
    // Outside the validator's ranges: NaN probabilities (Stream::bernoulli draws a word and says no).
    {"NaN probabilities (not validated)",
     [](Params& p) {
       p.shocks_ad_block_prob = kNaN;
       p.shocks_supplier_fail_prob = kNaN;
       p.exit_other_prob = {kNaN, 0.5, kNaN, 0.02, 0.02};
       p.exit_quit_prob = kNaN;
       p.exit_patience = 1;
     }},
    {"NaN block prob only, fail 0.7 (not validated)",
     [](Params& p) {
       p.shocks_ad_block_prob = kNaN;
       p.shocks_supplier_fail_prob = 0.7;
     }},
};

class BlockKernelStress : public test::KernelBuildTest {};
INSTANTIATE_TEST_SUITE_P(Builds, BlockKernelStress, test::kernel_builds(), test::kernel_build_name);

TEST_P(BlockKernelStress, EdgeSettingsWithPerturbedPopulations) {
  for (const Setting& s : kSettings) {
    Params p = test::small_params();
    p.run_burn_in_months = 0;
    s.set(p);
    const test::KernelCoverage seen = run(p, 20, std::string(s.name) + " (" + block_isa_name(GetParam()) + ")", GetParam());
    EXPECT_EQ(seen.months, 20) << s.name;  // run() stops at the first month that differs
    // Each setting reaches what it is about: products found, and leavers (but in the settings that
    // close every exit).
    if (p.testing_budget_share > 0 && p.ads_cash_share > 0 && p.shocks_ad_block_prob < 1) {  // else no test runs
      EXPECT_GT(seen.new_products, 0) << s.name;
    }
    EXPECT_GT(seen.bankrupt + seen.discouraged + seen.other, 0) << s.name;
  }
}

}  // namespace stress
}  // namespace
}  // namespace imersim

namespace imersim {
namespace {
class BlockKernelDry : public test::KernelBuildTest {};
INSTANTIATE_TEST_SUITE_P(Builds, BlockKernelDry, test::kernel_builds(), test::kernel_build_name);
TEST_P(BlockKernelDry, SameBitsAtTheDryMonthsCapWithPatience255) {
  Params p = test::small_params();
  p.run_burn_in_months = 0;
  p.exit_patience = 255;  // the validator's largest: dry_months must stop at 255, not wrap to 0
  p.exit_quit_prob = 0.5;
  // A year of dry months takes 255 months to reach: two agents of three start each month at 253-255.
  const test::KernelCoverage seen =
      test::compare_kernel_with_step_agent(p, 12, "dry cap", GetParam(), [](Population& pop, int) {
        for (std::size_t i = 0; i < pop.slots(); ++i)
          if (pop.alive(i) && i % 3 != 0) pop.dry_months[i] = static_cast<std::uint8_t>(253 + i % 3);
      });
  EXPECT_EQ(seen.months, 12);
}
}  // namespace
}  // namespace imersim
