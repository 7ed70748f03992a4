// Outcome registry and the per-replicate computation from the Recorder's datasets.
#include "analysis/outcomes.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>

#include "core/error.hpp"
#include "core/nan.hpp"
#include "core/stage.hpp"
#include "params/param_table.hpp"

namespace imersim {
namespace {

constexpr int kSurvivalAges[] = {12, 24, 36};

std::vector<OutcomeSpec> build_specs() {
  std::vector<OutcomeSpec> v;
  for (int s = 0; s < kStages; ++s)
    v.push_back({fmt::format("share.{}", kStageKeys[s]), "share",
                 fmt::format("Cross-sectional share of {} averaged over the reported months.", kStageNames[s])});
  for (int s = 0; s < kStages; ++s)
    v.push_back({fmt::format("share_final.{}", kStageKeys[s]), "share",
                 fmt::format("Share of {} at the last reported month (the horizon).", kStageNames[s])});
  v.push_back({"population", "agent", "Agents alive, mean over the reported months."});
  v.push_back({"population_final", "agent", "Agents alive at the last reported month."});
  v.push_back({"gmv_monthly", "IDR/month", "Total revenue of all agents per month, mean over the reported months."});
  v.push_back({"gmv_total", "IDR", "Total revenue of all agents over the reported months."});
  v.push_back({"exits_total", "agent", "Agents that left over the reported months."});
  for (int s = 0; s < kStages; ++s)
    v.push_back({fmt::format("exits.{}", kStageKeys[s]), "agent",
                 fmt::format("Agents that left from {} over the reported months.", kStageNames[s])});
  v.push_back({"promotions", "event", "Stage promotions (moves up at least one stage) over the reported months."});
  v.push_back({"demotions", "event", "Stage demotions over the reported months."});
  for (int s = 1; s < kStages; ++s)
    v.push_back({fmt::format("reach.{}", kStageKeys[s]), "share",
                 fmt::format("Share of newcomers entering in the reported months that reached {} or above by the end "
                             "(right-censored).",
                             kStageNames[s])});
  v.push_back({"reached_survivor", "agent",
               "Newcomers of the reported months that reached Survivor or above by the end of the run."});
  for (int a : kSurvivalAges)
    v.push_back({fmt::format("survival_{}", a), "share",
                 fmt::format("Share of newcomers still active {} months after entry (cohorts of the reported months "
                             "observed that long; NaN when the run is shorter).",
                             a)});
  v.push_back({"government_cost", "IDR", "Government spending on policies over the reported months (0 without policies)."});
  v.push_back({"imer_cost", "IDR", "Imers' own spending on policies (premiums, interest) over the reported months."});
  return v;
}

const std::vector<std::int64_t>& ints_of(const std::vector<Dataset>& rep, const char* name) {
  const Dataset* d = find_dataset(rep, name);
  if (d == nullptr || !d->is_int) throw InvariantError(fmt::format("replicate has no integer dataset '{}'", name));
  return d->ints;
}

/// Sum of an optional monthly series over the reported months (0 when absent).
double optional_total(const std::vector<Dataset>& rep, const char* name) {
  const Dataset* d = find_dataset(rep, name);
  if (d == nullptr) return 0.0;
  double t = 0;
  if (d->is_int)
    for (auto v : d->ints) t += static_cast<double>(v);
  else
    for (auto v : d->reals) t += v;
  return t;
}

}  // namespace

const std::vector<OutcomeSpec>& outcome_specs() {
  static const std::vector<OutcomeSpec> specs = build_specs();
  return specs;
}

const OutcomeSpec& outcome_spec(const std::string& name) {
  for (const auto& s : outcome_specs())
    if (s.name == name) return s;
  std::vector<std::string> names;
  for (const auto& s : outcome_specs()) names.push_back(s.name);
  const auto near = suggest_name(name, names);
  throw InputError("outcome", fmt::format("unknown outcome '{}'", name),
                   near ? fmt::format("did you mean '{}'? (`imersim outcomes` lists them)", *near)
                        : std::string("`imersim outcomes` lists the valid names"));
}

const Dataset* find_dataset(const std::vector<Dataset>& replicate, const std::string& name) {
  for (const auto& d : replicate)
    if (d.name == name) return &d;
  return nullptr;
}

std::vector<double> replicate_outcomes(const std::vector<Dataset>& rep) {
  const auto& counts = ints_of(rep, "stage_counts");  // [month][stage]
  const std::size_t months = counts.size() / kStages;
  std::vector<double> out;
  out.reserve(outcome_specs().size());

  std::vector<double> pop(months, 0.0);
  for (std::size_t t = 0; t < months; ++t)
    for (int s = 0; s < kStages; ++s) pop[t] += static_cast<double>(counts[t * kStages + s]);
  for (int s = 0; s < kStages; ++s) {  // share.<stage>: mean of monthly shares
    double m = 0;
    for (std::size_t t = 0; t < months; ++t)
      m += pop[t] > 0 ? static_cast<double>(counts[t * kStages + s]) / pop[t] : 0.0;
    out.push_back(months > 0 ? m / static_cast<double>(months) : kNaN);
  }
  for (int s = 0; s < kStages; ++s) {
    const double last = months > 0 ? pop[months - 1] : 0.0;
    out.push_back(last > 0 ? static_cast<double>(counts[(months - 1) * kStages + s]) / last : kNaN);
  }
  double pop_sum = 0;
  for (double p : pop) pop_sum += p;
  out.push_back(months > 0 ? pop_sum / static_cast<double>(months) : kNaN);
  out.push_back(months > 0 ? pop[months - 1] : kNaN);

  const auto& gmv = ints_of(rep, "gmv");
  double gmv_total = 0;
  for (auto g : gmv) gmv_total += static_cast<double>(g);
  out.push_back(months > 0 ? gmv_total / static_cast<double>(months) : kNaN);
  out.push_back(gmv_total);

  const auto& exits = ints_of(rep, "exits");  // [month][stage][cause]
  std::array<double, kStages> by_stage{};
  for (std::size_t t = 0; t < months; ++t)
    for (int s = 0; s < kStages; ++s)
      for (int c = 0; c < kExitCauses; ++c)
        by_stage[s] += static_cast<double>(exits[(t * kStages + s) * kExitCauses + c]);
  double exits_total = 0;
  for (double e : by_stage) exits_total += e;
  out.push_back(exits_total);
  for (double e : by_stage) out.push_back(e);

  const auto& tr = ints_of(rep, "transitions");  // [month][from][to]
  double up = 0, down = 0;
  for (std::size_t t = 0; t < months; ++t)
    for (int f = 0; f < kStages; ++f)
      for (int to = 0; to < kStages; ++to) {
        const auto n = static_cast<double>(tr[(t * kStages + f) * kStages + to]);
        if (to > f) up += n;
        if (to < f) down += n;
      }
  out.push_back(up);
  out.push_back(down);

  const auto& size = ints_of(rep, "cohort_size");
  const auto& reached = ints_of(rep, "cohort_reached");  // [cohort][stage]
  const auto& survival = ints_of(rep, "cohort_survival");  // [cohort][age], -1 after the run
  const std::size_t cohorts = size.size();
  double entered = 0;
  for (auto n : size) entered += static_cast<double>(n);
  for (int s = 1; s < kStages; ++s) {
    double r = 0;
    for (std::size_t c = 0; c < cohorts; ++c) r += static_cast<double>(reached[c * kStages + s]);
    out.push_back(entered > 0 ? r / entered : kNaN);
  }
  double reached_survivor = 0;
  for (std::size_t c = 0; c < cohorts; ++c) reached_survivor += static_cast<double>(reached[c * kStages + 1]);
  out.push_back(reached_survivor);
  for (int a : kSurvivalAges) {
    double alive = 0, n = 0;
    for (std::size_t c = 0; c < cohorts; ++c) {
      if (static_cast<std::size_t>(a) >= cohorts) break;
      const std::int64_t v = survival[c * cohorts + static_cast<std::size_t>(a)];
      if (v < 0) continue;  // not observed that long
      alive += static_cast<double>(v);
      n += static_cast<double>(size[c]);
    }
    out.push_back(n > 0 ? alive / n : kNaN);
  }
  out.push_back(optional_total(rep, "government_cost"));
  out.push_back(optional_total(rep, "imer_cost"));
  return out;
}

}  // namespace imersim
