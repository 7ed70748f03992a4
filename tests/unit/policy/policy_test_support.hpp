// Helpers for policy tests: a small fast model, runs with levers at a thread count, dataset equality.
#pragma once
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cstring>
#include <string>
#include <vector>

#include "../model/model_test_support.hpp"
#include "experiment/runner.hpp"
#include "analysis/outcomes.hpp"
#include "params/params.hpp"
#include "policy/policy_spec.hpp"

namespace imersim::test {

/// 1,500 newcomers a month, 12 burn-in + 24 reported months, a model where some agents climb.
inline Params policy_params() {
  Params p = small_params();
  p.entry_per_month = 1500;
  p.population_initial_agents = 3000;
  p.run_burn_in_months = 12;
  p.run_months = 24;
  return p;
}

inline RunResult run_policies(const Params& p, const PolicySpecs& policies, int threads = 2, std::int64_t replicates = 1,
                              std::int64_t first = 0) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
  RunExtras extras;
  extras.policies = &policies;
  return run_replicates(p, first, replicates, {}, extras);
}

/// Every dataset of `expected` is in `actual` with the same shape and the same bits.
inline void expect_datasets_contain(const std::vector<Dataset>& actual, const std::vector<Dataset>& expected) {
  for (const auto& e : expected) {
    const Dataset* a = nullptr;
    for (const auto& d : actual)
      if (d.name == e.name) a = &d;
    ASSERT_NE(a, nullptr) << e.name;
    EXPECT_EQ(a->shape, e.shape) << e.name;
    EXPECT_EQ(a->ints, e.ints) << e.name;
    ASSERT_EQ(a->reals.size(), e.reals.size()) << e.name;
    if (!e.reals.empty()) {
      EXPECT_EQ(std::memcmp(a->reals.data(), e.reals.data(), e.reals.size() * sizeof(double)), 0) << e.name;
    }
  }
}

inline const Dataset& dataset(const std::vector<Dataset>& rep, const std::string& name) {
  if (const Dataset* d = find_dataset(rep, name)) return *d;
  throw std::runtime_error("no dataset " + name);
}

/// Every lever on, generous settings (so that each does something in a small run).
inline PolicySpecs all_levers(std::int64_t budget = 50'000'000'000) {
  PolicySpecs s;
  s.registry.emplace();
  s.insurance.emplace();
  s.training.emplace();
  s.matchmaking.emplace();
  s.credit.emplace();
  s.whitelist.emplace();
  s.anti_counterfeit.emplace();
  s.for_each([&](std::string_view, auto& l) {
    l->take_up = 0.2;
    l->capacity = 400;
    l->budget = budget;
  });
  s.anti_counterfeit->stages = {true, true, true, true, true};  // so that it enrols in a small run
  return s;
}

}  // namespace imersim::test
