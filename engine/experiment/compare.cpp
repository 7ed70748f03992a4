// compare: paired runs, batches until the CIs are narrow enough, the table and the HDF5 content.
#include "experiment/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/outcomes.hpp"
#include "core/error.hpp"
#include "model/state_io.hpp"
#include "scenario/policies.hpp"

namespace imersim {
namespace {

std::vector<std::size_t> outcome_indices() {
  std::vector<std::size_t> idx;
  const auto& specs = outcome_specs();
  for (const auto& name : compared_outcomes()) {
    const OutcomeSpec& s = outcome_spec(name);
    idx.push_back(static_cast<std::size_t>(&s - specs.data()));
  }
  return idx;
}

std::size_t column(const std::string& name) {
  const auto& c = compared_outcomes();
  return static_cast<std::size_t>(std::find(c.begin(), c.end(), name) - c.begin());
}

void check_scenarios(const std::vector<Scenario>& sc, const CompareOptions& o) {
  std::vector<Diagnostic> diags;
  if (sc.size() < 2) diags.push_back(Diagnostic{"compare", 0, 0, {}, "compare needs a baseline and at least one policy scenario", {}});
  for (std::size_t k = 1; k < sc.size(); ++k) {
    const Params &a = sc[0].params, &b = sc[k].params;
    auto same = [&](const char* key, std::int64_t x, std::int64_t y) {
      if (x != y)
        diags.push_back(Diagnostic{sc[k].path.string(), 0, 0, key,
                                   fmt::format("{} is {} here but {} in the baseline {}; paired runs need the same value",
                                               key, y, x, sc[0].path.string()),
                                   fmt::format("set it in the file, or pass --set {}=... to compare", key)});
    };
    same("run.seed", a.run_seed, b.run_seed);
    same("run.burn_in_months", a.run_burn_in_months, b.run_burn_in_months);
    same("run.months", a.run_months, b.run_months);
  }
  if (!diags.empty()) throw InputError(std::move(diags));
  if (o.from == nullptr) return;
  for (const auto& s : sc)
    check_state_compatible(*o.from, o.from_path, s.params, s.policies, s.path.string(), o.replicates);
}

/// Whether every reported CI half-width is within `w` times the outcome's level.
bool narrow_enough(const CompareResult& r, double w) {
  for (std::size_t p = 0; p < r.policies.size(); ++p) {
    for (std::size_t k = 0; k < compared_outcomes().size(); ++k) {
      const PairedDifference& d = r.policies[p].differences[k];
      if (d.n < 2) {
        if (d.n == 0) continue;  // never observed (e.g. survival beyond the run)
        return false;
      }
      double base = 0, pol = 0;
      for (const auto& rep : r.values[0]) base += std::isnan(rep[k]) ? 0 : rep[k];
      for (const auto& rep : r.values[p + 1]) pol += std::isnan(rep[k]) ? 0 : rep[k];
      const double n = static_cast<double>(r.values[0].size());
      const double level = std::max(std::abs(base / n), std::abs(pol / n));
      if (d.half_width() > w * level) return false;
    }
  }
  return true;
}

void analyse(CompareResult& r) {
  r.policies.clear();
  const std::size_t K = compared_outcomes().size();
  const std::size_t gov = column("government_cost"), surv = column("reached_survivor"), exits = column("exits_total");
  for (std::size_t s = 1; s < r.scenarios.size(); ++s) {
    PolicyComparison pc;
    pc.name = r.scenarios[s];
    std::vector<double> dgov, dsurv, davoid;
    for (std::size_t k = 0; k < K; ++k) {
      std::vector<double> b, p;
      for (const auto& rep : r.values[0]) b.push_back(rep[k]);
      for (const auto& rep : r.values[s]) p.push_back(rep[k]);
      pc.differences.push_back(paired_difference(b, p));
    }
    for (std::size_t rep = 0; rep < r.values[0].size(); ++rep) {
      dgov.push_back(r.values[s][rep][gov] - r.values[0][rep][gov]);
      dsurv.push_back(r.values[s][rep][surv] - r.values[0][rep][surv]);
      davoid.push_back(r.values[0][rep][exits] - r.values[s][rep][exits]);
    }
    pc.cost_per_survivor = fieller_ratio(dgov, dsurv);
    pc.cost_per_failure_avoided = fieller_ratio(dgov, davoid);
    r.policies.push_back(std::move(pc));
  }
}

}  // namespace

const std::vector<std::string>& compared_outcomes() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (auto s : kStageKeys) v.push_back(fmt::format("share_final.{}", s));
    v.push_back("reached_survivor");
    v.push_back("exits_total");
    for (auto s : kStageKeys) v.push_back(fmt::format("exits.{}", s));
    for (const char* n : {"survival_12", "survival_24", "survival_36", "gmv_total", "government_cost", "imer_cost"})
      v.emplace_back(n);
    for (const auto& n : v) outcome_spec(n);  // every name is in the registry
    return v;
  }();
  return names;
}

