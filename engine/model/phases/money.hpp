// Phase 4, money (DOMAIN §2 steps 3-4, §3): margin, fees, ads, tests, bookkeeping leakage, wages of a
// team sized by stage, fixed costs and the owner's living costs; capital carries the result. Every
// flow is rounded to whole rupiah before it is added, so a month can be checked by hand.
#pragma once
#include <algorithm>

#include "model/month_context.hpp"
#include "model/population.hpp"

namespace imersim::phases {

inline void money(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  const Params& p = c.p;
  const auto stage = pop.stage[i];
  m.margin = to_idr(static_cast<double>(m.revenue) * p.money_gross_margin);
  m.fees = to_idr(static_cast<double>(m.revenue) * p.money_platform_fee);
  const std::int64_t gross = m.margin - m.fees - m.ad_spend;
  m.leakage = to_idr(static_cast<double>(std::max<std::int64_t>(gross, 0)) *
                     (p.money_leakage[stage] * policy_factor(c.policy, &PolicyEffects::leakage, i)));
  m.wages = c.d.wages[stage];
  m.overhead = c.d.overhead[stage];
  m.living = c.d.living;
  m.profit = gross - m.test_spend - m.leakage - m.wages - m.overhead - m.living;
  pop.capital[i] += m.profit;
}

}  // namespace imersim::phases
