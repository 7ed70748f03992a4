// The policies: section: defaults, per-lever replacement over base files, the resolved YAML round
// trip, and located errors (invalid fixtures in tests/data/invalid/policy_* check exact messages).
#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "scenario/policies.hpp"
#include "scenario/scenario.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

TEST(Policies, ShippedScenariosLoadWithTheirLevers) {
  const fs::path dir = fs::path(IMERSIM_SOURCE_DIR) / "scenarios";
  const Scenario pkg = load_scenario(dir / "policy_package.yaml");
  ASSERT_TRUE(pkg.policies.registry && pkg.policies.insurance && pkg.policies.training && pkg.policies.matchmaking &&
              pkg.policies.credit && pkg.policies.whitelist && pkg.policies.anti_counterfeit);
  EXPECT_TRUE(pkg.policies.insurance->requires_registration);
  EXPECT_DOUBLE_EQ(pkg.policies.insurance->subsidy_share, 0.8);  // default: AUTP
  EXPECT_EQ(pkg.policies.credit->min_months_active, 6);          // default: KUR
  const Scenario ins = load_scenario(dir / "policy_insurance.yaml");
  EXPECT_EQ(ins.policies.insurance->payout[1], 15'000'000);
  EXPECT_EQ(ins.policies.insurance->budget, 100'000'000'000);
  EXPECT_FALSE(ins.policies.credit);
  EXPECT_TRUE(load_scenario(dir / "baseline.yaml").policies.empty());
}

TEST(Policies, ResolvedYamlReadsBackToTheSameLevers) {
  const Scenario pkg = load_scenario(fs::path(IMERSIM_SOURCE_DIR) / "scenarios" / "policy_package.yaml");
  const std::string text = policies_yaml(pkg.policies);
  std::vector<Diagnostic> diags;
  PolicySpecs back;
  parse_policies("resolved", YAML::Load(text)["policies"], back, diags);
  EXPECT_TRUE(diags.empty());
  EXPECT_EQ(policies_yaml(back), text);
  EXPECT_NE(resolved_yaml(pkg).find("  anti_counterfeit:\n"), std::string::npos);
}

TEST(Policies, AFileReplacesTheLeverOfItsBase) {
  const fs::path d = fs::temp_directory_path() / ("imersim_policies_" + std::to_string(::getpid()));
  fs::create_directories(d);
  std::ofstream(d / "base.yaml") << "policies:\n  training: {capacity: 5}\n  whitelist: {capacity: 7}\n";
  std::ofstream(d / "top.yaml") << "base: base.yaml\npolicies:\n  training: {take_up: 0.5}\n";
  const Scenario sc = load_scenario(d / "top.yaml");
  EXPECT_EQ(sc.policies.training->capacity, TrainingSpec{}.capacity);  // replaced wholesale, defaults again
  EXPECT_DOUBLE_EQ(sc.policies.training->take_up, 0.5);
  EXPECT_EQ(sc.policies.whitelist->capacity, 7);
  fs::remove_all(d);
}

TEST(Policies, EveryKeyIsDocumented) {
  std::ifstream in(fs::path(IMERSIM_SOURCE_DIR) / "docs" / "policies.md");
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& key : policy_keys()) {
    const std::string field = key.substr(key.find('.') + 1);
    EXPECT_NE(doc.find("`" + field + "`"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace imersim
