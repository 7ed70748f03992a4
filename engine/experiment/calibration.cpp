// run_calibration: start point, Sobol design, NLopt local search and profiles; every candidate run
// with the same seeds; every call of the objective recorded and checkpointed, and answered from the
// checkpoint when a killed run is resumed (the optimiser is deterministic, so it retraces its path).
#include "experiment/calibration.hpp"

#include <fmt/format.h>
#include <nlopt.h>

#include <boost/random/sobol.hpp>
#include <chrono>
#include <cmath>
#include <exception>
#include <memory>

#include "analysis/least_squares.hpp"
#include "core/error.hpp"
#include "experiment/runner.hpp"

namespace imersim {

namespace {

using Clock = std::chrono::steady_clock;

/// Thrown inside the objective when options.stop_after new simulations are done.
struct StopRequested {};

const char* phase_name(CalibrationPhase p) {
  switch (p) {
    case CalibrationPhase::Start: return "start";
    case CalibrationPhase::Design: return "design";
    case CalibrationPhase::Search: return "search";
    case CalibrationPhase::Profile: return "profile";
  }
  return "?";
}

double scaled(const FreeParameter& p, double v) { return p.scale == ParamScale::Log ? std::log(v) : v; }

/// Each prior's z = (scaled value - scaled prior mean) / sd, in the order of the free parameters.
std::vector<double> prior_residuals(const CalibrationSpec& spec, const std::vector<double>& values) {
  std::vector<double> z;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const auto& p = spec.parameters[i];
    if (p.prior) z.push_back((scaled(p, values[i]) - scaled(p, p.prior->mean)) / p.prior->sd);
  }
  return z;
}

double prior_penalty(const CalibrationSpec& spec, const std::vector<double>& values) {
  double pen = 0;
  for (double z : prior_residuals(spec, values)) pen += z * z;
  return pen;
}

/// Appends `e` to `r` with its objectives recomputed from its outcomes (so reused and new
/// evaluations agree exactly), and keeps r.best the lowest objective among start, design and search
/// points (the first on ties). The search and `calibrate --report` share this rule.
void append_scored(const CalibrationSpec& spec, CalibrationResult& r, Evaluation e) {
  e.fit_objective = evaluation_fit(spec, e).objective;
  e.prior_penalty = prior_penalty(spec, e.values);
  const std::size_t index = r.evaluations.size();
  const bool better = index == 0 || e.objective() < r.evaluations[r.best].objective();
  if (e.phase != CalibrationPhase::Profile && better) r.best = index;
  r.evaluations.push_back(std::move(e));
}

/// Answers the objective: from the checkpoint (in call order), from an identical earlier point, or
/// by simulating; records each call and checkpoints after each simulation.
class Calibrator {
 public:
  Calibrator(const CalibrationSpec& spec, const CalibrationOptions& options, std::vector<Evaluation> checkpoint)
      : spec_(spec), options_(options), checkpoint_(std::move(checkpoint)) {}

  double evaluate(const std::vector<double>& unit, CalibrationPhase phase) {
    const std::size_t index = result.evaluations.size();
    const auto start = Clock::now();
    Evaluation e;
    const char* how = "simulated";
    bool fresh = false;
    if (index < checkpoint_.size()) {
      if (checkpoint_[index].unit != unit || checkpoint_[index].phase != phase)
        throw InputError(options_.evaluations.string(),
                         fmt::format("checkpoint evaluation {} is not the point this calibration asks for next", index),
                         "the checkpoint comes from another build or settings; pass --restart to start over");
      e = checkpoint_[index];
      how = "from checkpoint";
      ++result.reused;
    } else if (const Evaluation* same = find(unit)) {
      e = *same;
      e.phase = phase;
      how = "repeated point";
      ++result.reused;
    } else {
      if (options_.stop_after >= 0 && result.simulated >= options_.stop_after) throw StopRequested{};
      e = simulate(unit, phase);
      fresh = true;
      ++result.simulated;
    }
    append_scored(spec_, result, std::move(e));
    if (fresh) write_evaluations(spec_, result, options_.evaluations, false);
    const Evaluation& added = result.evaluations.back();
    log(index, added, how, std::chrono::duration<double>(Clock::now() - start).count());
    return added.objective();
  }

  CalibrationResult result;

 private:
  const Evaluation* find(const std::vector<double>& unit) const {
    for (const auto& e : result.evaluations)
      if (e.unit == unit) return &e;
    return nullptr;
  }