CompareResult run_compare(const std::vector<Scenario>& scenarios, const CompareOptions& o) {
  check_scenarios(scenarios, o);
  const auto idx = outcome_indices();
  CompareResult r;
  for (const auto& s : scenarios) r.scenarios.push_back(s.name);
  r.values.resize(scenarios.size());
  std::int64_t cap = o.max_replicates;
  if (o.from) cap = std::min<std::int64_t>(cap, static_cast<std::int64_t>(o.from->replicates.size()));
  for (;;) {
    const std::int64_t first = r.replicates, count = o.replicates;
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      RunExtras extras;
      extras.policies = &scenarios[s].policies;
      extras.from = o.from;
      const RunResult run = run_replicates(scenarios[s].params, first, count, o.progress, extras);
      for (const auto& rep : run.output.replicates) {
        const auto all = replicate_outcomes(rep);
        std::vector<double> row;
        for (auto i : idx) row.push_back(all[i]);
        r.values[s].push_back(std::move(row));
      }
    }
    r.replicates += count;
    analyse(r);
    if (o.until_ci <= 0) break;
    r.target_met = narrow_enough(r, o.until_ci);
    if (r.target_met || r.replicates + o.replicates > cap) break;
  }
  return r;
}

std::string compare_table(const CompareResult& r) {
  auto num = [](double v) { return std::isnan(v) ? std::string("n/a") : fmt::format("{:.6g}", v); };
  std::string t;
  for (std::size_t p = 0; p < r.policies.size(); ++p) {
    const PolicyComparison& pc = r.policies[p];
    t += fmt::format("{} vs {} ({} paired replicates; difference = policy - baseline, 95 % CI)\n", pc.name,
                     r.scenarios[0], r.replicates);
    t += fmt::format("{:<26} {:>14} {:>14} {:>14} {:>32}\n", "outcome", "baseline", "policy", "difference", "95 % CI");
    for (std::size_t k = 0; k < compared_outcomes().size(); ++k) {
      double b = 0, q = 0, n = 0;
      for (std::size_t rep = 0; rep < r.values[0].size(); ++rep) {
        if (std::isnan(r.values[0][rep][k]) || std::isnan(r.values[p + 1][rep][k])) continue;
        b += r.values[0][rep][k];
        q += r.values[p + 1][rep][k];
        ++n;
      }
      const PairedDifference& d = pc.differences[k];
      t += fmt::format("{:<26} {:>14} {:>14} {:>14} {:>32}\n", compared_outcomes()[k], num(n > 0 ? b / n : NAN),
                       num(n > 0 ? q / n : NAN), num(d.mean), fmt::format("[{}, {}]", num(d.low), num(d.high)));
    }
    auto ratio = [&](const char* what, const Ratio& x) {
      t += x.defined ? fmt::format("{:<44} {:>14} [{}, {}]\n", what, num(x.estimate), num(x.low), num(x.high))
                     : fmt::format("{:<44} {:>14} (the difference in the denominator is not significant)\n", what, "n/a");
    };
    ratio("government IDR per additional Survivor+", pc.cost_per_survivor);
    ratio("government IDR per failure avoided", pc.cost_per_failure_avoided);
    t += "\n";
  }
  if (!r.target_met) t += "note: --until-ci target not reached at the replicate limit\n";
  return t;
}

RunOutput compare_output(const CompareResult& r) {
  RunOutput out;
  const std::size_t K = compared_outcomes().size(), P = r.policies.size(), R = r.values[0].size();
  std::string outcomes, policies;
  for (const auto& n : compared_outcomes()) outcomes += (outcomes.empty() ? "" : ",") + n;
  for (std::size_t s = 1; s < r.scenarios.size(); ++s) policies += (s > 1 ? "," : "") + r.scenarios[s];
  out.attributes = {{"content", "imersim-compare/1"}, {"baseline", r.scenarios[0]}, {"policies", policies},
                    {"outcomes", outcomes}, {"replicates", fmt::format("{}", r.replicates)},
                    {"target_met", r.target_met ? "true" : "false"}};
  for (std::size_t s = 0; s < r.scenarios.size(); ++s) {
    Dataset d{fmt::format("outcomes_{:03}", s), {R, K}, {"replicate", "outcome"}, "",
              fmt::format("Per-replicate outcomes of scenario '{}' (0 = baseline).", r.scenarios[s]), false, {}, {}};
    for (const auto& row : r.values[s]) d.reals.insert(d.reals.end(), row.begin(), row.end());
    out.summary.push_back(std::move(d));
  }
  auto per_policy = [&](const char* name, const char* desc, auto get) {
    Dataset d{name, {P, K}, {"policy", "outcome"}, "", desc, false, {}, {}};
    for (const auto& pc : r.policies)
      for (const auto& x : pc.differences) d.reals.push_back(get(x));
    out.summary.push_back(std::move(d));
  };
  per_policy("difference_mean", "Mean paired difference policy - baseline.", [](const PairedDifference& x) { return x.mean; });
  per_policy("difference_low", "Lower 95 % CI bound of the difference.", [](const PairedDifference& x) { return x.low; });
  per_policy("difference_high", "Upper 95 % CI bound of the difference.", [](const PairedDifference& x) { return x.high; });
  Dataset ce{"cost_effectiveness", {P, 2, 3}, {"policy", "measure", "bound"}, "IDR/agent",
             "Government IDR per additional Survivor+ (measure 0) and per failure avoided (1): estimate, low, high "
             "(Fieller 95 %); NaN = n/a.",
             false, {}, {}};
  for (const auto& pc : r.policies)
    for (const Ratio& x : {pc.cost_per_survivor, pc.cost_per_failure_avoided})
      for (double v : {x.estimate, x.low, x.high}) ce.reals.push_back(x.defined ? v : std::nan(""));
  out.summary.push_back(std::move(ce));
  return out;
}

}  // namespace imersim
