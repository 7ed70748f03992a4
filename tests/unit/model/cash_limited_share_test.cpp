// Selling when cash binds: every product sells cash_limited_share of its demand, computed once per
// agent as 1 - exp(-ln(mu*r) * c). It must be the ad response D * (1 - exp(-r * s / D)) at each
// product's spend s = D * spend_factor * c (docs/model.md section 4.5), meet the closed form at c = 1,
// and sell nothing without cash.
#include <gtest/gtest.h>

#include <cmath>

#include "model/month_context.hpp"
#include "model/phases/selling.hpp"
#include "params/params.hpp"

namespace imersim {
namespace {

TEST(CashLimitedShare, IsTheAdResponseAtEveryProductsSpend) {
  for (double roas : {2.5, 5.0, 10.0, 40.0}) {
    Params p;
    p.ads_roas = roas;
    const Derived d(p);
    ASSERT_GT(d.spend_factor, 0.0) << "roas " << roas;
    EXPECT_NEAR(d.log_mr, roas * d.spend_factor, 1e-15 * d.log_mr);
    for (double c : {1e-9, 0.001, 0.1, 0.37, 0.5, 0.9, 0.999999}) {
      const double share = phases::cash_limited_share(d, c);
      for (double demand : {1.0, 3.7e5, 2.0e7, 5.0e10}) {
        const double spend = demand * d.spend_factor * c;
        const double response = demand * (1.0 - std::exp(-roas * spend / demand));
        EXPECT_NEAR(demand * share, response, 1e-12 * response) << "roas " << roas << ", c " << c << ", demand " << demand;
      }
    }
    EXPECT_NEAR(phases::cash_limited_share(d, 1.0), d.revenue_share, 1e-15) << "roas " << roas;
    EXPECT_EQ(phases::cash_limited_share(d, 0.0), 0.0) << "roas " << roas;
  }
}

TEST(CashLimitedShare, GrowsWithCash) {
  Params p;
  p.ads_roas = 10;
  const Derived d(p);
  double last = 0.0;
  for (int i = 1; i <= 100; ++i) {
    const double share = phases::cash_limited_share(d, i / 100.0);
    EXPECT_GT(share, last);
    last = share;
  }
  EXPECT_LT(last, 1.0);
}

}  // namespace
}  // namespace imersim