  Evaluation simulate(const std::vector<double>& unit, CalibrationPhase phase) const {
    Evaluation e;
    e.phase = phase;
    e.unit = unit;
    Params p = spec_.scenario.params;
    for (std::size_t i = 0; i < unit.size(); ++i) {
      e.values.push_back(from_unit(spec_.parameters[i], unit[i]));
      spec_.parameters[i].spec->set(p, e.values.back());
    }
    const auto problems = check_consistency(p);
    if (!problems.empty())
      throw InputError(spec_.path.string(),
                       fmt::format("a candidate inside the bounds is inconsistent: {}", problems.front().message),
                       "narrow the bounds of the free parameters");
    RunExtras extras;
    extras.policies = &spec_.scenario.policies;  // a calibration of a policy scenario runs its levers
    e.outcomes = run_outcomes(run_replicates(p, 0, p.run_replicates, {}, extras));
    return e;
  }

  void log(std::size_t index, const Evaluation& e, const char* how, double seconds) const {
    if (!options_.log) return;
    std::string values;
    for (std::size_t i = 0; i < e.values.size(); ++i)
      values += fmt::format(" {}={:.5g}", spec_.parameters[i].key, e.values[i]);
    options_.log(fmt::format("calibrate {}: evaluation {} [{}] {} ({:.1f} s): objective {:.5g}, best {:.5g} |{}",
                             spec_.name, index, phase_name(e.phase), how, seconds, e.objective(),
                             result.evaluations[result.best].objective(), values));
  }

