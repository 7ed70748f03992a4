// Counter-based random streams (Random123 Philox4x32-10) keyed by (seed, replicate) and counted by
// (agent, month, purpose, block): an agent's draws depend on nothing else, so results are identical
// at any thread count and two scenarios see the same luck (common random numbers).
#pragma once
#include <Random123/philox.h>

#include <cstdint>
#include <limits>

namespace imersim {

/// What a draw is for. Each purpose has its own stream, so adding draws for one purpose (a policy,
/// say) never shifts the draws of another. Append new values; never renumber (it changes results).
enum class Purpose : std::uint32_t {
  EntryCount = 1,   ///< number of newcomers this month (agent = kPopulationAgent)
  EntryTraits = 2,  ///< a newcomer's capital, skill, supplier access, whitelisting
  Shocks = 3,       ///< leaving for outside reasons (word 0), ad-account blocks, supplier failures, counterfeits, regulation
  Testing = 4,      ///< product tests and brand launches
  Winner = 5,       ///< lifetime and demand of a new winning product
  Exit = 6,         ///< discouraged quitting
  PolicyBase = 100  ///< policies use PolicyBase + k
};

/// Agent id used for draws that belong to the population rather than to one agent.
inline constexpr std::uint32_t kPopulationAgent = std::numeric_limits<std::uint32_t>::max();

/// A 32-bit UniformRandomBitGenerator (usable with Boost.Random distributions) over one
/// (seed, replicate, agent, month, purpose) stream. Cheap to construct: no state beyond a counter.
class Stream {
 public:
  using result_type = std::uint32_t;

  Stream(std::uint32_t seed, std::uint32_t replicate, std::uint32_t agent, std::uint32_t month, Purpose purpose) noexcept
      : key_{{seed, replicate}}, ctr_{{agent, month, static_cast<std::uint32_t>(purpose), 0}} {}

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  /// The same stream, with its first block already computed (by philox_first_blocks): draws are
  /// identical to those of the plain constructor.
  static Stream with_first_block(std::uint32_t seed, std::uint32_t replicate, std::uint32_t agent, std::uint32_t month,
                                 Purpose purpose, std::uint32_t w0, std::uint32_t w1, std::uint32_t w2,
                                 std::uint32_t w3) noexcept {
    Stream s(seed, replicate, agent, month, purpose);
    s.buf_ = {{w0, w1, w2, w3}};
    s.ctr_.v[3] = 1;
    s.pos_ = 0;
    return s;
  }

  result_type operator()() noexcept {
    if (pos_ == 4) refill();
    return buf_.v[pos_++];
  }

  /// Uniform on the open interval (0, 1), 32 bits of resolution.
  double uniform() noexcept { return (static_cast<double>((*this)()) + 0.5) * 0x1p-32; }

  /// Whether bernoulli(p) reads a word: for p strictly between 0 and 1, and for NaN (which reads one
  /// and says false). For code that draws the same words another way (entry's vector passes).
  static constexpr bool bernoulli_draws(double p) noexcept { return !(p <= 0.0) && !(p >= 1.0); }

  /// True with probability p (p outside [0,1] is clamped). Exact to 2^-32.
  bool bernoulli(double p) noexcept {
    if (!bernoulli_draws(p)) return p >= 1.0;
    return static_cast<double>((*this)()) < p * 0x1p32;
  }

  /// Number of 4-word blocks consumed so far (for tests).
  [[nodiscard]] std::uint32_t blocks_used() const noexcept { return ctr_.v[3]; }

 private:
  using Philox = r123::Philox4x32;
  void refill() noexcept {
    buf_ = Philox{}(ctr_, key_);
    ++ctr_.v[3];
    pos_ = 0;
  }
  Philox::key_type key_;
  Philox::ctr_type ctr_;
  Philox::ctr_type buf_{};
  unsigned pos_ = 4;
};

}  // namespace imersim
