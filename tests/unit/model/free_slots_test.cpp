// The dead slots the month loop hands to the next month's newcomers (Simulation::free_slots): every
// dead slot, ascending, whichever way they are found (the AVX-512 scan with the AVX-512 kernel, the
// SSE2 scan otherwise), across the scan's chunks of 65,536 slots and their ends.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "model/block_step.hpp"
#include "model/simulation.hpp"
#include "model_test_support.hpp"

namespace imersim {
namespace {

class FreeSlots : public test::KernelBuildTest {};
INSTANTIATE_TEST_SUITE_P(Builds, FreeSlots, ::testing::Values(BlockIsa::Scalar, BlockIsa::Avx2, BlockIsa::Avx512),
                         test::kernel_build_name);

TEST_P(FreeSlots, AreEveryDeadSlotAscending) {
  Params p = test::small_params();
  p.population_initial_agents = 150'001;  // three chunks, the last one partial and not a multiple of 64
  p.entry_per_month = 9'000;
  p.run_burn_in_months = 0;
  p.run_months = 6;
  Simulation sim(p, 0);
  sim.set_block_isa(GetParam());
  std::size_t seen = 0;
  for (int m = 0; m < 6; ++m) {
    sim.step();
    std::vector<std::size_t> dead;
    const Population& pop = sim.population();
    for (std::size_t i = 0; i < pop.slots(); ++i)
      if (!pop.alive(i)) dead.push_back(i);
    ASSERT_EQ(sim.free_slots(), dead) << "after month " << m;
    seen += dead.size();
  }
  EXPECT_GT(seen, 10'000u);  // agents left, and their slots were found
}

}  // namespace
}  // namespace imersim
