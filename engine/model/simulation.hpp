// One replicate of the model: owns the population and the run state, advances it month by month.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "model/block_step.hpp"
#include "model/month_context.hpp"
#include "model/month_stats.hpp"
#include "model/population.hpp"
#include "params/params.hpp"

namespace imersim {

class PolicySet;
struct PolicySpecs;

class Simulation {
 public:
  /// `total_months` = burn-in + reported months (sizes the cohort tallies).
  /// `policies` (may be null or empty): the levers to run; their state lives in a PolicySet.
  Simulation(const Params& params, std::uint32_t replicate, const PolicySpecs* policies = nullptr);

  /// Advances one month: entry, every agent's phases (in parallel over agents), tallies.
  void step();

  [[nodiscard]] std::uint32_t month() const { return month_; }  ///< months completed
  [[nodiscard]] const Population& population() const { return pop_; }
  [[nodiscard]] Population& mutable_population() { return pop_; }
  [[nodiscard]] const MonthStats& stats() const { return stats_; }  ///< of the last completed month
  [[nodiscard]] std::int64_t alive() const { return stats_.population(); }
  [[nodiscard]] const Params& params() const { return params_; }
  [[nodiscard]] PolicySet* policy() const { return policy_.get(); }  ///< null without levers
  /// The agent-month kernel variant (block_isa_default() unless set): the same bits whichever it is.
  [[nodiscard]] BlockIsa block_isa() const { return isa_; }
  void set_block_isa(BlockIsa isa) { isa_ = isa; }
  /// The dead slots, ascending, that next month's newcomers take first (found at the end of each month).
  [[nodiscard]] const std::vector<std::size_t>& free_slots() const { return free_slots_; }

 private:
  /// free_slots_ = the dead slots, ascending.
  void collect_free_slots();

  Params params_;  // a frozen copy: the scenario is never written to
  Derived derived_;
  std::uint32_t replicate_;
  std::uint32_t month_ = 0;
  std::uint32_t next_id_ = 0;
  std::uint32_t total_months_;
  Population pop_;
  std::vector<std::size_t> free_slots_;
  MonthStats stats_;
  std::shared_ptr<PolicySet> policy_;  // null without levers
  BlockIsa isa_;
  friend class StateIo;                // saves and restores the run state (model/state_io.hpp)
};

}  // namespace imersim
