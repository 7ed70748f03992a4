// Levenberg-Marquardt on the unit box: solves linear and nonlinear problems, respects the bounds,
// stops for the stated reasons, and is deterministic.
#include "analysis/least_squares.hpp"

#include <gtest/gtest.h>

#include <cmath>

using imersim::levenberg_marquardt;
using imersim::LmOptions;

TEST(SolveLinear, SolvesAPermutedSystemAndRefusesASingularOne) {
  std::vector<double> x;
  ASSERT_TRUE(imersim::solve_linear({0, 2, 1, 1}, {4, 3}, x));  // needs a row swap
  EXPECT_NEAR(x[0], 1.0, 1e-12);
  EXPECT_NEAR(x[1], 2.0, 1e-12);
  EXPECT_FALSE(imersim::solve_linear({1, 2, 2, 4}, {1, 2}, x));
}

TEST(BoundedStep, FixesACoordinateAtItsBoundAndReSolvesTheOthers) {
  // a = [[2, 1], [1, 2]], g = (4, 1): the free solution (7/3, -2/3) leaves the box from
  // x = (0.5, 0.5) in both coordinates; d0 reaches its bound first (at 3/14 of the step, d1 at 3/4),
  // so d0 is fixed at 0.5 and 2 d1 = 1 - 0.5 gives d1 = 0.25. With g = (4, -1) the free solution
  // (3, -2) hits x0 = 1 first; then 2 d1 = -1 - 0.5 gives -0.75, out too, so d1 is fixed at -0.5.
  std::vector<double> d;
  ASSERT_TRUE(imersim::bounded_step({2, 1, 1, 2}, {4, 1}, {0.5, 0.5}, d));
  EXPECT_DOUBLE_EQ(d[0], 0.5);
  EXPECT_DOUBLE_EQ(d[1], 0.25);  // clamping the free solution would have given -0.5
  ASSERT_TRUE(imersim::bounded_step({2, 1, 1, 2}, {4, -1}, {0.5, 0.5}, d));
  EXPECT_DOUBLE_EQ(d[0], 0.5);
  EXPECT_DOUBLE_EQ(d[1], -0.5);
  ASSERT_TRUE(imersim::bounded_step({2, 0, 0, 2}, {0.2, -0.2}, {0.5, 0.5}, d));  // inside: unchanged
  EXPECT_DOUBLE_EQ(d[0], 0.1);
  EXPECT_DOUBLE_EQ(d[1], -0.1);
}

TEST(LevenbergMarquardt, FindsTheZeroOfALinearMap) {
  // r = A x - b with its zero at (0.3, 0.7): the first (slightly damped) step lands within 1e-3;
  // with tight tolerances a second Jacobian and step finish the job.
  auto r = [](const std::vector<double>& x) {
    return std::vector<double>{2 * x[0] + x[1] - 1.3, x[0] - 3 * x[1] + 1.8, 0.5 * x[0] - 0.15};
  };
  LmOptions o;
  o.max_evaluations = 20;
  const auto coarse = levenberg_marquardt(r, {0.9, 0.1}, o);  // default xtol 1e-3: one step
  EXPECT_NEAR(coarse.x[0], 0.3, 1e-3);
  EXPECT_NEAR(coarse.x[1], 0.7, 1e-3);
  EXPECT_EQ(coarse.status, "XTOL_REACHED");
  EXPECT_EQ(coarse.evaluations, 6);  // start, Jacobian, step, Jacobian; the next step is below xtol
  o.xtol = 1e-12;
  o.ftol = 1e-20;
  const auto fine = levenberg_marquardt(r, {0.9, 0.1}, o);
  EXPECT_NEAR(fine.x[0], 0.3, 1e-7);
  EXPECT_NEAR(fine.x[1], 0.7, 1e-7);
  EXPECT_LT(fine.objective, 1e-12);
  EXPECT_LE(fine.evaluations, 20);
}

