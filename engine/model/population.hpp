// The agents, as a structure of arrays: one contiguous array per field, compact types, no per-agent
// heap objects. Dead slots are reused by newcomers in ascending slot order (deterministic).
#pragma once
#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "core/column_allocator.hpp"
#include "core/stage.hpp"

namespace imersim {

/// Winner slots per agent: the most products an agent runs at once (DOMAIN §2: H&R fewer than 5).
inline constexpr int kSlots = 4;
/// Longest stage window (months of revenue kept). A population allocates the ring's first
/// `stage.window` months only (Population::set_revenue_months).
inline constexpr int kMaxWindow = 4;

/// Bits of Population::flags.
enum AgentFlag : std::uint8_t {
  kAlive = 1u << 0,           ///< slot holds a live agent
  kSupplierAccess = 1u << 1,  ///< has a good supplier (better tests, fewer supplier failures)
  kWhitelisted = 1u << 2,     ///< whitelisted ad account (fewer blocks)
  kBrandOwner = 1u << 3,      ///< reached Pioneer once: owns a brand from then on
  kCleared = 1u << 4,         ///< on a dead slot: every other field is already zero (entry need not clear it)
};

struct Population {
  Column<std::uint32_t> id;      ///< unique per replicate; keys the agent's random streams
  Column<std::int64_t> capital;  ///< IDR
  /// IDR/month, a ring indexed by month % stage.window: the first revenue_months() arrays are in
  /// use, the others stay empty (4 bytes per agent per window month, not per kMaxWindow).
  std::array<Column<float>, kMaxWindow> revenue;
  std::array<Column<std::uint16_t>, kSlots> demand;  ///< peak monthly demand of a slot's product: demand_code; 0 = empty
  std::array<Column<std::uint8_t>, kSlots> age;   ///< months the product has sold
  std::array<Column<std::uint8_t>, kSlots> life;  ///< months the product will sell in total
  Column<std::uint16_t> skill;                    ///< 0..65535 = skill 0..1
  Column<std::uint16_t> entry_month;              ///< absolute month of entry
  Column<std::uint8_t> stage;                     ///< Stage
  Column<std::uint8_t> max_stage;                 ///< highest Stage ever reached
  Column<std::uint8_t> dry_months;                ///< consecutive months ending without a running product
  Column<std::uint8_t> flags;                     ///< AgentFlag bits

  [[nodiscard]] std::size_t slots() const { return id.size(); }
  /// Months of the revenue ring in use (stage.window, 1..kMaxWindow; kMaxWindow unless set). Set
  /// while the population is empty: a simulation sets it from its parameters before anyone enters.
  void set_revenue_months(int months);
  [[nodiscard]] int revenue_months() const { return revenue_months_; }
  /// Grows every array in use to `n` slots (new slots dead and zeroed).
  void resize(std::size_t n);
  /// Moves live agents to the front, keeping their order, and drops the dead slots. Results do not
  /// change: an agent's draws are keyed by its id, not its slot.
  void compact();
  /// Calls f(vector&) for every per-agent array in use (the one list of fields): the revenue ring's
  /// first revenue_months() months only.
  template <typename F>
  void for_each_array(F&& f) {
    visit([&](auto& v, bool in_use) {
      if (in_use) f(v);
    });
  }
  /// Calls f(vector&, in_use) for every array of the saved-state layout (StateIo): all kMaxWindow
  /// months of the revenue ring, whatever the window, so that a state file's datasets are numbered
  /// the same for every window; the months beyond the window come as empty vectors, in_use false.
  template <typename F>
  void for_each_layout_array(F&& f) {
    visit(f);
  }
  /// Bytes of agent state per slot: the sum of the element sizes of every array in use (48 with the
  /// default stage window of 3 months).
  [[nodiscard]] std::size_t bytes_per_agent() const {
    std::size_t n = 0;
    Population shape;  // empty: the element types of the arrays in use
    shape.revenue_months_ = revenue_months_;
    shape.for_each_array([&n](auto& v) { n += sizeof(typename std::decay_t<decltype(v)>::value_type); });
    return n;
  }
  /// Zeroes every field of slot `i` (the slot is then dead).
  void clear_slot(std::size_t i) {
    for_each_array([i](auto& v) { v[i] = {}; });
  }
  /// Empties product slot `k` of agent `i`.
  void clear_product(std::size_t i, int k) {
    demand[k][i] = 0;
    age[k][i] = life[k][i] = 0;
  }
  /// Clears the slot of an agent that has just left and marks it kCleared, so that entry can reuse it
  /// without clearing it again. Only once nothing else will read the leaver's fields this month.
  void release_slot(std::size_t i) {
    clear_slot(i);
    flags[i] = kCleared;
  }
  [[nodiscard]] bool alive(std::size_t i) const { return (flags[i] & kAlive) != 0; }

 private:
  int revenue_months_ = kMaxWindow;
  /// The one list of fields: f(vector&, in_use) on every array of the layout, in_use false only for
  /// the revenue ring's months beyond revenue_months_.
  template <typename F>
  void visit(F&& f) {
    f(id, true);
    f(capital, true);
    for (int k = 0; k < kMaxWindow; ++k) f(revenue[static_cast<std::size_t>(k)], k < revenue_months_);
    for (int k = 0; k < kSlots; ++k) {
      f(demand[k], true);
      f(age[k], true);
      f(life[k], true);
    }
    f(skill, true);
    f(entry_month, true);
    f(stage, true);
    f(max_stage, true);
    f(dry_months, true);
    f(flags, true);
  }
};

/// A product's peak monthly demand (IDR) as stored: a 16-bit float of the model's own, 6 bits of
/// exponent and 10 of mantissa: the top 22 bits of the double (sign, exponent, 10 bits of mantissa)
/// less 1022 * 1024. Code c > 0 is the double whose bits are (c << 42) + (1022 << 52): 2^(c / 1024 - 1) *
/// (1 + (c % 1024) / 1024), from 0.50049 IDR (c = 1) to about 9.2e18 (c = 65535), with 10 bits of
/// mantissa: a relative rounding of at most 2^-11 (0.049 %) from 0.5 IDR up. Code 0 is no product. Demand takes 8
/// bytes of an agent's state this way where floats took 16 (docs/model.md, section 2).
inline constexpr std::uint64_t kDemandBias = std::uint64_t{1022} << 52;
/// The code of demand `x`: rounded to the nearest code (halves up), 0 for x <= 0 (and NaN), at least
/// 1 for any x > 0 (a positive demand keeps its slot), at most 65535.
inline std::uint16_t demand_code(double x) {
  if (!(x > 0)) return 0;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  const auto c = static_cast<std::int64_t>((bits + (std::uint64_t{1} << 41)) >> 42) - static_cast<std::int64_t>(kDemandBias >> 42);
  return static_cast<std::uint16_t>(std::clamp<std::int64_t>(c, 1, 65535));
}
/// The demand (IDR/month) that code `c` stands for: exact as a double (and as a float); 0 for code 0.
inline double demand_value(std::uint16_t c) {
  return c == 0 ? 0.0 : std::bit_cast<double>((std::uint64_t{c} << 42) + kDemandBias);
}

/// Skill as a probability-scale number in [0, 1].
inline double skill_value(std::uint16_t s) { return s / 65535.0; }
inline std::uint16_t skill_fixed(double s) {
  return static_cast<std::uint16_t>(s <= 0 ? 0 : (s >= 1 ? 65535 : s * 65535.0 + 0.5));
}

}  // namespace imersim
