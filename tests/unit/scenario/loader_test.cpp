// Tests of load_scenario on valid input: base chains, key spellings, money, --set, origins.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "core/error.hpp"
#include "scenario/scenario.hpp"
#include "scenario_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;
using testing_support::InTestData;
using testing_support::write_temp;

std::string load_error(const fs::path& path, const std::vector<std::string>& overrides = {}) {
  try {
    load_scenario(path, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded without error)";
}

TEST(YamlCpp, KeepsBothPairsOfADuplicateKey) {
  // The loader relies on this to report duplicates: yaml-cpp 0.7 neither rejects nor merges them.
  YAML::Node map = YAML::Load("seed: 1\nmonths: 2\nseed: 3\n");
  std::vector<std::string> keys;
  for (auto it = map.begin(); it != map.end(); ++it) keys.push_back(it->first.Scalar() + "=" + it->second.Scalar());
  EXPECT_EQ(keys, (std::vector<std::string>{"seed=1", "months=2", "seed=3"}));
}

TEST(LoadScenario, EveryValidFixtureLoads) {
  InTestData cwd;
  for (const auto& entry : fs::directory_iterator("valid")) {
    if (entry.path().extension() == ".yaml") {
      EXPECT_NO_THROW(load_scenario(entry.path())) << entry.path();
    }
  }
}

TEST(LoadScenario, BaseChainAppliesOutermostFirst) {
  InTestData cwd;
  const Scenario sc = load_scenario("valid/chain_top.yaml");
  EXPECT_EQ(sc.name, "chain top");
  EXPECT_EQ(sc.description, "A three-file chain: top overrides mid overrides root.");
  EXPECT_EQ(sc.path, fs::path("valid/chain_top.yaml"));
  EXPECT_EQ(sc.includes, (std::vector<fs::path>{"valid/chain_mid.yaml", "valid/chain_root.yaml"}));
  EXPECT_EQ(sc.params.run_seed, 3);            // top over root
  EXPECT_EQ(sc.params.run_months, 24);         // mid over root
  EXPECT_EQ(sc.params.testing_cost_per_test, 2e6);  // root only
  EXPECT_EQ(sc.params.entry_per_month, 750);   // top over mid
  EXPECT_EQ(sc.params.run_replicates, Params{}.run_replicates);
}

TEST(LoadScenario, RecordsWhereEachValueWasSet) {
  InTestData cwd;
  const Scenario sc = load_scenario("valid/chain_top.yaml");
  const std::map<std::string, std::pair<std::string, int>> expected = {
      {"run.seed", {"valid/chain_top.yaml", 5}},
      {"entry.per_month", {"valid/chain_top.yaml", 7}},
      {"run.months", {"valid/chain_mid.yaml", 4}},
      {"testing.cost_per_test", {"valid/chain_root.yaml", 7}},
  };
  EXPECT_EQ(sc.origins.size(), expected.size());
  for (const auto& [key, where] : expected) {
    ASSERT_TRUE(sc.origins.contains(key)) << key;
    EXPECT_EQ(sc.origins.at(key).file, where.first) << key;
    EXPECT_EQ(sc.origins.at(key).line, where.second) << key;
  }
}

TEST(LoadScenario, NameDefaultsToTheFileStem) {
  InTestData cwd;
  EXPECT_EQ(load_scenario("valid/dotted_keys.yaml").name, "dotted_keys");
  EXPECT_EQ(load_scenario("valid/chain_mid.yaml").name, "chain_mid");  // a base's name is not inherited
}

TEST(LoadScenario, AcceptsNestedAndDottedKeys) {
  InTestData cwd;
  const Params p = load_scenario("valid/dotted_keys.yaml").params;
  EXPECT_EQ(p.testing_cost_per_test, 1e6);
  EXPECT_EQ(p.stage_threshold_survivor, 2e8);
  EXPECT_EQ(p.stage_threshold_pioneer, 2e9);
  EXPECT_EQ(p.team_size[1], 12);
  EXPECT_EQ(p.money_overhead[2], 6e7);
}

TEST(LoadScenario, ReadsMoneySuffixes) {
  InTestData cwd;
  const Params p = load_scenario("valid/money_suffixes.yaml").params;
  EXPECT_EQ(p.testing_cost_per_test, 1.5e6);
  EXPECT_EQ(p.entry_capital_median, 1e7);
  EXPECT_EQ(p.stage_threshold_survivor, 1e8);
  EXPECT_EQ(p.stage_threshold_pioneer, 1.5e9);
  EXPECT_EQ(p.exit_capital_floor, -5e5);
}

TEST(LoadScenario, ReadsPerStageKeys) {
  InTestData cwd;
  const Params p = load_scenario("valid/stage_keys.yaml").params;
  EXPECT_EQ(p.team_size, (std::array<double, kStages>{0, 12, 30, 50, 150}));
  EXPECT_EQ(p.winners_max, (std::array<std::int64_t, kStages>{1, 4, 4, 4, 4}));
  EXPECT_EQ(p.money_leakage[1], 0.01);
}

TEST(LoadScenario, AcceptsAnEmptyPoliciesMap) {
  InTestData cwd;
  const Scenario sc = load_scenario("valid/policies_empty.yaml");
  EXPECT_EQ(sc.name, "no policies yet");
  EXPECT_TRUE(sc.params.run_snapshot);
}

TEST(LoadScenario, SetOverridesWinOverFiles) {
  InTestData cwd;
  const Scenario sc = load_scenario("valid/overrides.yaml", {"run.seed=9", "testing.cost_per_test = 3 juta",
                                                             "run.snapshot=true", "name=custom", "run.seed=10"});
  EXPECT_EQ(sc.name, "custom");
  EXPECT_EQ(sc.params.run_seed, 10);  // the last --set wins
  EXPECT_EQ(sc.params.run_months, 36);
  EXPECT_EQ(sc.params.testing_cost_per_test, 3e6);
  EXPECT_TRUE(sc.params.run_snapshot);
  EXPECT_EQ(sc.origins.at("run.seed").file, "--set");
  EXPECT_EQ(sc.origins.at("run.seed").line, 0);
  EXPECT_EQ(sc.origins.at("run.months").file, "valid/overrides.yaml");
  EXPECT_EQ(sc.origins.at("run.months").line, 4);
}

TEST(LoadScenario, SetOverridesAreCheckedLikeFileValues) {
  InTestData cwd;
  EXPECT_EQ(load_error("valid/overrides.yaml",
                       {"run.seed", "run.sed=1", "run.months=abc", "testing.success_base=2", "base=x.yaml",
                        "run.months=", "=5"}),
            "--set: error: expected key=value, got 'run.seed' (for example --set testing.cost_per_test=1.5e6)\n"
            "--set: error: 'run.sed': unknown key 'run.sed' (did you mean 'run.seed'?)\n"
            "--set: error: 'run.months': expected an integer (month), got 'abc'\n"
            "--set: error: 'testing.success_base': value 2 is out of range [0, 1] "
            "(Chance one test finds a winner at skill 0. Unit: probability.)\n"
            "--set: error: 'base': 'base' cannot be set with --set (--set takes parameters, name and description)\n"
            "--set: error: 'run.months': expected an integer (month), got an empty value\n"
            "--set: error: expected key=value, got '=5' (for example --set testing.cost_per_test=1.5e6)");
}

TEST(LoadScenario, SetOverridesJoinTheConsistencyCheck) {
  InTestData cwd;
  EXPECT_EQ(load_error("valid/overrides.yaml", {"winners.life_p2=0.5"}),
            "--set: error: 'winners.life_p2': winners.life_p1 + winners.life_p2 + winners.life_p3 must be 1, is 1.1");
}

TEST(LoadScenario, ReportsAMissingFile) {
  InTestData cwd;
  EXPECT_EQ(load_error("valid/no_such_file.yaml"),
            "valid/no_such_file.yaml: error: cannot read file (No such file or directory)");
  EXPECT_EQ(load_error("valid"), "valid: error: cannot read file (it is a directory)");
}

TEST(LoadScenario, AnEmptyFileIsAllDefaults) {
  const Scenario sc = load_scenario(write_temp("empty.yaml", "# nothing set\n"));
  EXPECT_EQ(sc.name, "empty");
  EXPECT_EQ(sc.params, Params{});
  EXPECT_TRUE(sc.origins.empty());
}

TEST(LoadScenario, LocatesProblemsOneBased) {
  const fs::path path = write_temp("located.yaml", "run.sed: 1\n");
  EXPECT_EQ(load_error(path),
            path.string() + ":1:1: error: 'run.sed': unknown key 'run.sed' (did you mean 'run.seed'?)");
}

TEST(LoadScenario, ASelfBaseIsACycle) {
  const fs::path path = write_temp("self.yaml", "base: self.yaml\n");
  EXPECT_EQ(load_error(path), path.string() + ":1:7: error: 'base': base files form a cycle: " + path.string() +
                                  " -> " + path.string() + " (remove one of these base: lines)");
}

TEST(LoadScenario, RejectsExtraDocuments) {
  const fs::path path = write_temp("two_docs.yaml", "run.seed: 1\n---\nrun.seed: 2\n");
  EXPECT_EQ(load_error(path), path.string() +
                                  ":3:1: error: a scenario file holds one YAML document, this one has 2 "
                                  "(remove the extra '---' documents)");
}

}  // namespace
}  // namespace imersim
