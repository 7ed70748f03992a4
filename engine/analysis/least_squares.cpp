// Levenberg-Marquardt on the unit box (see least_squares.hpp for why it is written here).
#include "analysis/least_squares.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace imersim {

namespace {

double sum_squares(const std::vector<double>& r) {
  double s = 0;
  for (double v : r) s += v * v;
  return s;
}

}  // namespace

bool bounded_step(const std::vector<double>& a, const std::vector<double>& g, const std::vector<double>& x,
                  std::vector<double>& d) {
  const std::size_t n = x.size();
  std::vector<bool> fixed(n, false);
  d.assign(n, 0.0);
  // Active set: solve for the free coordinates; the one that would leave the box first is fixed at
  // its bound and the rest re-solved with it (at most n rounds). Clamping a Gauss-Newton step instead can
  // undo it: a weakly identified parameter with a huge component pins to a bound while the others
  // keep the values that only made sense together with it.
  for (std::size_t round = 0; round <= n; ++round) {
    std::vector<std::size_t> free;
    for (std::size_t i = 0; i < n; ++i)
      if (!fixed[i]) free.push_back(i);
    if (free.empty()) return true;
    const std::size_t f = free.size();
    std::vector<double> af(f * f), bf(f), df;
    for (std::size_t r = 0; r < f; ++r) {
      double rhs = g[free[r]];
      for (std::size_t i = 0; i < n; ++i)
        if (fixed[i]) rhs -= a[free[r] * n + i] * d[i];
      bf[r] = rhs;
      for (std::size_t c = 0; c < f; ++c) af[r * f + c] = a[free[r] * n + free[c]];
    }
    if (!solve_linear(af, bf, df)) return false;
    // Fix the coordinate that reaches its bound first along the step (smallest fraction of it).
    std::size_t first = n;
    double first_t = 2.0;
    for (std::size_t r = 0; r < f; ++r) {
      const std::size_t i = free[r];
      d[i] = df[r];
      if (x[i] + d[i] > 1.0 || x[i] + d[i] < 0.0) {
        const double t = ((d[i] > 0 ? 1.0 : 0.0) - x[i]) / d[i];
        if (t < first_t) {
          first_t = t;
          first = i;
        }
      }
    }
    if (first == n) return true;
    d[first] = (d[first] > 0 ? 1.0 : 0.0) - x[first];
    fixed[first] = true;
  }
  return true;
}

bool solve_linear(std::vector<double> a, std::vector<double> b, std::vector<double>& x) {
  const std::size_t n = b.size();
  double scale = 0;
  for (double v : a) scale = std::max(scale, std::fabs(v));
  if (scale == 0 || !std::isfinite(scale)) return false;
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t row = col + 1; row < n; ++row)
      if (std::fabs(a[row * n + col]) > std::fabs(a[pivot * n + col])) pivot = row;
    if (std::fabs(a[pivot * n + col]) <= 1e-14 * scale) return false;
    if (pivot != col) {
      for (std::size_t k = 0; k < n; ++k) std::swap(a[col * n + k], a[pivot * n + k]);
      std::swap(b[col], b[pivot]);
    }
    for (std::size_t row = col + 1; row < n; ++row) {
      const double f = a[row * n + col] / a[col * n + col];
      for (std::size_t k = col; k < n; ++k) a[row * n + k] -= f * a[col * n + k];
      b[row] -= f * b[col];
    }
  }
  x.assign(n, 0.0);
  for (std::size_t i = n; i-- > 0;) {
    double s = b[i];
    for (std::size_t k = i + 1; k < n; ++k) s -= a[i * n + k] * x[k];
    x[i] = s / a[i * n + i];
  }
  return true;
}

