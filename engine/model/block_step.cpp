// The block kernel: step.hpp's phases as passes over kBlockLanes agents in GCC vector types, compiled
// twice under target attributes from one source (model/block_kernel.inc): for AVX-512 (F, DQ, VL, BW)
// and for AVX2. Runs use the widest the CPU has (checked at run time); on CPUs with neither, every
// agent takes step_agent.
//
// Why hand-written: the per-agent code spends its time on branches that depend on random draws and
// on the agent's state; no library vectorises a model. Why bit-identical: every operation below is
// an IEEE-754 add, multiply, divide, compare or conversion, which give the same bits in a vector
// lane as in scalar code (the file is compiled with -ffp-contract=off, so no fused multiply-add),
// done in the same order as step_agent's. Where step_agent draws a variable number of words (a
// Bernoulli draw with a probability in (0, 1) uses a word, one of 0 or 1 does not), each lane
// counts the words it has used and picks the next from the block by that count.
#include "model/block_step.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "core/avx2_convert.hpp"
#include "core/cpu.hpp"
#include "core/error.hpp"
#include "core/portable_math.hpp"
#include "model/month_stats.hpp"
#include "model/step.hpp"

// The vector types live only inside this file's always-inline helpers and are never passed across an
// external call, so GCC's note that a 64-byte vector argument's ABI differs without AVX-512 is moot.
#pragma GCC diagnostic ignored "-Wpsabi"

#if defined(__x86_64__) && defined(__GNUC__)
#define IMERSIM_BLOCK_KERNEL 1
#else
#define IMERSIM_BLOCK_KERNEL 0
#endif

