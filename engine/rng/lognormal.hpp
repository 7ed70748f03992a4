// Lognormal draws whose bits do not depend on the CPU: Boost's normal, then the portable exp.
#pragma once
#include <boost/random/normal_distribution.hpp>

#include "core/portable_math.hpp"

namespace imersim {

/// exp(N(mu, sigma)) drawn from `rng`: the draws of boost::random::lognormal_distribution<double>(mu,
/// sigma), whose std::exp would round differently on CPUs with and without FMA (core/portable_math.hpp).
/// log_of_lognormal is the normal draw alone, for callers that take the exp of several at once
/// (pmath::exp_n).
template <class Engine>
double log_of_lognormal(Engine& rng, double mu, double sigma) {
  boost::random::normal_distribution<double> normal(mu, sigma);
  return normal(rng);
}
template <class Engine>
double lognormal(Engine& rng, double mu, double sigma) {
  return pmath::exp(log_of_lognormal(rng, mu, sigma));
}

}  // namespace imersim
