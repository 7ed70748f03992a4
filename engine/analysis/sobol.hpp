// Variance-based sensitivity: first- and total-order Sobol indices from a Saltelli sample
// (Saltelli 2010 first order, Jansen total order), bootstrap confidence intervals over the base
// samples, and the share of variance that is replicate noise rather than parameter effect.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace imersim {

/// Row of the Saltelli design for base sample j and matrix m of k parameters: m = 0 is A_j, m = 1
/// is B_j, m = 2 + i is AB_j^i (A_j with parameter i taken from B_j). Rows of one base sample are
/// consecutive: the design has base * (k + 2) rows.
constexpr std::size_t saltelli_index(std::size_t j, std::size_t m, std::size_t k) { return j * (k + 2) + m; }

/// Model outputs on a Saltelli design.
struct SaltelliSample {
  std::size_t base = 0;        ///< N, base samples
  std::size_t params = 0;      ///< k, parameters
  std::vector<double> values;  ///< N*(k+2) outputs (replicate means), in saltelli_index order
  /// Variance of one point's output that is due to replicate noise (the squared standard error of a
  /// replicate mean, averaged over points; 0 when unknown, e.g. one replicate). Unit: output^2.
  double noise_variance = 0;
  /// Subtract noise_variance from the total variance and from each total-order numerator. Correct
  /// when every point draws independent noise (independent seeds); with common random numbers the
  /// noise of A_j and AB_j^i is correlated and the raw estimates are already less inflated.
  bool subtract_noise = false;
};

/// An estimate with its bootstrap percentile interval.
struct Estimate {
  double value = 0, low = 0, high = 0;
};

/// Indices of every parameter, in the order of the design's parameters.
struct SobolIndices {
  std::vector<Estimate> first;  ///< S_i: share of output variance explained by parameter i alone
  std::vector<Estimate> total;  ///< S_Ti: share involving parameter i (alone or in interactions)
  double variance = 0;          ///< output variance over A and B rows (noise removed when subtracted)
  double noise_share = 0;       ///< noise_variance / raw output variance (0..1; NaN when variance is 0)
};

/// Computes the indices and `bootstrap` resamples of the base samples (with replacement, drawn from
/// a Philox stream keyed by `seed`) for intervals at `level` (e.g. 0.95). Throws InvariantError when
/// `values` does not have base*(k+2) entries. Indices are NaN when the output does not vary.
SobolIndices sobol_indices(const SaltelliSample& sample, std::size_t bootstrap = 1000, double level = 0.95,
                           std::uint32_t seed = 1);

}  // namespace imersim
