// Phase 0, entry (DOMAIN §1, open population): newcomers arrive each month with capital, skill,
// supplier access and whitelisting drawn from their own streams; they take dead slots first.
#pragma once
#include <cstdint>
#include <vector>

#include "model/month_context.hpp"
#include "model/population.hpp"
#include "rng/philox_batch.hpp"

namespace imersim::phases {

/// Number of newcomers this month: Poisson(entry.per_month) or its rounded value, plus the initial
/// population in month 0.
std::int64_t entrant_count(const MonthContext& c);

/// What a newcomer draws from its EntryTraits stream: the normal of its lognormal capital (0 when
/// entry.capital_median is 0; the capital is exp of it), its skill (skill_fixed) and its flags (kAlive,
/// kSupplierAccess, kWhitelisted).
struct EntrantDraws {
  double log_capital[kPhiloxLanes];
  std::uint16_t skill[kPhiloxLanes];
  std::uint8_t flags[kPhiloxLanes];
};

/// The draws of the kPhiloxLanes newcomers with ids first_id, first_id + 1, ... this month. With
/// `vector` and a CPU with AVX2 most lanes are drawn in vector passes, the rest (a normal that the
/// ziggurat does not accept at its first try, or more than four words in all) as the specification
/// does, one stream at a time; the same bits either way. Returns how many lanes took the scalar way
/// (for the unit test that holds the vector passes to the specification).
int entrant_draws(const MonthContext& c, std::uint32_t first_id, EntrantDraws& out, bool vector);
/// Whether entrant_draws has vector passes here: an x86-64 build with Boost 1.74 (whose normal they
/// repeat) on a CPU with AVX2.
bool entrant_draws_have_vector_passes();

/// Places `count` newcomers with ids next_id, next_id+1, ... into `free_slots` (ascending) and then
/// at the end of the arrays, their draws by entrant_draws (`vector` as there: the run's kernel is not
/// `scalar`). Returns the slots used, in id order.
std::vector<std::size_t> enter(const MonthContext& c, Population& pop, std::int64_t count, std::uint32_t& next_id,
                               std::vector<std::size_t>& free_slots, bool vector);

}  // namespace imersim::phases
