// Sweep files: strict validation (every fixture of tests/data/invalid/sweep_files/ fails with exactly
// its .expected text), point expansion, the point hash, invalid points recorded as failures.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/error.hpp"
#include "experiment/sweep.hpp"
#include "unit/scenario/scenario_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;
using testing_support::InTestData;
using testing_support::read_file;

std::vector<std::string> invalid_sweeps() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(fs::path(IMERSIM_TEST_DATA) / "invalid/sweep_files"))
    if (e.path().extension() == ".yaml") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class InvalidSweep : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidSweep, ReportsExactlyTheExpectedErrors) {
  InTestData cwd;
  const std::string base = "invalid/sweep_files/" + GetParam();
  std::string expected = read_file(base + ".expected");
  ASSERT_FALSE(expected.empty()) << base << ".expected is missing";
  if (expected.back() == '\n') expected.pop_back();
  try {
    (void)load_sweep(base + ".yaml");
    ADD_FAILURE() << base << ".yaml loaded without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.what(), expected);
    EXPECT_GE(e.diagnostics().size(), 2u) << "each fixture shows several problems reported at once";
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, InvalidSweep, ::testing::ValuesIn(invalid_sweeps()));

TEST(SweepSpec, LoadsTheLatinHypercubeSweep) {
  const SweepSpec s = load_sweep(fs::path(IMERSIM_TEST_DATA) / "sweeps/lhs2.yaml");
  EXPECT_EQ(s.name, "lhs2");
  EXPECT_EQ(s.design.kind, DesignKind::LatinHypercube);
  ASSERT_EQ(s.parameters.size(), 2u);
  EXPECT_EQ(s.parameters[0].min, 500000);
  EXPECT_EQ(s.parameters[0].max, 2e6);  // "2 juta"
  EXPECT_EQ(s.rows.size(), 6u);
  EXPECT_EQ(s.replicates, 2);
  EXPECT_EQ(s.outcomes.size(), 5u);
  EXPECT_EQ(s.seeds, SeedMode::Common);
}

TEST(SweepSpec, PointsApplyTheirValuesAndShareTheSeed) {
  const SweepSpec s = load_sweep(fs::path(IMERSIM_TEST_DATA) / "sweeps/lhs2.yaml");
  std::set<std::uint64_t> hashes;
  for (std::int64_t i = 0; i < 6; ++i) {
    const SweepPoint p = make_point(s, i);
    ASSERT_TRUE(p.scenario) << p.error;
    EXPECT_DOUBLE_EQ(p.scenario->params.testing_cost_per_test, s.rows[i][0]);
    EXPECT_DOUBLE_EQ(p.scenario->params.testing_success_base, s.rows[i][1]);
    EXPECT_EQ(p.scenario->params.run_replicates, 2);
    EXPECT_EQ(p.scenario->params.run_seed, 20231001);  // common random numbers across points
    hashes.insert(p.hash);
  }
  EXPECT_EQ(hashes.size(), 6u);
}

TEST(SweepSpec, HashDependsOnValuesNotOnWhereTheFilesAre) {
  const SweepSpec a = load_sweep(fs::path(IMERSIM_TEST_DATA) / "sweeps/lhs2.yaml");
  InTestData cwd;  // the same sweep through a relative path: other origin comments, same point identity
  const SweepSpec b = load_sweep("sweeps/lhs2.yaml");
  EXPECT_EQ(make_point(a, 3).hash, make_point(b, 3).hash);
  EXPECT_NE(make_point(a, 3).hash, make_point(a, 4).hash);
}

TEST(SweepSpec, Fnv1aMatchesPublishedValues) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(hash_hex(0xabcULL), "0000000000000abc");
}

TEST(SweepSpec, InvalidPointCarriesItsErrorAndAStableHash) {
  const SweepSpec s = load_sweep(fs::path(IMERSIM_TEST_DATA) / "sweeps/grid_with_bad_point.yaml");
  ASSERT_EQ(s.rows.size(), 2u);
  EXPECT_TRUE(make_point(s, 0).scenario);
  const SweepPoint bad = make_point(s, 1);
  EXPECT_FALSE(bad.scenario);
  EXPECT_NE(bad.error.find("entry.skill_max (0.3) is below entry.skill_min (0.5)"), std::string::npos) << bad.error;
  EXPECT_EQ(bad.hash, make_point(s, 1).hash);
}

TEST(SweepSpec, PerPointSeedsDifferByPoint) {
  const auto path = testing_support::write_temp(
      "per_point.yaml", "scenario: " + std::string(IMERSIM_TEST_DATA) +
                            "/sweeps/tiny_base.yaml\nparameters:\n  exit.patience: {values: [3, 6]}\n"
                            "design: {type: grid}\nseeds: per_point\noutcomes: [population]\n");
  const SweepSpec s = load_sweep(path);
  EXPECT_EQ(make_point(s, 0).scenario->params.run_seed, 20231001);
  EXPECT_EQ(make_point(s, 1).scenario->params.run_seed, 20231002);
}

}  // namespace
}  // namespace imersim
