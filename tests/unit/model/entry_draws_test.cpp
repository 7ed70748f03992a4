// The entry phase's vector draws (entrant_draws with `vector`: AVX2 passes for newcomers whose normal
// the ziggurat accepts at its first try) against the specification (each newcomer's own stream, one at
// a time), over enough newcomers that the ziggurat's other branches come up, and over the parameter
// values that change which words a newcomer reads.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "model/month_context.hpp"
#include "model/phases/entry.hpp"
#include "model/population.hpp"
#include "params/params.hpp"

namespace imersim {
namespace {

struct Case {
  std::string name;
  Params p;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  Params base;  // the built-in defaults: a capital, one supplier draw, no whitelisting draw
  base.entry_capital_median = 1e7;
  base.entry_capital_sigma = 1.2;
  out.push_back({"defaults", base});
  Params no_capital = base;  // no normal: the skill's uniform is word 0
  no_capital.entry_capital_median = 0;
  out.push_back({"no capital", no_capital});
  Params shares = base;  // both Bernoullis draw: five words, every newcomer the specification's way
  shares.entry_whitelisted_share = 0.4;
  out.push_back({"both shares draw", shares});
  Params certain = base;  // shares of 0 and 1 draw no word
  certain.entry_supplier_access_share = 1.0;
  certain.entry_whitelisted_share = 1.0;
  out.push_back({"certain shares", certain});
  Params skills = no_capital;  // skills beyond [0, 1] (validation refuses them) reach skill_fixed's clamps
  skills.entry_skill_min = -0.25;
  skills.entry_skill_max = 1.25;
  skills.entry_supplier_access_share = 0.0;
  skills.entry_whitelisted_share = 0.5;
  out.push_back({"full skill range", skills});
  Params nan_share = base;  // NaN (the loader refuses it; the API does not): Stream::bernoulli draws a word
  nan_share.entry_supplier_access_share = std::nan("");
  nan_share.entry_whitelisted_share = 0.5;
  out.push_back({"NaN share", nan_share});
  Params nan_first = no_capital;  // NaN then a drawing share: four words, the vector passes
  nan_first.entry_supplier_access_share = std::nan("");
  nan_first.entry_whitelisted_share = 0.5;
  out.push_back({"NaN share, no capital", nan_first});
  Params flat = base;  // sigma 0: every capital the median
  flat.entry_capital_sigma = 0.0;
  flat.entry_skill_min = flat.entry_skill_max = 0.25;
  out.push_back({"sigma 0", flat});
  return out;
}

TEST(EntrantDraws, VectorPassesGiveTheSpecificationsBits) {
  if (!phases::entrant_draws_have_vector_passes())
    GTEST_SKIP() << "no vector passes in this build or on this CPU: entrant_draws takes the specification's way only";
  for (const Case& k : cases()) {
    SCOPED_TRACE(k.name);
    const Derived d(k.p);
    int scalar_lanes = 0, lanes = 0;
    for (std::uint32_t month : {0u, 7u, 311u}) {
      const MonthContext c(k.p, d, 20231001u, 3u, month);
      for (std::uint32_t first = 0; first < 40000; first += kPhiloxLanes) {
        phases::EntrantDraws spec{}, fast{};
        ASSERT_EQ(phases::entrant_draws(c, first, spec, false), kPhiloxLanes);
        scalar_lanes += phases::entrant_draws(c, first, fast, true);
        lanes += kPhiloxLanes;
        for (int l = 0; l < kPhiloxLanes; ++l) {
          ASSERT_EQ(std::bit_cast<std::uint64_t>(fast.log_capital[l]), std::bit_cast<std::uint64_t>(spec.log_capital[l]))
              << "month " << month << ", newcomer " << first + static_cast<std::uint32_t>(l) << ": " << fast.log_capital[l]
              << " against " << spec.log_capital[l];
          ASSERT_EQ(fast.skill[l], spec.skill[l]) << "month " << month << ", newcomer " << first + static_cast<std::uint32_t>(l);
          ASSERT_EQ(fast.flags[l], spec.flags[l]) << "month " << month << ", newcomer " << first + static_cast<std::uint32_t>(l);
        }
      }
    }
    // Which way the lanes went: the vector passes take most of them unless a newcomer needs five
    // words; a normal's other branches (about 3 % of the draws: 3,351 of 120,000 here) the specification's way.
    const auto draws = [](double share) { return !(share <= 0.0) && !(share >= 1.0); };  // Stream::bernoulli's rule
    if (k.p.entry_capital_median > 0 && draws(k.p.entry_supplier_access_share) && draws(k.p.entry_whitelisted_share)) {
      EXPECT_EQ(scalar_lanes, lanes);
    } else if (k.p.entry_capital_median > 0) {
      EXPECT_GT(scalar_lanes, lanes / 100);
      EXPECT_LT(scalar_lanes, lanes / 20);
    } else {
      EXPECT_EQ(scalar_lanes, 0);
    }
  }
}

TEST(EntrantDraws, DrawsAreWhatTheParametersSay) {
  Params p;
  p.entry_capital_median = 1e7;
  p.entry_capital_sigma = 1.0;
  p.entry_skill_min = 0.2;
  p.entry_skill_max = 0.6;
  p.entry_supplier_access_share = 0.3;
  p.entry_whitelisted_share = 0.0;
  const Derived d(p);
  const MonthContext c(p, d, 1u, 0u, 5u);
  double sum = 0, sum2 = 0;
  int n = 0, supplier = 0;
  for (std::uint32_t first = 0; first < 64000; first += kPhiloxLanes) {
    phases::EntrantDraws draws{};
    (void)phases::entrant_draws(c, first, draws, true);
    for (int l = 0; l < kPhiloxLanes; ++l, ++n) {
      const double z = draws.log_capital[l] - std::log(1e7);
      sum += z;
      sum2 += z * z;
      EXPECT_GE(draws.skill[l], skill_fixed(0.2));
      EXPECT_LE(draws.skill[l], skill_fixed(0.6));
      EXPECT_EQ(draws.flags[l] & (kAlive | kWhitelisted), kAlive);
      supplier += (draws.flags[l] & kSupplierAccess) != 0 ? 1 : 0;
    }
  }
  EXPECT_NEAR(sum / n, 0.0, 0.02);  // the normal of the lognormal: mean log(median), sd sigma
  EXPECT_NEAR(std::sqrt(sum2 / n), 1.0, 0.02);
  EXPECT_NEAR(static_cast<double>(supplier) / n, 0.3, 0.01);
}

}  // namespace
}  // namespace imersim
