// A lever with zero take-up, zero capacity or zero budget leaves every baseline dataset bit for bit
// unchanged (its own datasets read 0); levers give the same bits at any thread count.
#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace imersim {
namespace {

using test::all_levers;
using test::policy_params;
using test::run_policies;

void expect_like_baseline(const PolicySpecs& policies) {
  const Params p = policy_params();
  const RunResult base = run_policies(p, PolicySpecs{});
  const RunResult pol = run_policies(p, policies);
  ASSERT_EQ(base.output.replicates.size(), 1u);
  test::expect_datasets_contain(pol.output.replicates[0], base.output.replicates[0]);
  for (const char* name : {"government_cost", "imer_cost"})
    for (auto v : test::dataset(pol.output.replicates[0], name).ints) EXPECT_EQ(v, 0) << name;
}

TEST(ZeroLever, ZeroTakeUpIsTheBaseline) {
  PolicySpecs s = all_levers();
  s.for_each([](std::string_view, auto& l) { l->take_up = 0; });
  expect_like_baseline(s);
}

TEST(ZeroLever, ZeroCapacityIsTheBaseline) {
  PolicySpecs s = all_levers();
  s.for_each([](std::string_view, auto& l) { l->capacity = 0; });
  s.training->trainees_per_mentor = 0;
  expect_like_baseline(s);
}

TEST(ZeroLever, ZeroBudgetIsTheBaseline) { expect_like_baseline(all_levers(0)); }

TEST(ZeroLever, EachLeverAloneWithZeroTakeUp) {
  PolicySpecs all = all_levers();
  all.for_each([](std::string_view name, auto& lever) {
    PolicySpecs one;
    one.for_each([&](std::string_view n, auto& slot) {
      if constexpr (std::is_same_v<std::decay_t<decltype(slot)>, std::decay_t<decltype(lever)>>)
        if (n == name) {
          slot = lever;
          slot->take_up = 0;
        }
    });
    SCOPED_TRACE(std::string(name));
    expect_like_baseline(one);
  });
}

TEST(ZeroLever, ActiveLeversChangeTheRunAndAreThreadInvariant) {
  const Params p = policy_params();
  const RunResult base = run_policies(p, PolicySpecs{});
  const RunResult one = run_policies(p, all_levers(), 1);
  const RunResult three = run_policies(p, all_levers(), 3);
  test::expect_datasets_contain(three.output.replicates[0], one.output.replicates[0]);
  EXPECT_NE(test::dataset(one.output.replicates[0], "gmv").ints, test::dataset(base.output.replicates[0], "gmv").ints);
  for (const char* lever : {"registry", "insurance", "training", "matchmaking", "credit", "whitelist", "anti_counterfeit"}) {
    std::int64_t enrolled = 0;
    for (auto v : test::dataset(one.output.replicates[0], std::string("policy_") + lever + "_enrolments").ints) enrolled += v;
    EXPECT_GT(enrolled, 0) << lever;
  }
}

}  // namespace
}  // namespace imersim
