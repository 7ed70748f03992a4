// Calibration files (scenarios/calibration_*.yaml): the base parameter set, the targets, the run
// settings of every candidate, the free parameters with bounds, scales and priors, the optimiser and
// its budget; read strictly, every problem at once.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "experiment/targets.hpp"
#include "params/param_table.hpp"
#include "scenario/scenario.hpp"

namespace imersim {

/// How a free parameter is searched: evenly in its value or in its logarithm.
enum class ParamScale { Linear, Log };

/// A normal prior on a free parameter in the search scale (on ln(value) for log-scale parameters).
struct Prior {
  double mean;  ///< prior mean, in the parameter's unit
  double sd;    ///< prior standard deviation in the search scale (natural-log units for log scale)
};

/// One parameter the calibration fits.
struct FreeParameter {
  std::string key;                  ///< dotted scenario key, e.g. "testing.success_base"
  const ParamSpec* spec = nullptr;  ///< its entry in the parameter table (a Real parameter)
  double min = 0, max = 0;          ///< bounds, in the parameter's unit (min < max; min > 0 for log)
  double start = 0;                 ///< starting value (default: the base scenario's value)
  ParamScale scale = ParamScale::Linear;
  std::optional<Prior> prior;
};

/// Local search methods, all deterministic: NLopt's derivative-free BOBYQA, Nelder-Mead and Sbplx
/// (they see only the objective), and Levenberg-Marquardt (sees every target's z-score and prior
/// term: Gauss-Newton steps from a finite-difference Jacobian, analysis/least_squares.hpp).
enum class OptimizerMethod { Bobyqa, NelderMead, Sbplx, LevenbergMarquardt };

/// A validated calibration file.
struct CalibrationSpec {
  std::string name;
  std::string description;
  std::filesystem::path path;          ///< the calibration file
  std::filesystem::path base_path;     ///< the base scenario or parameter set (resolved path)
  std::filesystem::path targets_path;  ///< the target file (resolved path)
  std::vector<std::string> evaluation;  ///< "key=value" run settings applied to every candidate
  Scenario scenario;                   ///< the base loaded with `evaluation` applied
  TargetSet targets;
  std::vector<FreeParameter> parameters;
  OptimizerMethod method = OptimizerMethod::Bobyqa;
  std::int64_t budget = 100;           ///< most evaluations of the design and the local search together
  std::int64_t initial_design = 0;     ///< Sobol points evaluated after the start point
  double initial_step = 0.1;           ///< first step of the local search, in unit coordinates
                                       ///< (levenberg_marquardt: the finite-difference step)
  bool central_differences = false;    ///< levenberg_marquardt: optimizer.jacobian central (else forward)
  double xtol = 1e-3;                  ///< stop when a step changes every unit coordinate by less
  double ftol = 1e-3;                  ///< stop when a step changes the objective by less (absolute)
  std::int64_t profile_points = 0;     ///< per parameter, after the fit (0 = no profiles)

  /// Canonical text of everything that determines the evaluations (base parameters with the run
  /// settings, targets, free parameters, optimiser); a checkpoint is reused only when it matches.
  [[nodiscard]] std::string canonical() const;
};

/// Name of a method as written in calibration files ("bobyqa", "neldermead", "sbplx", "levenberg_marquardt").
std::string method_name(OptimizerMethod m);

/// Value -> unit coordinate in [0, 1] (linear or logarithmic between the bounds).
double to_unit(const FreeParameter& p, double value);
/// Unit coordinate -> value (the inverse of to_unit; exact at 0 and 1).
double from_unit(const FreeParameter& p, double u);

/// Reads and validates a calibration file, its base scenario and its targets. Paths in the file are
/// relative to its directory. Throws InputError listing every problem of all three files.
CalibrationSpec load_calibration(const std::filesystem::path& path);

}  // namespace imersim
