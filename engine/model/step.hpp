// THE MONTH. Entry first (population level), then every agent runs these phases in this order,
// reading only its own state and the frozen parameters (a synchronous update: no shuffling, no
// dependence on other agents), then the recorder tallies the month.
#pragma once
#include "model/month_context.hpp"
#include "model/phases/exit.hpp"
#include "model/phases/money.hpp"
#include "model/phases/selling.hpp"
#include "model/phases/shocks.hpp"
#include "model/phases/stage.hpp"
#include "model/phases/testing.hpp"
#include "model/population.hpp"

namespace imersim {

/// The names of the agent phases, in order (for docs and progress output).
inline constexpr const char* kAgentPhases[] = {"shocks", "testing", "selling", "money", "stage", "exit"};

/// One agent's month.
inline void step_agent(const MonthContext& c, Population& pop, std::size_t i, AgentMonth& m) {
  phases::shocks(c, pop, i, m);   // blocked account, lost suppliers, counterfeits, regulation
  phases::testing(c, pop, i, m);  // test products (or launch brand products) into free slots
  phases::selling(c, pop, i, m);  // ad spend -> revenue along each product's lifecycle; products age
  phases::money(c, pop, i, m);    // margin, fees, costs, wages; capital carries the profit
  phases::stage(c, pop, i, m);    // average revenue over the window -> stage
  phases::exit(c, pop, i, m);     // bankruptcy, discouraged quitting or leaving for outside reasons
}

}  // namespace imersim
