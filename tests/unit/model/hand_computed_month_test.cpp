// One agent, one month, every flow computed by hand (numbers below were worked out on paper from
// the equations in docs/model.md) and compared with the engine to the rupiah.
#include <gtest/gtest.h>

#include "model/simulation.hpp"
#include "model_test_support.hpp"

namespace imersim {
namespace {

TEST(Model, HandComputedMonthMatchesToTheRupiah) {
  Params p;
  p.population_initial_agents = 1;
  p.entry_per_month = 0;
  p.entry_capital_median = 10'000'000;  // sigma 0: exactly Rp 10 juta
  p.entry_capital_sigma = 0;
  p.entry_supplier_access_share = 0;
  p.shocks_ad_block_prob = 0;
  p.shocks_supplier_fail_prob = 0;
  p.testing_success_base = 1;  // the first test finds a winner...
  p.winners_max[0] = 1;        // ...and fills the only slot, so testing stops
  p.testing_cost_per_test = 1'000'000;
  // cap = scale: demand exactly Rp 20,971,520 (1.25 x 2^24, a value the 16-bit demand code holds
  // exactly; Rp 20 juta would be stored as 20,004,864).
  p.winners_potential_scale = 20'971'520;
  p.winners_potential_cap = 20'971'520;
  p.winners_life_p1 = 1;  // lives one month: lifecycle sin(pi/2) = 1
  p.winners_life_p2 = 0;
  p.winners_life_p3 = 0;
  // Defaults kept: gross margin 0.5, fee 0.05, roas 5, cash share 0.8, leakage 0.05 (H&R),
  // staff 0.5 x Rp 4 juta, overhead 0, living Rp 2 juta.
  ASSERT_EQ(p.money_gross_margin, 0.5);
  ASSERT_EQ(p.ads_roas, 5.0);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  Simulation sim(p, 0);
  sim.step();
  const auto& s = sim.stats();
  // One test: Rp 1,000,000 burnt.
  EXPECT_EQ(s.tests, 1);
  EXPECT_EQ(s.test_spend[0], 1'000'000);
  // Optimal spend: D ln(mu r)/r = 20,971,520 ln(2.25)/5 = 3,401,287.85 -> 3,401,288 (cash 7.2e6 not binding).
  EXPECT_EQ(s.ad_spend[0], 3'401'288);
  // Revenue: D (1 - 1/(mu r)) = 20,971,520 * (1 - 1/2.25) = 11,650,844.4 -> 11,650,844.
  EXPECT_EQ(s.revenue[0], 11'650'844);
  // Margin 5,825,422; fees 582,542; gross 1,841,592; leakage 92,080 (92,079.6); wages 2,000,000;
  // living 2,000,000. Profit = 1,841,592 - 1,000,000 - 92,080 - 2,000,000 - 0 - 2,000,000 = -3,250,488.
  EXPECT_EQ(s.profit[0], -3'250'488);
  EXPECT_EQ(sim.population().capital[0], 10'000'000 - 3'250'488);
  EXPECT_EQ(s.wages[0], 2'000'000);
  // The one-month winner expired at the end of its month.
  EXPECT_EQ(s.running_products[0], 0);
}

}  // namespace
}  // namespace imersim

namespace imersim {
namespace {
TEST(Money, ToIdrRoundsLikeLlround) {
  for (double x : {0.0, 0.5, -0.5, 1.49999, 2.5, -2.5, 1e12 + 0.5, -7.7, 11111111.111, 3243720.864865315})
    EXPECT_EQ(to_idr(x), std::llround(x)) << x;
}
}  // namespace
}  // namespace imersim
