// evaluate_fit on hand-made replicate outcomes: means, intervals, relative errors, PASS/FAIL, the
// log-share chi-square and the datasets written to HDF5.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "analysis/outcomes.hpp"
#include "core/error.hpp"
#include "experiment/validate.hpp"

namespace imersim {
namespace {

/// Outcome rows whose stage shares are `shares` (other outcomes 0).
std::vector<double> row(const std::array<double, kStages>& shares) {
  std::vector<double> r(outcome_specs().size(), 0.0);
  for (int s = 0; s < kStages; ++s) r[static_cast<std::size_t>(s)] = shares[static_cast<std::size_t>(s)];
  return r;
}

TargetSet funnel() { return load_targets(std::filesystem::path(IMERSIM_SOURCE_DIR) / "configs/targets/funnel.yaml"); }

TEST(EvaluateFit, ExactTargetsPassWithZeroObjective) {
  const auto t = funnel();
  const std::vector<std::vector<double>> rows = {row({0.95, 0.045, 0.004, 0.0006, 0.00007}),
                                                 row({0.95, 0.045, 0.004, 0.0006, 0.00007})};
  const FitReport r = evaluate_fit(t, rows);
  EXPECT_TRUE(r.pass());
  EXPECT_EQ(r.passed(), 5);
  EXPECT_NEAR(r.objective, 0.0, 1e-20);
  EXPECT_NEAR(r.aitchison, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(r.fits[1].sim.low, 0.045);  // no spread, zero-width interval
}

TEST(EvaluateFit, RelativeErrorsDecidePassAndFailPerTarget) {
  const auto t = funnel();
  // Survivor 4 % off (passes 5 %), Pioneer 6 % off (fails 5 %), Rising 14 % off (passes 15 %),
  // Challenger empty (fails, z at the floor).
  const std::vector<std::vector<double>> rows = {row({0.95, 0.045 * 1.03, 0.004 * 1.05, 0.0006 * 1.13, 0}),
                                                 row({0.95, 0.045 * 1.05, 0.004 * 1.07, 0.0006 * 1.15, 0})};
  const FitReport r = evaluate_fit(t, rows);
  EXPECT_TRUE(r.fits[0].pass);
  EXPECT_NEAR(r.fits[1].relative_error, 0.04, 1e-12);
  EXPECT_TRUE(r.fits[1].pass);
  EXPECT_NEAR(r.fits[2].relative_error, 0.06, 1e-12);
  EXPECT_FALSE(r.fits[2].pass);
  EXPECT_TRUE(r.fits[3].pass);
  EXPECT_FALSE(r.fits[4].pass);
  EXPECT_DOUBLE_EQ(r.fits[4].relative_error, -1.0);
  EXPECT_FALSE(r.pass());
  EXPECT_EQ(r.passed(), 3);
  double sum = 0;
  for (const auto& f : r.fits) sum += f.z * f.z;
  EXPECT_DOUBLE_EQ(r.objective, sum);
  EXPECT_NEAR(r.fits[4].z, std::log(1e-7 / 0.00007) / std::log(1.15), 1e-12);
  // The 95 % interval of two replicates: mean ± t(0.975, 1) · sd / √2 with t = 12.7062.
  const double sd = std::sqrt(2.0) * 0.045 * 0.01;
  EXPECT_NEAR(r.fits[1].sim.high - r.fits[1].sim.mean, 12.706204736174698 * sd / std::sqrt(2.0), 1e-12);
  const std::string table = fit_table(r, t);
  EXPECT_NE(table.find("FAIL: 3 of 5 targets within tolerance"), std::string::npos) << table;
  EXPECT_NE(table.find("share.pioneer"), std::string::npos);
}

TEST(EvaluateFit, DatasetsHoldEveryReplicateAndTheVerdict) {
  const auto t = funnel();
  const std::vector<std::vector<double>> rows = {row({0.95, 0.045, 0.004, 0.0006, 0.00007}),
                                                 row({0.9, 0.09, 0.009, 0.0009, 0.0001}),
                                                 row({0.95, 0.045, 0.004, 0.0006, 0.00007})};
  const FitReport r = evaluate_fit(t, rows);
  const auto ds = fit_datasets(r);
  ASSERT_EQ(ds[0].name, "fit_replicate_values");
  EXPECT_EQ(ds[0].shape, (std::vector<std::size_t>{3, 5}));
  EXPECT_DOUBLE_EQ(ds[0].reals[5], 0.9);  // replicate 1, Hit-and-Runner
  EXPECT_EQ(ds.back().name, "fit_pass");
  EXPECT_EQ(ds.back().ints.size(), 5u);
  const auto attrs = fit_attributes(r, t);
  EXPECT_EQ(attrs.at("fit_targets"),
            "share.hit_and_runner,share.survivor,share.pioneer,share.rising,share.challenger");
  EXPECT_EQ(attrs.at("fit_result"), r.pass() ? "PASS" : "FAIL");
}

/// A run whose replicate r has stage_counts[m] = base + m * growth[r] (per stage) over `months`.
RunResult counts_run(std::size_t months, const std::array<std::int64_t, kStages>& base,
                     const std::vector<std::array<std::int64_t, kStages>>& growth) {
  RunResult run;
  for (const auto& g : growth) {
    Dataset d{"stage_counts", {months, kStages}, {"month", "stage"}, "agent", "", true, {}, {}};
    for (std::size_t m = 0; m < months; ++m)
      for (std::size_t s = 0; s < kStages; ++s) d.ints.push_back(base[s] + static_cast<std::int64_t>(m) * g[s]);
    run.output.replicates.push_back({d});
  }
  return run;
}

// A steady run shows no drift; a Rising stock that grows through the reported months is flagged;
// one replicate gives no interval, so nothing is flagged; a run without stage_counts is a bug.
TEST(DriftCheck, FlagsSharesThatStillMoveAndOnlyThose) {
  const std::array<std::int64_t, kStages> base = {950000, 45000, 4000, 600, 70};
  const auto steady = drift_check(counts_run(24, base, {{0, 0, 0, 0, 0}, {0, 1, 0, 0, 0}, {0, -1, 0, 0, 0}}));
  EXPECT_TRUE(steady.steady());
  EXPECT_EQ(steady.months, 24);
  EXPECT_NEAR(steady.change[0].mean, 0.0, 1e-4);
  EXPECT_NE(drift_text(steady).find("look like a steady state"), std::string::npos);
  // Rising grows by 10 or 12 agents a month: months 12-23 hold ~ +20 % more Rising than months 0-11.
  const auto filling = drift_check(counts_run(24, base, {{0, 0, 0, 10, 0}, {0, 0, 0, 12, 0}, {0, 0, 0, 11, 0}}));
  EXPECT_FALSE(filling.steady());
  EXPECT_TRUE(filling.drifting[3]);
  EXPECT_FALSE(filling.drifting[0]);  // H&R falls by a fraction of a per mille: below the 5 % limit
  EXPECT_GT(filling.change[3].mean, 0.15);
  EXPECT_NE(drift_text(filling).find("DRIFTING"), std::string::npos);
  EXPECT_NE(drift_text(filling).find("raise run.burn_in_months"), std::string::npos);
  // The same growth, but a limit above it: not drift.
  EXPECT_TRUE(drift_check(counts_run(24, base, {{0, 0, 0, 10, 0}, {0, 0, 0, 12, 0}}), 0.5).steady());
  const auto one = drift_check(counts_run(24, base, {{0, 0, 0, 10, 0}}));
  EXPECT_TRUE(one.steady());
  EXPECT_TRUE(std::isnan(one.change[3].low));
  const auto ds = drift_datasets(filling);
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds[0].name, "drift_change");
  EXPECT_EQ(ds[0].axes, std::vector<std::string>{"stage"});
  EXPECT_EQ(ds[0].reals.size(), static_cast<std::size_t>(kStages));
  RunResult empty;
  empty.output.replicates.push_back({});
  EXPECT_THROW(drift_check(empty), InvariantError);
}

}  // namespace
}  // namespace imersim
