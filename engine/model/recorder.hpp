// Collects each month's tallies of one replicate into the monthly series and cohort tables that
// the HDF5 file holds (names, shapes and units: docs/outputs.md).
#pragma once
#include <array>
#include <cstdint>
#include <vector>

#include "model/month_stats.hpp"
#include "output/dataset.hpp"
#include "params/params.hpp"

namespace imersim {

/// Quantile levels reported for revenue and capital distributions.
inline constexpr std::array<double, 5> kQuantileLevels = {0.10, 0.25, 0.50, 0.75, 0.90};

class Recorder {
 public:
  explicit Recorder(const Params& p);
  /// Records the tallies of absolute month `month` (0-based). Burn-in months feed only the cohorts.
  void add(const MonthStats& s, std::uint32_t month);
  /// The replicate's datasets, in a fixed order.
  [[nodiscard]] std::vector<Dataset> datasets() const;
  /// Mean share of each stage over the reported months (fraction of the population).
  [[nodiscard]] std::array<double, kStages> mean_shares() const;
  /// Stage counts at the last recorded month.
  [[nodiscard]] std::array<std::int64_t, kStages> last_counts() const;

 private:
  std::uint32_t burn_in_, months_;
  std::uint32_t recorded_ = 0;
  std::vector<Dataset> series_;  // monthly series, filled as months arrive
  std::vector<std::int64_t> cohort_size_, cohort_reached_, cohort_survival_;
  Dataset& series(std::size_t k) { return series_[k]; }
};

}  // namespace imersim
