// Population storage management.
#include "model/population.hpp"

namespace imersim {

void Population::resize(std::size_t n) {
  for_each_array([n](auto& v) { v.resize(n, {}); });
}

void Population::compact() {
  const std::vector<std::uint8_t> alive_flags = flags;
  for_each_array([&](auto& v) {
    std::size_t out = 0;
    for (std::size_t i = 0; i < v.size(); ++i)
      if (alive_flags[i] & kAlive) v[out++] = v[i];
    v.resize(out);
  });
}

}  // namespace imersim
