// Outcomes: names are unique and known, values agree with the datasets they summarise.
#include "analysis/outcomes.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "../model/model_test_support.hpp"
#include "core/error.hpp"
#include "core/stage.hpp"

namespace imersim {
namespace {

std::size_t index_of(const std::string& name) {
  const auto& specs = outcome_specs();
  for (std::size_t k = 0; k < specs.size(); ++k)
    if (specs[k].name == name) return k;
  ADD_FAILURE() << "no outcome " << name;
  return 0;
}

TEST(Outcomes, NamesAreUniqueAndLookedUp) {
  std::set<std::string> seen;
  for (const auto& s : outcome_specs()) {
    EXPECT_TRUE(seen.insert(s.name).second) << s.name;
    EXPECT_FALSE(s.unit.empty()) << s.name;
    EXPECT_EQ(&outcome_spec(s.name), &s);
  }
}

TEST(Outcomes, UnknownNameSuggestsTheClosest) {
  try {
    outcome_spec("share.survivr");
    FAIL() << "no error";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_NE(e.diagnostics()[0].hint.find("share.survivor"), std::string::npos) << e.diagnostics()[0].hint;
  }
}

TEST(Outcomes, AgreeWithTheRunsOwnSummaries) {
  Params p = test::small_params();
  const RunResult r = test::run_with_threads(p, 2);
  const auto v = replicate_outcomes(r.output.replicates[0]);
  ASSERT_EQ(v.size(), outcome_specs().size());
  double share_sum = 0;
  for (int s = 0; s < kStages; ++s) {
    const double share = v[index_of(std::string("share.") + std::string(kStageKeys[s]))];
    EXPECT_NEAR(share, r.shares[0][s], 1e-12);
    share_sum += share;
  }
  EXPECT_NEAR(share_sum, 1.0, 1e-9);
  std::int64_t final_pop = 0;
  for (auto c : r.final_counts[0]) final_pop += c;
  EXPECT_EQ(v[index_of("population_final")], static_cast<double>(final_pop));
  // 36 reported months: survival to 12 and 24 months is observed, to 36 it is not.
  EXPECT_GT(v[index_of("survival_12")], 0.0);
  EXPECT_LE(v[index_of("survival_24")], v[index_of("survival_12")]);
  EXPECT_TRUE(std::isnan(v[index_of("survival_36")]));
  EXPECT_GE(v[index_of("reach.survivor")], v[index_of("reach.pioneer")]);
  EXPECT_EQ(v[index_of("government_cost")], 0.0);
  EXPECT_GT(v[index_of("gmv_total")], 0.0);
}

}  // namespace
}  // namespace imersim
