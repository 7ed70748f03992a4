// Population storage management.
#include "model/population.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <type_traits>

#include "core/error.hpp"

namespace imersim {

void Population::set_revenue_months(int months) {
  if (months < 1 || months > kMaxWindow)
    throw InvariantError(fmt::format("revenue ring of {} months (1 to {})", months, kMaxWindow));
  if (slots() != 0) throw InvariantError("the revenue ring's length changed while agents were in the population");
  revenue_months_ = months;
  for (int k = months; k < kMaxWindow; ++k) Column<float>().swap(revenue[static_cast<std::size_t>(k)]);
}

void Population::resize(std::size_t n) {
  for_each_array([n](auto& v) { v.resize(n, {}); });
}

void Population::compact() {
  std::vector<std::size_t> keep;  // live slots, ascending
  for (std::size_t i = 0; i < flags.size(); ++i)
    if (flags[i] & kAlive) keep.push_back(i);
  // Gather each array into a fresh one; the gather is parallel (keep[j] >= j, but in place a later
  // chunk could be overwritten before it is read, so it goes through a copy).
  for_each_array([&](auto& v) {
    std::remove_reference_t<decltype(v)> out(keep.size());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, keep.size(), 16384), [&](const auto& r) {
      for (std::size_t j = r.begin(); j != r.end(); ++j) out[j] = v[keep[j]];
    });
    v.swap(out);
  });
}

}  // namespace imersim
