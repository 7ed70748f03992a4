// What every phase reads (frozen parameters, derived constants, the month) and the per-agent scratch
// record a month's phases fill in for the recorder.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>

#include "core/stage.hpp"
#include "model/population.hpp"
#include "params/params.hpp"
#include "policy/effects.hpp"
#include "rng/stream.hpp"

namespace imersim {

/// Constants derived once per run from Params (never mutated during a run).
struct Derived {
  double net_margin = 0;      ///< gross margin minus platform fee (share of revenue)
  double spend_factor = 0;    ///< optimal ad spend per rupiah of demand: ln(mu*r)/r, 0 if mu*r <= 1
  double revenue_share = 0;   ///< revenue per rupiah of demand at the optimal spend: 1 - 1/(mu*r)
  double log_mr = 0;          ///< ln(mu*r) = r * spend_factor, if mu*r > 1, else 0 (cash_limited_share)
  std::array<double, kStages> threshold{};  ///< lower revenue bound of each stage (IDR/month)
  std::array<std::int64_t, kStages> wages{};     ///< team wages by stage, IDR/month
  std::array<std::int64_t, kStages> overhead{};  ///< fixed costs by stage, IDR/month
  std::int64_t living = 0;                       ///< IDR/month
  std::int64_t test_cost = 0;                    ///< IDR per test
  double life_cdf1 = 0, life_cdf2 = 0;           ///< cumulative lifetime shares for 1 and 2 months
  double inv_alpha = 0;                          ///< 1 / Pareto alpha
  /// Factors chosen by a flag bit, as tables indexed by the bit (0 or 1): a lookup instead of a branch
  /// that the flag's randomness would mispredict. {1.0, factor}, so the products are those of `x * (flag ? factor : 1.0)`.
  std::array<double, 2> whitelist_factor{}, supplier_fail_factor{}, supplier_bonus{};
  /// short_life[life][age]: lifecycle share of a winner living `life` <= kShortLife months, computed
  /// once (sin is too slow to call for every product every month).
  static constexpr int kShortLife = 6;
  std::array<std::array<double, kShortLife>, kShortLife + 1> short_life{};

  explicit Derived(const Params& p);
};

/// Read-only inputs of one month, shared by all agents.
struct MonthContext {
  const Params& p;
  const Derived& d;
  std::uint32_t seed;
  std::uint32_t replicate;
  std::uint32_t month;  ///< absolute month since the start of the run (burn-in included)
  const PolicyEffects* policy = nullptr;  ///< what policy levers change this month; null without levers
  /// ring[k] = slot of the revenue ring holding month (month - k): (month - k) mod stage.window.
  std::array<std::uint8_t, 8> ring{};

  MonthContext(const Params& params, const Derived& derived, std::uint32_t seed_, std::uint32_t replicate_,
               std::uint32_t month_, const PolicyEffects* policy_ = nullptr)
      : p(params), d(derived), seed(seed_), replicate(replicate_), month(month_), policy(policy_) {
    const auto w = static_cast<std::int64_t>(params.stage_window);
    for (std::size_t k = 0; k < ring.size(); ++k)
      ring[k] = static_cast<std::uint8_t>(((static_cast<std::int64_t>(month_) - static_cast<std::int64_t>(k)) % w + w) % w);
  }

  [[nodiscard]] Stream stream(std::uint32_t agent, Purpose purpose) const {
    return Stream(seed, replicate, agent, month, purpose);
  }
  /// The same stream when its first block `w` was computed ahead (philox_first_blocks), else computed here.
  [[nodiscard]] Stream stream(std::uint32_t agent, Purpose purpose, const std::uint32_t* w) const {
    return w != nullptr ? Stream::with_first_block(seed, replicate, agent, month, purpose, w[0], w[1], w[2], w[3])
                        : Stream(seed, replicate, agent, month, purpose);
  }
};

/// What happened to one agent this month: filled by the phases, read by the recorder. Only the fields
/// a phase may leave untouched have initialisers; the others are written by their phase every month
/// before anything reads them (zeroing the whole record cost a `rep stos` per agent-month). The phases
/// therefore run in step_agent's order on one record: testing, selling and exit rely on the slot mask
/// that shocks fills in.
struct AgentMonth {
  /// First blocks of this month's Shocks, Testing and Winner streams when the month loop computed them
  /// in a batch (philox_first_blocks); empty (nullptr) when a phase is called on its own.
  const std::uint32_t* shocks_block = nullptr;
  const std::uint32_t* testing_block = nullptr;
  const std::uint32_t* winner_block = nullptr;
  bool blocked = false;      ///< ad account blocked this month
  bool counterfeit = false;  ///< counterfeits took revenue (Pioneer and above)
  bool regulated = false;    ///< category regulation took revenue (Rising)
  bool leaves = false;       ///< leaves this month for reasons outside the model (exit.other_prob)
  std::uint8_t old_stage;          ///< written by stage
  std::uint8_t tests = 0;          ///< tests (or brand launches) run
  std::uint8_t new_products = 0;   ///< winners found / launches that succeeded
  std::uint8_t products_lost = 0;  ///< winners lost to supplier failure
  /// Bit k set = product slot k holds a product: set by shocks (after supplier failures), by testing's
  /// new products, cleared by selling's expiries; at month end, the products still selling. The
  /// phases visit only these slots instead of testing all kSlots demands (a branch per slot).
  std::uint8_t occupied = 0;
  /// Products in the slots (the bits of `occupied`).
  [[nodiscard]] int running() const {
    static_assert(kSlots <= 4, "the count table covers 4 slots");
    constexpr std::uint8_t kCount[16] = {0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4};
    return kCount[occupied & 15u];
  }
  bool exited = false;
  ExitCause cause = ExitCause::Bankruptcy;
  double demand_scale = 1.0;       ///< brand capacity scaling applied to demand (1 = unconstrained)
  std::int64_t test_spend = 0;     ///< IDR burnt on tests / launches
  std::int64_t revenue;            ///< IDR this month (written by selling)
  std::int64_t ad_spend;           ///< IDR spent on ads for running products (selling)
  std::int64_t margin;             ///< gross margin on revenue, IDR (money, as the rest)
  std::int64_t fees;               ///< platform fees, IDR
  std::int64_t leakage;            ///< lost to messy bookkeeping, IDR
  std::int64_t wages;              ///< IDR
  std::int64_t overhead;           ///< IDR
  std::int64_t living;             ///< IDR
  std::int64_t profit;             ///< change in capital, IDR
  double average_revenue;          ///< over the stage window, IDR/month (stage)
};

/// Rounds an amount of money to whole rupiah, halves away from zero (as std::llround, for
/// |x| < 2^63, without the library call on the hot path; the block kernel's to_idr_v gives the same
/// integers another way, tests/unit/model/block_lane_conversions_test.cpp).
inline std::int64_t to_idr(double x) {
  const auto t = static_cast<std::int64_t>(x);  // truncates toward zero
  const double frac = x - static_cast<double>(t);
  // Branch-free: the fraction's sign is unpredictable, and this runs several times per agent-month.
  return t + static_cast<std::int64_t>(frac >= 0.5) - static_cast<std::int64_t>(frac <= -0.5);
}

}  // namespace imersim
