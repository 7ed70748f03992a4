// Phase 3, selling (DOMAIN §2 steps 2-6): each running product's demand follows its lifecycle; ad
// spend buys revenue with a return that falls as the product's market saturates; the agent pushes
// spend to the profit-maximising level within its cash. Brand owners are capped by their contract
// manufacturer's capacity; from Rising, offline channels add steady revenue. Products then age and
// expire at the end of their drawn life.
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>

#include "core/portable_math.hpp"
#include "model/month_context.hpp"
#include "model/phases/testing.hpp"
#include "model/population.hpp"

namespace imersim::phases {

/// Months a long-lived (brand) product takes to ramp up, and to decline at the end of its life.
inline constexpr double kBrandRampMonths = 3.0;

/// Share of peak demand a product has at `age` (0-based) of a `life`-month life. Short winners
/// (life <= 6) ramp, peak, saturate and decline as sin(pi * (age + 1/2) / life) (tabulated in
/// Derived::short_life); long-lived brand products ramp over 3 months, hold their peak, and decline
/// over their last 3 months.
inline double lifecycle(const Derived& d, std::uint8_t age, std::uint8_t life) {
  if (life <= Derived::kShortLife) return d.short_life[life][age];
  const double up = (age + 0.5) / kBrandRampMonths, down = (life - age - 0.5) / kBrandRampMonths;
  return std::min(1.0, std::min(up, down));
}

/// The share of its demand that a product sells when the agent spends `cash_scale` (c < 1) of its optimal
/// ad spend on every product: spend s = D * spend_factor * c buys D * (1 - exp(-roas * s / D)), and
/// roas * spend_factor = ln(mu * roas), so the share is 1 - exp(-ln(mu * roas) * c), the same for
/// every product of the agent (one exp an agent). At c = 1 it is revenue_share, 1 - 1/(mu * roas).
inline double cash_limited_share(const Derived& d, double cash_scale) { return 1.0 - pmath::exp(-d.log_mr * cash_scale); }

inline void selling(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  const Params& p = c.p;
  const Derived& d = c.d;
  const auto stage = pop.stage[i];
  const bool has_history = c.month > pop.entry_month[i];
  const double avg = has_history ? window_average(c, pop, i, 1) : 0.0;

  std::array<double, kSlots> demand{};
  double total_demand = 0;
  for (unsigned b = m.occupied; b != 0; b &= b - 1) {  // occupied slots in ascending order
    const int k = std::countr_zero(b);
    demand[k] = demand_value(pop.demand[k][i]) * lifecycle(d, pop.age[k][i], pop.life[k][i]);
    total_demand += demand[k];
  }
  double revenue = 0, spend = 0;
  if (!m.blocked && total_demand > 0 && d.spend_factor > 0) {
    // Contract-manufacturer capacity: a brand owner's revenue grows at most capacity_growth a month.
    if ((pop.flags[i] & kBrandOwner) && has_history) {
      const double cap = avg * (1.0 + p.brand_capacity_growth);
      const double wanted = total_demand * d.revenue_share;
      if (wanted > cap) m.demand_scale = cap / wanted;
    }
    double wanted_spend = total_demand * m.demand_scale * d.spend_factor;
    const double cash = std::max(0.0, static_cast<double>(pop.capital[i] - m.test_spend)) * p.ads_cash_share;
    const double cash_scale = wanted_spend > cash ? cash / wanted_spend : 1.0;
    // The share of demand sold: closed-form at the unconstrained optimum, 1 - 1/(mu*r).
    const double share = cash_scale == 1.0 ? d.revenue_share : cash_limited_share(d, cash_scale);
    for (unsigned b = m.occupied; b != 0; b &= b - 1) {
      const int k = std::countr_zero(b);
      if (demand[k] <= 0) continue;
      const double dk = demand[k] * m.demand_scale;
      spend += dk * d.spend_factor * cash_scale;
      revenue += dk * share;
    }
  }
  if (stage >= static_cast<std::uint8_t>(Stage::Rising)) revenue += p.brand_offline_share * avg;
  if (m.counterfeit)
    revenue *= 1.0 - p.shocks_counterfeit_loss * policy_factor(c.policy, &PolicyEffects::counterfeit, i);
  if (m.regulated) revenue *= 1.0 - p.shocks_regulation_loss;
  m.revenue = to_idr(revenue);
  m.ad_spend = to_idr(spend);

  for (unsigned b = m.occupied; b != 0; b &= b - 1) {
    const int k = std::countr_zero(b);
    if (++pop.age[k][i] >= pop.life[k][i]) {  // expired: its drawn life is over
      pop.clear_product(i, k);
      m.occupied = static_cast<std::uint8_t>(m.occupied & ~(1u << k));
    }
  }
}

}  // namespace imersim::phases
