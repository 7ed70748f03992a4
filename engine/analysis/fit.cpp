// Confidence intervals and goodness-of-fit statistics for validate and calibrate.
#include "analysis/fit.hpp"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/nan.hpp"

namespace imersim {

MeanCi mean_ci(std::span<const double> values, double level) {
  if (!(level > 0 && level < 1)) throw InvariantError("mean_ci: confidence level must lie in (0, 1)");
  MeanCi r;
  double sum = 0;
  for (double v : values)
    if (std::isfinite(v)) {
      sum += v;
      ++r.n;
    }
  if (r.n == 0) return {kNaN, kNaN, kNaN, kNaN, 0};
  const auto n = static_cast<double>(r.n);
  r.mean = sum / n;
  if (r.n < 2) {
    r.sd = r.low = r.high = kNaN;
    return r;
  }
  double ss = 0;
  for (double v : values)
    if (std::isfinite(v)) ss += (v - r.mean) * (v - r.mean);
  r.sd = std::sqrt(ss / (n - 1));
  const boost::math::students_t dist(n - 1);
  const double t = boost::math::quantile(dist, 0.5 + level / 2);
  const double half = t * r.sd / std::sqrt(n);
  r.low = r.mean - half;
  r.high = r.mean + half;
  return r;
}

double relative_error(double sim, double target) { return target != 0 ? (sim - target) / target : kNaN; }

double log_share_z(double sim, double target, double tolerance, double floor) {
  if (!(target > 0) || !(tolerance > 0) || !(floor > 0))
    throw InvariantError("log_share_z: target, tolerance and floor must be positive");
  return (std::log(std::max(sim, floor)) - std::log(target)) / std::log1p(tolerance);
}

double aitchison_distance(std::span<const double> a, std::span<const double> b, double floor) {
  if (a.size() != b.size() || a.empty()) throw InvariantError("aitchison_distance: compositions of different lengths");
  if (!(floor > 0)) throw InvariantError("aitchison_distance: floor must be positive");
  // Closing (dividing by the sum) only shifts every log by the same constant, which centring removes.
  auto clr = [floor](std::span<const double> x) {
    std::vector<double> l(x.size());
    double mean = 0;
    for (std::size_t i = 0; i < x.size(); ++i) mean += (l[i] = std::log(std::max(x[i], floor)));
    mean /= static_cast<double>(x.size());
    for (double& v : l) v -= mean;
    return l;
  };
  const auto ca = clr(a), cb = clr(b);
  double d = 0;
  for (std::size_t i = 0; i < ca.size(); ++i) d += (ca[i] - cb[i]) * (ca[i] - cb[i]);
  return std::sqrt(d);
}

}  // namespace imersim
