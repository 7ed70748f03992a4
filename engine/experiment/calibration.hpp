// The calibration run: a deterministic NLopt local search (after a start point and a Sobol design)
// over the free parameters in unit coordinates, every candidate simulated with the same seeds
// (common random numbers), every evaluation checkpointed so that a killed run resumes exactly.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/output_path.hpp"  // write_text_atomically, for the fitted parameter file
#include "experiment/calibration_spec.hpp"
#include "experiment/validate.hpp"

namespace imersim {

/// Which part of the calibration asked for an evaluation.
enum class CalibrationPhase : std::int64_t { Start = 0, Design = 1, Search = 2, Profile = 3 };

/// One evaluation of the objective.
struct Evaluation {
  CalibrationPhase phase = CalibrationPhase::Start;
  std::vector<double> unit;                   ///< the point in unit coordinates (what the optimiser sees)
  std::vector<double> values;                 ///< the free parameters' values, in their units
  std::vector<std::vector<double>> outcomes;  ///< per replicate, every outcome (outcome_specs() order)
  double fit_objective = 0;                   ///< log-share chi-square of the replicate means (FitReport::objective)
  double prior_penalty = 0;                   ///< sum over priors of ((scaled value - scaled mean) / sd)^2
  [[nodiscard]] double objective() const { return fit_objective + prior_penalty; }  ///< what is minimised
};

/// Profile of one free parameter: the objective along it with the others at the best point.
struct Profile {
  std::string key;
  std::vector<double> values, objectives;  ///< the profile points and their objectives
  double low = 0, high = 0;                ///< range of profile values within best objective + 1 (incl. the best)
  [[nodiscard]] bool constrained() const;  ///< some profile point lies above best + 1
};

/// How the calibration is run (not part of the calibration file).
struct CalibrationOptions {
  std::filesystem::path evaluations;                 ///< HDF5 of every evaluation; also the checkpoint
  bool restart = false;                              ///< ignore an existing checkpoint
  std::int64_t stop_after = -1;                      ///< stop after this many new simulations (< 0: never)
  std::function<void(const std::string&)> log = {};  ///< one line per evaluation (progress on stderr)
};

/// What the calibration found.
struct CalibrationResult {
  std::vector<Evaluation> evaluations;  ///< every call of the objective, in order
  std::size_t best = 0;                 ///< index of the best evaluation of start, design and search
  std::int64_t simulated = 0;           ///< evaluations simulated by this process
  std::int64_t reused = 0;              ///< evaluations answered from the checkpoint or earlier identical points
  bool stopped = false;                 ///< stop_after was reached; the run is incomplete
  std::string optimizer_status;         ///< NLopt's reason to stop, e.g. "XTOL_REACHED"
  std::vector<Profile> profiles;        ///< one per free parameter when profile points were asked for
  double seconds = 0;                   ///< wall time of this process's calibration
};

/// Runs (or resumes) the calibration. Throws InputError when the checkpoint belongs to another
/// calibration (unless options.restart), IoError when it cannot be written.
CalibrationResult run_calibration(const CalibrationSpec& spec, const CalibrationOptions& options);

/// The FitReport of an evaluation (same numbers as `imersim validate` at the evaluation settings).
FitReport evaluation_fit(const CalibrationSpec& spec, const Evaluation& e);

/// How tightly the targets pin the fitted values, to first order: the Gauss-Newton widths at the best
/// evaluation (analysis/least_squares.hpp, linearised_widths) in each parameter's own units.
struct FitWidths {
  bool available = false;  ///< some evaluation has a neighbour along every free parameter (a Jacobian stencil)
  std::size_t center = 0;  ///< the evaluation whose Jacobian is used: the lowest-objective one with a stencil
  bool singular = false;   ///< J'J is singular: some combination of parameters leaves every residual unchanged
  std::vector<double> low, high;    ///< per parameter: where the objective rises by 1, the others re-fitted (clamped to bounds)
  std::vector<double> sigma_unit;   ///< per parameter: that half-width in unit coordinates
  std::vector<double> alone_low, alone_high;  ///< per parameter: the same range with the others held at the best
  std::vector<double> correlation;  ///< n x n, row-major
  std::vector<double> ridge;        ///< unit-coordinate direction the targets see least (LinearisedWidths::ridge)
  double ridge_sigma = 0;           ///< how far along it the objective rises by 1 (unit coordinates)
};

/// The widths around `r`'s best evaluation, from the Jacobian at the lowest-objective evaluation whose
/// neighbours along every parameter were evaluated (Levenberg-Marquardt's stencils; usually the best
/// point, or the last point where the search computed a Jacobian when its final step was accepted
/// without one) and whose objective is at most 2 x best + 1. Profile points are not neighbours.
/// available is false when there is no such stencil (NLopt methods, as a rule).
FitWidths fit_widths(const CalibrationSpec& spec, const CalibrationResult& r);

/// Text lines (each starting with `prefix`) describing `w`: per parameter its fitted value, range and
/// half-width, then the strongest correlations; one line saying why when there are none.
std::string fit_widths_text(const CalibrationSpec& spec, const CalibrationResult& r, const FitWidths& w,
                            const std::string& prefix);

/// One line (starting with `prefix`) when a profile point (phase 3) reached a lower objective than the
/// best point of the search, which r.best never is: the search stopped before the optimum. Empty
/// otherwise. The run's stdout, `calibrate --report` and the fitted file's comments all print it.
std::string search_stopped_early_note(const CalibrationResult& r, const std::string& prefix);

/// Writes every evaluation (and the checkpoint state) to options.evaluations, atomically.
void write_evaluations(const CalibrationSpec& spec, const CalibrationResult& r, const std::filesystem::path& path,
                       bool complete);

/// Throws InputError unless `path` is absent or a calibration checkpoint (of any calibration), so that
/// --restart replaces only a checkpoint, never another file given as --evaluations by mistake.
void check_replaceable_checkpoint(const std::filesystem::path& path);

/// Reads the evaluations of a checkpoint written by write_evaluations for `spec`; empty when the file
/// does not exist. Throws InputError when it was written for a different calibration, or (unless
/// `any_commit`) by another imersim commit.
std::vector<Evaluation> read_evaluations(const CalibrationSpec& spec, const std::filesystem::path& path,
                                         bool any_commit = false);

/// The evaluations of an existing checkpoint as a result (objectives recomputed, best chosen as the
/// search does), simulating nothing: for `imersim calibrate --report`. Any imersim commit may have
/// written it (it is only read). Throws InputError when the file is missing, empty or for another
/// calibration.
CalibrationResult read_calibration_result(const CalibrationSpec& spec, const std::filesystem::path& path);

/// The fitted parameter set as a scenario file (base: the calibration's base, relative to `out`'s
/// directory; the fitted keys; comments with fit statistics, profiles and provenance).
std::string calibrated_config_yaml(const CalibrationSpec& spec, const CalibrationResult& r,
                                   const std::filesystem::path& out, const std::string& command_line);

}  // namespace imersim
