// Month loop of one replicate: entry, parallel agent phases with thread-local tallies, free slots.
#include "model/simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/error.hpp"
#include "model/block_step.hpp"
#include "model/phases/entry.hpp"
#include "policy/policy_set.hpp"
#include "rng/philox_batch.hpp"

namespace imersim {

namespace {
static_assert(kPhiloxLanes % kBlockLanes == 0, "a batch of first blocks feeds whole kernel blocks");
constexpr std::size_t kGrain = 4096;  // agents per task (a multiple of kPhiloxLanes); results do not depend on it
}

Simulation::Simulation(const Params& params, std::uint32_t replicate, const PolicySpecs* policies)
    : params_(params),
      derived_(params_),
      replicate_(replicate),
      total_months_(static_cast<std::uint32_t>(params.run_burn_in_months + params.run_months)),
      stats_(total_months_),
      isa_(block_isa_default()) {
  if (total_months_ > 65535)
    throw InputError("run", "run.burn_in_months + run.months must be at most 65535", "shorten the run");
  if (policies != nullptr && !policies->empty()) policy_ = std::make_shared<PolicySet>(*policies, params_);
  pop_.set_revenue_months(static_cast<int>(params_.stage_window));  // the ring holds the window's months only
}

void Simulation::step() {
  const MonthContext ctx{params_, derived_, static_cast<std::uint32_t>(params_.run_seed), replicate_, month_,
                         policy_ ? &policy_->effects() : nullptr};
  const std::int64_t entrants = phases::entrant_count(ctx);
  if (static_cast<std::uint64_t>(next_id_) + static_cast<std::uint64_t>(entrants) >= kPopulationAgent)
    throw Error("agent ids exhausted", "more than 4 billion agents entered one replicate",
                "lower entry.per_month or the number of months");
  phases::enter(ctx, pop_, entrants, next_id_, free_slots_, isa_ != BlockIsa::Scalar);
  if (policy_) policy_->begin_month(ctx, pop_);  // serial: payments, claims, enrolment, effects

  // Without policy levers, whole batches of agents go through step_batches: the block kernel when
  // the CPU has it and the month's parameters allow it, step_agent batch by batch otherwise.
  // Policy runs step every agent below (levers read leavers' slots at the end of the month).
  const bool batched = !policy_;
  const BlockIsa batch_isa = isa_ != BlockIsa::Scalar && block_kernel_applies(ctx) ? isa_ : BlockIsa::Scalar;
  // Burn-in months' histograms and cohort counts are never reported (model/recorder.hpp): not tallied.
  const bool distributions = static_cast<std::int64_t>(month_) >= params_.run_burn_in_months;
  tbb::enumerable_thread_specific<MonthStats> local([this, distributions] {
    MonthStats s(total_months_);
    s.distributions = distributions;
    return s;
  });
  // Tasks cover whole batches of kPhiloxLanes slots (range in batches; only the last batch may be
  // partial), so that every task's blocks start on a multiple of kPhiloxLanes.
  const std::size_t slots = pop_.slots();
  const std::size_t batch_count = (slots + kPhiloxLanes - 1) / kPhiloxLanes;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, batch_count, kGrain / kPhiloxLanes), [&](const auto& batches) {
    MonthStats& st = local.local();
    const tbb::blocked_range<std::size_t> range(batches.begin() * kPhiloxLanes, std::min(slots, batches.end() * kPhiloxLanes));
    std::size_t g = range.begin();
    // Whole batches of kPhiloxLanes go through step_batches (model/block_step.hpp); the end of the
    // slots (a partial batch), and every agent of a policy run, agent by agent below. The results are
    // the same bits either way.
    if (batched) {
      KernelSums sums;  // the kernel's lane sums, added into st at the end of the range
      const std::size_t whole = (range.end() - g) / kPhiloxLanes * kPhiloxLanes;
      step_batches(batch_isa, ctx, pop_, g, g + whole, st, sums);
      sums.fold_into(st);
      g += whole;
    }
    // Agents go in groups of kPhiloxLanes: the first Shocks, Testing and Winner blocks of the group are
    // computed together (the same words each agent's own stream would give), then each agent's month.
    // A leaver's slot is cleared at once unless policies may still read it at the end of the month.
    std::uint32_t ids[kPhiloxLanes];
    BatchWords shocks, testing, winner;  // word-major: [k][l] = word k of lane l
    for (; g < range.end(); g += kPhiloxLanes) {
      const std::size_t n = std::min<std::size_t>(kPhiloxLanes, range.end() - g);
      for (std::size_t l = 0; l < kPhiloxLanes; ++l) ids[l] = l < n ? pop_.id[g + l] : 0;
      philox_first_words3(ctx.seed, ctx.replicate, ids, ctx.month, kMonthPurposes, shocks, testing, winner);
      for (std::size_t l = 0; l < n; ++l)
        if (pop_.alive(g + l)) step_agent_of_batch(ctx, pop_, g + l, shocks, testing, winner, static_cast<int>(l), st, !policy_);
    }
  });
  stats_.clear();
  stats_.distributions = distributions;
  for (const auto& st : local) stats_.merge(st);  // integer sums: the order does not matter
  stats_.entries = entrants;
  if (month_ < total_months_) stats_.cohort_reached[month_ * std::size_t{kStages}] += entrants;
  if (policy_) policy_->end_month(ctx, pop_);  // serial: exits of members, ledgers

  collect_free_slots();
  if (free_slots_.size() > 4096 && free_slots_.size() * 2 > pop_.slots()) {  // mostly dead: stop scanning them
    if (policy_) policy_->compact(pop_);  // before the population: it reads the alive flags
    pop_.compact();
    free_slots_.clear();
  }
  ++month_;
}

