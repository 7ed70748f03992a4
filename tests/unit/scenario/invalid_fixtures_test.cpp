// Every tests/data/invalid/X.yaml must fail to load with exactly the text of X.expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "scenario/scenario.hpp"
#include "scenario_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;
using testing_support::InTestData;
using testing_support::read_file;

std::vector<std::string> fixture_names(const std::string& extension) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(IMERSIM_TEST_DATA) / "invalid"))
    if (entry.is_regular_file() && entry.path().extension() == extension) names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

class InvalidFixture : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidFixture, ReportsExactlyTheExpectedErrors) {
  InTestData cwd;
  const std::string name = GetParam();
  std::string expected = read_file("invalid/" + name + ".expected");
  ASSERT_FALSE(expected.empty()) << "invalid/" << name << ".expected is missing or empty";
  if (expected.back() == '\n') expected.pop_back();
  try {
    load_scenario("invalid/" + name + ".yaml");
    ADD_FAILURE() << "invalid/" << name << ".yaml loaded without error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.what(), expected);
    EXPECT_EQ(e.diagnostics().size(), static_cast<std::size_t>(std::count(expected.begin(), expected.end(), '\n') + 1));
  }
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, InvalidFixture, ::testing::ValuesIn(fixture_names(".yaml")), test_name);

TEST(InvalidFixtures, EachExpectationHasItsFixture) {
  const auto yamls = fixture_names(".yaml");
  const auto expected = fixture_names(".expected");
  EXPECT_EQ(yamls, expected);
  EXPECT_GE(yamls.size(), 11u);
}

TEST(InvalidFixtures, EveryLineIsLocatedInAFileOfTheFixtures) {
  for (const auto& name : fixture_names(".expected")) {
    std::istringstream lines(read_file(fs::path(IMERSIM_TEST_DATA) / "invalid" / (name + ".expected")));
    for (std::string line; std::getline(lines, line);) {
      EXPECT_EQ(line.rfind("invalid/", 0), 0u) << name << ": " << line;
      EXPECT_NE(line.find(": error: "), std::string::npos) << name << ": " << line;
    }
  }
}

}  // namespace
}  // namespace imersim
