// Sobol indices on the Ishigami function (known analytic values), bootstrap intervals, and the
// replicate-noise correction on a function with added independent noise.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "analysis/sobol.hpp"
#include "core/error.hpp"
#include "experiment/design.hpp"
#include "rng/stream.hpp"

namespace imersim {
namespace {

constexpr double kA = 7, kB = 0.1, kPi = std::numbers::pi;

double ishigami(const std::vector<double>& x) {
  return std::sin(x[0]) + kA * std::sin(x[1]) * std::sin(x[1]) + kB * std::pow(x[2], 4) * std::sin(x[0]);
}

struct Truth {
  double s1[3], st[3];
};
Truth ishigami_truth() {
  const double v1 = 0.5 * std::pow(1 + kB * std::pow(kPi, 4) / 5, 2);
  const double v2 = kA * kA / 8;
  const double v13 = kB * kB * std::pow(kPi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

SaltelliSample ishigami_sample(std::size_t base, double noise_sd, bool subtract) {
  std::vector<SweepParameter> p(3);
  for (int i = 0; i < 3; ++i) p[i] = {"x" + std::to_string(i + 1), nullptr, -kPi, kPi, {}};
  Design d;
  d.kind = DesignKind::Saltelli;
  d.points = static_cast<std::int64_t>(base);
  SaltelliSample s;
  s.base = base;
  s.params = 3;
  std::uint32_t n = 0;
  for (const auto& row : design_points(p, d)) {
    double y = ishigami(row);
    if (noise_sd > 0) {  // independent Gaussian noise per point (Box-Muller on a counter-based stream)
      Stream rng(99, 0, n++, 0, Purpose::Testing);
      y += noise_sd * std::sqrt(-2 * std::log(rng.uniform())) * std::cos(2 * kPi * rng.uniform());
    }
    s.values.push_back(y);
  }
  s.noise_variance = noise_sd * noise_sd;
  s.subtract_noise = subtract;
  return s;
}

TEST(Sobol, IshigamiIndicesMatchTheAnalyticValues) {
  const Truth t = ishigami_truth();
  EXPECT_NEAR(t.s1[0], 0.3139, 1e-4);
  EXPECT_NEAR(t.st[2], 0.2437, 1e-4);
  const SobolIndices ix = sobol_indices(ishigami_sample(4096, 0, false), 200, 0.95, 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(ix.first[i].value, t.s1[i], 0.03) << "S1 of x" << i + 1;
    EXPECT_NEAR(ix.total[i].value, t.st[i], 0.03) << "ST of x" << i + 1;
    EXPECT_LE(ix.total[i].low, t.st[i]) << i;
    EXPECT_GE(ix.total[i].high, t.st[i]) << i;
    EXPECT_LT(ix.first[i].low, ix.first[i].high);
  }
  EXPECT_EQ(ix.noise_share, 0.0);
}

TEST(Sobol, IntervalsShrinkWithMoreSamples) {
  const auto width = [](const SobolIndices& ix) { return ix.total[0].high - ix.total[0].low; };
  EXPECT_GT(width(sobol_indices(ishigami_sample(128, 0, false), 200)),
            width(sobol_indices(ishigami_sample(2048, 0, false), 200)));
}

TEST(Sobol, IndependentNoiseInflatesTotalIndicesUnlessSubtracted) {
  const Truth t = ishigami_truth();
  const double sd = 2.0;  // noise variance 4, about 30 % of the Ishigami variance (13.8)
  const SobolIndices raw = sobol_indices(ishigami_sample(4096, sd, false), 0);
  const SobolIndices fixed = sobol_indices(ishigami_sample(4096, sd, true), 0);
  EXPECT_GT(raw.total[2].value, t.st[2] + 0.1);  // x3 looks more important than it is
  EXPECT_NEAR(fixed.total[2].value, t.st[2], 0.05);
  EXPECT_NEAR(fixed.first[1].value, t.s1[1], 0.05);
  EXPECT_NEAR(fixed.noise_share, 4 / (13.845 + 4), 0.03);
}

TEST(Sobol, RejectsASampleOfTheWrongSize) {
  SaltelliSample s;
  s.base = 4;
  s.params = 2;
  s.values.assign(15, 0.0);
  EXPECT_THROW(sobol_indices(s), InvariantError);
}

}  // namespace
}  // namespace imersim
