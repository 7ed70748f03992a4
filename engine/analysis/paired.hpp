// Paired comparisons across replicates run with the same seeds (common random numbers): the mean
// paired difference with a t-based 95 % confidence interval, and a ratio of two mean differences
// (cost-effectiveness) with Fieller's 95 % interval.
#pragma once
#include <cstddef>
#include <vector>

namespace imersim {

/// Mean of per-replicate differences policy[r] - base[r] and its 95 % CI (Student t, n - 1 degrees
/// of freedom). Pairs with a NaN are skipped; with fewer than 2 pairs the CI is NaN.
struct PairedDifference {
  std::size_t n = 0;   ///< pairs used
  double mean = 0;     ///< mean difference, in the outcome's unit
  double sd = 0;       ///< standard deviation of the differences
  double low = 0;      ///< 95 % CI bounds
  double high = 0;
  [[nodiscard]] double half_width() const { return (high - low) / 2; }
};
PairedDifference paired_difference(const std::vector<double>& base, const std::vector<double>& policy);

/// Two-sided 95 % quantile of Student's t with `dof` degrees of freedom (dof >= 1).
double t_quantile_95(std::size_t dof);

/// Ratio mean(num) / mean(den) of paired per-replicate differences with Fieller's 95 % interval.
/// `defined` is false ("n/a") when the denominator's own 95 % CI includes 0 (then the ratio's
/// interval is unbounded) or there are fewer than 2 pairs.
struct Ratio {
  bool defined = false;
  double estimate = 0, low = 0, high = 0;
};
Ratio fieller_ratio(const std::vector<double>& num, const std::vector<double>& den);

}  // namespace imersim
