// The population's storage: the revenue ring holds the stage window's months only, and the arrays it
// does not use stay unallocated wherever the population grows, shrinks or is cleared.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "model/population.hpp"
#include "model/simulation.hpp"
#include "params/params.hpp"

namespace imersim {
namespace {

TEST(Population, RevenueRingHoldsTheWindowsMonthsOnly) {
  for (int window = 1; window <= kMaxWindow; ++window) {
    Population pop;
    pop.set_revenue_months(window);
    pop.resize(100);
    pop.flags[7] = kAlive;
    pop.compact();
    pop.resize(50);
    pop.clear_slot(3);
    for (int k = 0; k < kMaxWindow; ++k) {
      EXPECT_EQ(pop.revenue[static_cast<std::size_t>(k)].size(), k < window ? 50u : 0u) << "window " << window;
      if (k >= window) {
        EXPECT_EQ(pop.revenue[static_cast<std::size_t>(k)].capacity(), 0u) << "window " << window;
      }
    }
    // id 4, capital 8, 4 bytes per ring month, 4 slots of demand (2), age (1) and life (1), skill 2,
    // entry month 2, stage, highest stage, dry months and flags 1 each.
    EXPECT_EQ(pop.bytes_per_agent(), 36u + 4u * static_cast<std::size_t>(window)) << "window " << window;
  }
  EXPECT_EQ(Population().bytes_per_agent(), 52u);  // never set: the longest window
}

TEST(Population, TheLayoutListsEveryRingMonthWhateverTheWindow) {
  Population pop;
  pop.set_revenue_months(2);
  pop.resize(10);
  int arrays = 0, in_use = 0, layout = 0, unused_ring = 0;
  pop.for_each_array([&](auto&) { ++arrays; });
  pop.for_each_layout_array([&](auto& v, bool used) {
    ++layout;
    in_use += used;
    if (!used) {
      EXPECT_TRUE(v.empty());
      ++unused_ring;
    }
  });
  EXPECT_EQ(arrays, in_use);
  EXPECT_EQ(unused_ring, kMaxWindow - 2);
  EXPECT_EQ(layout, arrays + kMaxWindow - 2);
}

TEST(Population, ShorteningTheRingFreesTheMonthsBeyondIt) {
  Population pop;
  pop.resize(10);
  pop.resize(0);  // empty again, but the four ring months hold memory
  ASSERT_GT(pop.revenue[3].capacity(), 0u);
  pop.set_revenue_months(2);
  EXPECT_GT(pop.revenue[1].capacity(), 0u);
  EXPECT_EQ(pop.revenue[2].capacity(), 0u);
  EXPECT_EQ(pop.revenue[3].capacity(), 0u);
}

TEST(Population, ASimulationSizesTheRingByItsStageWindow) {
  Params p;  // the defaults: a 3-month window
  EXPECT_EQ(Simulation(p, 0).population().revenue_months(), 3);
  EXPECT_EQ(Simulation(p, 0).population().bytes_per_agent(), 48u);
  p.stage_window = 2;
  Simulation sim(p, 0);
  EXPECT_EQ(sim.population().revenue_months(), 2);
  EXPECT_EQ(sim.population().bytes_per_agent(), 44u);
  p.population_initial_agents = 100;
  Simulation grown(p, 0);
  grown.step();
  EXPECT_EQ(grown.population().revenue[1].size(), grown.population().slots());
  EXPECT_GT(grown.population().slots(), 0u);
  EXPECT_TRUE(grown.population().revenue[2].empty());
}

TEST(Population, TheRingCannotChangeUnderAgentsOrLeaveItsRange) {
  Population pop;
  EXPECT_THROW(pop.set_revenue_months(0), InvariantError);
  EXPECT_THROW(pop.set_revenue_months(kMaxWindow + 1), InvariantError);
  pop.resize(1);
  EXPECT_THROW(pop.set_revenue_months(2), InvariantError);
  EXPECT_EQ(pop.revenue_months(), kMaxWindow);
}

// The widest starting capital the parameters allow (median 10^12 IDR, log-sd 5) draws values beyond
// int64 in its tail; they are capped at 10^15 IDR, so the month's money stays in range (the UBSan
// build of CI aborts on a signed overflow).
TEST(Population, ExtremeStartingCapitalIsCapped) {
  Params p;
  p.entry_per_month = 2000;
  p.entry_capital_median = 1e12;
  p.entry_capital_sigma = 5;
  p.run_burn_in_months = 0;
  p.run_months = 6;
  Simulation sim(p, 0);
  std::int64_t top = 0;
  for (int m = 0; m < 6; ++m) {
    sim.step();
    for (std::size_t i = 0; i < sim.population().slots(); ++i)
      if (sim.population().alive(i)) top = std::max(top, sim.population().capital[i]);
  }
  EXPECT_GT(top, std::int64_t{900'000'000'000'000});  // some drew beyond the cap: the test reaches it
  EXPECT_LE(top, std::int64_t{2'000'000'000'000'000});  // the cap plus a few months' profit, far from 2^63
}

TEST(DemandCode, ZeroIsNoProductAndEveryPositiveDemandKeepsItsSlot) {
  EXPECT_EQ(demand_code(0.0), 0);
  EXPECT_EQ(demand_code(-5.0), 0);
  EXPECT_EQ(demand_code(std::nan("")), 0);
  EXPECT_EQ(demand_value(0), 0.0);
  EXPECT_EQ(demand_code(1e-300), 1);  // below the smallest code: the smallest, never "empty"
  EXPECT_EQ(demand_code(0.5), 1);
  EXPECT_EQ(demand_value(1), 0.5 * (1 + 1.0 / 1024));
  EXPECT_EQ(demand_code(1e300), 65535);  // above the largest: the largest
  EXPECT_EQ(demand_code(std::numeric_limits<double>::infinity()), 65535);
  EXPECT_EQ(demand_value(65535), std::ldexp(2.0 - 1.0 / 1024, 62));
}

TEST(DemandCode, EveryCodeRoundTripsAndValuesRiseWithCodes) {
  double last = 0;
  for (int c = 1; c <= 65535; ++c) {
    const auto code = static_cast<std::uint16_t>(c);
    const double v = demand_value(code);
    ASSERT_EQ(demand_code(v), code) << c;
    ASSERT_EQ(static_cast<double>(static_cast<float>(v)), v) << "a float holds it: " << c;
    ASSERT_GT(v, last) << c;
    last = v;
  }
}

TEST(DemandCode, RoundsToTheNearestCodeWithin0049Percent) {
  EXPECT_EQ(demand_value(demand_code(20'000'000)), 20'004'864.0);  // 1.1923 x 2^24 -> 1221/1024 x 2^24
  EXPECT_EQ(demand_value(demand_code(20'971'520)), 20'971'520.0);  // 1.25 x 2^24: exact
  EXPECT_EQ(demand_value(demand_code(1.0)), 1.0);
  // Halfway between 1 and the next code (1 + 1/1024) rounds up; just below it rounds down.
  EXPECT_EQ(demand_value(demand_code(1.0 + 0.5 / 1024)), 1.0 + 1.0 / 1024);
  EXPECT_EQ(demand_value(demand_code(std::nextafter(1.0 + 0.5 / 1024, 0.0))), 1.0);
  std::uint64_t x = 0x9E3779B97F4A7C15u;
  for (int n = 0; n < 100000; ++n) {  // demands of 1 IDR to 1e13 (winners.potential_cap's limit)
    x = x * 6364136223846793005u + 1442695040888963407u;
    const double d = std::pow(10.0, 13.0 * static_cast<double>(x >> 11) * 0x1p-53);
    const double stored = demand_value(demand_code(d));
    ASSERT_LE(std::abs(stored - d), std::ldexp(d, -11)) << d;
    // the nearest code: neither neighbour is closer
    const auto c = demand_code(d);
    ASSERT_LE(std::abs(stored - d), std::abs(demand_value(static_cast<std::uint16_t>(c + 1)) - d)) << d;
    ASSERT_LE(std::abs(stored - d), std::abs(demand_value(static_cast<std::uint16_t>(c - 1)) - d)) << d;
  }
}

}  // namespace
}  // namespace imersim
