// Bounded Levenberg-Marquardt for small, expensive least-squares problems: minimise sum r(x)^2 over
// the unit box, with a forward- or central-difference Jacobian. Used by `imersim calibrate` (method
// levenberg_marquardt): the funnel objective is a sum of squared log-share z-scores, and a method
// that sees the residuals (Gauss-Newton steps) needs far fewer simulations than one that sees only
// their sum (BOBYQA).
//
// Written here because none of the allowed Debian libraries has it: NLopt's local methods are
// derivative-free scalar minimisers, and GSL/Ceres/Eigen are not on the project's dependency list.
// The problems are tiny (a few parameters and residuals), so a dense normal-equation solve suffices.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace imersim {

/// Residuals at a point of the unit box. May throw (the exception leaves levenberg_marquardt).
using ResidualFn = std::function<std::vector<double>(const std::vector<double>&)>;

struct LmOptions {
  double fd_step = 0.03;              ///< finite-difference step, in unit coordinates (> 0)
  bool central = false;               ///< central differences (2 calls per parameter) instead of forward (1)
  double xtol = 1e-3;                 ///< stop when the next step changes every coordinate by less
  double ftol = 1e-3;                 ///< stop when an accepted step lowers sum r^2 by less
  std::int64_t max_evaluations = 100; ///< most calls of the residual function, the first included
};

struct LmResult {
  std::vector<double> x;       ///< best point found
  double objective = 0;        ///< sum of squared residuals there
  std::int64_t evaluations = 0;
  std::int64_t iterations = 0; ///< Jacobians computed
  std::string status;          ///< XTOL_REACHED, FTOL_REACHED, MAXEVAL_REACHED or NO_DESCENT
};

/// Minimises sum r(x)^2 for x in [0, 1]^n from x0 (clamped into the box). Deterministic: the same
/// residuals give the same sequence of points. Steps solve (J'J + lambda diag(J'J)) d = -J'r within
/// the box (bounded_step: coordinates that would leave it are fixed at the bound and the rest
/// re-solved); lambda falls tenfold after an accepted step and rises tenfold after a rejected one.
LmResult levenberg_marquardt(const ResidualFn& residuals, std::vector<double> x0, const LmOptions& options);

/// The step d solving a d = g (n x n, row-major) for x + d inside [0, 1]^n: coordinates that would
/// leave the box are fixed at their bound and the others re-solved (active set). False when singular.
bool bounded_step(const std::vector<double>& a, const std::vector<double>& g, const std::vector<double>& x,
                  std::vector<double>& d);

/// Linearised (Gauss-Newton) uncertainty of a least-squares fit at a point, from a Jacobian of its
/// residuals: C = (J'J)^-1. Along parameter i with the others re-fitted, sum r^2 rises by 1 at
/// +-sqrt(C_ii); C_ij / sqrt(C_ii C_jj) is the correlation of i and j.
struct LinearisedWidths {
  std::vector<double> sigma;        ///< sqrt(C_ii), in unit coordinates; empty when J'J is singular
  std::vector<double> sigma_alone;  ///< 1 / sqrt((J'J)_ii): the same with the other parameters held fixed
  std::vector<double> correlation;  ///< n x n, row-major; empty when J'J is singular
  std::vector<double> jacobian;     ///< m x n, row-major: the finite differences used
  /// The direction the residuals see least: the unit eigenvector of C with the largest eigenvalue
  /// (largest component positive), and sqrt of that eigenvalue (how far along it the sum of squares
  /// rises by 1). Empty / 0 when J'J is singular.
  std::vector<double> ridge;
  double ridge_sigma = 0;
};

/// The Jacobian at `points[center]` by finite differences over the other points that differ from it
/// in exactly one coordinate (central where there is a neighbour on each side: the nearest on each
/// side; else one-sided with the nearest), then C = (J'J)^-1. `residuals[k]` belongs to `points[k]`.
/// Returns false when some coordinate has no such neighbour; widths.sigma is empty when J'J is singular.
bool linearised_widths(const std::vector<std::vector<double>>& points, const std::vector<std::vector<double>>& residuals,
                       std::size_t center, LinearisedWidths& widths);

/// Solves the n x n system a x = b (row-major) by Gaussian elimination with partial pivoting.
/// Returns false when a pivot is (numerically) zero.
bool solve_linear(std::vector<double> a, std::vector<double> b, std::vector<double>& x);

}  // namespace imersim
