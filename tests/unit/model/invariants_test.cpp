// Model invariants: conservation, no winners without success, winners expire in time, thread invariance.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "model/recorder.hpp"
#include "model/simulation.hpp"
#include "model_test_support.hpp"

namespace imersim {
namespace {

const Dataset& find(const std::vector<Dataset>& ds, const std::string& name) {
  for (const auto& d : ds)
    if (d.name == name) return d;
  throw std::runtime_error("no dataset " + name);
}

TEST(Model, PopulationIsConservedEveryMonth) {
  Params p = test::small_params();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  Simulation sim(p, 0);
  std::int64_t previous = 0;
  for (int m = 0; m < 60; ++m) {
    sim.step();
    const auto& s = sim.stats();
    std::int64_t alive = 0;
    for (std::size_t i = 0; i < sim.population().slots(); ++i) alive += sim.population().alive(i);
    ASSERT_EQ(alive, s.population()) << "month " << m;
    ASSERT_EQ(previous + s.entries - s.exits_total(), s.population()) << "month " << m;
    std::int64_t by_stage = 0;
    for (auto c : s.stage_counts) by_stage += c;
    ASSERT_EQ(by_stage, alive);
    previous = s.population();
  }
  EXPECT_GT(previous, 0);
}

// The revenue and capital histograms and the cohort counts are tallied in reported months only
// (MonthStats::distributions): empty in burn-in months, one count per agent alive after, under
// every kernel.
TEST(Model, DistributionsAreTalliedInReportedMonthsOnly) {
  Params p = test::small_params();  // 24 burn-in + 36 reported months
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  for (BlockIsa isa : {BlockIsa::Scalar, BlockIsa::Avx2, BlockIsa::Avx512}) {
    if (!block_isa_supported(isa)) continue;
    SCOPED_TRACE(block_isa_name(isa));
    Simulation sim(p, 0);
    sim.set_block_isa(isa);
    for (int m = 0; m < 30; ++m) {
      sim.step();
      const auto& s = sim.stats();
      const bool reported = m >= p.run_burn_in_months;
      ASSERT_EQ(s.distributions, reported) << "month " << m;
      std::uint64_t revenue = 0, capital = 0;
      for (int k = 0; k < kStages; ++k) {
        revenue += s.revenue_hist[static_cast<std::size_t>(k)].total();
        capital += s.capital_hist[static_cast<std::size_t>(k)].total();
      }
      std::int64_t cohorts = 0;
      for (auto c : s.cohort_alive) cohorts += c;
      const auto expected = reported ? static_cast<std::uint64_t>(s.population()) : 0u;
      ASSERT_EQ(revenue, expected) << "month " << m;
      ASSERT_EQ(capital, expected) << "month " << m;
      ASSERT_EQ(static_cast<std::uint64_t>(cohorts), expected) << "month " << m;
    }
  }
}

TEST(Model, NewcomersTakeTheFreeSlotsInAscendingOrder) {
  // A month's newcomers have consecutive ids and fill the slots dead at the end of the last month
  // from the lowest up (the free-slot scan reads sixteen flags at a time: the order must not depend on
  // that), then the slots appended past the end. A newcomer can leave in its first month: its slot is
  // then dead again, id 0.
  Params p = test::small_params();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  Simulation sim(p, 0);
  int checked = 0;
  for (int m = 0; m < 30; ++m) {
    std::vector<std::size_t> dead;
    const std::size_t slots_before = sim.population().slots();
    for (std::size_t i = 0; i < slots_before; ++i)
      if (!sim.population().alive(i)) dead.push_back(i);
    sim.step();
    const Population& pop = sim.population();
    const auto entries = static_cast<std::size_t>(sim.stats().entries);
    std::vector<std::size_t> filled(dead.begin(), dead.begin() + static_cast<std::ptrdiff_t>(std::min(entries, dead.size())));
    for (std::size_t i = slots_before; i < pop.slots(); ++i) filled.push_back(i);  // appended
    ASSERT_EQ(filled.size(), entries) << "month " << m;
    std::int64_t base = -1;  // id of newcomer 0, from any newcomer still alive
    for (std::size_t k = 0; k < filled.size(); ++k) {
      const std::size_t i = filled[k];
      if (!pop.alive(i)) {
        EXPECT_EQ(pop.id[i], 0u) << "month " << m << " slot " << i;
        continue;
      }
      const std::int64_t b = static_cast<std::int64_t>(pop.id[i]) - static_cast<std::int64_t>(k);
      if (base < 0) base = b;
      ASSERT_EQ(b, base) << "month " << m << ": newcomer " << k << " is not in the " << k << "th free slot";
      ++checked;
    }
    for (std::size_t k = std::min(entries, dead.size()); k < dead.size(); ++k)
      ASSERT_FALSE(pop.alive(dead[k])) << "month " << m << ": free slot " << dead[k] << " past the newcomers holds one";
  }
  EXPECT_GT(checked, 1000);
}

TEST(Model, NoSuccessMeansNoWinnersAndEveryoneLeaves) {
  Params p = test::small_params();
  p.testing_success_base = 0;
  p.testing_success_skill = 0;
  p.entry_per_month = 0;
  p.population_initial_agents = 3000;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  Simulation sim(p, 0);
  for (int m = 0; m < 120 && (m == 0 || sim.alive() > 0); ++m) {
    sim.step();
    ASSERT_EQ(sim.stats().new_products, 0);
    for (auto r : sim.stats().running_products) ASSERT_EQ(r, 0);
  }
  EXPECT_EQ(sim.alive(), 0) << "agents without winners must eventually exit";
}

TEST(Model, WinnersExpireWithinTheirDrawnLifetime) {
  Params p = test::small_params();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
  Simulation sim(p, 0);
  std::int64_t seen = 0;
  for (int m = 0; m < 48; ++m) {
    // After every month, each running product of a non-brand agent has a drawn life of 1-3 months
    // and has not outlived it.
    sim.step();
    const auto& pop = sim.population();
    for (std::size_t i = 0; i < pop.slots(); ++i) {
      if (!pop.alive(i) || (pop.flags[i] & kBrandOwner)) continue;
      for (int k = 0; k < kSlots; ++k) {
        if (pop.demand[k][i] == 0) continue;
        ++seen;
        ASSERT_GE(pop.life[k][i], 1);
        ASSERT_LE(pop.life[k][i], 3) << "a winner lives 1-3 months";
        ASSERT_LT(pop.age[k][i], pop.life[k][i]) << "a product past its life must have expired";
      }
    }
  }
  EXPECT_GT(seen, 1000);
}

void expect_bitwise_equal(const RunResult& a, const RunResult& b) {
  ASSERT_EQ(a.output.replicates.size(), b.output.replicates.size());
  for (std::size_t r = 0; r < a.output.replicates.size(); ++r) {
    const auto& da = a.output.replicates[r];
    const auto& db = b.output.replicates[r];
    ASSERT_EQ(da.size(), db.size());
    for (std::size_t k = 0; k < da.size(); ++k) {
      ASSERT_EQ(da[k].name, db[k].name);
      ASSERT_EQ(da[k].ints, db[k].ints) << da[k].name;
      ASSERT_EQ(da[k].reals.size(), db[k].reals.size()) << da[k].name;
      if (!da[k].reals.empty()) {  // memcmp must not see the null data() of an empty vector
        EXPECT_EQ(0, std::memcmp(da[k].reals.data(), db[k].reals.data(), da[k].reals.size() * sizeof(double)))
            << da[k].name << " differs bitwise";
      }
    }
  }
}

TEST(Model, BitwiseIdenticalAt1_2_3_And8Threads) {
  Params p = test::small_params();
  const RunResult one = test::run_with_threads(p, 1, 2);
  for (int t : {2, 3, 8}) {
    SCOPED_TRACE(t);
    expect_bitwise_equal(one, test::run_with_threads(p, t, 2));
  }
  // And the run is not trivial: agents reached Survivor.
  const auto& counts = find(one.output.replicates[0], "stage_counts");
  std::int64_t survivors = 0;
  for (std::size_t k = 1; k < counts.ints.size(); k += kStages) survivors += counts.ints[k];
  EXPECT_GT(survivors, 0);
}

TEST(Model, ReplicatesDifferAndSeedsReproduce) {
  Params p = test::small_params();
  const RunResult a = test::run_with_threads(p, 2, 2);
  EXPECT_NE(find(a.output.replicates[0], "gmv").ints, find(a.output.replicates[1], "gmv").ints);
  // Replicates run side by side but come back in order: replicate 1 of the pair is replicate 1 run alone.
  {
    tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 2);
    const RunResult alone = run_replicates(p, 1, 1);
    EXPECT_EQ(find(a.output.replicates[1], "gmv").ints, find(alone.output.replicates[0], "gmv").ints);
    EXPECT_EQ(find(a.output.replicates[1], "stage_counts").ints, find(alone.output.replicates[0], "stage_counts").ints);
  }
  p.run_seed += 1;
  const RunResult b = test::run_with_threads(p, 2, 1);
  EXPECT_NE(find(a.output.replicates[0], "gmv").ints, find(b.output.replicates[0], "gmv").ints);
}

}  // namespace
}  // namespace imersim
