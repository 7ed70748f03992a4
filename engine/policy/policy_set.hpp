// The levers of one replicate and their schedule: built from the frozen PolicySpecs, called by
// Simulation::step() around the parallel agent loop. Owns the per-agent policy state (an
// AgentTable indexed like the population slots), each lever's ledger and the effects the phases read.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "model/month_context.hpp"
#include "model/population.hpp"
#include "output/dataset.hpp"
#include "params/params.hpp"
#include "policy/agent_table.hpp"
#include "policy/effects.hpp"
#include "policy/lever.hpp"
#include "policy/ledger.hpp"
#include "policy/policy_spec.hpp"

namespace imersim {

class PolicySet {
 public:
  /// Levers of `specs` in PolicySpecs order; `p` gives the burn-in (lever months count from its end).
  PolicySet(const PolicySpecs& specs, const Params& p);

  /// Serial, after entry and before the agents' phases: sizes the state to the population, then per
  /// lever (registry first) settles members and enrols applicants within capacity and budget, then
  /// fills the effects.
  void begin_month(const MonthContext& c, Population& pop);
  /// Serial, after the agents' phases: handles members that exited (loan defaults), clears their
  /// rows, counts members, closes the month's ledgers (rows kept for reported months).
  void end_month(const MonthContext& c, Population& pop);
  /// Call right before Population::compact(): drops the rows of dead slots the same way.
  void compact(const Population& pop) { table_.compact(pop); }

  /// What the phases read this month.
  [[nodiscard]] const PolicyEffects& effects() const { return effects_; }
  /// Per-lever monthly datasets (policy_<lever>_<column>), lever extras, and the totals
  /// government_cost (outlay - income) and imer_cost (what Imers paid), over the reported months.
  [[nodiscard]] std::vector<Dataset> datasets() const;

  [[nodiscard]] const AgentTable& table() const { return table_; }
  [[nodiscard]] AgentTable& table() { return table_; }
  [[nodiscard]] const std::vector<std::unique_ptr<Lever>>& levers() const { return levers_; }
  [[nodiscard]] std::vector<Ledger>& ledgers() { return ledgers_; }
  [[nodiscard]] const std::vector<Ledger>& ledgers() const { return ledgers_; }

 private:
  void enrol(LeverMonth& mo, Lever& lever);
  [[nodiscard]] bool active(const Lever& lever, std::uint32_t month) const;

  std::int64_t burn_in_;
  AgentTable table_;
  std::vector<std::unique_ptr<Lever>> levers_;
  std::vector<Ledger> ledgers_;
  std::size_t registry_member_ = 0;
  bool has_registry_ = false;
  unsigned effect_kinds_ = 0;
  PolicyEffects effects_;
};

}  // namespace imersim