TEST(LevenbergMarquardt, CentralDifferencesAreExactForAQuadraticAndStayInTheBox) {
  // r = (x0^2 - 0.09, x1 - 0.5): a central difference of a quadratic is its exact derivative, so
  // the first Jacobian at (0.9, 0.995) is exact although the stencil is cut at the upper bound.
  std::vector<std::vector<double>> calls;
  auto r = [&](const std::vector<double>& x) {
    calls.push_back(x);
    return std::vector<double>{x[0] * x[0] - 0.09, x[1] - 0.5};
  };
  LmOptions o;
  o.central = true;
  o.fd_step = 0.05;
  o.xtol = 1e-10;
  o.ftol = 1e-16;
  o.max_evaluations = 60;
  const auto res = levenberg_marquardt(r, {0.9, 0.995}, o);
  EXPECT_NEAR(res.x[0], 0.3, 1e-6);
  EXPECT_NEAR(res.x[1], 0.5, 1e-6);
  ASSERT_GE(calls.size(), 5u);
  auto expect_at = [&](std::size_t k, double a, double b) {
    EXPECT_NEAR(calls[k][0], a, 1e-15) << "call " << k;
    EXPECT_NEAR(calls[k][1], b, 1e-15) << "call " << k;
  };
  expect_at(1, 0.95, 0.995);  // x0 + h
  expect_at(2, 0.85, 0.995);  // x0 - h
  expect_at(3, 0.9, 1.0);     // x1 + h, cut at the bound
  expect_at(4, 0.9, 0.945);   // x1 - h
  for (const auto& x : calls) EXPECT_TRUE(x[0] >= 0 && x[0] <= 1 && x[1] >= 0 && x[1] <= 1);
}

TEST(LevenbergMarquardt, SolvesRosenbrockInsideTheBox) {
  // Rosenbrock as least squares, minimum shifted to (0.6, 0.36): curved valley, needs damping.
  auto r = [](const std::vector<double>& x) { return std::vector<double>{10 * (x[1] - x[0] * x[0]), 0.6 - x[0]}; };
  LmOptions o;
  o.fd_step = 1e-6;
  o.xtol = 1e-9;
  o.ftol = 1e-14;
  o.max_evaluations = 400;
  const auto res = levenberg_marquardt(r, {0.1, 0.9}, o);
  EXPECT_NEAR(res.x[0], 0.6, 1e-3);
  EXPECT_NEAR(res.x[1], 0.36, 1e-3);
  EXPECT_LE(res.evaluations, 400);
}

TEST(LevenbergMarquardt, StaysInTheBoxWhenTheOptimumIsOutside) {
  // Unconstrained zero at x = 1.5: the answer is the bound, and no call ever leaves [0, 1].
  bool outside = false;
  auto r = [&](const std::vector<double>& x) {
    outside = outside || x[0] < 0 || x[0] > 1 || x[1] < 0 || x[1] > 1;
    return std::vector<double>{x[0] - 1.5, x[1] - 0.25};
  };
  LmOptions o;
  o.max_evaluations = 30;
  o.xtol = 1e-9;
  const auto res = levenberg_marquardt(r, {0.5, 0.5}, o);
  EXPECT_FALSE(outside);
  EXPECT_DOUBLE_EQ(res.x[0], 1.0);
  EXPECT_NEAR(res.x[1], 0.25, 1e-6);
}

TEST(LevenbergMarquardt, NeverExceedsItsBudgetAndSaysSo) {
  int calls = 0;
  auto r = [&](const std::vector<double>& x) {
    ++calls;
    return std::vector<double>{std::sin(5 * x[0]) + x[1], x[0] * x[1] - 0.2, x[0] - x[1]};
  };
  LmOptions o;
  o.max_evaluations = 5;
  o.xtol = 0;
  o.ftol = 0;
  const auto res = levenberg_marquardt(r, {0.8, 0.3}, o);
  EXPECT_LE(calls, 5);
  EXPECT_EQ(res.evaluations, calls);
  EXPECT_EQ(res.status, "MAXEVAL_REACHED");
}

TEST(LevenbergMarquardt, SameResidualsSamePathAndExceptionsPassThrough) {
  std::vector<std::vector<double>> first, second;
  auto make = [](std::vector<std::vector<double>>& log) {
    return [&log](const std::vector<double>& x) {
      log.push_back(x);
      return std::vector<double>{std::exp(x[0]) - 1.5, x[0] + 2 * x[1] - 1};
    };
  };
  LmOptions o;
  levenberg_marquardt(make(first), {0.2, 0.2}, o);
  levenberg_marquardt(make(second), {0.2, 0.2}, o);
  EXPECT_EQ(first, second);
  int calls = 0;
  auto throwing = [&](const std::vector<double>&) -> std::vector<double> {
    if (++calls == 3) throw std::runtime_error("stop");
    return {1.0, 2.0};
  };
  EXPECT_THROW(levenberg_marquardt(throwing, {0.5, 0.5}, o), std::runtime_error);
}

