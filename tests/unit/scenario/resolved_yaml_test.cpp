// Tests of resolved_yaml: complete, grouped, commented with origins, and loading it back is lossless.
#include <gtest/gtest.h>

#include <set>

#include "params/param_table.hpp"
#include "scenario/scenario.hpp"
#include "scenario_test_support.hpp"

namespace imersim {
namespace {

using testing_support::InTestData;
using testing_support::write_temp;

Scenario reload(const Scenario& sc, const std::string& file_name) {
  return load_scenario(write_temp(file_name, resolved_yaml(sc)));
}

TEST(ResolvedYaml, DefaultsRoundTrip) {
  Scenario sc;
  sc.name = "defaults";
  const Scenario back = reload(sc, "defaults_resolved.yaml");
  EXPECT_EQ(back.params, Params{});
  EXPECT_EQ(back.name, "defaults");
  EXPECT_EQ(back.description, "");
}

TEST(ResolvedYaml, ModifiedScenarioRoundTrips) {
  InTestData cwd;
  const Scenario sc = load_scenario("valid/chain_top.yaml", {"testing.success_base=0.123456789012345",
                                                             "team.size.pioneer=33.3", "run.snapshot=true"});
  const Scenario back = reload(sc, "chain_resolved.yaml");
  EXPECT_EQ(back.params, sc.params);
  EXPECT_EQ(back.name, sc.name);
  EXPECT_EQ(back.description, sc.description);
}

TEST(ResolvedYaml, AwkwardRealsRoundTripExactly) {
  // Every real nudged off its default so that it needs all 17 significant digits. The nudge keeps
  // every consistency rule satisfied (thresholds keep their order, shares still sum to 1 within 1e-9).
  Scenario sc;
  sc.name = "awkward: \"quoted\" # not a comment";
  sc.description = "line one\nline two";
  for (const ParamSpec& spec : param_table()) {
    if (spec.type != ParamType::Real) continue;
    const double nudged = spec.default_value * (1 + 1e-12);
    if (nudged <= spec.max) spec.set(sc.params, nudged);
  }
  ASSERT_NE(sc.params, Params{});
  const Scenario back = reload(sc, "awkward_resolved.yaml");
  EXPECT_EQ(back.params, sc.params);
  EXPECT_EQ(back.name, sc.name);
  EXPECT_EQ(back.description, sc.description);
}

TEST(ResolvedYaml, ListsEveryKeyOnceGroupedBySection) {
  const std::string text = resolved_yaml(Scenario{});
  std::set<std::string> top_level;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      EXPECT_TRUE(top_level.insert(line.substr(0, line.find(':'))).second) << "section twice: " << line;
    }
  }
  EXPECT_TRUE(top_level.contains("money"));
  EXPECT_NE(text.find("\nteam:\n  size:\n    hit_and_runner: 0.5\n    survivor: 10\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ntesting:\n  cost_per_test: 1000000\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\nname: \"\"\ndescription: \"\"\n"), std::string::npos) << text;
}

TEST(ResolvedYaml, CommentsGiveTheOriginOfSetValues) {
  InTestData cwd;
  const std::string text = resolved_yaml(load_scenario("valid/chain_top.yaml", {"run.replicates=4"}));
  EXPECT_NE(text.find("\nrun:\n  seed: 3                                       # from valid/chain_top.yaml:5\n"
                      "  replicates: 4                                 # --set\n"
                      "  months: 24                                    # from valid/chain_mid.yaml:4\n"
                      "  burn_in_months: 120\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# Loaded from valid/chain_top.yaml, base valid/chain_mid.yaml, base valid/chain_root.yaml."),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace imersim
