// Phase 6, exit (DOMAIN §3 failure): bankruptcy when capital cannot fund operation, discouraged
// quitting after a run of months without a selling product, or leaving for reasons outside the model.
#pragma once
#include "model/month_context.hpp"
#include "model/phases/testing.hpp"
#include "model/population.hpp"

namespace imersim::phases {

inline void exit(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  const Params& p = c.p;
  const bool selling = m.occupied != 0;  // filled by shocks, testing and selling's expiries
  if (selling) {
    pop.dry_months[i] = 0;
  } else if (pop.dry_months[i] < 255) {
    ++pop.dry_months[i];
  }
  const auto capital = static_cast<double>(pop.capital[i]);
  // Bankrupt: below the floor, or nothing selling and the test budget cannot pay for one test.
  const bool cannot_test = p.testing_budget_share * capital < static_cast<double>(c.d.test_cost);
  if (capital < p.exit_capital_floor || (!selling && (pop.capital[i] <= 0 || cannot_test))) {
    m.exited = true;
    m.cause = ExitCause::Bankruptcy;
  } else if (pop.dry_months[i] >= p.exit_patience && c.stream(pop.id[i], Purpose::Exit).bernoulli(p.exit_quit_prob)) {
    m.exited = true;
    m.cause = ExitCause::Discouraged;
  } else if (m.leaves) {
    m.exited = true;
    m.cause = ExitCause::Other;
  }
  if (m.exited) pop.flags[i] = 0;
}

}  // namespace imersim::phases
