// Tallying, clearing and merging MonthStats.
#include "model/month_stats.hpp"

#include <algorithm>

namespace imersim {

void MonthStats::clear() {
  entries = tests = new_products = products_lost = blocked = 0;
  stage_counts = running_products = revenue = ad_spend = test_spend = wages = profit = PerStage{};
  for (auto& e : exits) e.fill(0);
  for (auto& t : transitions) t.fill(0);
  for (auto& h : revenue_hist) h.clear();
  for (auto& h : capital_hist) h.clear();
  std::fill(cohort_alive.begin(), cohort_alive.end(), 0);
  std::fill(cohort_reached.begin(), cohort_reached.end(), 0);
}

void MonthStats::merge(const MonthStats& o) {
  entries += o.entries;
  tests += o.tests;
  new_products += o.new_products;
  products_lost += o.products_lost;
  blocked += o.blocked;
  for (int s = 0; s < kStages; ++s) {
    stage_counts[s] += o.stage_counts[s];
    running_products[s] += o.running_products[s];
    revenue[s] += o.revenue[s];
    ad_spend[s] += o.ad_spend[s];
    test_spend[s] += o.test_spend[s];
    wages[s] += o.wages[s];
    profit[s] += o.profit[s];
    for (int c = 0; c < kExitCauses; ++c) exits[s][c] += o.exits[s][c];
    for (int t = 0; t < kStages; ++t) transitions[s][t] += o.transitions[s][t];
    revenue_hist[s].merge(o.revenue_hist[s]);
    capital_hist[s].merge(o.capital_hist[s]);
  }
  for (std::size_t k = 0; k < cohort_alive.size(); ++k) cohort_alive[k] += o.cohort_alive[k];
  for (std::size_t k = 0; k < cohort_reached.size(); ++k) cohort_reached[k] += o.cohort_reached[k];
}

void MonthStats::record(const AgentMonth& m, std::uint8_t stage, std::uint8_t old_max_stage, std::uint8_t max_stage,
                        std::uint16_t entry_month, float capital) {
  tests += m.tests;
  new_products += m.new_products;
  products_lost += m.products_lost;
  blocked += m.blocked;
  revenue[stage] += m.revenue;
  ad_spend[stage] += m.ad_spend;
  test_spend[stage] += m.test_spend;
  wages[stage] += m.wages;
  profit[stage] += m.profit;
  if (m.old_stage != stage) ++transitions[m.old_stage][stage];
  if (entry_month < cohort_alive.size()) {
    for (int s = old_max_stage + 1; s <= max_stage; ++s) ++cohort_reached[entry_month * std::size_t{kStages} + s];
  }
  if (m.exited) {
    ++exits[stage][static_cast<int>(m.cause)];
    return;
  }
  ++stage_counts[stage];
  running_products[stage] += m.running();
  if (!distributions) return;
  revenue_hist[stage].add(static_cast<float>(m.revenue));
  capital_hist[stage].add(capital);
  if (entry_month < cohort_alive.size()) ++cohort_alive[entry_month];
}

}  // namespace imersim
