// Owns the Saltelli/Jansen Sobol-index estimators, their bootstrap intervals and the noise correction.
#include "analysis/sobol.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/nan.hpp"
#include "rng/stream.hpp"

namespace imersim {
namespace {

/// Counter word of the bootstrap resampling stream (keyed by the caller's seed).
constexpr auto kBootstrapPurpose = static_cast<Purpose>(1001);

struct Point {
  std::vector<double> first, total;
  double variance = 0;
};

/// Estimates from the base samples `rows` (indices into 0..N-1, repeats allowed).
Point estimate(const SaltelliSample& s, const std::vector<std::size_t>& rows) {
  const std::size_t k = s.params;
  const auto f = [&](std::size_t j, std::size_t m) { return s.values[saltelli_index(j, m, k)]; };
  const auto n = static_cast<double>(rows.size());
  double sum = 0;  // variance over the A and B rows together (Saltelli 2010), two-pass for accuracy
  for (std::size_t j : rows) sum += f(j, 0) + f(j, 1);
  const double mean = sum / (2 * n);
  double variance = 0;
  for (std::size_t j : rows) variance += (f(j, 0) - mean) * (f(j, 0) - mean) + (f(j, 1) - mean) * (f(j, 1) - mean);
  variance /= 2 * n;
  if (s.subtract_noise) variance -= s.noise_variance;
  Point p;
  p.variance = variance;
  for (std::size_t i = 0; i < k; ++i) {
    double vi = 0, vti = 0;
    for (std::size_t j : rows) {
      const double a = f(j, 0), b = f(j, 1) - mean, ab = f(j, 2 + i);  // centring b lowers the estimator's variance
      vi += b * (ab - a);                // Saltelli et al. (2010), Table 2 (b)
      vti += 0.5 * (a - ab) * (a - ab);  // Jansen (1999), Saltelli et al. (2010) Table 2 (f)
    }
    vi /= n;
    vti /= n;
    if (s.subtract_noise) vti -= s.noise_variance;
    p.first.push_back(variance > 0 ? vi / variance : kNaN);
    p.total.push_back(variance > 0 ? vti / variance : kNaN);
  }
  return p;
}

/// Percentile of sorted finite values (linear interpolation); NaN when there are none.
double percentile(std::vector<double> v, double q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

SobolIndices sobol_indices(const SaltelliSample& s, std::size_t bootstrap, double level, std::uint32_t seed) {
  if (s.base == 0 || s.params == 0 || s.values.size() != s.base * (s.params + 2))
    throw InvariantError(fmt::format("Saltelli sample has {} values; {} base samples of {} parameters need {}",
                                     s.values.size(), s.base, s.params, s.base * (s.params + 2)));
  std::vector<std::size_t> all(s.base);
  for (std::size_t j = 0; j < s.base; ++j) all[j] = j;
  const Point full = estimate(s, all);

  std::vector<std::vector<double>> first(s.params), total(s.params);
  std::vector<std::size_t> rows(s.base);
  for (std::size_t b = 0; b < bootstrap; ++b) {
    Stream rng(seed, static_cast<std::uint32_t>(b), 0, 0, kBootstrapPurpose);
    for (auto& r : rows) r = std::min(static_cast<std::size_t>(rng.uniform() * static_cast<double>(s.base)), s.base - 1);
    const Point p = estimate(s, rows);
    for (std::size_t i = 0; i < s.params; ++i) {
      first[i].push_back(p.first[i]);
      total[i].push_back(p.total[i]);
    }
  }
  const double tail = 0.5 * (1 - level);
  SobolIndices out;
  for (std::size_t i = 0; i < s.params; ++i) {
    out.first.push_back({full.first[i], percentile(first[i], tail), percentile(first[i], 1 - tail)});
    out.total.push_back({full.total[i], percentile(total[i], tail), percentile(total[i], 1 - tail)});
  }
  out.variance = full.variance;
  const double raw = full.variance + (s.subtract_noise ? s.noise_variance : 0.0);
  out.noise_share = raw > 0 ? s.noise_variance / raw : kNaN;
  return out;
}

}  // namespace imersim
