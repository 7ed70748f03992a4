// Phase 5, stage (DOMAIN §3): the stage follows average monthly revenue over the window against the
// thresholds; reaching Pioneer makes the agent a brand owner for good.
#pragma once
#include "model/month_context.hpp"
#include "model/phases/testing.hpp"
#include "model/population.hpp"

namespace imersim::phases {

inline void stage(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  pop.revenue[c.ring[0]][i] = static_cast<float>(m.revenue);
  m.average_revenue = window_average(c, pop, i, 0);
  std::uint8_t s = 0;
  for (std::uint8_t k = 1; k < kStages; ++k)
    if (m.average_revenue >= c.d.threshold[k]) s = k;
  m.old_stage = pop.stage[i];
  pop.stage[i] = s;
  if (s > pop.max_stage[i]) pop.max_stage[i] = s;
  if (s >= static_cast<std::uint8_t>(Stage::Pioneer)) pop.flags[i] |= kBrandOwner;
}

}  // namespace imersim::phases
