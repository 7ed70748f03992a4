// Tests of reading one scalar as a parameter value: number syntax, money suffixes, type and range.
#include <gtest/gtest.h>

#include "scenario/scenario_detail.hpp"

namespace imersim::scenario_detail {
namespace {

double value_of(std::string_view key, std::string_view text) {
  ValueCheck check = check_scalar(*find_param(key), text);
  EXPECT_TRUE(check.value.has_value()) << key << " = " << text << ": " << check.message;
  return check.value.value_or(-12345);
}

std::string error_of(std::string_view key, std::string_view text) {
  ValueCheck check = check_scalar(*find_param(key), text);
  EXPECT_FALSE(check.value.has_value()) << key << " = " << text;
  return check.hint.empty() ? check.message : check.message + " (" + check.hint + ")";
}

TEST(CheckScalar, Integers) {
  EXPECT_EQ(value_of("run.months", "12"), 12);
  EXPECT_EQ(value_of("run.months", "+12"), 12);
  EXPECT_EQ(value_of("run.seed", "1e6"), 1e6);  // an exact integral value may use an exponent
  EXPECT_EQ(value_of("run.seed", "4294967295"), 4294967295.0);
  EXPECT_EQ(error_of("run.months", "1.5"), "expected an integer (month), got '1.5' (this key takes whole numbers)");
  EXPECT_EQ(error_of("run.months", "twelve"), "expected an integer (month), got 'twelve'");
  EXPECT_EQ(error_of("run.replicates", "0x10"), "expected an integer, got '0x10'");
  EXPECT_EQ(error_of("run.seed", "99999999999999999999"),
            "value 100000000000000000000 is out of range [0, 4294967295] "
            "(Base random seed; replicate r uses key (seed, r).)");
}

TEST(CheckScalar, Reals) {
  EXPECT_EQ(value_of("testing.success_base", "0.05"), 0.05);
  EXPECT_EQ(value_of("testing.success_base", ".5"), 0.5);
  EXPECT_EQ(value_of("testing.success_base", "1"), 1.0);
  EXPECT_EQ(value_of("testing.cost_per_test", "1.5E6"), 1.5e6);
  EXPECT_EQ(value_of("exit.capital_floor", "-2e6"), -2e6);
  EXPECT_EQ(error_of("testing.success_base", "abc"), "expected a real number (probability), got 'abc'");
  EXPECT_EQ(error_of("testing.success_base", ".inf"), "expected a real number (probability), got '.inf'");
  const std::string range = " (the number is beyond the range of a double (about 1e308), or so close to 0 that it would round to 0)";
  EXPECT_EQ(error_of("testing.success_base", "1e999"), "expected a real number (probability), got '1e999'" + range);
  EXPECT_EQ(error_of("testing.success_base", "1e-400"), "expected a real number (probability), got '1e-400'" + range);
  EXPECT_EQ(error_of("testing.success_base", "1_000"), "expected a real number (probability), got '1_000'");
  // A long value is quoted in part, its length counted (a pasted page would bury the message).
  EXPECT_EQ(error_of("testing.success_base", std::string(200, 'x')),
            "expected a real number (probability), got '" + std::string(80, 'x') + "...' (200 characters)");
}

TEST(CheckScalar, Booleans) {
  EXPECT_EQ(value_of("run.snapshot", "true"), 1.0);
  EXPECT_EQ(value_of("run.snapshot", "false"), 0.0);
  for (const char* text : {"yes", "no", "on", "1", "0", "True"})
    EXPECT_EQ(error_of("run.snapshot", text),
              std::string("expected true or false, got '") + text +
                  "' (write true or false; yes/no, on/off and 1/0 are not accepted)");
}

TEST(CheckScalar, MoneySuffixes) {
  EXPECT_EQ(value_of("testing.cost_per_test", "100 juta"), 1e8);
  EXPECT_EQ(value_of("testing.cost_per_test", "1.5 miliar"), 1.5e9);
  EXPECT_EQ(value_of("testing.cost_per_test", "0.1 juta"), 1e5);  // exactly, not 0.1 * 1e6
  EXPECT_EQ(value_of("testing.cost_per_test", "2juta"), 2e6);
  EXPECT_EQ(value_of("winners.potential_scale", "20 juta"), 2e7);  // unit IDR/month
  EXPECT_EQ(value_of("exit.capital_floor", "-3 miliar"), -3e9);
  const std::string idr_hint =
      " (write a number such as 1500000 or 1.5e6, or a string with a suffix: '1.5 juta', '2 miliar')";
  EXPECT_EQ(error_of("testing.cost_per_test", "1e3 juta"), "expected a real number (IDR), got '1e3 juta'" + idr_hint);
  EXPECT_EQ(error_of("testing.cost_per_test", "1,5 juta"), "expected a real number (IDR), got '1,5 juta'" + idr_hint);
  EXPECT_EQ(error_of("testing.cost_per_test", "100 ribu"), "expected a real number (IDR), got '100 ribu'" + idr_hint);
  EXPECT_EQ(error_of("money.platform_fee", "5 juta"),
            "expected a real number (share), got '5 juta' (juta/miliar suffixes are only for amounts in IDR)");
}

TEST(CheckScalar, Ranges) {
  EXPECT_EQ(error_of("testing.success_base", "1.5"),
            "value 1.5 is out of range [0, 1] (Chance one test finds a winner at skill 0. Unit: probability.)");
  EXPECT_EQ(error_of("testing.cost_per_test", "20 miliar"),
            "value 20000000000 is out of range [0, 10000000000] (Ad money one product test burns. Unit: IDR.)");
  EXPECT_EQ(value_of("testing.success_base", "0"), 0.0);  // bounds are inclusive
  EXPECT_EQ(value_of("testing.success_base", "1.0"), 1.0);
}

TEST(CheckNode, NonScalarsAreTypeErrors) {
  const ParamSpec& spec = *find_param("run.months");
  EXPECT_EQ(check_node(spec, YAML::Load("{a: 1}")).message, "expected an integer (month), got a map");
  EXPECT_EQ(check_node(spec, YAML::Load("[1, 2]")).message, "expected an integer (month), got a list");
  EXPECT_EQ(check_node(spec, YAML::Node()).message, "expected an integer (month), got an empty value");
}

}  // namespace
}  // namespace imersim::scenario_detail
