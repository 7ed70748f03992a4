// One replicate of the model: owns the population and the run state, advances it month by month.
#pragma once
#include <cstdint>
#include <vector>

#include "model/month_context.hpp"
#include "model/month_stats.hpp"
#include "model/population.hpp"
#include "params/params.hpp"

namespace imersim {

class Simulation {
 public:
  /// `total_months` = burn-in + reported months (sizes the cohort tallies).
  Simulation(const Params& params, std::uint32_t replicate);

  /// Advances one month: entry, every agent's phases (in parallel over agents), tallies.
  void step();

  [[nodiscard]] std::uint32_t month() const { return month_; }  ///< months completed
  [[nodiscard]] const Population& population() const { return pop_; }
  [[nodiscard]] Population& mutable_population() { return pop_; }
  [[nodiscard]] const MonthStats& stats() const { return stats_; }  ///< of the last completed month
  [[nodiscard]] std::int64_t alive() const { return stats_.population(); }
  [[nodiscard]] const Params& params() const { return params_; }

 private:
  Params params_;  // a frozen copy: the scenario is never written to
  Derived derived_;
  std::uint32_t replicate_;
  std::uint32_t month_ = 0;
  std::uint32_t next_id_ = 0;
  std::uint32_t total_months_;
  Population pop_;
  std::vector<std::size_t> free_slots_;
  MonthStats stats_;
};

}  // namespace imersim
