// Phase 2, product testing (DOMAIN §2 step 1): tests burn ad money until a winner fills a free slot;
// brand owners (Pioneer and above, once) launch their own products instead.
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>

#include "core/portable_math.hpp"
#include "model/month_context.hpp"
#include "model/population.hpp"
#include "rng/lognormal.hpp"

namespace imersim::phases {

/// Average monthly revenue over the stage window ending `back` months before this one (0 = this
/// month, 1 = last month), counting only months since entry (IDR/month).
inline double window_average(const MonthContext& c, const Population& pop, std::size_t i, std::uint32_t back) {
  if (c.month < back + pop.entry_month[i]) return 0.0;
  const std::uint32_t active = c.month - back + 1 - pop.entry_month[i];
  const std::uint32_t n = std::min(static_cast<std::uint32_t>(c.p.stage_window), active);
  // A sum over the whole window that adds +0 for months before entry: the same additions in the same
  // order (revenue is never negative, so adding +0 changes no bit), without a loop exit that depends
  // on the agent's age (mispredicted for young agents).
  double sum = 0;
  const auto window = static_cast<std::uint32_t>(c.p.stage_window);  // the same for every agent: predicted
  for (std::uint32_t k = 0; k < window; ++k) {
    const double r = pop.revenue[c.ring[k + back]][i];
    sum += k < n ? r : 0.0;
  }
  return sum / n;
}

/// Puts a product of peak demand `demand` (IDR/month, stored as demand_code rounds it) in the first
/// empty slot (and marks it in m.occupied). The caller
/// checked that a slot is free.
inline void add_product(Population& pop, std::size_t i, double demand, std::uint8_t life, AgentMonth& m) {
  const int k = std::countr_zero(~static_cast<unsigned>(m.occupied));
  pop.demand[k][i] = demand_code(demand);
  pop.age[k][i] = 0;
  pop.life[k][i] = life;
  m.occupied = static_cast<std::uint8_t>(m.occupied | (1u << k));
}

inline int running_products(const Population& pop, std::size_t i) {
  int n = 0;
  for (int k = 0; k < kSlots; ++k) n += pop.demand[k][i] != 0;
  return n;
}

inline void testing(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  const Params& p = c.p;
  if (m.blocked) return;
  const auto stage = pop.stage[i];
  int free = static_cast<int>(p.winners_max[stage]) - m.running();  // m.occupied: filled by shocks
  if (free <= 0) return;
  const std::int64_t cost = c.d.test_cost;
  const double budget = p.testing_budget_share * static_cast<double>(std::max<std::int64_t>(pop.capital[i], 0));
  std::int64_t n = p.testing_max_tests_per_month;
  if (cost > 0) n = std::min<std::int64_t>(n, static_cast<std::int64_t>(budget / static_cast<double>(cost)));
  if (n <= 0) return;
  Stream rng = c.stream(pop.id[i], Purpose::Testing, m.testing_block);
  Stream product = c.stream(pop.id[i], Purpose::Winner, m.winner_block);

  if (pop.flags[i] & kBrandOwner) {
    // Brand owners launch at most one product a month; demand scales with their own revenue.
    m.tests = 1;
    m.test_spend = cost;
    if (rng.bernoulli(p.brand_launch_success)) {
      const double avg = window_average(c, pop, i, 1);
      const double ceiling = pmath::pow(std::max(avg, 1.0) / c.d.threshold[2], -p.brand_scale_elasticity);
      const double demand =
          p.brand_demand_multiplier * ceiling * avg / static_cast<double>(p.winners_max[stage]) * lognormal(product, 0.0, p.brand_demand_sigma);
      const double span = static_cast<double>(p.brand_life_max - p.brand_life_min + 1);
      const auto life = static_cast<std::uint8_t>(p.brand_life_min + static_cast<std::int64_t>(product.uniform() * span));
      if (demand >= 1.0) {
        add_product(pop, i, std::min(demand, p.winners_potential_cap), life, m);
        m.new_products = 1;
      }
    }
    return;
  }

  double skill = skill_value(pop.skill[i]);
  const double supplier = c.d.supplier_bonus[(pop.flags[i] & kSupplierAccess) != 0];
  for (std::int64_t t = 0; t < n && free > 0; ++t) {
    ++m.tests;
    m.test_spend += cost;
    const double success = (p.testing_success_base + p.testing_success_skill * skill) * supplier;
    skill += p.skill_learning_per_test * (1.0 - skill);  // experience from this test
    if (rng.bernoulli(success)) {
      const double u = product.uniform();
      const std::uint8_t life = u < c.d.life_cdf1 ? 1 : (u < c.d.life_cdf2 ? 2 : 3);
      const double demand = std::min(p.winners_potential_scale * pmath::pow_fast(product.uniform(), -c.d.inv_alpha),
                                     p.winners_potential_cap);
      add_product(pop, i, demand, life, m);
      ++m.new_products;
      --free;
    }
  }
  pop.skill[i] = skill_fixed(skill);
}

}  // namespace imersim::phases
