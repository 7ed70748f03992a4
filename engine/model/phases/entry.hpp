// Phase 0, entry (DOMAIN §1, open population): newcomers arrive each month with capital, skill,
// supplier access and whitelisting drawn from their own streams; they take dead slots first.
#pragma once
#include <cstdint>
#include <vector>

#include "model/month_context.hpp"
#include "model/population.hpp"

namespace imersim::phases {

/// Number of newcomers this month: Poisson(entry.per_month) or its rounded value, plus the initial
/// population in month 0.
std::int64_t entrant_count(const MonthContext& c);

/// Places `count` newcomers with ids next_id, next_id+1, ... into `free_slots` (ascending) and then
/// at the end of the arrays. Returns the slots used, in id order.
std::vector<std::size_t> enter(const MonthContext& c, Population& pop, std::int64_t count, std::uint32_t& next_id,
                               std::vector<std::size_t>& free_slots);

}  // namespace imersim::phases
