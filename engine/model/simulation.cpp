// Month loop of one replicate: entry, parallel agent phases with thread-local tallies, free slots.
#include "model/simulation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <bit>
#if defined(__SSE2__)
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
  tbb::enumerable_thread_specific<MonthStats> local([this] { return MonthStats(total_months_); });
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

void Simulation::collect_free_slots() {
  // Free slots in ascending order (entry fills them in that order), found in fixed chunks in parallel
  // and joined in chunk order: the same list at any thread count. The scan has no branch per slot:
  // about one slot in six is free, in no pattern a predictor could learn (a branch per free slot,
  // in the SSE2 loop, is taken by 16 slots at once).
  constexpr std::size_t kChunk = 1 << 16;
  const std::size_t slots = pop_.slots();
  const std::size_t chunks = (slots + kChunk - 1) / kChunk;
  tbb::enumerable_thread_specific<std::vector<std::size_t>> scratch([] { return std::vector<std::size_t>(kChunk); });
  std::vector<std::vector<std::size_t>> found(chunks);
  tbb::parallel_for(std::size_t{0}, chunks, [&](std::size_t c) {
    std::vector<std::size_t>& buf = scratch.local();
    const std::size_t end = std::min(slots, (c + 1) * kChunk);
    std::size_t n = 0;
    std::size_t i = c * kChunk;
#if defined(__SSE2__)
    // Sixteen flags at a time (SSE2, in every x86-64 CPU): a bit mask of the free slots, then one
    // step per free slot rather than one per slot.
    const __m128i alive_bit = _mm_set1_epi8(static_cast<char>(kAlive));
    for (; i + 16 <= end; i += 16) {
      const __m128i flags = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&pop_.flags[i]));
      auto free = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(flags, alive_bit), _mm_setzero_si128())));
      for (; free != 0; free &= free - 1) buf[n++] = i + static_cast<std::size_t>(std::countr_zero(free));
    }
#endif
    for (; i < end; ++i) {
      buf[n] = i;  // kept only if slot i is free
      n += pop_.alive(i) ? 0 : 1;
    }
    found[c].assign(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(n));
  });
  free_slots_.clear();
  for (const auto& f : found) free_slots_.insert(free_slots_.end(), f.begin(), f.end());
}

}  // namespace imersim
