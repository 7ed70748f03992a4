// Phase 1, shocks (DOMAIN §4): blocked ad accounts, supplier failures, counterfeits, regulation.
#pragma once
#include <bit>

#include "model/month_context.hpp"
#include "model/population.hpp"

namespace imersim::phases {

inline void shocks(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  const Params& p = c.p;
  Stream rng = c.stream(pop.id[i], Purpose::Shocks, m.shocks_block);
  const std::uint8_t f = pop.flags[i];
  // First word: leaving for reasons outside the model (applied in the exit phase). Drawn here so
  // that it costs no extra random block, and first so that its word never moves.
  m.leaves = rng.bernoulli(p.exit_other_prob[pop.stage[i]]);
  // Ad account blocked: no ad-driven sales and no tests this month.
  const double block = p.shocks_ad_block_prob * c.d.whitelist_factor[(f & kWhitelisted) != 0] *
                       policy_factor(c.policy, &PolicyEffects::block, i);
  m.blocked = rng.bernoulli(block);
  // Each running product may lose its supplier (fails, or sells direct to consumers).
  const double fail = p.shocks_supplier_fail_prob * c.d.supplier_fail_factor[(f & kSupplierAccess) != 0];
  unsigned occupied = 0;
  for (int k = 0; k < kSlots; ++k) occupied |= static_cast<unsigned>(pop.demand[k][i] != 0) << k;
  for (unsigned b = occupied; b != 0; b &= b - 1) {  // occupied slots in ascending order
    const int k = std::countr_zero(b);
    if (rng.bernoulli(fail)) {
      pop.clear_product(i, k);
      occupied &= ~(1u << k);
      ++m.products_lost;
    }
  }
  m.occupied = static_cast<std::uint8_t>(occupied);
  const auto stage = pop.stage[i];
  if (stage >= static_cast<std::uint8_t>(Stage::Pioneer)) m.counterfeit = rng.bernoulli(p.shocks_counterfeit_prob);
  if (stage == static_cast<std::uint8_t>(Stage::Rising)) m.regulated = rng.bernoulli(p.shocks_regulation_prob);
}

}  // namespace imersim::phases
