// The calibration loop on a tiny case: common random numbers, checkpoint and resume (a run stopped
// after k simulations continues without re-simulating them and ends bit-identical to an
// uninterrupted run), stale checkpoints refused, and the fitted config file.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "experiment/calibration.hpp"
#include "experiment/runner.hpp"
#include "scenario/scenario.hpp"
#include "unit/scenario/scenario_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

CalibrationSpec tiny() { return load_calibration(fs::path(IMERSIM_TEST_DATA) / "calibration/tiny.yaml"); }

fs::path fresh(const std::string& name) {
  const fs::path p = fs::path(::testing::TempDir()) / ("imersim_calib_" + name + ".h5");
  fs::remove(p);
  return p;
}

/// Bit-identical outcome tables (NaN outcomes, e.g. survival beyond the run, compare equal).
bool same_bits(const std::vector<std::vector<double>>& a, const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].size() != b[i].size() ||
        (!a[i].empty() && std::memcmp(a[i].data(), b[i].data(), a[i].size() * sizeof(double)) != 0))
      return false;
  return true;
}

void expect_same(const CalibrationResult& a, const CalibrationResult& b) {
  ASSERT_EQ(a.evaluations.size(), b.evaluations.size());
  for (std::size_t i = 0; i < a.evaluations.size(); ++i) {
    EXPECT_EQ(a.evaluations[i].unit, b.evaluations[i].unit) << i;
    EXPECT_TRUE(same_bits(a.evaluations[i].outcomes, b.evaluations[i].outcomes)) << i;
    EXPECT_EQ(a.evaluations[i].objective(), b.evaluations[i].objective()) << i;
  }
  EXPECT_EQ(a.best, b.best);
  EXPECT_EQ(a.optimizer_status, b.optimizer_status);
}

TEST(Calibration, StoppedRunResumesWithoutResimulatingAndEndsIdentical) {
  const CalibrationSpec spec = tiny();
  CalibrationOptions whole;
  whole.evaluations = fresh("whole");
  const CalibrationResult full = run_calibration(spec, whole);
  ASSERT_FALSE(full.stopped);
  EXPECT_EQ(full.evaluations.size(), static_cast<std::size_t>(spec.budget + 2 * spec.profile_points));
  EXPECT_EQ(full.simulated + full.reused, static_cast<std::int64_t>(full.evaluations.size()));

  CalibrationOptions part;
  part.evaluations = fresh("part");
  part.stop_after = 3;
  const CalibrationResult first = run_calibration(spec, part);
  EXPECT_TRUE(first.stopped);
  EXPECT_EQ(first.simulated, 3);
  const auto saved = read_evaluations(spec, part.evaluations);
  ASSERT_EQ(saved.size(), first.evaluations.size());

  part.stop_after = -1;
  const CalibrationResult resumed = run_calibration(spec, part);
  EXPECT_FALSE(resumed.stopped);
  EXPECT_GE(resumed.reused, 3);                       // the first three came from the checkpoint
  EXPECT_EQ(resumed.simulated, full.simulated - 3);   // and were not simulated again
  expect_same(full, resumed);
  // A finished checkpoint answers everything: nothing is simulated again.
  const CalibrationResult again = run_calibration(spec, part);
  EXPECT_EQ(again.simulated, 0);
  expect_same(full, again);
}

TEST(Calibration, LevenbergMarquardtImprovesOnTheStartAndResumesIdentically) {
  CalibrationSpec spec = tiny();
  spec.method = OptimizerMethod::LevenbergMarquardt;
  spec.profile_points = 0;
  spec.initial_step = 0.05;
  CalibrationOptions whole;
  whole.evaluations = fresh("lm_whole");
  const CalibrationResult full = run_calibration(spec, whole);
  ASSERT_FALSE(full.stopped);
  EXPECT_LE(full.evaluations.size(), static_cast<std::size_t>(spec.budget));
  EXPECT_LT(full.evaluations[full.best].objective(), full.evaluations[0].objective());
  EXPECT_FALSE(full.optimizer_status.empty());
  // The objective is the sum of the squared residuals the method sees: every evaluation agrees
  // with the validate statistic, and a stopped run resumes to the same path.
  CalibrationOptions part;
  part.evaluations = fresh("lm_part");
  part.stop_after = 2;
  EXPECT_TRUE(run_calibration(spec, part).stopped);
  part.stop_after = -1;
  const CalibrationResult resumed = run_calibration(spec, part);
  EXPECT_EQ(resumed.simulated, full.simulated - 2);
  expect_same(full, resumed);
}

TEST(Calibration, ObjectiveIsTheValidateStatisticWithCommonRandomNumbers) {
  const CalibrationSpec spec = tiny();
  CalibrationOptions o;
  o.evaluations = fresh("crn");
  o.stop_after = 1;
  const CalibrationResult r = run_calibration(spec, o);
  ASSERT_GE(r.evaluations.size(), 1u);
  // Simulating the start point again with the same seeds gives the same outcomes and objective.
  Params p = spec.scenario.params;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i)
    spec.parameters[i].spec->set(p, r.evaluations[0].values[i]);
  const auto outcomes = run_outcomes(run_replicates(p, 0, p.run_replicates));
  EXPECT_TRUE(same_bits(outcomes, r.evaluations[0].outcomes));
  EXPECT_EQ(evaluate_fit(spec.targets, outcomes).objective, r.evaluations[0].fit_objective);
  // The prior on ads.roas (mean 10, sd 1 in ln units) is 0 at the start value 10.
  EXPECT_NEAR(r.evaluations[0].prior_penalty, 0.0, 1e-20);
}

TEST(Calibration, CheckpointOfAnotherCalibrationIsRefused) {
  const CalibrationSpec spec = tiny();
  CalibrationOptions o;
  o.evaluations = fresh("stale");
  o.stop_after = 1;
  (void)run_calibration(spec, o);
  CalibrationSpec changed = spec;
  changed.parameters[0].max = 0.3;
  EXPECT_THROW((void)run_calibration(changed, o), InputError);
  o.restart = true;  // --restart ignores it
  EXPECT_EQ(run_calibration(changed, o).simulated, 1);
}

TEST(Calibration, ConfigFileIsAScenarioWithTheFittedValues) {
  const CalibrationSpec spec = tiny();
  CalibrationOptions o;
  o.evaluations = fresh("config");
  const CalibrationResult r = run_calibration(spec, o);
  const fs::path out = fs::path(::testing::TempDir()) / "imersim_calib_config" / "calibrated_tiny.yaml";
  write_text_atomically(out, calibrated_config_yaml(spec, r, out, "imersim calibrate tiny.yaml"));
  const std::string text = testing_support::read_file(out);
  EXPECT_NE(text.find("# command:     imersim calibrate tiny.yaml"), std::string::npos);
  EXPECT_NE(text.find("# profiles"), std::string::npos);
  const Scenario fitted = load_scenario(out);  // loads: base path and keys are valid
  EXPECT_EQ(fitted.params.testing_success_base, r.evaluations[r.best].values[0]);
  EXPECT_EQ(fitted.params.ads_roas, r.evaluations[r.best].values[1]);
  EXPECT_EQ(fitted.params.run_replicates, 2);  // from the base, tiny_base.yaml
  ASSERT_EQ(r.profiles.size(), 2u);
  EXPECT_EQ(r.profiles[0].values.front(), spec.parameters[0].min);
  EXPECT_EQ(r.profiles[0].values.back(), spec.parameters[0].max);
}

}  // namespace
}  // namespace imersim
