// Tests of the parameter table: unique keys, defaults valid, suggestions, value formatting.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>

#include "params/param_table.hpp"

namespace imersim {
namespace {

TEST(ParamTable, EveryKeyIsUnique) {
  std::set<std::string> seen;
  for (const auto& spec : param_table()) EXPECT_TRUE(seen.insert(spec.key).second) << "duplicate key " << spec.key;
  EXPECT_GT(seen.size(), 50u);
}

TEST(ParamTable, NoKeyIsAlsoASection) {
  // Nested YAML needs every key to be a leaf: "a.b" and "a.b.c" cannot both be keys.
  for (const auto& spec : param_table()) EXPECT_FALSE(is_key_section(spec.key)) << spec.key;
}

TEST(ParamTable, StageKeysUseStageNames) {
  for (const char* stage : {"hit_and_runner", "survivor", "pioneer", "rising", "challenger"})
    EXPECT_NE(find_param(std::string("team.size.") + stage), nullptr) << stage;
  EXPECT_EQ(find_param("team.size.0"), nullptr);
  EXPECT_EQ(find_param("team.size"), nullptr);
  EXPECT_TRUE(is_key_section("team.size"));
  EXPECT_TRUE(is_key_section("team"));
  EXPECT_FALSE(is_key_section("tea"));
}

TEST(ParamTable, StageDefaultsComeFromTheDef) {
  Params p;
  p.team_size = {1, 2, 3, 4, 5};
  EXPECT_EQ(find_param("team.size.hit_and_runner")->get(p), 1);
  EXPECT_EQ(find_param("team.size.challenger")->get(p), 5);
  find_param("team.size.rising")->set(p, 42);
  EXPECT_EQ(p.team_size[3], 42);
  EXPECT_EQ(find_param("team.size.survivor")->default_value, 10);
  EXPECT_EQ(find_param("winners.max_concurrent.hit_and_runner")->default_value, 2);
}

TEST(ParamTable, DefaultsAreWithinRangeAndOfTheirType) {
  for (const auto& spec : param_table()) {
    EXPECT_LE(spec.min, spec.default_value) << spec.key;
    EXPECT_LE(spec.default_value, spec.max) << spec.key;
    EXPECT_EQ(spec.get(Params{}), spec.default_value) << spec.key;
    if (spec.type != ParamType::Real) {
      EXPECT_EQ(spec.default_value, std::trunc(spec.default_value)) << spec.key;
    }
    EXPECT_FALSE(spec.description.empty()) << spec.key;
    EXPECT_FALSE(spec.source.empty()) << spec.key;
  }
}

TEST(ParamTable, DefaultsAreConsistent) {
  auto problems = check_consistency(Params{});
  for (const auto& p : problems) ADD_FAILURE() << p.key << ": " << p.message;
}

TEST(ParamTable, ConsistencyNamesTheKeysInvolved) {
  Params p;
  p.stage_threshold_pioneer = 6e9;  // above rising (5e9)
  p.winners_life_p3 = 0.4;
  auto problems = check_consistency(p);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].key, "stage.threshold.rising");
  EXPECT_EQ(problems[0].message,
            "stage thresholds must increase: stage.threshold.rising = 5000000000 is not above "
            "stage.threshold.pioneer = 6000000000");
  EXPECT_EQ(problems[0].keys, (std::vector<std::string>{"stage.threshold.rising", "stage.threshold.pioneer"}));
  EXPECT_EQ(problems[1].key, "winners.life_p3");
  EXPECT_EQ(problems[1].message, "winners.life_p1 + winners.life_p2 + winners.life_p3 must be 1, is 1.1");
  for (const auto& problem : problems)
    for (const auto& key : problem.keys) EXPECT_NE(find_param(key), nullptr) << key;
}

TEST(ParamTable, ClosestKeysFindsOneLetterTypos) {
  EXPECT_EQ(closest_keys("testing.cost_per_tst").at(0), "testing.cost_per_test");
  EXPECT_EQ(closest_keys("run.sed").at(0), "run.seed");
  EXPECT_EQ(closest_keys("team.size.survivr").at(0), "team.size.survivor");
  EXPECT_EQ(closest_keys("testing.cost_per_tst", 3).size(), 3u);
  // Every key, with one letter dropped, is found again.
  for (const auto& spec : param_table()) {
    std::string typo = spec.key;
    typo.erase(typo.size() / 2, 1);
    EXPECT_EQ(closest_keys(typo).at(0), spec.key) << typo;
  }
}

TEST(ParamTable, SuggestsOnlyPlausibleKeys) {
  EXPECT_EQ(suggest_key("testing.cost_per_tst"), "testing.cost_per_test");
  EXPECT_EQ(suggest_key("seed"), "run.seed");  // right name, section forgotten
  EXPECT_EQ(suggest_key("flux_capacitor"), std::nullopt);
}

TEST(ParamTable, FormatValueReadsNaturallyAndRoundTrips) {
  const ParamSpec& real = *find_param("testing.cost_per_test");
  EXPECT_EQ(format_value(real, 1e6), "1000000");
  EXPECT_EQ(format_value(real, 1234567), "1234567");
  EXPECT_EQ(format_value(real, 0.05), "0.05");
  EXPECT_EQ(format_value(real, 1.5), "1.5");
  EXPECT_EQ(format_value(real, 5e10), "50000000000");
  EXPECT_EQ(format_value(real, -1e12), "-1000000000000");
  EXPECT_EQ(std::stod(format_value(real, 2.5e-7)), 2.5e-7);
  EXPECT_EQ(std::stod(format_value(real, 0.1 + 0.2)), 0.1 + 0.2);
  EXPECT_EQ(std::stod(format_value(real, 1e16)), 1e16);
  EXPECT_EQ(format_value(*find_param("run.months"), 60), "60");
  EXPECT_EQ(format_value(*find_param("run.seed"), 4294967295.0), "4294967295");
  EXPECT_EQ(format_value(*find_param("run.snapshot"), 1), "true");
  EXPECT_EQ(format_value(*find_param("run.snapshot"), 0), "false");
}

TEST(ParamTable, MarkdownHasOneHeadingPerSection) {
  const std::string md = parameters_markdown();
  std::size_t count = 0;
  for (auto pos = md.find("\n## `money`"); pos != std::string::npos; pos = md.find("\n## `money`", pos + 1)) ++count;
  EXPECT_EQ(count, 1u);
  for (const auto& spec : param_table()) EXPECT_NE(md.find("| `" + spec.key + "` |"), std::string::npos) << spec.key;
}

}  // namespace
}  // namespace imersim
