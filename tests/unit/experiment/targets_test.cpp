// Target and calibration files: the shipped funnel, cohort targets, and every invalid fixture of
// tests/data/{targets,calibration}/invalid/ failing with exactly its .expected text.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "experiment/calibration_spec.hpp"
#include "experiment/targets.hpp"
#include "unit/scenario/scenario_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;
using testing_support::InTestData;
using testing_support::read_file;

TEST(Targets, ShippedFunnelHasTheFiveObservedSharesAndTheAlternative) {
  const TargetSet t = load_targets(fs::path(IMERSIM_SOURCE_DIR) / "configs/targets/funnel.yaml");
  EXPECT_EQ(t.name, "funnel");
  ASSERT_EQ(t.shares.size(), 5u);
  EXPECT_EQ(t.shares[0].outcome, "share.hit_and_runner");
  EXPECT_DOUBLE_EQ(t.shares[0].value, 0.95);
  EXPECT_DOUBLE_EQ(t.shares[4].value, 0.00007);
  EXPECT_DOUBLE_EQ(t.shares[2].tolerance, 0.05);
  EXPECT_DOUBLE_EQ(t.shares[3].tolerance, 0.15);
  EXPECT_NEAR(t.share_sum(), 0.99967, 1e-12);
  ASSERT_EQ(t.alternatives.size(), 1u);
  EXPECT_EQ(t.alternatives[0].stage, "pioneer");
  EXPECT_DOUBLE_EQ(t.alternatives[0].value, 0.001);
  const TargetSet alt = load_targets(fs::path(IMERSIM_SOURCE_DIR) / "configs/targets" / t.alternatives[0].file);
  EXPECT_DOUBLE_EQ(alt.shares[2].value, 0.001);
  EXPECT_NEAR(alt.share_sum(), 0.99667, 1e-12);
}

TEST(Targets, CohortTargetsNameOutcomes) {
  InTestData cwd;
  const TargetSet t = load_targets("targets/cohort.yaml");
  ASSERT_EQ(t.cohort.size(), 2u);
  EXPECT_EQ(t.cohort[0].outcome, "reach.survivor");
  EXPECT_EQ(t.cohort[1].outcome, "survival_12");
  EXPECT_EQ(t.all().size(), 7u);
  EXPECT_DOUBLE_EQ(t.floor, kDefaultShareFloor);
}

std::vector<std::string> fixtures(const std::string& dir, const std::string& ext) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(IMERSIM_TEST_DATA) / dir / "invalid"))
    if (e.path().extension() == ext) names.push_back(dir + "/invalid/" + e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

void expect_fixture(const std::string& name, bool calibration) {
  InTestData cwd;
  std::string expected = read_file(name + ".expected");
  ASSERT_FALSE(expected.empty()) << name << ".expected is missing";
  if (expected.back() == '\n') expected.pop_back();
  try {
    if (calibration)
      (void)load_calibration(name + ".yaml");
    else
      (void)load_targets(name + ".yaml");
    ADD_FAILURE() << name << ".yaml loaded without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.what(), expected) << name;
  }
}

TEST(Targets, InvalidFixturesReportExactlyTheExpectedErrors) {
  const auto names = fixtures("targets", ".yaml");
  EXPECT_EQ(names, fixtures("targets", ".expected"));
  EXPECT_GE(names.size(), 2u);
  for (const auto& n : names) expect_fixture(n, false);
}

TEST(Calibration, InvalidFixturesReportExactlyTheExpectedErrors) {
  const auto names = fixtures("calibration", ".yaml");
  EXPECT_EQ(names, fixtures("calibration", ".expected"));
  EXPECT_GE(names.size(), 1u);
  for (const auto& n : names) expect_fixture(n, true);
}

TEST(Calibration, TinyFileLoadsWithBaseValuesAsStart) {
  InTestData cwd;
  const CalibrationSpec c = load_calibration("calibration/tiny.yaml");
  EXPECT_EQ(c.name, "tiny");
  ASSERT_EQ(c.parameters.size(), 2u);
  EXPECT_EQ(c.parameters[1].key, "ads.roas");
  EXPECT_DOUBLE_EQ(c.parameters[1].start, 10.0);  // configs/baseline.yaml
  EXPECT_EQ(c.parameters[1].scale, ParamScale::Log);
  ASSERT_TRUE(c.parameters[1].prior.has_value());
  EXPECT_EQ(c.scenario.params.run_seed, 7);
  EXPECT_EQ(c.scenario.params.run_replicates, 2);
  EXPECT_EQ(c.method, OptimizerMethod::Bobyqa);
  EXPECT_EQ(c.budget, 8);
  EXPECT_EQ(c.profile_points, 3);
}

TEST(Calibration, UnitCoordinatesRoundTripOnBothScales) {
  FreeParameter lin{"ads.roas", nullptr, 2, 12, 5, ParamScale::Linear, std::nullopt};
  FreeParameter log{"ads.roas", nullptr, 1, 100, 5, ParamScale::Log, std::nullopt};
  EXPECT_DOUBLE_EQ(to_unit(lin, 7), 0.5);
  EXPECT_DOUBLE_EQ(to_unit(log, 10), 0.5);
  EXPECT_DOUBLE_EQ(from_unit(log, 0), 1);
  EXPECT_DOUBLE_EQ(from_unit(log, 1), 100);
  for (double v : {1.5, 3.0, 42.0}) EXPECT_NEAR(from_unit(log, to_unit(log, v)), v, 1e-12 * v);
}

}  // namespace
}  // namespace imersim