  const CalibrationSpec& spec_;
  const CalibrationOptions& options_;
  std::vector<Evaluation> checkpoint_;
};

/// NLopt calls this; exceptions (including StopRequested) are kept and rethrown after nlopt_optimize.
struct SearchState {
  Calibrator* calibrator;
  nlopt_opt opt;
  std::exception_ptr error;
};

double nlopt_objective(unsigned n, const double* x, double* /*grad: derivative-free methods pass null*/, void* data) {
  auto* s = static_cast<SearchState*>(data);
  try {
    return s->calibrator->evaluate(std::vector<double>(x, x + n), CalibrationPhase::Search);
  } catch (...) {
    s->error = std::current_exception();
    nlopt_force_stop(s->opt);
    return HUGE_VAL;
  }
}

nlopt_algorithm algorithm_of(OptimizerMethod m) {
  switch (m) {
    case OptimizerMethod::Bobyqa: return NLOPT_LN_BOBYQA;
    case OptimizerMethod::NelderMead: return NLOPT_LN_NELDERMEAD;
    case OptimizerMethod::Sbplx: return NLOPT_LN_SBPLX;
    case OptimizerMethod::LevenbergMarquardt: break;  // not NLopt: see least_squares_search
  }
  return NLOPT_LN_BOBYQA;
}

/// The residuals whose sum of squares is the objective: every target's log-share z, then each
/// prior's z (in the order of the free parameters).
std::vector<double> residuals_of(const CalibrationSpec& spec, const Evaluation& e) {
  std::vector<double> r;
  for (const auto& f : evaluation_fit(spec, e).fits) r.push_back(f.z);
  for (double z : prior_residuals(spec, e.values)) r.push_back(z);
  return r;
}

/// Levenberg-Marquardt from `x` with at most `maxeval` calls; returns its reason to stop.
std::string least_squares_search(const CalibrationSpec& spec, Calibrator& cal, std::vector<double> x,
                                 std::int64_t maxeval) {
  LmOptions o;
  o.fd_step = spec.initial_step;
  o.central = spec.central_differences;
  o.xtol = spec.xtol;
  o.ftol = spec.ftol;
  o.max_evaluations = maxeval;
  auto residuals = [&](const std::vector<double>& u) {
    cal.evaluate(u, CalibrationPhase::Search);
    return residuals_of(spec, cal.result.evaluations.back());
  };
  return levenberg_marquardt(residuals, std::move(x), o).status;
}

/// The local search from `x` with at most `maxeval` calls; returns the method's reason to stop.
std::string local_search(const CalibrationSpec& spec, Calibrator& cal, std::vector<double> x, std::int64_t maxeval) {
  if (spec.method == OptimizerMethod::LevenbergMarquardt) return least_squares_search(spec, cal, std::move(x), maxeval);
  const auto n = static_cast<unsigned>(x.size());
  std::unique_ptr<nlopt_opt_s, decltype(&nlopt_destroy)> opt(nlopt_create(algorithm_of(spec.method), n), &nlopt_destroy);
  if (!opt) throw InvariantError("NLopt could not create the optimiser");
  SearchState state{&cal, opt.get(), nullptr};
  nlopt_srand(1);  // the methods used are deterministic; fixed anyway in case NLopt draws
  nlopt_set_lower_bounds1(opt.get(), 0.0);
  nlopt_set_upper_bounds1(opt.get(), 1.0);
  nlopt_set_min_objective(opt.get(), &nlopt_objective, &state);
  nlopt_set_maxeval(opt.get(), static_cast<int>(maxeval));
  nlopt_set_xtol_abs1(opt.get(), spec.xtol);
  nlopt_set_ftol_abs(opt.get(), spec.ftol);
  nlopt_set_initial_step1(opt.get(), spec.initial_step);
  double fmin = 0;
  const nlopt_result status = nlopt_optimize(opt.get(), x.data(), &fmin);
  if (state.error) std::rethrow_exception(state.error);
  if (status < 0 && status != NLOPT_ROUNDOFF_LIMITED)
    throw InvariantError(fmt::format("NLopt failed: {}", nlopt_result_to_string(status)));
  return nlopt_result_to_string(status);
}

std::vector<Profile> profiles(const CalibrationSpec& spec, Calibrator& cal) {
  std::vector<Profile> out;
  const Evaluation best = cal.result.evaluations[cal.result.best];
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    Profile p;
    p.key = spec.parameters[i].key;
    p.low = p.high = best.values[i];
    for (std::int64_t k = 0; k < spec.profile_points; ++k) {
      std::vector<double> x = best.unit;
      x[i] = static_cast<double>(k) / static_cast<double>(spec.profile_points - 1);
      const double f = cal.evaluate(x, CalibrationPhase::Profile);
      const double v = from_unit(spec.parameters[i], x[i]);
      p.values.push_back(v);
      p.objectives.push_back(f);
      if (f <= best.objective() + 1) {
        p.low = std::min(p.low, v);
        p.high = std::max(p.high, v);
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

bool Profile::constrained() const {
  for (std::size_t k = 0; k < objectives.size(); ++k)
    if (values[k] < low || values[k] > high) return true;
  return false;
}

CalibrationResult read_calibration_result(const CalibrationSpec& spec, const std::filesystem::path& path) {
  std::vector<Evaluation> stored = read_evaluations(spec, path, true);
  if (stored.empty())
    throw InputError(path.string(), "no evaluations to report: the file does not exist or holds none",
                     "run the calibration first, or pass its --evaluations path");
  CalibrationResult r;
  for (auto& e : stored) append_scored(spec, r, std::move(e));
  r.reused = static_cast<std::int64_t>(r.evaluations.size());
  return r;
}

FitWidths fit_widths(const CalibrationSpec& spec, const CalibrationResult& r) {
  FitWidths w;
  if (r.evaluations.empty()) return w;
  // Profile points are left out: they are far apart (a coarse grid over the bounds), not a stencil.
  std::vector<std::vector<double>> points, residuals;
  std::vector<std::size_t> index;  // evaluation of each point
  for (std::size_t k = 0; k < r.evaluations.size(); ++k) {
    if (r.evaluations[k].phase == CalibrationPhase::Profile) continue;
    points.push_back(r.evaluations[k].unit);
    residuals.push_back(residuals_of(spec, r.evaluations[k]));
    index.push_back(k);
  }
  LinearisedWidths lw;
  bool found = false;
  // Centres must fit about as well as the best (objective at most 2 best + 1): a Jacobian far from
  // the fit (BOBYQA's start-up stencil, say) says little about the widths around it.
  const double near = 2 * r.evaluations[r.best].objective() + 1;
  for (std::size_t j = 0; j < index.size(); ++j) {
    if (!(r.evaluations[index[j]].objective() <= near)) continue;
    if (found && !(r.evaluations[index[j]].objective() < r.evaluations[w.center].objective())) continue;
    LinearisedWidths trial;
    if (!linearised_widths(points, residuals, j, trial)) continue;
    lw = std::move(trial);
    w.center = index[j];
    found = true;
  }
  if (!found) return w;
  w.available = true;
  const Evaluation& best = r.evaluations[r.best];
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    w.alone_low.push_back(from_unit(spec.parameters[i], best.unit[i] - lw.sigma_alone[i]));
    w.alone_high.push_back(from_unit(spec.parameters[i], best.unit[i] + lw.sigma_alone[i]));
  }
  if (lw.sigma.empty()) {
    w.singular = true;
    return w;
  }
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    w.low.push_back(from_unit(spec.parameters[i], best.unit[i] - lw.sigma[i]));
    w.high.push_back(from_unit(spec.parameters[i], best.unit[i] + lw.sigma[i]));
  }
  w.sigma_unit = lw.sigma;
  w.correlation = lw.correlation;
  w.ridge = lw.ridge;
  w.ridge_sigma = lw.ridge_sigma;
  return w;
}

std::string fit_widths_text(const CalibrationSpec& spec, const CalibrationResult& r, const FitWidths& w,
                            const std::string& prefix) {
  if (!w.available)
    return prefix + "no linearised widths: no evaluation that fits about as well as the best has neighbours along every "
                    "parameter (method levenberg_marquardt evaluates them for its Jacobians)\n";
  if (w.singular)
    return prefix + "linearised widths: J'J is singular at the best point: some combination of the free parameters "
                    "leaves every target unchanged (not identified)\n";
  const Evaluation& best = r.evaluations[r.best];
  std::string s = prefix + fmt::format("linearised widths around the best point, Jacobian at evaluation {}{} "
                                       "(Gauss-Newton: where the objective rises by 1, the other parameters re-fitted; "
                                       "first order only):\n",
                                       w.center, w.center == r.best ? " (the best)" : "");
  const std::size_t n = spec.parameters.size();
  for (std::size_t i = 0; i < n; ++i) {
    const auto& p = spec.parameters[i];
    const double u = w.sigma_unit[i];
    s += fmt::format("{}  {:<28} {:>12.5g}  others re-fitted [{:.5g}, {:.5g}] (+-{:.3g} of its {} range{}); "
                     "others fixed [{:.5g}, {:.5g}]\n",
                     prefix, p.key, best.values[i], w.low[i], w.high[i], u,
                     p.scale == ParamScale::Log ? "logarithmic" : "linear",
                     u >= 1 ? ": NOT constrained" : (u >= 0.25 ? ": weakly constrained" : ""), w.alone_low[i],
                     w.alone_high[i]);
  }
  std::string pairs;
  int strong = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j)
      if (std::fabs(w.correlation[i * n + j]) >= 0.8) {
        ++strong;
        pairs += fmt::format("{}  correlation {:+.2f}: {} and {}\n", prefix, w.correlation[i * n + j],
                             spec.parameters[i].key, spec.parameters[j].key);
      }
  if (w.ridge_sigma >= 0.25 && n > 1) {
    // One weak direction explains the correlations: name it instead of listing every pair.
    s += fmt::format("{}  ridge: the targets barely see one combination of the parameters; along it the objective "
                     "rises by 1 only after +-{:.3g} (unit coordinates). Direction:\n",
                     prefix, w.ridge_sigma);
    for (std::size_t i = 0; i < n; ++i)
      s += fmt::format("{}    {:+.3f} {}\n", prefix, w.ridge[i], spec.parameters[i].key);
    s += fmt::format("{}  {} of {} parameter pairs correlate beyond +-0.8 (mostly this ridge)\n", prefix, strong,
                     n * (n - 1) / 2);
    return s;
  }
  s += pairs.empty() ? prefix + "  no correlation beyond +-0.8\n" : pairs;
  return s;
}

FitReport evaluation_fit(const CalibrationSpec& spec, const Evaluation& e) {
  return evaluate_fit(spec.targets, e.outcomes);
}

CalibrationResult run_calibration(const CalibrationSpec& spec, const CalibrationOptions& options) {
  const auto start = Clock::now();
  if (options.restart) check_replaceable_checkpoint(options.evaluations);
  Calibrator cal(spec, options, options.restart ? std::vector<Evaluation>{} : read_evaluations(spec, options.evaluations));
  const std::size_t d = spec.parameters.size();
  try {
    std::vector<double> x0;
    for (const auto& p : spec.parameters) x0.push_back(to_unit(p, p.start));
    cal.evaluate(x0, CalibrationPhase::Start);
    boost::random::sobol sobol(d);
    for (std::int64_t k = 0; k < spec.initial_design; ++k) {
      std::vector<double> x(d);
      for (auto& u : x) u = std::ldexp(static_cast<double>(sobol()), -64);
      cal.evaluate(x, CalibrationPhase::Design);
    }
    cal.result.optimizer_status = local_search(spec, cal, cal.result.evaluations[cal.result.best].unit,
                                               spec.budget - 1 - spec.initial_design);
    if (spec.profile_points > 0) cal.result.profiles = profiles(spec, cal);
  } catch (const StopRequested&) {
    cal.result.stopped = true;
  }
  cal.result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  write_evaluations(spec, cal.result, options.evaluations, !cal.result.stopped);
  return cal.result;
}

}  // namespace imersim
