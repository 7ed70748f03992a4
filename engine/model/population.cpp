// Population storage management.
#include "model/population.hpp"

namespace imersim {

void Population::resize(std::size_t n) {
  id.resize(n, 0);
  capital.resize(n, 0);
  for (auto& r : revenue) r.resize(n, 0.0f);
  for (int k = 0; k < kSlots; ++k) {
    demand[k].resize(n, 0.0f);
    age[k].resize(n, 0);
    life[k].resize(n, 0);
  }
  skill.resize(n, 0);
  entry_month.resize(n, 0);
  stage.resize(n, 0);
  max_stage.resize(n, 0);
  dry_months.resize(n, 0);
  flags.resize(n, 0);
}

}  // namespace imersim
