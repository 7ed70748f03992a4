// What a calibration writes: every evaluation to HDF5 (also its checkpoint, read back on resume) and
// the fitted parameter set as a scenario file with fit statistics and provenance.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "analysis/outcomes.hpp"
#include "core/error.hpp"
#include "experiment/calibration.hpp"
#include "imersim/version.hpp"
#include "output/hdf5_writer.hpp"

namespace imersim {

namespace {

constexpr const char* kKind = "imersim-calibration/1";

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

std::vector<std::string> parameter_keys(const CalibrationSpec& spec) {
  std::vector<std::string> keys;
  for (const auto& p : spec.parameters) keys.push_back(p.key);
  return keys;
}

std::vector<std::string> outcome_names() {
  std::vector<std::string> names;
  for (const auto& s : outcome_specs()) names.push_back(s.name);
  return names;
}

Dataset reals(std::string name, std::vector<std::size_t> shape, std::vector<std::string> axes, std::string unit,
              std::string description) {
  return Dataset{std::move(name), std::move(shape), std::move(axes), std::move(unit), std::move(description),
                 false, {}, {}};
}

const Dataset& need(const RunOutput& f, const std::string& name, const std::filesystem::path& path) {
  for (const auto& d : f.summary)
    if (d.name == name) return d;
  throw IoError(fmt::format("cannot read calibration checkpoint '{}': no dataset '{}'", path.string(), name),
                "the file is damaged or from another imersim version", "pass --restart to start over");
}

std::string now_utc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

void write_evaluations(const CalibrationSpec& spec, const CalibrationResult& r, const std::filesystem::path& path,
                       bool complete) {
  const std::size_t n = r.evaluations.size(), d = spec.parameters.size(), k = outcome_specs().size();
  const std::size_t reps = n > 0 ? r.evaluations[0].outcomes.size() : static_cast<std::size_t>(spec.scenario.params.run_replicates);
  const std::size_t t = spec.targets.all().size();
  Dataset phase{"calib_phase", {n}, {"evaluation"}, "", "0 start point, 1 Sobol design, 2 local search, 3 profile.",
                true, {}, {}};
  Dataset unit = reals("calib_unit", {n, d}, {"evaluation", "parameter"}, "",
                       "Point in unit coordinates (0 = min, 1 = max; logarithmic for log-scale parameters).");
  Dataset values = reals("calib_values", {n, d}, {"evaluation", "parameter"}, "",
                         "Free parameter values in their own units (see attribute parameters).");
  Dataset objective = reals("calib_objective", {n}, {"evaluation"}, "", "Minimised objective: fit + prior penalty.");
  Dataset fit = reals("calib_fit_objective", {n}, {"evaluation"}, "",
                      "Log-share chi-square of the replicate means against the targets.");
  Dataset prior = reals("calib_prior_penalty", {n}, {"evaluation"}, "", "Sum of squared prior z-scores.");
  Dataset means = reals("calib_target_mean", {n, t}, {"evaluation", "target"}, "share",
                        "Mean simulated value of each target outcome (attribute fit_targets).");
  Dataset outcomes = reals("calib_outcomes", {n, reps, k}, {"evaluation", "replicate", "outcome"}, "",
                           "Every outcome of every replicate (attribute outcomes names the last axis).");
  for (const auto& e : r.evaluations) {
    phase.ints.push_back(static_cast<std::int64_t>(e.phase));
    unit.reals.insert(unit.reals.end(), e.unit.begin(), e.unit.end());
    values.reals.insert(values.reals.end(), e.values.begin(), e.values.end());
    objective.reals.push_back(e.objective());
    fit.reals.push_back(e.fit_objective);
    prior.reals.push_back(e.prior_penalty);
    for (const auto& f : evaluation_fit(spec, e).fits) means.reals.push_back(f.sim.mean);
    for (const auto& row : e.outcomes) outcomes.reals.insert(outcomes.reals.end(), row.begin(), row.end());
  }
  std::vector<std::string> targets;
  for (const auto& x : spec.targets.all()) targets.push_back(x.outcome);
  RunOutput out;
  out.attributes = {{"kind", kKind},
                    {"calibration_name", spec.name},
                    {"calibration_path", spec.path.string()},
                    {"calibration_fingerprint", spec.canonical()},
                    {"base_path", spec.base_path.string()},
                    {"targets_path", spec.targets_path.string()},
                    {"parameters", join(parameter_keys(spec), ",")},
                    {"fit_targets", join(targets, ",")},
                    {"outcomes", join(outcome_names(), ",")},
                    {"method", method_name(spec.method)},
                    {"status", complete ? "complete" : "incomplete"},
                    {"evaluations", fmt::format("{}", n)},
                    {"best_evaluation", fmt::format("{}", r.best)},
                    {"optimizer_status", r.optimizer_status},
                    {"imersim_version", build::version},
                    {"git_commit", build::git_commit},
                    {"build_type", build::build_type}};
  out.summary = {std::move(phase), std::move(unit), std::move(values), std::move(objective), std::move(fit),
                 std::move(prior), std::move(means), std::move(outcomes)};
  write_hdf5(path, out);
}

void check_replaceable_checkpoint(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return;
  bool checkpoint = false;
  try {
    const RunOutput f = read_hdf5(path);
    const auto it = f.attributes.find("kind");
    checkpoint = it != f.attributes.end() && it->second == kKind;
  } catch (const IoError&) {  // not HDF5, or unreadable: not a checkpoint either
  }
  if (!checkpoint)
    throw InputError(path.string(), "--restart would overwrite this file, which is not a calibration checkpoint",
                     "choose another --evaluations path, or remove the file yourself");
}

std::vector<Evaluation> read_evaluations(const CalibrationSpec& spec, const std::filesystem::path& path,
                                         bool any_commit) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return {};
  const RunOutput f = reading_input(path.string(), [&] { return read_hdf5(path); });
  const auto attr = [&](const char* key) {
    const auto it = f.attributes.find(key);
    return it == f.attributes.end() ? std::string() : it->second;
  };
  const std::string file = path.string();
  if (attr("kind") != kKind)
    throw InputError(file, "this HDF5 file is not a calibration checkpoint", "choose another --evaluations path");
  if (attr("calibration_fingerprint") != spec.canonical())
    throw InputError(file,
                     "the checkpoint was written for a different calibration (base parameters, run settings, targets, "
                     "free parameters or optimiser changed)",
                     "pass --restart to start over, or choose another --evaluations path");
  if ((!any_commit && attr("git_commit") != build::git_commit) || attr("outcomes") != join(outcome_names(), ","))
    throw InputError(file,
                     fmt::format("the checkpoint was written by imersim commit {}, this is {}; results of different "
                                 "model versions must not be mixed",
                                 attr("git_commit"), build::git_commit),
                     "pass --restart to start over");
  const Dataset& phase = need(f, "calib_phase", path);
  const Dataset& unit = need(f, "calib_unit", path);
  const Dataset& values = need(f, "calib_values", path);
  const Dataset& outcomes = need(f, "calib_outcomes", path);
  const std::size_t n = phase.shape.at(0), d = spec.parameters.size();
  const std::size_t reps = outcomes.shape.at(1), k = outcomes.shape.at(2);
  std::vector<Evaluation> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    Evaluation& e = out[i];
    e.phase = static_cast<CalibrationPhase>(phase.ints[i]);
    e.unit.assign(unit.reals.begin() + static_cast<std::ptrdiff_t>(i * d),
                  unit.reals.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    e.values.assign(values.reals.begin() + static_cast<std::ptrdiff_t>(i * d),
                    values.reals.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    for (std::size_t r = 0; r < reps; ++r) {
      const auto at = outcomes.reals.begin() + static_cast<std::ptrdiff_t>((i * reps + r) * k);
      e.outcomes.emplace_back(at, at + static_cast<std::ptrdiff_t>(k));
    }
  }
  return out;
}

std::string search_stopped_early_note(const CalibrationResult& r, const std::string& prefix) {
  if (r.evaluations.empty()) return {};
  const double best = r.evaluations[r.best].objective();
  std::size_t lowest = r.best;
  for (std::size_t k = 0; k < r.evaluations.size(); ++k)
    if (r.evaluations[k].phase == CalibrationPhase::Profile && r.evaluations[k].objective() < r.evaluations[lowest].objective())
      lowest = k;
  if (lowest == r.best) return {};
  return fmt::format("{}NOTE: a profile point (evaluation {}) reached objective {:.6g} < best {:.6g}: the search stopped "
                     "early; raise the budget or start from that point\n",
                     prefix, lowest, r.evaluations[lowest].objective(), best);
}

std::string calibrated_config_yaml(const CalibrationSpec& spec, const CalibrationResult& r,
                                   const std::filesystem::path& out, const std::string& command_line) {
  const Evaluation& best = r.evaluations.at(r.best);
  const FitReport fit = evaluation_fit(spec, best);
  std::string s = "# Fitted parameter set written by `imersim calibrate`; re-run the calibration rather than editing it.\n";
  s += fmt::format("# command:     {}\n", command_line);
  s += fmt::format("# calibration: {} (name {})\n", spec.path.string(), spec.name);
  s += fmt::format("# written:     {} by imersim {} (commit {}, {} build)\n", now_utc(), build::version,
                   build::git_commit, build::build_type);
  s += fmt::format("# evaluations: {} ({} simulated by the last process, {} reused); method {} after the start point "
                   "and {} Sobol point(s); stopped: {}\n",
                   r.evaluations.size(), r.simulated, r.reused, method_name(spec.method), spec.initial_design,
                   r.optimizer_status);
  s += fmt::format("# settings:    {} (common random numbers: seed {}, replicates 0..{})\n", join(spec.evaluation, " "),
                   spec.scenario.params.run_seed, spec.scenario.params.run_replicates - 1);
  s += fmt::format("# best:        evaluation {}: objective {:.6g} (log-share chi-square {:.6g} + prior penalty {:.6g}), "
                   "Aitchison distance {:.4g}\n",
                   r.best, best.objective(), best.fit_objective, best.prior_penalty, fit.aitchison);
  s += "# fit at the calibration settings:\n";
  std::string table = fit_table(fit, spec.targets);
  for (std::size_t pos = 0; pos < table.size();) {
    const std::size_t end = table.find('\n', pos);
    s += "#   " + table.substr(pos, end - pos) + "\n";
    pos = end == std::string::npos ? table.size() : end + 1;
  }
  if (!r.profiles.empty()) {
    s += "# profiles (objective along one parameter, the others at the best; values within best + 1):\n";
    for (std::size_t i = 0; i < r.profiles.size(); ++i) {
      const auto& p = r.profiles[i];
      const auto& fp = spec.parameters[i];
      s += fmt::format("#   {}: {:.4g} .. {:.4g} within bounds [{:.4g}, {:.4g}]: {}\n", p.key, p.low, p.high, fp.min,
                       fp.max, p.constrained() ? "constrained by the targets" : "NOT constrained by the targets");
    }
  }
  s += search_stopped_early_note(r, "#   ");
  s += fit_widths_text(spec, r, fit_widths(spec, r), "# ");
  s += fmt::format("name: calibrated-{}\n", spec.name);
  s += fmt::format("description: \"Parameters fitted by calibration '{}' to targets '{}'.\"\n", spec.name,
                   spec.targets.name);
  const auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
  s += fmt::format("base: {}\n", std::filesystem::proximate(spec.base_path, dir).generic_string());
  for (std::size_t i = 0; i < spec.parameters.size(); ++i)
    s += fmt::format("{}: {}\n", spec.parameters[i].key, format_value(*spec.parameters[i].spec, best.values[i]));
  return s;
}

}  // namespace imersim
