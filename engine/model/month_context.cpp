// Derived constants of a run, computed once from the frozen Params.
#include "model/month_context.hpp"

#include <numbers>

#include "core/portable_math.hpp"

namespace imersim {

Derived::Derived(const Params& p) {
  net_margin = p.money_gross_margin - p.money_platform_fee;
  const double mr = net_margin * p.ads_roas;
  if (mr > 1.0 && p.ads_roas > 0) {
    log_mr = pmath::log(mr);
    spend_factor = log_mr / p.ads_roas;
    revenue_share = 1.0 - 1.0 / mr;
  }
  threshold = {0.0, p.stage_threshold_survivor, p.stage_threshold_pioneer, p.stage_threshold_rising,
               p.stage_threshold_challenger};
  for (int s = 0; s < kStages; ++s) {
    wages[s] = to_idr(p.team_size[s] * p.team_wage);
    overhead[s] = to_idr(p.money_overhead[s]);
  }
  living = to_idr(p.money_living_cost);
  test_cost = to_idr(p.testing_cost_per_test);
  life_cdf1 = p.winners_life_p1;
  life_cdf2 = p.winners_life_p1 + p.winners_life_p2;
  inv_alpha = 1.0 / p.winners_potential_alpha;
  whitelist_factor = {1.0, p.shocks_whitelist_factor};
  supplier_fail_factor = {1.0, p.shocks_supplier_access_factor};
  supplier_bonus = {1.0, p.testing_supplier_bonus};
  for (int life = 1; life <= kShortLife; ++life)
    for (int age = 0; age < life; ++age) short_life[life][age] = pmath::sin(std::numbers::pi * (age + 0.5) / life);
}

}  // namespace imersim
