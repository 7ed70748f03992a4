// load_calibration: strict reading of calibration files (StrictMap), their base scenario and targets;
// the unit-coordinate transforms of free parameters.
#include "experiment/calibration_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "scenario/scenario_detail.hpp"
#include "scenario/strict_map.hpp"

namespace imersim {

namespace {

const std::vector<std::string> kMethods = {"bobyqa", "neldermead", "sbplx", "levenberg_marquardt"};

/// The `evaluation:` map: dotted parameter keys with values checked like scenario values.
void read_evaluation(StrictMap& top, std::vector<std::string>& out) {
  const auto node = top.node("evaluation");
  if (!node) return;
  StrictMap m(top.file(), *node, "evaluation", top.diagnostics());
  for (const auto& key : m.keys()) {
    const ParamSpec* spec = find_param(key);
    const YAML::Node value = *m.node(key);
    if (spec == nullptr) {
      m.report(key, fmt::format("unknown parameter '{}'", key), scenario_detail::unknown_key_hint(key));
      continue;
    }
    const auto check = scenario_detail::check_node(*spec, value);
    if (!check.value) {
      m.report_at(value.IsScalar() ? value : YAML::Node(), key, check.message, check.hint);
      continue;
    }
    out.push_back(fmt::format("{}={}", key, format_value(*spec, *check.value)));
  }
  m.finish();
}

std::optional<FreeParameter> read_parameter(StrictMap& params, const std::string& key) {
  const YAML::Node node = *params.node(key);
  FreeParameter p;
  p.key = key;
  p.spec = find_param(key);
  if (p.spec == nullptr) {
    params.report(key, fmt::format("unknown parameter '{}'", key), scenario_detail::unknown_key_hint(key));
    return std::nullopt;
  }
  if (p.spec->type != ParamType::Real) {
    params.report(key, fmt::format("'{}' is not a real-valued parameter; only real parameters can be calibrated", key),
                  "fix integer and boolean parameters in the base file");
    return std::nullopt;
  }
  StrictMap m(params.file(), node, params.full(key), params.diagnostics());
  if (!m.valid()) return std::nullopt;
  const bool money = p.spec->unit.starts_with("IDR");
  const auto min = m.real("min", p.spec->min, p.spec->max, true, money);
  const auto max = m.real("max", p.spec->min, p.spec->max, true, money);
  const auto start = m.real("start", p.spec->min, p.spec->max, false, money);
  const auto scale = m.text("scale", false, {"linear", "log"});
  std::optional<Prior> prior;
  if (const auto pn = m.node("prior")) {
    StrictMap pm(m.file(), *pn, m.full("prior"), m.diagnostics());
    const auto mean = pm.real("mean", p.spec->min, p.spec->max, true, money);
    const auto sd = pm.real("sd", 1e-9, 1e9, true);
    pm.finish();
    if (mean && sd) prior = Prior{*mean, *sd};
  }
  m.finish();
  if (!min || !max) return std::nullopt;
  p.min = *min;
  p.max = *max;
  p.scale = scale.value_or("linear") == "log" ? ParamScale::Log : ParamScale::Linear;
  p.prior = prior;
  bool ok = true;
  if (!(p.min < p.max)) {
    m.report("max", fmt::format("max ({}) must be above min ({})", p.max, p.min));
    ok = false;
  }
  if (p.scale == ParamScale::Log && !(p.min > 0)) {
    m.report("min", fmt::format("a log-scale parameter needs min > 0, got {}", p.min), "use scale: linear");
    ok = false;
  }
  if (prior && p.scale == ParamScale::Log && !(prior->mean > 0)) {
    m.report("prior", "the prior mean of a log-scale parameter must be > 0");
    ok = false;
  }
  if (start) {
    p.start = *start;
    if (ok && (p.start < p.min || p.start > p.max)) {
      m.report("start", fmt::format("start {} is outside [{}, {}]", p.start, p.min, p.max));
      ok = false;
    }
  } else {
    p.start = std::nan("");  // filled from the base scenario
  }
  if (!ok) return std::nullopt;
  return p;
}

void read_optimizer(StrictMap& top, CalibrationSpec& c) {
  const auto node = top.node("optimizer", true);
  if (!node) return;
  StrictMap m(top.file(), *node, "optimizer", top.diagnostics());
  const auto method = m.text("method", true, kMethods);
  if (method)
    c.method = static_cast<OptimizerMethod>(std::find(kMethods.begin(), kMethods.end(), *method) - kMethods.begin());
  c.budget = m.integer("budget", 2, 1000000, true).value_or(c.budget);
  c.initial_design = m.integer("initial_design", 0, 100000).value_or(c.initial_design);
  c.initial_step = m.real("initial_step", 1e-6, 1).value_or(c.initial_step);
  if (const auto jac = m.text("jacobian", false, {"forward", "central"})) {
    c.central_differences = *jac == "central";
    if (c.method != OptimizerMethod::LevenbergMarquardt)
      m.report("jacobian", fmt::format("'jacobian' applies only to method levenberg_marquardt, not {}", method_name(c.method)),
               "remove it or use method: levenberg_marquardt");
  }
  c.xtol = m.real("xtol", 0, 1).value_or(c.xtol);
  c.ftol = m.real("ftol", 0, 1e9).value_or(c.ftol);
  if (c.budget <= c.initial_design + 1)
    m.report("budget", fmt::format("budget {} leaves no evaluation for the local search after the start point and "
                                   "{} design point(s)", c.budget, c.initial_design),
             fmt::format("raise it above {}", c.initial_design + 1));
  m.finish();
}

/// Runs `load` and moves its InputError diagnostics into `diags`.
template <typename Fn>
void collect(std::vector<Diagnostic>& diags, Fn&& load) {
  try {
    load();
  } catch (const InputError& e) {
    diags.insert(diags.end(), e.diagnostics().begin(), e.diagnostics().end());
  }
}

}  // namespace

std::string method_name(OptimizerMethod m) {
  return kMethods[static_cast<std::size_t>(m)];
}

double to_unit(const FreeParameter& p, double value) {
  if (p.scale == ParamScale::Log) return (std::log(value) - std::log(p.min)) / (std::log(p.max) - std::log(p.min));
  return (value - p.min) / (p.max - p.min);
}

double from_unit(const FreeParameter& p, double u) {
  if (u <= 0) return p.min;
  if (u >= 1) return p.max;
  if (p.scale == ParamScale::Log) return std::exp(std::log(p.min) + u * (std::log(p.max) - std::log(p.min)));
  return p.min + u * (p.max - p.min);
}

std::string CalibrationSpec::canonical() const {
  std::string s = "calibration/1\nbase:";
  for (const auto& spec : param_table()) s += fmt::format(" {}={}", spec.key, format_value(spec, spec.get(scenario.params)));
  s += "\n" + targets.canonical() + "\nparameters:";
  for (const auto& p : parameters) {
    s += fmt::format(" {}[{},{}] start={} scale={}", p.key, p.min, p.max, p.start,
                     p.scale == ParamScale::Log ? "log" : "linear");
    if (p.prior) s += fmt::format(" prior=({},{})", p.prior->mean, p.prior->sd);
  }
  s += fmt::format("\noptimizer: {} design={} step={} xtol={} ftol={}{}\n", method_name(method), initial_design,
                   initial_step, xtol, ftol, central_differences ? " jacobian=central" : "");
  return s;
}

CalibrationSpec load_calibration(const std::filesystem::path& path) {
  std::vector<Diagnostic> diags;
  const std::string file = path.string();
  const YAML::Node root = load_yaml_map_file(file, diags);
  throw_if_any(diags);
  CalibrationSpec c;
  c.path = path;
  StrictMap top(file, root, "", diags);
  c.name = top.text("name", true).value_or("");
  c.description = top.text("description").value_or("");
  const auto base = top.text("base", true);
  const auto targets = top.text("targets", true);
  read_evaluation(top, c.evaluation);
  if (const auto node = top.node("parameters", true)) {
    StrictMap params(file, *node, "parameters", diags);
    for (const auto& key : params.keys())
      if (auto p = read_parameter(params, key)) c.parameters.push_back(std::move(*p));
    if (params.valid() && params.keys().empty()) params.report({}, "no free parameters listed");
    params.finish();
  }
  read_optimizer(top, c);
  if (const auto node = top.node("profile")) {
    StrictMap m(file, *node, "profile", diags);
    c.profile_points = m.integer("points", 0, 1000).value_or(0);
    if (c.profile_points == 1) m.report("points", "a profile needs 0 (none) or at least 2 points");
    m.finish();
  }
  top.finish();
  for (const auto& p : c.parameters)
    for (const auto& e : c.evaluation)
      if (e.rfind(p.key + "=", 0) == 0)
        top.report("evaluation", fmt::format("'{}' is a free parameter; it cannot also be a run setting", p.key));
  if (c.method == OptimizerMethod::Bobyqa && c.parameters.size() == 1 && diags.empty())  // not after a bad parameter
    top.report("optimizer", "bobyqa needs at least 2 free parameters", "use method: sbplx or neldermead");

  const std::filesystem::path dir = path.parent_path();
  auto exists = [&](const std::string& key, const std::filesystem::path& p) {
    std::error_code ec;  // a name too long for the file system is unreadable too, not an exception
    if (std::filesystem::is_regular_file(p, ec)) return true;
    top.report(key, fmt::format("cannot read {} file '{}'", key, p.string()),
               fmt::format("a {} path is relative to the directory of {}", key, file));
    return false;
  };
  if (base && exists("base", c.base_path = (dir / *base).lexically_normal()))
    collect(diags, [&] { c.scenario = load_scenario(c.base_path, c.evaluation); });
  if (targets && exists("targets", c.targets_path = (dir / *targets).lexically_normal()))
    collect(diags, [&] { c.targets = load_targets(c.targets_path); });
  throw_if_any(diags);
  for (auto& p : c.parameters) {
    if (!std::isnan(p.start)) continue;
    p.start = p.spec->get(c.scenario.params);
    if (p.start < p.min || p.start > p.max)
      top.report("parameters", fmt::format("the base value of '{}' ({}) is outside its bounds [{}, {}]", p.key, p.start,
                                           p.min, p.max),
                 "widen the bounds or give a start value");
  }
  throw_if_any(diags);
  return c;
}

}  // namespace imersim