namespace imersim {

namespace {

constexpr int W = kBlockLanes;

#if IMERSIM_BLOCK_KERNEL
namespace k512 {
#define IMERSIM_KERNEL_ISA 512
#include "model/block_kernel.inc"
#undef IMERSIM_KERNEL_ISA
}  // namespace k512

namespace k256 {
#define IMERSIM_KERNEL_ISA 256
#include "model/block_kernel.inc"
#undef IMERSIM_KERNEL_ISA
}  // namespace k256
#endif  // IMERSIM_BLOCK_KERNEL

void block_scalar(const MonthContext& c, Population& pop, std::size_t i0, const BatchWords& s, const BatchWords& t,
                  const BatchWords& w, int lane0, MonthStats& st) {
  for (int l = 0; l < W; ++l) {
    const std::size_t i = i0 + static_cast<std::size_t>(l);
    if (pop.alive(i)) step_agent_of_batch(c, pop, i, s, t, w, lane0 + l, st, true);
  }
}

}  // namespace

void KernelSums::fold_into(MonthStats& st) {
  const auto sum = [](std::int64_t(&lanes)[kBlockLanes]) {
    std::int64_t n = 0;
    for (auto& v : lanes) {
      n += v;
      v = 0;
    }
    return n;
  };
  st.tests += sum(tests);
  st.new_products += sum(new_products);
  st.products_lost += sum(products_lost);
  for (int s = 0; s < kStagesKept; ++s) {
    st.revenue[s] += sum(stage[s][kRevenue]);
    st.ad_spend[s] += sum(stage[s][kAdSpend]);
    st.test_spend[s] += sum(stage[s][kTestSpend]);
    st.wages[s] += sum(stage[s][kWages]);
    st.profit[s] += sum(stage[s][kProfit]);
    st.running_products[s] += sum(stage[s][kRunning]);
  }
}

void step_agent_of_batch(const MonthContext& c, Population& pop, std::size_t i, const BatchWords& shocks,
                         const BatchWords& testing, const BatchWords& winner, int lane, MonthStats& st, bool release) {
  const std::uint32_t s[4] = {shocks[0][lane], shocks[1][lane], shocks[2][lane], shocks[3][lane]};
  const std::uint32_t t[4] = {testing[0][lane], testing[1][lane], testing[2][lane], testing[3][lane]};
  const std::uint32_t w[4] = {winner[0][lane], winner[1][lane], winner[2][lane], winner[3][lane]};
  AgentMonth m;
  m.shocks_block = s;
  m.testing_block = t;
  m.winner_block = w;
  const std::uint8_t old_max = pop.max_stage[i];
  step_agent(c, pop, i, m);
  st.record(m, pop.stage[i], old_max, pop.max_stage[i], pop.entry_month[i], static_cast<float>(pop.capital[i]));
  if (m.exited && release) pop.release_slot(i);
}

const char* block_isa_name(BlockIsa isa) {
  switch (isa) {
    case BlockIsa::Avx512: return "avx512";
    case BlockIsa::Avx2: return "avx2";
    case BlockIsa::Scalar: break;
  }
  return "scalar";
}

bool block_isa_supported(BlockIsa isa) {
  if (isa == BlockIsa::Scalar) return true;
#if IMERSIM_BLOCK_KERNEL
  // What both targets (block_kernel.inc's IMERSIM_KERNEL_TARGET) have in common, then AVX-512's own
  // (core/cpu.hpp initialises the CPU data).
  const bool avx2 = cpu_has_avx2() && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
  if (isa == BlockIsa::Avx2) return avx2;
  return avx2 && cpu_has_avx512f() && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw");
#else
  return false;
#endif
}

BlockIsa block_isa_default_for_cpu() {
  for (BlockIsa isa : {BlockIsa::Avx512, BlockIsa::Avx2})
    if (block_isa_supported(isa)) return isa;
  return BlockIsa::Scalar;
}

BlockIsa block_isa_default() {
  const char* env = std::getenv("IMERSIM_KERNEL");
  if (env != nullptr && *env != '\0') {
    for (BlockIsa isa : {BlockIsa::Scalar, BlockIsa::Avx2, BlockIsa::Avx512}) {
      if (std::string(env) != block_isa_name(isa)) continue;
      if (!block_isa_supported(isa))
        throw InputError("IMERSIM_KERNEL", std::string("this CPU cannot run the '") + env + "' kernel",
                         std::string("unset IMERSIM_KERNEL for the fastest this CPU runs (") +
                             block_isa_name(block_isa_default_for_cpu()) + "), or set it to scalar");
      return isa;
    }
    throw InputError("IMERSIM_KERNEL", std::string("unknown kernel '") + env + "'",
                     "use scalar, avx2 or avx512, or unset it for the fastest this CPU runs");
  }
  return block_isa_default_for_cpu();
}

bool block_kernel_applies(const MonthContext& c) {
  const Params& p = c.p;
  if (c.policy != nullptr) return false;
  if (p.testing_max_tests_per_month > 4) return false;
  if (p.stage_window < 1 || p.stage_window > kMaxWindow) return false;
  // Success is linear in skill (0..1) times one of two bonuses: inside (0, 1) at the four corners
  // means inside at every skill, so each test draws exactly one word.
  for (double skill : {0.0, 1.0})
    for (double bonus : c.d.supplier_bonus) {
      const double success = (p.testing_success_base + p.testing_success_skill * skill) * bonus;
      if (!(success > 1e-9 && success < 1.0 - 1e-9)) return false;
    }
  return true;
}

void step_batches(BlockIsa isa, const MonthContext& c, Population& pop, std::size_t first, std::size_t last,
                  MonthStats& st, KernelSums& sums) {
#if IMERSIM_BLOCK_KERNEL
  if (isa == BlockIsa::Avx512) return k512::batches(c, pop, first, last, st, sums);
  if (isa == BlockIsa::Avx2) return k256::batches(c, pop, first, last, st, sums);
#else
  (void)sums;
#endif
  BatchWords shocks, testing, winner;
  for (std::size_t g = first; g < last; g += kPhiloxLanes) {
    philox_first_words3(c.seed, c.replicate, &pop.id[g], c.month, kMonthPurposes, shocks, testing, winner);
    for (int b = 0; b < kPhiloxLanes; b += W)
      block_scalar(c, pop, g + static_cast<std::size_t>(b), shocks, testing, winner, b, st);
  }
}

void block_lane_conversions(BlockIsa isa, const double* x, std::int64_t* idr, std::uint16_t* code, double* value,
                            std::size_t n) {
  if (n % W != 0 || isa == BlockIsa::Scalar || !block_isa_supported(isa))
    throw std::invalid_argument("block_lane_conversions: a multiple of kBlockLanes values, a kernel this CPU runs");
#if IMERSIM_BLOCK_KERNEL
  if (isa == BlockIsa::Avx512) return k512::lane_conversions(x, idr, code, value, n);
  return k256::lane_conversions(x, idr, code, value, n);
#else
  (void)x, (void)idr, (void)code, (void)value;
#endif
}

}  // namespace imersim
