// The agent month of kBlockLanes agents at once (the AVX2 build: two halves of 4): the phases of
// step.hpp as SIMD passes over a block of agents, for the common agents (no brand, short-lived products only, shock draws within the first
// Shocks block, no policy levers). Its results are bit for bit those of step_agent, which stays the
// specification: every other agent in the block takes step_agent. New winners' Pareto draws and the
// `exp` of cash-limited ad spend are vector passes through SLEEF's AVX-512 or AVX build (the scalar bits,
// core/portable_math.hpp); the rare work (the Exit stream of agents out of patience, a third or
// fourth winner in a month) runs lane by lane in scalar code between the passes. A unit test holds
// the kernel to step_agent.
#pragma once
#include <cstddef>
#include <cstdint>

#include "model/month_context.hpp"
#include "model/month_stats.hpp"
#include "model/population.hpp"
#include "rng/philox_batch.hpp"

namespace imersim {

/// Agents a block of the kernel covers (two blocks per batch of philox_first_blocks); KernelSums keeps
/// this many lanes. The AVX-512 build steps a block in one pass, the AVX2 build in two of 4 lanes.
inline constexpr int kBlockLanes = 8;

/// How the agent months run: `Avx512` = the block kernel built for x86-64 CPUs with AVX-512 F/DQ/VL/BW,
/// `Avx2` = the same kernel built for AVX2 (with BMI1 and POPCNT: Intel since 2013, AMD since 2015),
/// `Scalar` = step_agent for every agent (any CPU). The same bits whichever runs.
enum class BlockIsa : std::uint8_t { Scalar, Avx2, Avx512 };

[[nodiscard]] const char* block_isa_name(BlockIsa isa);
/// Whether this CPU runs `isa`.
[[nodiscard]] bool block_isa_supported(BlockIsa isa);
/// The fastest variant this CPU runs: avx512, else avx2, else scalar.
[[nodiscard]] BlockIsa block_isa_default_for_cpu();
/// The variant runs use: IMERSIM_KERNEL (scalar, avx2 or avx512) when set, else
/// block_isa_default_for_cpu(). Results are the same bits whichever is chosen; only the speed differs.
/// Throws InputError naming the variable when it names no variant or one this CPU cannot run.
[[nodiscard]] BlockIsa block_isa_default();

/// Whether the block kernel gives step_agent's results this month: no policy levers, at most 4 tests
/// a month (one Testing block), and a test success chance strictly between 0 and 1 at every skill
/// (each test then draws exactly one word). Otherwise every agent takes step_agent.
[[nodiscard]] bool block_kernel_applies(const MonthContext& c);

/// First blocks of a batch of kPhiloxLanes agents' streams, word-major (philox_first_words):
/// [k][l] = word k of lane l.
using BatchWords = std::uint32_t[4][kPhiloxLanes];

/// step_agent for the agent in slot `i`, lane `lane` of the batch whose first Shocks, Testing and
/// Winner blocks are given, then its tally into `st` (MonthStats::record). When `release`, a leaver's
/// slot is cleared now (Population::release_slot), as the kernel does: only in runs without policy
/// levers, which read leavers' slots at the end of the month.
void step_agent_of_batch(const MonthContext& c, Population& pop, std::size_t i, const BatchWords& shocks,
                         const BatchWords& testing, const BatchWords& winner, int lane, MonthStats& st, bool release);

/// The kernel's most frequent tallies kept lane by lane across blocks: per-block horizontal sums of
/// eight lanes cost about 2 % of the time. Sums of integers, so adding them into a
/// MonthStats once per run of blocks (fold_into) gives the same totals as adding every agent's.
struct alignas(64) KernelSums {
  /// Per-stage sums, kept for Hit-and-Runners and Survivors (the kernel's usual stages).
  enum Field : int { kRevenue, kAdSpend, kTestSpend, kWages, kProfit, kRunning, kStageFields };
  static constexpr int kStagesKept = 2;
  std::int64_t stage[kStagesKept][kStageFields][kBlockLanes] = {};
  std::int64_t tests[kBlockLanes] = {};
  std::int64_t new_products[kBlockLanes] = {};
  std::int64_t products_lost[kBlockLanes] = {};
  /// Adds every lane's sums into `st` and zeroes them.
  void fold_into(MonthStats& st);
};

/// The Philox purposes of an agent month, in the order their first blocks are computed together
/// (philox_first_words3): Shocks, Testing, Winner. Only agents that find a winner read the Winner
/// block (about half of them at steady state), but a batched block costs less than half a scalar
/// one, whose ten dependent rounds stall the agent.
inline constexpr std::uint32_t kMonthPurposes[3] = {static_cast<std::uint32_t>(Purpose::Shocks),
                                                    static_cast<std::uint32_t>(Purpose::Testing),
                                                    static_cast<std::uint32_t>(Purpose::Winner)};

/// Steps the agents in slots first .. last - 1 (a whole number of batches of kPhiloxLanes) one month,
/// batch by batch: the batch's first Shocks, Testing and Winner blocks (philox_first_words3), then,
/// with `isa` = Avx512 or Avx2, the kernel over its blocks of kBlockLanes (phase by phase over the
/// blocks of a group: two batches in the AVX-512 build, one in the AVX2 build) and step_agent for the
/// agents the kernel does not take; with Scalar, step_agent for every agent. Each live agent is tallied (as
/// MonthStats::record) into `st`, or, for the sums KernelSums keeps, into `sums` (fold them into `st`
/// before reading it), and a leaver's slot is cleared (as Population::release_slot does). For runs without
/// policy levers; a kernel only where block_isa_supported and block_kernel_applies. One call per range:
/// the population's array pointers and the month's constants stay in registers across blocks (a
/// call per block cost 12 %).
void step_batches(BlockIsa isa, const MonthContext& c, Population& pop, std::size_t first, std::size_t last,
                  MonthStats& st, KernelSums& sums);

/// The kernel's lane-wise conversions, for the unit tests that hold them to the scalar functions over
/// values a month's run seldom meets: for i < n (a multiple of kBlockLanes), idr[i] = the kernel's
/// to_idr(x[i]), code[i] = its demand_code(x[i]) and value[i] = its demand_value(code[i]). `isa` is
/// Avx512 or Avx2, and block_isa_supported.
void block_lane_conversions(BlockIsa isa, const double* x, std::int64_t* idr, std::uint16_t* code, double* value,
                            std::size_t n);

}  // namespace imersim
