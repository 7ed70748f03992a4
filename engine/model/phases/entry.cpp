// Entry phase implementation: how many newcomers, where they go, what they bring.
#include "model/phases/entry.hpp"

#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/portable_math.hpp"
#include "rng/lognormal.hpp"
#include "rng/philox_batch.hpp"

namespace imersim::phases {

namespace {
/// Starting capital is capped at 10^15 IDR (a thousand trillion rupiah). Only the far tail of the
/// widest allowed lognormal (entry.capital_median 10^12, entry.capital_sigma 5) reaches it; without the
/// cap such a draw could exceed int64 and the month's sums would overflow.
constexpr double kMaxEntryCapital = 1e15;
}  // namespace

std::int64_t entrant_count(const MonthContext& c) {
  const Params& p = c.p;
  std::int64_t n = 0;
  if (p.entry_per_month > 0) {
    if (p.entry_poisson) {
      Stream rng = c.stream(kPopulationAgent, Purpose::EntryCount);
      boost::random::poisson_distribution<std::int64_t, double> poisson(p.entry_per_month);
      n = poisson(rng);
    } else {
      n = std::llround(p.entry_per_month);
    }
  }
  if (c.month == 0) n += p.population_initial_agents;
  return n;
}

std::vector<std::size_t> enter(const MonthContext& c, Population& pop, std::int64_t count, std::uint32_t& next_id,
                               std::vector<std::size_t>& free_slots) {
  const Params& p = c.p;
  std::vector<std::size_t> used;
  used.reserve(static_cast<std::size_t>(count));
  std::size_t reuse = std::min<std::size_t>(free_slots.size(), static_cast<std::size_t>(count));
  used.assign(free_slots.begin(), free_slots.begin() + static_cast<std::ptrdiff_t>(reuse));
  free_slots.erase(free_slots.begin(), free_slots.begin() + static_cast<std::ptrdiff_t>(reuse));
  std::size_t old = pop.slots();
  std::size_t extra = static_cast<std::size_t>(count) - reuse;
  pop.resize(old + extra);
  for (std::size_t k = 0; k < extra; ++k) used.push_back(old + k);

  const double mu = p.entry_capital_median > 0 ? pmath::log(p.entry_capital_median) : 0.0;
  const std::uint32_t first_id = next_id;
  next_id += static_cast<std::uint32_t>(used.size());
  // Newcomer k has id first_id + k and draws only from its own stream, so filling the slots in
  // parallel gives the same population at any thread count.
  // The first EntryTraits block of kPhiloxLanes newcomers at a time is computed in one batch.
  // The capitals' exp runs once per batch too (pmath::exp_n: vector code, the scalar bits).
  const bool has_capital = p.entry_capital_median > 0;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, used.size(), 1024), [&](const auto& range) {
    std::uint32_t ids[kPhiloxLanes], traits[kPhiloxLanes][4];
    double log_capital[kPhiloxLanes];
    std::size_t slots[kPhiloxLanes];
    for (std::size_t k = range.begin(); k != range.end(); ++k) {
      const std::size_t lane = (k - range.begin()) % kPhiloxLanes;
      if (lane == 0) {
        for (std::size_t l = 0; l < kPhiloxLanes; ++l) ids[l] = static_cast<std::uint32_t>(first_id + k + l);
        philox_first_blocks(c.seed, c.replicate, ids, c.month, static_cast<std::uint32_t>(Purpose::EntryTraits), traits);
      }
      // Reused slots are scattered: ask for the lines the newcomer 16 places ahead writes now, so that
      // filling its slot does not wait on memory.
      if (k + 16 < range.end()) {
        const std::size_t ahead = used[k + 16];
        __builtin_prefetch(&pop.flags[ahead], 1, 3);
        __builtin_prefetch(&pop.id[ahead], 1, 3);
        __builtin_prefetch(&pop.capital[ahead], 1, 3);
        __builtin_prefetch(&pop.skill[ahead], 1, 3);
        __builtin_prefetch(&pop.entry_month[ahead], 1, 3);
      }
      const std::size_t slot = used[k];
      const auto id = static_cast<std::uint32_t>(first_id + k);
      Stream rng = c.stream(id, Purpose::EntryTraits, traits[lane]);
      // A reused slot keeps nothing of the agent that left it. Without policy levers the month loop
      // cleared it when its agent left (kCleared); any other dead slot is cleared here.
      if ((pop.flags[slot] & kCleared) == 0) pop.clear_slot(slot);
      pop.id[slot] = id;
      log_capital[lane] = has_capital ? log_of_lognormal(rng, mu, p.entry_capital_sigma) : 0.0;
      slots[lane] = slot;
      pop.skill[slot] = skill_fixed(p.entry_skill_min + (p.entry_skill_max - p.entry_skill_min) * rng.uniform());
      std::uint8_t flags = kAlive;
      if (rng.bernoulli(p.entry_supplier_access_share)) flags |= kSupplierAccess;
      if (rng.bernoulli(p.entry_whitelisted_share)) flags |= kWhitelisted;
      pop.flags[slot] = flags;
      pop.entry_month[slot] = static_cast<std::uint16_t>(c.month);
      if (lane + 1 == kPhiloxLanes || k + 1 == range.end()) {  // the batch's capitals
        double capital[kPhiloxLanes];
        pmath::exp_n(log_capital, capital, lane + 1);
        for (std::size_t l = 0; l <= lane; ++l)
          pop.capital[slots[l]] = has_capital ? to_idr(std::min(capital[l], kMaxEntryCapital)) : 0;
      }
    }
  });
  return used;
}

}  // namespace imersim::phases
