// Recorder implementation: one row per reported month in each series; cohort tallies.
#include "model/recorder.hpp"

#include <cmath>
#include <string>

namespace imersim {
namespace {

enum Series : std::size_t {
  kPopulation, kEntries, kStageCounts, kStageShares, kExits, kTransitions, kRevenueQuantiles, kRevenueMean,
  kCapitalQuantiles, kRunning, kGmv, kRevenue, kAdSpend, kTestSpend, kWages, kProfit, kTests, kNewProducts,
  kProductsLost, kBlocked, kSeriesCount
};

Dataset make(std::string name, std::vector<std::size_t> inner, std::vector<std::string> axes, std::string unit,
             std::string description, bool is_int) {
  Dataset d;
  d.name = std::move(name);
  d.shape = {0};
  d.shape.insert(d.shape.end(), inner.begin(), inner.end());
  d.axes = {"month"};
  d.axes.insert(d.axes.end(), axes.begin(), axes.end());
  d.unit = std::move(unit);
  d.description = std::move(description);
  d.is_int = is_int;
  return d;
}

void push(Dataset& d, std::int64_t v) { d.ints.push_back(v); }
void push(Dataset& d, double v) { d.reals.push_back(v); }

}  // namespace

Recorder::Recorder(const Params& p)
    : burn_in_(static_cast<std::uint32_t>(p.run_burn_in_months)), months_(static_cast<std::uint32_t>(p.run_months)) {
  const std::size_t S = kStages, Q = kQuantileLevels.size(), C = kExitCauses;
  series_.resize(kSeriesCount);
  series_[kPopulation] = make("population", {}, {}, "agent", "Agents alive at the end of the month.", true);
  series_[kEntries] = make("entries", {}, {}, "agent", "Newcomers that entered this month.", true);
  series_[kStageCounts] = make("stage_counts", {S}, {"stage"}, "agent", "Agents alive at month end, by stage.", true);
  series_[kStageShares] = make("stage_shares", {S}, {"stage"}, "share",
                               "Cross-sectional share of each stage at month end (what R23 Fig. 5 reports).", false);
  series_[kExits] = make("exits", {S, C}, {"stage", "cause"}, "agent", "Agents that left, by stage at exit and cause.", true);
  series_[kTransitions] = make("transitions", {S, S}, {"from_stage", "to_stage"}, "agent",
                               "Stage changes this month (promotions above the diagonal).", true);
  series_[kRevenueQuantiles] = make("revenue_quantiles", {S, Q}, {"stage", "quantile"}, "IDR/month",
                                    "Quantiles 10/25/50/75/90 % of this month's revenue per agent, by stage (log bins, within 3.1 %).", false);
  series_[kRevenueMean] = make("revenue_mean", {S}, {"stage"}, "IDR/month", "Revenue of the stage this month (agents exiting from it included) per alive agent of the stage.", false);
  series_[kCapitalQuantiles] = make("capital_quantiles", {S, Q}, {"stage", "quantile"}, "IDR",
                                    "Quantiles 10/25/50/75/90 % of capital per agent, by stage (log bins, within 3.1 %; <= 1 reads 0).", false);
  series_[kRunning] = make("running_products", {S}, {"stage"}, "product", "Winning products selling at month end, by stage.", true);
  series_[kGmv] = make("gmv", {}, {}, "IDR", "Total revenue of all agents this month (gross merchandise value).", true);
  series_[kRevenue] = make("revenue", {S}, {"stage"}, "IDR", "Revenue this month by stage (exiting agents in their exit stage).", true);
  series_[kAdSpend] = make("ad_spend", {S}, {"stage"}, "IDR", "Ad spend on selling products, by stage.", true);
  series_[kTestSpend] = make("test_spend", {S}, {"stage"}, "IDR", "Money burnt on product tests and brand launches, by stage.", true);
  series_[kWages] = make("wages", {S}, {"stage"}, "IDR", "Staff wages paid, by stage.", true);
  series_[kProfit] = make("profit", {S}, {"stage"}, "IDR", "Sum of agents' profit (change in capital), by stage.", true);
  series_[kTests] = make("tests", {}, {}, "test", "Product tests and brand launches run.", true);
  series_[kNewProducts] = make("new_products", {}, {}, "product", "Winners found and brand launches that succeeded.", true);
  series_[kProductsLost] = make("products_lost", {}, {}, "product", "Running products lost to supplier failure.", true);
  series_[kBlocked] = make("blocked_accounts", {}, {}, "agent", "Agents whose ad account was blocked this month.", true);
  cohort_size_.assign(months_, 0);
  cohort_reached_.assign(std::size_t{months_} * S, 0);
  cohort_survival_.assign(std::size_t{months_} * months_, -1);
}

void Recorder::add(const MonthStats& s, std::uint32_t month) {
  // Cohorts entering in the reported window: size, stages first reached, and survival by age.
  for (std::uint32_t c = burn_in_; c <= month && c < burn_in_ + months_; ++c) {
    const std::size_t k = c - burn_in_;
    if (c == month) cohort_size_[k] = s.entries;
    for (int st = 0; st < kStages; ++st) cohort_reached_[k * kStages + st] += s.cohort_reached[std::size_t{c} * kStages + st];
    cohort_survival_[k * months_ + (month - c)] = s.cohort_alive[c];
  }
  if (month < burn_in_) return;
  ++recorded_;
  const double pop = static_cast<double>(s.population());
  push(series(kPopulation), s.population());
  push(series(kEntries), s.entries);
  push(series(kGmv), [&] { std::int64_t g = 0; for (auto r : s.revenue) g += r; return g; }());
  push(series(kTests), s.tests);
  push(series(kNewProducts), s.new_products);
  push(series(kProductsLost), s.products_lost);
  push(series(kBlocked), s.blocked);
  for (int st = 0; st < kStages; ++st) {
    push(series(kStageCounts), s.stage_counts[st]);
    push(series(kStageShares), pop > 0 ? static_cast<double>(s.stage_counts[st]) / pop : 0.0);
    for (int c = 0; c < kExitCauses; ++c) push(series(kExits), s.exits[st][c]);
    for (int to = 0; to < kStages; ++to) push(series(kTransitions), s.transitions[st][to]);
    for (double q : kQuantileLevels) {
      push(series(kRevenueQuantiles), s.revenue_hist[st].quantile(q));
      push(series(kCapitalQuantiles), s.capital_hist[st].quantile(q));
    }
    // Mean revenue of alive agents is approximated by stage revenue over stage count (exits included).
    push(series(kRevenueMean), s.stage_counts[st] > 0 ? static_cast<double>(s.revenue[st]) / static_cast<double>(s.stage_counts[st])
                                                      : std::nan(""));
    push(series(kRunning), s.running_products[st]);
    push(series(kRevenue), s.revenue[st]);
    push(series(kAdSpend), s.ad_spend[st]);
    push(series(kTestSpend), s.test_spend[st]);
    push(series(kWages), s.wages[st]);
    push(series(kProfit), s.profit[st]);
  }
  for (auto& d : series_) d.shape[0] = recorded_;
}

std::vector<Dataset> Recorder::datasets() const {
  std::vector<Dataset> out = series_;
  const std::size_t M = months_;
  Dataset size{"cohort_size", {M}, {"cohort"}, "agent", "Newcomers per cohort (entry month counted from the end of burn-in).", true, cohort_size_, {}};
  Dataset reached{"cohort_reached", {M, kStages}, {"cohort", "stage"}, "agent",
                  "Agents of each cohort that ever reached each stage by the end of the run (right-censored).", true, cohort_reached_, {}};
  Dataset survival{"cohort_survival", {M, M}, {"cohort", "months_since_entry"}, "agent",
                   "Agents of each cohort alive at the end of each month since entry (0 = entry month); -1 = after the run.",
                   true, cohort_survival_, {}};
  out.push_back(std::move(size));
  out.push_back(std::move(reached));
  out.push_back(std::move(survival));
  return out;
}

std::array<double, kStages> Recorder::mean_shares() const {
  std::array<double, kStages> m{};
  const auto& shares = series_[kStageShares].reals;
  if (recorded_ == 0) return m;
  for (std::uint32_t t = 0; t < recorded_; ++t)
    for (int s = 0; s < kStages; ++s) m[s] += shares[t * kStages + s];
  for (auto& v : m) v /= recorded_;
  return m;
}

std::array<std::int64_t, kStages> Recorder::last_counts() const {
  std::array<std::int64_t, kStages> c{};
  if (recorded_ == 0) return c;
  const auto& counts = series_[kStageCounts].ints;
  for (int s = 0; s < kStages; ++s) c[s] = counts[(recorded_ - 1) * kStages + s];
  return c;
}

}  // namespace imersim
