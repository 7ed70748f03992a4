// Budgets are never exceeded (with budgets tight enough to bind) and costs add up month by month:
// government_cost = sum over levers of outlay - income, imer_cost = sum of what Imers paid, and each
// lever's own columns add up to its common ones.
#include <gtest/gtest.h>

#include "policy_test_support.hpp"

namespace imersim {
namespace {

const std::vector<std::string> kLevers = {"registry", "insurance", "training", "matchmaking", "credit", "whitelist",
                                          "anti_counterfeit"};

std::vector<std::int64_t> series(const std::vector<Dataset>& rep, const std::string& lever, const std::string& col) {
  return test::dataset(rep, "policy_" + lever + "_" + col).ints;
}

TEST(Budget, NeverExceededAndBinds) {
  PolicySpecs s = test::all_levers(300'000'000);  // Rp 300 juta each: spent within months
  s.insurance->trigger_months = 1;
  s.insurance->waiting_months = 0;
  Params p = test::policy_params();
  p.run_burn_in_months = 0;  // every month recorded, so budget_used covers the whole run
  const auto rep = test::run_policies(p, s).output.replicates[0];
  for (const auto& lever : kLevers) {
    SCOPED_TRACE(lever);
    const auto used = series(rep, lever, "budget_used");
    const auto outlay = series(rep, lever, "government_outlay");
    std::int64_t cumulative = 0;
    for (std::size_t t = 0; t < used.size(); ++t) {
      cumulative += outlay[t];
      EXPECT_LE(used[t], 300'000'000);
      EXPECT_LE(cumulative, used[t]);  // what was paid is part of what is used (commitments are the rest)
    }
  }
  // With these budgets the one-off levers run out: the budget binds.
  EXPECT_GT(series(rep, "training", "budget_used").back(), 300'000'000 - 1'500'000);
}

TEST(Accounting, CostsAddUpMonthByMonth) {
  const PolicySpecs s = test::all_levers();
  const auto rep = test::run_policies(test::policy_params(), s).output.replicates[0];
  const auto gov = test::dataset(rep, "government_cost").ints;
  const auto imer = test::dataset(rep, "imer_cost").ints;
  ASSERT_EQ(gov.size(), 24u);
  for (std::size_t t = 0; t < gov.size(); ++t) {
    std::int64_t g = 0, i = 0;
    for (const auto& lever : kLevers) {
      g += series(rep, lever, "government_outlay")[t] - series(rep, lever, "government_income")[t];
      i += series(rep, lever, "imer_paid")[t];
    }
    EXPECT_EQ(gov[t], g) << t;
    EXPECT_EQ(imer[t], i) << t;
    // Insurance: premiums = Imers' shares + subsidy; outlay = subsidy + claims; Imers received the claims.
    EXPECT_EQ(series(rep, "insurance", "premiums")[t],
              series(rep, "insurance", "imer_paid")[t] + series(rep, "insurance", "subsidy")[t]);
    EXPECT_EQ(series(rep, "insurance", "government_outlay")[t],
              series(rep, "insurance", "subsidy")[t] + series(rep, "insurance", "claims_paid")[t]);
    EXPECT_EQ(series(rep, "insurance", "imer_received")[t], series(rep, "insurance", "claims_paid")[t]);
    // Credit: outlay = interest subsidy + guarantees; Imers paid the interest.
    EXPECT_EQ(series(rep, "credit", "government_outlay")[t],
              series(rep, "credit", "subsidy")[t] + series(rep, "credit", "guarantee")[t]);
    EXPECT_EQ(series(rep, "credit", "imer_paid")[t], series(rep, "credit", "interest")[t]);
    // One-off levers pay their unit cost per enrolment.
    EXPECT_EQ(series(rep, "training", "government_outlay")[t], series(rep, "training", "enrolments")[t] * s.training->cost);
    EXPECT_EQ(series(rep, "registry", "government_outlay")[t], series(rep, "registry", "enrolments")[t] * s.registry->cost);
  }
  std::int64_t claims = 0, loans = 0, premiums = 0;
  for (auto v : series(rep, "insurance", "claims")) claims += v;
  for (auto v : series(rep, "insurance", "premiums")) premiums += v;
  for (auto v : series(rep, "credit", "loans")) loans += v;
  EXPECT_GT(claims, 0);
  EXPECT_GT(loans, 0);
  const double loss_ratio = test::dataset(rep, "policy_insurance_loss_ratio").reals.at(0);
  std::int64_t paid = 0;
  for (auto v : series(rep, "insurance", "claims_paid")) paid += v;
  EXPECT_DOUBLE_EQ(loss_ratio, static_cast<double>(paid) / static_cast<double>(premiums));
}

TEST(Accounting, RegistrationGatesOtherLevers) {
  PolicySpecs s = test::all_levers();
  s.registry->take_up = 0;  // nobody registers...
  s.training->requires_registration = true;  // ...so nobody may be trained
  const auto rep = test::run_policies(test::policy_params(), s).output.replicates[0];
  for (auto v : series(rep, "training", "enrolments")) EXPECT_EQ(v, 0);
  std::int64_t matched = 0;
  for (auto v : series(rep, "matchmaking", "enrolments")) matched += v;
  EXPECT_GT(matched, 0);
}

}  // namespace
}  // namespace imersim
