// Common random numbers: with the same seeds the paired difference of an outcome varies at least
// 5x less across replicates than when the policy runs on independent seeds.
#include <gtest/gtest.h>

#include "analysis/outcomes.hpp"
#include "policy_test_support.hpp"

namespace imersim {
namespace {

double variance(const std::vector<double>& x) {
  double m = 0, s = 0;
  for (double v : x) m += v;
  m /= static_cast<double>(x.size());
  for (double v : x) s += (v - m) * (v - m);
  return s / static_cast<double>(x.size() - 1);
}

TEST(CommonRandomNumbers, PairedDifferenceVarianceIsAtLeastFiveTimesSmaller) {
  const Params p = test::policy_params();
  PolicySpecs training;
  training.training.emplace();
  training.training->take_up = 0.1;
  training.training->capacity = 300;
  training.training->budget = 100'000'000'000;
  constexpr std::int64_t kReps = 8;
  const std::size_t gmv = [] {
    const auto& specs = outcome_specs();
    for (std::size_t k = 0; k < specs.size(); ++k)
      if (specs[k].name == "gmv_total") return k;
    return specs.size();
  }();
  const RunResult base = test::run_policies(p, PolicySpecs{}, 2, kReps);
  const RunResult same = test::run_policies(p, training, 2, kReps);
  const RunResult other = test::run_policies(p, training, 2, kReps, 1000);  // replicates 1000..: independent streams
  std::vector<double> crn, independent;
  for (std::size_t r = 0; r < kReps; ++r) {
    const double b = replicate_outcomes(base.output.replicates[r])[gmv];
    crn.push_back(replicate_outcomes(same.output.replicates[r])[gmv] - b);
    independent.push_back(replicate_outcomes(other.output.replicates[r])[gmv] - b);
  }
  const double ratio = variance(independent) / variance(crn);
  RecordProperty("variance_ratio", std::to_string(ratio));
  EXPECT_GE(ratio, 5.0) << "var(independent) = " << variance(independent) << ", var(CRN) = " << variance(crn);
}

}  // namespace
}  // namespace imersim
