// Builds the per-agent snapshot datasets from the population arrays.
#include "model/snapshot.hpp"

#include <string>

#include "model/phases/testing.hpp"

namespace imersim {

std::vector<Dataset> snapshot_datasets(const Population& pop) {
  std::vector<std::size_t> alive;
  for (std::size_t i = 0; i < pop.slots(); ++i)
    if (pop.alive(i)) alive.push_back(i);
  auto column = [&](std::string name, std::string unit, std::string desc, auto get) {
    Dataset d{std::move(name), {alive.size()}, {"agent"}, std::move(unit), std::move(desc), true, {}, {}};
    for (auto i : alive) d.ints.push_back(static_cast<std::int64_t>(get(i)));
    return d;
  };
  std::vector<Dataset> out;
  out.push_back(column("id", "", "Agent id (keys its random streams).", [&](auto i) { return pop.id[i]; }));
  out.push_back(column("capital", "IDR", "Capital at the end of the run.", [&](auto i) { return pop.capital[i]; }));
  out.push_back(column("stage", "stage", "Stage index (see /meta/stages).", [&](auto i) { return pop.stage[i]; }));
  out.push_back(column("max_stage", "stage", "Highest stage ever reached.", [&](auto i) { return pop.max_stage[i]; }));
  out.push_back(column("entry_month", "month", "Absolute month of entry (burn-in included).", [&](auto i) { return pop.entry_month[i]; }));
  out.push_back(column("running_products", "product", "Products selling.", [&](auto i) { return phases::running_products(pop, i); }));
  out.push_back(column("dry_months", "month", "Months in a row without a selling product.", [&](auto i) { return pop.dry_months[i]; }));
  out.push_back(column("flags", "bits", "1 alive, 2 supplier access, 4 whitelisted, 8 brand owner.", [&](auto i) { return pop.flags[i]; }));
  Dataset skill{"skill", {alive.size()}, {"agent"}, "0..1", "Skill at finding winners.", false, {}, {}};
  for (auto i : alive) skill.reals.push_back(skill_value(pop.skill[i]));
  out.push_back(std::move(skill));
  return out;
}

}  // namespace imersim