// Linearised widths from a stencil of evaluated points: exact for a linear map, where
// (J'J)^-1 is known in closed form; a missing neighbour or a singular J'J is reported.
TEST(LinearisedWidths, RecoverTheCovarianceOfALinearMap) {
  // r = A x - b, A = [[2, 1], [0, 1], [1, 0]] (3 residuals, 2 parameters): J'J = [[5, 2], [2, 2]],
  // its inverse [[1/3, -1/3], [-1/3, 5/6]]: sigma = (sqrt(1/3), sqrt(5/6)), corr = -(1/3)/sqrt(5/18).
  auto r = [](const std::vector<double>& x) {
    return std::vector<double>{2 * x[0] + x[1] - 1, x[1] - 0.5, x[0] - 0.2};
  };
  const std::vector<std::vector<double>> points = {{0.4, 0.5}, {0.1, 0.9},  // centre, an unrelated point
                                                   {0.45, 0.5}, {0.3, 0.5},  // along x0: above (near), below
                                                   {0.6, 0.5},               // a farther one above: not used
                                                   {0.4, 0.42}};             // along x1: below only (one-sided)
  std::vector<std::vector<double>> res;
  for (const auto& p : points) res.push_back(r(p));
  imersim::LinearisedWidths w;
  ASSERT_TRUE(imersim::linearised_widths(points, res, 0, w));
  const std::vector<double> a = {2, 1, 0, 1, 1, 0};
  for (std::size_t k = 0; k < a.size(); ++k) EXPECT_NEAR(w.jacobian[k], a[k], 1e-9) << k;
  ASSERT_EQ(w.sigma.size(), 2u);
  EXPECT_NEAR(w.sigma[0], std::sqrt(1.0 / 3.0), 1e-9);
  EXPECT_NEAR(w.sigma[1], std::sqrt(5.0 / 6.0), 1e-9);
  EXPECT_NEAR(w.correlation[1], -(1.0 / 3.0) / std::sqrt(5.0 / 18.0), 1e-9);
  EXPECT_NEAR(w.correlation[0], 1.0, 1e-12);
  EXPECT_NEAR(w.sigma_alone[0], 1 / std::sqrt(5.0), 1e-9);  // the other parameter held fixed: 1/sqrt((J'J)_ii)
  EXPECT_NEAR(w.sigma_alone[1], 1 / std::sqrt(2.0), 1e-9);
  // Ridge: top eigenvector of [[1/3, -1/3], [-1/3, 5/6]] (trace 7/6, determinant 1/6: eigenvalues
  // 1 and 1/6), (-1, 2) / sqrt(5).
  const double top = 1.0;
  EXPECT_NEAR(w.ridge[0], -1 / std::sqrt(5.0), 1e-9);
  EXPECT_NEAR(w.ridge_sigma, std::sqrt(top), 1e-9);
  ASSERT_EQ(w.ridge.size(), 2u);
  EXPECT_NEAR(-(1.0 / 3.0) * w.ridge[0] + (5.0 / 6.0) * w.ridge[1], top * w.ridge[1], 1e-9);  // C v = top v
  EXPECT_GT(w.ridge[1], 0);  // the larger component is positive
  EXPECT_NEAR(w.ridge[0] * w.ridge[0] + w.ridge[1] * w.ridge[1], 1.0, 1e-12);
  // No neighbour along x1 around the unrelated point: no widths.
  EXPECT_FALSE(imersim::linearised_widths(points, res, 1, w));
  // Two parameters with the same effect: J'J singular, widths empty but the stencil was found.
  auto same = [](const std::vector<double>& x) { return std::vector<double>{x[0] + x[1] - 1, 2 * (x[0] + x[1])}; };
  std::vector<std::vector<double>> res2;
  for (const auto& p : points) res2.push_back(same(p));
  ASSERT_TRUE(imersim::linearised_widths(points, res2, 0, w));
  EXPECT_TRUE(w.sigma.empty());
  EXPECT_THROW(imersim::linearised_widths(points, res2, 9, w), std::invalid_argument);
}
