// Paired differences and Fieller's ratio interval.
#include "analysis/paired.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>

#include "core/nan.hpp"

namespace imersim {
double t_quantile_95(std::size_t dof) {
  const boost::math::students_t t(static_cast<double>(dof));
  return boost::math::quantile(t, 0.975);
}

PairedDifference paired_difference(const std::vector<double>& base, const std::vector<double>& policy) {
  std::vector<double> d;
  for (std::size_t r = 0; r < base.size() && r < policy.size(); ++r)
    if (!std::isnan(base[r]) && !std::isnan(policy[r])) d.push_back(policy[r] - base[r]);
  PairedDifference out;
  out.n = d.size();
  if (d.empty()) {
    out.mean = out.sd = out.low = out.high = kNaN;
    return out;
  }
  double sum = 0;
  for (double x : d) sum += x;
  out.mean = sum / static_cast<double>(d.size());
  if (d.size() < 2) {
    out.sd = out.low = out.high = kNaN;
    return out;
  }
  double ss = 0;
  for (double x : d) ss += (x - out.mean) * (x - out.mean);
  out.sd = std::sqrt(ss / static_cast<double>(d.size() - 1));
  const double h = t_quantile_95(d.size() - 1) * out.sd / std::sqrt(static_cast<double>(d.size()));
  out.low = out.mean - h;
  out.high = out.mean + h;
  return out;
}

Ratio fieller_ratio(const std::vector<double>& num, const std::vector<double>& den) {
  const std::size_t n = std::min(num.size(), den.size());
  Ratio r;
  if (n < 2) return r;
  double a = 0, b = 0;
  for (std::size_t i = 0; i < n; ++i) {
    a += num[i];
    b += den[i];
  }
  a /= static_cast<double>(n);
  b /= static_cast<double>(n);
  double saa = 0, sbb = 0, sab = 0;
  for (std::size_t i = 0; i < n; ++i) {
    saa += (num[i] - a) * (num[i] - a);
    sbb += (den[i] - b) * (den[i] - b);
    sab += (num[i] - a) * (den[i] - b);
  }
  // Variances and covariance of the two means.
  const double k = static_cast<double>(n) * static_cast<double>(n - 1);
  const double v11 = saa / k, v22 = sbb / k, v12 = sab / k;
  const double t = t_quantile_95(n - 1);
  if (b == 0) return r;
  const double g = t * t * v22 / (b * b);
  if (!(g < 1)) return r;  // the denominator's CI includes 0
  const double est = a / b;
  const double disc = v11 - 2 * est * v12 + est * est * v22 - g * (v11 - (v22 > 0 ? v12 * v12 / v22 : 0.0));
  const double centre = est - g * (v22 > 0 ? v12 / v22 : 0.0);
  const double half = t / std::abs(b) * std::sqrt(std::max(disc, 0.0));
  r.defined = true;
  r.estimate = est;
  r.low = (centre - half) / (1 - g);
  r.high = (centre + half) / (1 - g);
  return r;
}

}  // namespace imersim
