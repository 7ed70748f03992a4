// evaluate_fit and its presentation (table, HDF5 datasets and attributes) for validate and calibrate.
#include "experiment/validate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "analysis/outcomes.hpp"
#include "core/error.hpp"
#include "core/stage.hpp"

namespace imersim {

namespace {

std::size_t outcome_index(const std::string& name) {
  const auto& specs = outcome_specs();
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return i;
  (void)outcome_spec(name);  // throws InputError with a suggestion
  return 0;
}

Dataset real_vector(const std::string& name, const std::string& unit, const std::string& description,
                    std::vector<double> values, const std::string& axis = "target") {
  Dataset d{name, {values.size()}, {axis}, unit, description, false, {}, std::move(values)};
  return d;
}

std::string percent_or_nan(double v, int precision) {
  return std::isfinite(v) ? fmt::format("{:.{}f}", 100 * v, precision) : std::string("nan");
}

}  // namespace

bool FitReport::pass() const { return passed() == static_cast<int>(fits.size()); }

int FitReport::passed() const {
  int n = 0;
  for (const auto& f : fits) n += f.pass ? 1 : 0;
  return n;
}

bool DriftCheck::steady() const {
  for (bool d : drifting)
    if (d) return false;
  return true;
}

DriftCheck drift_check(const RunResult& run, double limit) {
  DriftCheck d;
  d.limit = limit;
  std::array<std::vector<double>, kStages> changes;
  for (const auto& rep : run.output.replicates) {
    const Dataset* counts = find_dataset(rep, "stage_counts");
    if (counts == nullptr || !counts->is_int || counts->shape.size() != 2 || counts->shape[1] != kStages)
      throw InvariantError("drift_check: a replicate has no stage_counts [month, stage]");
    const std::size_t months = counts->shape[0], half = months / 2;
    d.months = static_cast<std::int64_t>(months);
    std::array<double, kStages> first{}, second{};
    double first_total = 0, second_total = 0;
    for (std::size_t m = 0; m < half; ++m)
      for (int s = 0; s < kStages; ++s) {
        const auto early = static_cast<double>(counts->ints[m * kStages + static_cast<std::size_t>(s)]);
        const auto late = static_cast<double>(counts->ints[(months - half + m) * kStages + static_cast<std::size_t>(s)]);
        first[static_cast<std::size_t>(s)] += early;
        second[static_cast<std::size_t>(s)] += late;
        first_total += early;
        second_total += late;
      }
    for (std::size_t s = 0; s < kStages; ++s) {
      const double a = first_total > 0 ? first[s] / first_total : 0, b = second_total > 0 ? second[s] / second_total : 0;
      changes[s].push_back(a > 0 ? b / a - 1 : std::numeric_limits<double>::quiet_NaN());
    }
  }
  for (std::size_t s = 0; s < kStages; ++s) {
    d.change[s] = mean_ci(changes[s]);
    const MeanCi& c = d.change[s];
    d.drifting[s] = c.n >= 2 && std::isfinite(c.low) && (c.low > 0 || c.high < 0) && std::fabs(c.mean) >= limit;
  }
  return d;
}

std::string drift_text(const DriftCheck& d) {
  std::string s = fmt::format(
      "steady state: change of each share from the first to the last {} of the {} reported months "
      "(mean over replicates, 95% CI)\n",
      d.months / 2, d.months);
  for (int k = 0; k < kStages; ++k) {
    const MeanCi& c = d.change[static_cast<std::size_t>(k)];
    s += fmt::format("  {:<16} {:>+8.2f}%  [{:+.2f}%, {:+.2f}%]{}\n", kStageNames[static_cast<std::size_t>(k)], 100 * c.mean,
                     100 * c.low, 100 * c.high, d.drifting[static_cast<std::size_t>(k)] ? "  DRIFTING" : "");
  }
  s += d.steady() ? fmt::format("  no share drifts by {:.0f}% or more: the reported months look like a steady state\n",
                                100 * d.limit)
                  : "  WARNING: shares still move; the burn-in is too short for a steady state (raise "
                    "run.burn_in_months; docs/calibration.md, \"Steady state\")\n";
  return s;
}

std::vector<Dataset> drift_datasets(const DriftCheck& d) {
  auto column = [&](auto get) {
    std::vector<double> v;
    for (const auto& c : d.change) v.push_back(get(c));
    return v;
  };
  std::vector<Dataset> out;
  out.push_back(real_vector("drift_change", "", "Mean over replicates of (second-half share / first-half share) - 1 of the reported months.",
                            column([](const MeanCi& c) { return c.mean; }), "stage"));
  out.push_back(real_vector("drift_ci_low", "", "Lower end of its 95 % t-interval (NaN with 1 replicate).",
                            column([](const MeanCi& c) { return c.low; }), "stage"));
  out.push_back(real_vector("drift_ci_high", "", "Upper end of its 95 % t-interval (NaN with 1 replicate).",
                            column([](const MeanCi& c) { return c.high; }), "stage"));
  return out;
}

std::vector<std::vector<double>> run_outcomes(const RunResult& run) {
  std::vector<std::vector<double>> rows;
  rows.reserve(run.output.replicates.size());
  for (const auto& rep : run.output.replicates) rows.push_back(replicate_outcomes(rep));
  return rows;
}

FitReport evaluate_fit(const TargetSet& targets, const std::vector<std::vector<double>>& outcomes) {
  if (outcomes.empty()) throw InvariantError("evaluate_fit: no replicates");
  FitReport r;
  r.replicates = static_cast<std::int64_t>(outcomes.size());
  r.target_sum = targets.share_sum();
  for (const auto& t : targets.all()) {
    TargetFit f;
    f.target = t;
    const std::size_t k = outcome_index(t.outcome);
    for (const auto& row : outcomes) f.replicates.push_back(row.at(k));
    f.sim = mean_ci(f.replicates);
    const double mean = std::isfinite(f.sim.mean) ? f.sim.mean : 0.0;
    f.relative_error = relative_error(f.sim.mean, t.value);
    f.z = log_share_z(mean, t.value, t.tolerance, targets.floor);
    f.pass = std::isfinite(f.relative_error) && std::fabs(f.relative_error) <= t.tolerance;
    r.objective += f.z * f.z;
    r.fits.push_back(std::move(f));
  }
  std::vector<double> sim, obs;
  for (int s = 0; s < kStages && s < static_cast<int>(r.fits.size()); ++s) {
    sim.push_back(std::isfinite(r.fits[s].sim.mean) ? r.fits[s].sim.mean : 0.0);
    obs.push_back(r.fits[s].target.value);
  }
  r.aitchison = aitchison_distance(sim, obs, targets.floor);
  return r;
}

std::string fit_table(const FitReport& r, const TargetSet& targets) {
  std::string t = fmt::format("targets {} ({}): five shares summing to {:.5f}{}; {} replicate(s)\n", targets.name,
                              targets.source, r.target_sum,
                              targets.cohort.empty() ? "" : fmt::format(", {} cohort target(s)", targets.cohort.size()),
                              r.replicates);
  t += fmt::format("{:<22} {:>11} {:>23} {:>10} {:>9} {:>6} {:>7}  {}\n", "outcome", "simulated %", "95% CI (%)",
                   "target %", "rel.err", "tol", "log z", "result");
  for (const auto& f : r.fits) {
    const std::string ci = std::isfinite(f.sim.low)
                               ? fmt::format("[{}, {}]", percent_or_nan(f.sim.low, 4), percent_or_nan(f.sim.high, 4))
                               : std::string("n/a (1 replicate)");
    t += fmt::format("{:<22} {:>11} {:>23} {:>10.4f} {:>8.2f}% {:>5.0f}% {:>7.2f}  {}\n", f.target.outcome,
                     percent_or_nan(f.sim.mean, 4), ci, 100 * f.target.value, 100 * f.relative_error,
                     100 * f.target.tolerance, f.z, f.pass ? "PASS" : "FAIL");
  }
  t += fmt::format(
      "goodness of fit: log-share chi-square {:.4g} (sum of z^2, z = ln(sim/target)/ln(1+tol), floor {:g}); "
      "Aitchison distance {:.4g}\n",
      r.objective, targets.floor, r.aitchison);
  t += fmt::format("{}: {} of {} targets within tolerance\n", r.pass() ? "PASS" : "FAIL", r.passed(), r.fits.size());
  return t;
}

std::vector<Dataset> fit_datasets(const FitReport& r) {
  const std::size_t n = r.fits.size();
  Dataset per_rep{"fit_replicate_values",
                  {static_cast<std::size_t>(r.replicates), n},
                  {"replicate", "target"},
                  "share",
                  "Simulated value of each target's outcome in each replicate.",
                  false,
                  {},
                  {}};
  for (std::int64_t k = 0; k < r.replicates; ++k)
    for (const auto& f : r.fits) per_rep.reals.push_back(f.replicates[static_cast<std::size_t>(k)]);
  auto column = [&](auto get) {
    std::vector<double> v;
    for (const auto& f : r.fits) v.push_back(get(f));
    return v;
  };
  std::vector<Dataset> out{std::move(per_rep)};
  out.push_back(real_vector("fit_mean", "share", "Mean simulated value over replicates.",
                            column([](const TargetFit& f) { return f.sim.mean; })));
  out.push_back(real_vector("fit_ci_low", "share", "Lower end of the 95 % t-interval of the mean (NaN with 1 replicate).",
                            column([](const TargetFit& f) { return f.sim.low; })));
  out.push_back(real_vector("fit_ci_high", "share", "Upper end of the 95 % t-interval of the mean (NaN with 1 replicate).",
                            column([](const TargetFit& f) { return f.sim.high; })));
  out.push_back(real_vector("fit_target", "share", "Observed (target) value.",
                            column([](const TargetFit& f) { return f.target.value; })));
  out.push_back(real_vector("fit_tolerance", "", "Largest accepted |relative error|.",
                            column([](const TargetFit& f) { return f.target.tolerance; })));
  out.push_back(real_vector("fit_relative_error", "", "(mean - target) / target.",
                            column([](const TargetFit& f) { return f.relative_error; })));
  out.push_back(real_vector("fit_log_z", "", "ln(max(mean, floor) / target) / ln(1 + tolerance).",
                            column([](const TargetFit& f) { return f.z; })));
  Dataset pass{"fit_pass", {n}, {"target"}, "", "1 when |relative error| <= tolerance, else 0.", true, {}, {}};
  for (const auto& f : r.fits) pass.ints.push_back(f.pass ? 1 : 0);
  out.push_back(std::move(pass));
  return out;
}

std::map<std::string, std::string> fit_attributes(const FitReport& r, const TargetSet& targets) {
  std::string labels;
  for (const auto& f : r.fits) labels += (labels.empty() ? "" : ",") + f.target.outcome;
  return {{"fit_targets", labels},
          {"targets_name", targets.name},
          {"targets_path", targets.path.string()},
          {"targets_source", targets.source},
          {"targets_share_sum", fmt::format("{}", r.target_sum)},
          {"share_floor", fmt::format("{}", targets.floor)},
          {"fit_objective", fmt::format("{}", r.objective)},
          {"fit_aitchison", fmt::format("{}", r.aitchison)},
          {"fit_passed", fmt::format("{}", r.passed())},
          {"fit_result", r.pass() ? "PASS" : "FAIL"}};
}

}  // namespace imersim
