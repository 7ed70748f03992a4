// Paired differences (t interval), Fieller's ratio interval against the quadratic it solves, and
// run_compare end to end on a small model (pairing, n/a cost-effectiveness, --until-ci batches).
#include <gtest/gtest.h>

#include <cmath>

#include "analysis/paired.hpp"
#include "core/error.hpp"
#include "experiment/compare.hpp"
#include "../policy/policy_test_support.hpp"

namespace imersim {
namespace {

TEST(Paired, DifferenceMeanAndTInterval) {
  const std::vector<double> base = {1, 2, 3, 4}, pol = {2, 4, 4, 6};  // differences 1, 2, 1, 2
  const PairedDifference d = paired_difference(base, pol);
  EXPECT_EQ(d.n, 4u);
  EXPECT_DOUBLE_EQ(d.mean, 1.5);
  EXPECT_NEAR(d.sd, std::sqrt(1.0 / 3.0), 1e-12);
  EXPECT_NEAR(t_quantile_95(3), 3.182446305284263, 1e-9);
  EXPECT_NEAR(d.half_width(), 3.182446305284263 * std::sqrt(1.0 / 3.0) / 2.0, 1e-12);
  const PairedDifference nan = paired_difference({NAN, 1}, {2, 2});
  EXPECT_EQ(nan.n, 1u);
  EXPECT_TRUE(std::isnan(nan.low));
}

TEST(Paired, FiellerBoundsSolveTheQuadratic) {
  const std::vector<double> num = {10, 12, 9, 11, 13}, den = {2, 2.5, 1.8, 2.2, 2.4};
  const Ratio r = fieller_ratio(num, den);
  ASSERT_TRUE(r.defined);
  EXPECT_NEAR(r.estimate, 55.0 / 10.9, 1e-12);
  // (a - rho b)^2 = t^2 (v11 - 2 rho v12 + rho^2 v22) at both bounds.
  const double n = 5, a = 11, b = 10.9 / 5;
  double v11 = 0, v22 = 0, v12 = 0;
  for (int i = 0; i < 5; ++i) {
    v11 += (num[i] - a) * (num[i] - a);
    v22 += (den[i] - b) * (den[i] - b);
    v12 += (num[i] - a) * (den[i] - b);
  }
  v11 /= n * (n - 1);
  v22 /= n * (n - 1);
  v12 /= n * (n - 1);
  const double t = t_quantile_95(4);
  for (double rho : {r.low, r.high})
    EXPECT_NEAR((a - rho * b) * (a - rho * b), t * t * (v11 - 2 * rho * v12 + rho * rho * v22), 1e-9);
  EXPECT_LT(r.low, r.estimate);
  EXPECT_GT(r.high, r.estimate);
  EXPECT_FALSE(fieller_ratio({1, 2, 3}, {1, -1, 0.5}).defined);  // denominator CI includes 0
}

Scenario small(const std::string& name, const PolicySpecs& policies) {
  Scenario s;
  s.name = name;
  s.params = test::policy_params();
  s.policies = policies;
  return s;
}

TEST(Compare, PairsReplicatesAndAddsBatchesUntilTheTarget) {
  PolicySpecs off;  // a lever that never enrols: every difference is exactly 0
  off.whitelist.emplace();
  off.whitelist->take_up = 0;
  PolicySpecs on = test::all_levers();
  CompareOptions o;
  o.replicates = 2;
  const CompareResult r = run_compare({small("base", {}), small("off", off), small("all", on)}, o);
  ASSERT_EQ(r.policies.size(), 2u);
  EXPECT_EQ(r.replicates, 2);
  for (const auto& d : r.policies[0].differences)
    if (d.n > 0) {
      EXPECT_EQ(d.mean, 0.0);
    }
  EXPECT_FALSE(r.policies[0].cost_per_survivor.defined);  // no effect: n/a
  const auto& names = compared_outcomes();
  const auto gov = static_cast<std::size_t>(std::find(names.begin(), names.end(), "government_cost") - names.begin());
  EXPECT_GT(r.policies[1].differences[gov].mean, 0.0);
  EXPECT_NE(compare_table(r).find("n/a"), std::string::npos);

  o.until_ci = 1e-9;  // unreachable: runs batches of 2 up to the limit
  o.max_replicates = 4;
  const CompareResult u = run_compare({small("base", {}), small("all", on)}, o);
  EXPECT_EQ(u.replicates, 4);
  EXPECT_FALSE(u.target_met);
  o.until_ci = 10;  // met after the first batch
  EXPECT_TRUE(run_compare({small("base", {}), small("all", on)}, o).target_met);
}

TEST(Compare, DifferentSeedsAreRefused) {
  Scenario other = small("other", {});
  other.params.run_seed = 1;
  EXPECT_THROW(run_compare({small("base", {}), other}, CompareOptions{}), InputError);
}

}  // namespace
}  // namespace imersim
