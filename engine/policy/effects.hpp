// What the policy levers change inside an agent's month: per-slot multipliers the phases read
// (ad-block chance, bookkeeping leakage, counterfeit loss). Filled serially before the agent loop.
#pragma once
#include <cstddef>
#include <vector>

#include "core/column_allocator.hpp"

namespace imersim {

/// Per-slot multipliers (1 = no change). A vector is empty when no active lever sets it, so runs
/// without levers read 1 everywhere and multiply by exactly 1.0.
struct PolicyEffects {
  Column<float> block;        ///< multiplier on the chance the ad account is blocked
  Column<float> leakage;      ///< multiplier on the bookkeeping-leakage share
  Column<float> counterfeit;  ///< multiplier on the share of revenue counterfeits take
};

/// The multiplier `field` of slot `i`: 1 when there are no levers or none sets it.
inline double policy_factor(const PolicyEffects* e, Column<float> PolicyEffects::*field, std::size_t i) {
  if (e == nullptr) return 1.0;
  const Column<float>& v = e->*field;
  return v.empty() ? 1.0 : static_cast<double>(v[i]);
}

}  // namespace imersim
