// One month's tallies over all agents. Every field is an integer count or sum (or an integer
// histogram), so per-thread tallies merge exactly and the result never depends on thread count.
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "analysis/log_histogram.hpp"
#include "core/stage.hpp"
#include "model/month_context.hpp"

namespace imersim {

struct MonthStats {
  using PerStage = std::array<std::int64_t, kStages>;
  std::int64_t entries = 0;
  PerStage stage_counts{};                                    ///< alive at the end of the month
  std::array<std::array<std::int64_t, kExitCauses>, kStages> exits{};  ///< [stage at exit][cause]
  std::array<PerStage, kStages> transitions{};                ///< [from][to], stage changes only
  PerStage running_products{};                                ///< products selling at month end
  PerStage revenue{};                                         ///< IDR, by stage at month end (exits included in the exit stage)
  PerStage ad_spend{};                                        ///< IDR
  PerStage test_spend{};                                      ///< IDR
  PerStage wages{};                                           ///< IDR
  PerStage profit{};                                          ///< IDR
  std::int64_t tests = 0;
  std::int64_t new_products = 0;
  std::int64_t products_lost = 0;
  std::int64_t blocked = 0;
  std::array<LogHistogram, kStages> revenue_hist;  ///< this month's revenue of alive agents, by stage
  std::array<LogHistogram, kStages> capital_hist;  ///< capital of alive agents, by stage
  std::vector<std::int64_t> cohort_alive;          ///< [entry month] alive at month end
  std::vector<std::int64_t> cohort_reached;        ///< [entry month * 5 + stage] first reached this month
  /// Whether revenue_hist, capital_hist and cohort_alive are tallied (record() and the block kernel).
  /// Simulation turns it off in burn-in months, which no output reports: their histograms and cohort
  /// counts stay empty (some 5 % of a month's time).
  bool distributions = true;

  explicit MonthStats(std::size_t months = 0) : cohort_alive(months, 0), cohort_reached(months * kStages, 0) {}
  void clear();
  void merge(const MonthStats& o);
  /// Tallies one agent after its month.
  void record(const AgentMonth& m, std::uint8_t stage, std::uint8_t old_max_stage, std::uint8_t max_stage,
              std::uint16_t entry_month, float capital);
  friend bool operator==(const MonthStats&, const MonthStats&) = default;
  [[nodiscard]] std::int64_t exits_total() const {
    std::int64_t n = 0;
    for (const auto& e : exits)
      for (auto c : e) n += c;
    return n;
  }
  [[nodiscard]] std::int64_t population() const {
    std::int64_t n = 0;
    for (auto c : stage_counts) n += c;
    return n;
  }
};

}  // namespace imersim
