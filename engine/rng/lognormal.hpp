// Lognormal draws whose bits do not depend on the CPU: Boost's normal, then the portable exp.
#pragma once
#include <boost/random/normal_distribution.hpp>

#include "core/portable_math.hpp"

namespace imersim {

/// exp(N(mu, sigma)) drawn from `rng`: the draws of boost::random::lognormal_distribution<double>(mu,
/// sigma), whose std::exp would round differently on CPUs with and without FMA (core/portable_math.hpp).
template <class Engine>
double lognormal(Engine& rng, double mu, double sigma) {
  boost::random::normal_distribution<double> normal(mu, sigma);
  return pmath::exp(normal(rng));
}
/// The logarithm of lognormal(rng, mu, sigma): the same draws; pmath::exp (or pmath::exp_n, for
/// several at once) of it is the lognormal value.
template <class Engine>
double log_of_lognormal(Engine& rng, double mu, double sigma) {
  boost::random::normal_distribution<double> normal(mu, sigma);
  return normal(rng);
}

}  // namespace imersim
