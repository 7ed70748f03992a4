// Goodness of fit of simulated shares to targets: t-intervals over replicates, relative errors, and
// composition-aware statistics (log-share z-scores, Aitchison distance) used by validate and calibrate.
#pragma once
#include <cstdint>
#include <span>

namespace imersim {

/// Mean of replicate values with a two-sided Student-t confidence interval.
struct MeanCi {
  double mean = 0;   ///< sample mean (same unit as the values)
  double sd = 0;     ///< sample standard deviation (n - 1 in the denominator); NaN when n < 2
  double low = 0;    ///< lower end of the interval; NaN when n < 2
  double high = 0;   ///< upper end of the interval; NaN when n < 2
  std::int64_t n = 0;  ///< number of finite values used (NaNs are skipped)
};

/// Mean and `level` (e.g. 0.95) t-interval of the finite entries of `values`: mean ± t(level, n-1)·sd/√n.
MeanCi mean_ci(std::span<const double> values, double level = 0.95);

/// Relative error (sim - target) / target; NaN when target is 0.
double relative_error(double sim, double target);

/// Log-share z-score: (ln max(sim, floor) - ln target) / ln(1 + tolerance). |z| = 1 means the
/// simulated share is off by the tolerance as a ratio, whatever the size of the share, so a
/// 0.007 % share weighs as much as a 95 % one. `floor` (> 0, a share) keeps ln finite when a stage is empty.
double log_share_z(double sim, double target, double tolerance, double floor);

/// Aitchison distance between two compositions of the same length (each floored at `floor`, then
/// closed to sum 1): the Euclidean distance of their centred log-ratio vectors. 0 = same proportions.
double aitchison_distance(std::span<const double> a, std::span<const double> b, double floor);

}  // namespace imersim