namespace {
/// Bit j set where slot i + j (j < 16) is free: sixteen flags at a time (SSE2, in every x86-64 CPU).
inline unsigned free_bits16(const std::uint8_t* flags) {
#if defined(__SSE2__)
  const __m128i f = _mm_loadu_si128(reinterpret_cast<const __m128i*>(flags));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(f, _mm_set1_epi8(static_cast<char>(kAlive))), _mm_setzero_si128())));
#else
  unsigned bits = 0;
  for (unsigned j = 0; j < 16; ++j) bits |= (flags[j] & kAlive) == 0 ? 1u << j : 0u;
  return bits;
#endif
}

/// The free slots among begin .. end - 1 (sixteen flags at a time, then one step per free slot), in
/// ascending order to out[0...] when `out` is given; returns how many.
std::size_t free_slots_in(const std::uint8_t* flags, std::size_t begin, std::size_t end, std::size_t* out) {
  std::size_t i = begin, n = 0;
  if (out == nullptr) {
    for (; i + 16 <= end; i += 16) n += static_cast<std::size_t>(std::popcount(free_bits16(flags + i)));
  } else {
    for (; i + 16 <= end; i += 16)
      for (unsigned free = free_bits16(flags + i); free != 0; free &= free - 1) out[n++] = i + static_cast<std::size_t>(std::countr_zero(free));
  }
  for (; i < end; ++i) {
    if ((flags[i] & kAlive) != 0) continue;
    if (out != nullptr) out[n] = i;
    ++n;
  }
  return n;
}

#if defined(__x86_64__) && defined(__GNUC__)
/// free_slots_in with AVX-512 (F and BW; used when the AVX-512 kernel runs): 64 flags at a time, and
/// the free slots of every eight as one compress and one masked store, no branch per free slot (the
/// SSE2 loop's exit mispredicts once per sixteen slots: some two thirds of its time).
__attribute__((target("avx512f,avx512bw,bmi,popcnt"))) std::size_t free_slots_in_avx512(const std::uint8_t* flags, std::size_t begin,
                                                                                       std::size_t end, std::size_t* out) {
  const __m512i alive = _mm512_set1_epi8(static_cast<char>(kAlive));
  const __m512i step = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
  std::size_t i = begin, n = 0;
  for (; i + 64 <= end; i += 64) {
    const __mmask64 free = _mm512_testn_epi8_mask(_mm512_loadu_si512(flags + i), alive);
    if (out == nullptr) {
      n += static_cast<std::size_t>(std::popcount(static_cast<std::uint64_t>(free)));
      continue;
    }
    for (int j = 0; j < 64; j += 8) {
      const auto eight = static_cast<__mmask8>(static_cast<std::uint64_t>(free) >> j);
      const __m512i slots = _mm512_add_epi64(_mm512_set1_epi64(static_cast<long long>(i + static_cast<std::size_t>(j))), step);
      const int count = std::popcount(static_cast<unsigned>(eight));
      _mm512_mask_storeu_epi64(out + n, static_cast<__mmask8>((1u << count) - 1), _mm512_maskz_compress_epi64(eight, slots));
      n += static_cast<std::size_t>(count);
    }
  }
  return n + free_slots_in(flags, i, end, out == nullptr ? nullptr : out + n);
}
#endif
}  // namespace

void Simulation::collect_free_slots() {
  // Free slots in ascending order (entry fills them in that order), in two parallel passes over fixed
  // chunks: count each chunk's free slots, then write them at the chunk's place in the list (the
  // counts' prefix sums): the same list at any thread count. About one slot in six is free, in no
  // pattern a predictor could learn.
  constexpr std::size_t kChunk = 1 << 16;
  const std::size_t slots = pop_.slots();
  const std::size_t chunks = (slots + kChunk - 1) / kChunk;
  const std::uint8_t* const flags = pop_.flags.data();
  const auto scan = [avx512 = isa_ == BlockIsa::Avx512, flags](std::size_t begin, std::size_t end, std::size_t* out) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (avx512) return free_slots_in_avx512(flags, begin, end, out);
#else
    (void)avx512;
#endif
    return free_slots_in(flags, begin, end, out);
  };
  std::vector<std::size_t> start(chunks + 1, 0);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) { start[c + 1] = scan(c * kChunk, std::min(slots, (c + 1) * kChunk), nullptr); });
  for (std::size_t c = 0; c < chunks; ++c) start[c + 1] += start[c];
  free_slots_.resize(start[chunks]);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    (void)scan(c * kChunk, std::min(slots, (c + 1) * kChunk), free_slots_.data() + start[c]);
  });
}

}  // namespace imersim