LmResult levenberg_marquardt(const ResidualFn& residuals, std::vector<double> x0, const LmOptions& o) {
  if (!(o.fd_step > 0) || o.max_evaluations < 1) throw std::invalid_argument("levenberg_marquardt: bad options");
  const std::size_t n = x0.size();
  LmResult res;
  for (double& v : x0) v = std::clamp(v, 0.0, 1.0);
  auto call = [&](const std::vector<double>& x) {
    ++res.evaluations;
    return residuals(x);
  };
  std::vector<double> x = x0, r = call(x);
  double f = sum_squares(r);
  const std::size_t m = r.size();
  double lambda = 1e-3;
  constexpr double kLambdaMax = 1e8, kLambdaMin = 1e-9;
  res.status = "MAXEVAL_REACHED";
  while (true) {
    // Jacobian by forward differences (backward at the upper bound), or central differences
    // (one-sided where the box cuts the stencil).
    const auto jac_calls = static_cast<std::int64_t>(o.central ? 2 * n : n);
    if (res.evaluations + jac_calls >= o.max_evaluations) break;  // no room for a step after it
    std::vector<double> jac(m * n);
    auto at = [&](std::size_t i, double xi) {
      if (xi == x[i]) return r;
      std::vector<double> xh = x;
      xh[i] = xi;
      std::vector<double> rh = call(xh);
      if (rh.size() != m) throw std::invalid_argument("levenberg_marquardt: residual count changed");
      return rh;
    };
    for (std::size_t i = 0; i < n; ++i) {
      double hi = 0, lo = 0;
      if (o.central) {
        hi = std::min(x[i] + o.fd_step, 1.0);
        lo = std::max(x[i] - o.fd_step, 0.0);
      } else {
        hi = x[i] + o.fd_step <= 1.0 ? x[i] + o.fd_step : x[i];
        lo = x[i] + o.fd_step <= 1.0 ? x[i] : x[i] - o.fd_step;
      }
      const std::vector<double> rh = at(i, hi), rl = at(i, lo);
      for (std::size_t k = 0; k < m; ++k) jac[k * n + i] = (rh[k] - rl[k]) / (hi - lo);
    }
    ++res.iterations;
    std::vector<double> jtj(n * n, 0.0), jtr(n, 0.0);
    for (std::size_t k = 0; k < m; ++k)
      for (std::size_t i = 0; i < n; ++i) {
        jtr[i] += jac[k * n + i] * r[k];
        for (std::size_t j = 0; j < n; ++j) jtj[i * n + j] += jac[k * n + i] * jac[k * n + j];
      }
    double max_diag = 0;
    for (std::size_t i = 0; i < n; ++i) max_diag = std::max(max_diag, jtj[i * n + i]);
    bool accepted = false, done = false;
    while (!accepted && !done) {
      std::vector<double> a = jtj, rhs(n), d;
      for (std::size_t i = 0; i < n; ++i) {
        // Marquardt's scaling, floored so that a parameter with no effect still gets a damped step.
        a[i * n + i] += lambda * std::max(jtj[i * n + i], 1e-9 * std::max(max_diag, 1e-300));
        rhs[i] = -jtr[i];
      }
      if (!bounded_step(a, rhs, x, d)) {
        lambda *= 10;
        if (lambda > kLambdaMax) {
          res.status = "NO_DESCENT";
          done = true;
        }
        continue;
      }
      std::vector<double> xn(n);
      double step = 0;
      for (std::size_t i = 0; i < n; ++i) {
        xn[i] = std::clamp(x[i] + d[i], 0.0, 1.0);
        step = std::max(step, std::fabs(xn[i] - x[i]));
      }
      if (step < o.xtol) {
        res.status = "XTOL_REACHED";
        done = true;
        break;
      }
      if (res.evaluations >= o.max_evaluations) {
        done = true;  // status stays MAXEVAL_REACHED
        break;
      }
      std::vector<double> rn = call(xn);
      const double fn = sum_squares(rn);
      if (fn < f) {
        const double gain = f - fn;
        x = std::move(xn);
        r = std::move(rn);
        f = fn;
        accepted = true;
        lambda = std::max(lambda / 10, kLambdaMin);
        if (gain < o.ftol) {
          res.status = "FTOL_REACHED";
          done = true;
        }
      } else {
        lambda *= 10;
        if (lambda > kLambdaMax) {
          res.status = "NO_DESCENT";
          done = true;
        }
      }
    }
    if (done) break;
  }
  res.x = x;
  res.objective = f;
  return res;
}

