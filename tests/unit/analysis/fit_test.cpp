// Confidence intervals and goodness-of-fit statistics against hand-computed values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "analysis/fit.hpp"
#include "core/error.hpp"

namespace imersim {
namespace {

TEST(MeanCi, MatchesHandComputedTInterval) {
  const std::vector<double> v = {1, 2, 3, 4};
  const MeanCi ci = mean_ci(v);
  EXPECT_DOUBLE_EQ(ci.mean, 2.5);
  EXPECT_NEAR(ci.sd, std::sqrt(5.0 / 3.0), 1e-12);
  // t(0.975, 3) = 3.182446305284263; half width = t * sd / sqrt(4).
  const double half = 3.182446305284263 * std::sqrt(5.0 / 3.0) / 2;
  EXPECT_NEAR(ci.low, 2.5 - half, 1e-9);
  EXPECT_NEAR(ci.high, 2.5 + half, 1e-9);
  EXPECT_EQ(ci.n, 4);
}

TEST(MeanCi, NinetyPercentIsNarrowerAndNaNsAreSkipped) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> v = {1, nan, 2, 3, 4};
  const MeanCi c95 = mean_ci(v), c90 = mean_ci(v, 0.90);
  EXPECT_EQ(c95.n, 4);
  EXPECT_DOUBLE_EQ(c95.mean, 2.5);
  EXPECT_LT(c90.high - c90.low, c95.high - c95.low);
}

TEST(MeanCi, OneValueHasNoInterval) {
  const std::vector<double> v = {0.3};
  const MeanCi ci = mean_ci(v);
  EXPECT_DOUBLE_EQ(ci.mean, 0.3);
  EXPECT_TRUE(std::isnan(ci.low));
  EXPECT_TRUE(std::isnan(ci.high));
  EXPECT_THROW(mean_ci(v, 1.0), InvariantError);
}

TEST(LogShareZ, IsSymmetricInRatiosAndWeighsSmallSharesLikeLargeOnes) {
  // Off by the tolerance as a ratio: |z| = 1 whatever the share's size.
  EXPECT_NEAR(log_share_z(0.95 * 1.05, 0.95, 0.05, 1e-7), 1.0, 1e-12);
  EXPECT_NEAR(log_share_z(0.00007 * 1.15, 0.00007, 0.15, 1e-7), 1.0, 1e-12);
  EXPECT_NEAR(log_share_z(0.045 / 1.05, 0.045, 0.05, 1e-7), -1.0, 1e-12);
  EXPECT_DOUBLE_EQ(log_share_z(0.004, 0.004, 0.05, 1e-7), 0.0);
  // An empty stage counts as the floor, so z stays finite.
  EXPECT_NEAR(log_share_z(0, 1e-5, 0.15, 1e-7), std::log(1e-2) / std::log(1.15), 1e-12);
}

TEST(Aitchison, ZeroForProportionalCompositionsAndPositiveOtherwise) {
  const std::vector<double> a = {0.95, 0.045, 0.004, 0.0006, 0.00007};
  std::vector<double> b = a;
  for (double& x : b) x *= 3;  // same proportions
  EXPECT_NEAR(aitchison_distance(a, b, 1e-7), 0.0, 1e-12);
  const std::vector<double> c = {0.9, 0.09, 0.004, 0.0006, 0.00007};
  const double d = aitchison_distance(a, c, 1e-7);
  EXPECT_GT(d, 0);
  EXPECT_DOUBLE_EQ(d, aitchison_distance(c, a, 1e-7));
  // Two-part case by hand: clr = ±ln(x1/x2)/2, distance = |ln(a1/a2) - ln(c1/c2)| / sqrt(2).
  const std::vector<double> p = {0.5, 0.5}, q = {0.8, 0.2};
  EXPECT_NEAR(aitchison_distance(p, q, 1e-7), std::log(4.0) / std::sqrt(2.0), 1e-12);
}

TEST(RelativeError, IsSignedAndNaNForZeroTarget) {
  EXPECT_DOUBLE_EQ(relative_error(1.1, 1.0), 0.10000000000000009);
  EXPECT_DOUBLE_EQ(relative_error(0.9, 1.0), -0.09999999999999998);
  EXPECT_TRUE(std::isnan(relative_error(1, 0)));
}

}  // namespace
}  // namespace imersim