bool linearised_widths(const std::vector<std::vector<double>>& points, const std::vector<std::vector<double>>& residuals,
                       std::size_t center, LinearisedWidths& widths) {
  if (points.size() != residuals.size() || center >= points.size())
    throw std::invalid_argument("linearised_widths: points and residuals do not match");
  const std::vector<double>& x = points[center];
  const std::vector<double>& r = residuals[center];
  const std::size_t n = x.size(), m = r.size();
  // Nearest neighbour below and above x along each coordinate (index into points, or npos).
  constexpr std::size_t npos = static_cast<std::size_t>(-1);
  std::vector<std::size_t> below(n, npos), above(n, npos);
  for (std::size_t k = 0; k < points.size(); ++k) {
    if (points[k].size() != n || residuals[k].size() != m) continue;
    std::size_t differs = n, count = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (points[k][i] != x[i]) {
        differs = i;
        ++count;
      }
    if (count != 1) continue;
    const std::size_t i = differs;
    std::size_t& slot = points[k][i] < x[i] ? below[i] : above[i];
    if (slot == npos || std::fabs(points[k][i] - x[i]) < std::fabs(points[slot][i] - x[i])) slot = k;
  }
  widths = LinearisedWidths{};
  widths.jacobian.assign(m * n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    if (below[i] == npos && above[i] == npos) return false;
    const std::size_t hi = above[i] != npos ? above[i] : center, lo = below[i] != npos ? below[i] : center;
    const double h = points[hi][i] - points[lo][i];
    for (std::size_t k = 0; k < m; ++k) widths.jacobian[k * n + i] = (residuals[hi][k] - residuals[lo][k]) / h;
  }
  std::vector<double> jtj(n * n, 0.0);
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) jtj[i * n + j] += widths.jacobian[k * n + i] * widths.jacobian[k * n + j];
  widths.sigma_alone.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    widths.sigma_alone[i] = jtj[i * n + i] > 0 ? 1 / std::sqrt(jtj[i * n + i]) : std::numeric_limits<double>::infinity();
  std::vector<double> cov(n * n);
  for (std::size_t j = 0; j < n; ++j) {  // column j of the inverse
    std::vector<double> e(n, 0.0), col;
    e[j] = 1.0;
    if (!solve_linear(jtj, e, col)) return true;  // singular: a parameter (combination) the residuals do not see
    for (std::size_t i = 0; i < n; ++i) cov[i * n + j] = col[i];
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!(cov[i * n + i] > 0)) return true;  // numerically singular
  widths.sigma.resize(n);
  for (std::size_t i = 0; i < n; ++i) widths.sigma[i] = std::sqrt(cov[i * n + i]);
  // Power iteration on C (symmetric positive definite, tiny): its top eigenvector. Deterministic.
  std::vector<double> v(n, 1.0 / std::sqrt(static_cast<double>(n))), cv(n);
  double lambda = 0;
  for (int it = 0; it < 500; ++it) {
    double norm = 0;
    for (std::size_t i = 0; i < n; ++i) {
      cv[i] = 0;
      for (std::size_t j = 0; j < n; ++j) cv[i] += cov[i * n + j] * v[j];
      norm += cv[i] * cv[i];
    }
    norm = std::sqrt(norm);
    if (!(norm > 0)) break;
    for (std::size_t i = 0; i < n; ++i) v[i] = cv[i] / norm;
    lambda = norm;
  }
  std::size_t top = 0;
  for (std::size_t i = 1; i < n; ++i)
    if (std::fabs(v[i]) > std::fabs(v[top])) top = i;
  if (v[top] < 0)
    for (double& c : v) c = -c;
  widths.ridge = v;
  widths.ridge_sigma = std::sqrt(lambda);
  widths.correlation.resize(n * n);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) widths.correlation[i * n + j] = cov[i * n + j] / (widths.sigma[i] * widths.sigma[j]);
  return true;
}

}  // namespace imersim
