// StrictMap: typed values, unknown and duplicate keys, every problem located and collected.
#include "scenario/strict_map.hpp"

#include <gtest/gtest.h>

namespace imersim {
namespace {

std::string all(const std::vector<Diagnostic>& d) {
  std::string s;
  for (const auto& x : d) s += x.format() + "\n";
  return s;
}

TEST(StrictMap, ReadsTypedValuesAndMoneySuffixes) {
  std::vector<Diagnostic> diags;
  StrictMap m("f.yaml", YAML::Load("a: 0.5\nb: 3\nc: true\nd: '2 juta'\ne: grid\nf: [1, 2.5]\n"), "top", diags);
  EXPECT_EQ(m.real("a", 0, 1), 0.5);
  EXPECT_EQ(m.integer("b", 0, 10), 3);
  EXPECT_EQ(m.boolean("c"), true);
  EXPECT_EQ(m.real("d", 0, 1e9, false, true), 2e6);
  EXPECT_EQ(m.text("e", false, {"grid", "lhs"}), "grid");
  EXPECT_EQ(m.reals("f", 0, 10), (std::vector<double>{1, 2.5}));
  EXPECT_FALSE(m.real("absent", 0, 1).has_value());
  m.finish();
  EXPECT_TRUE(diags.empty()) << all(diags);
}

TEST(StrictMap, ReportsEveryProblemWithLocationAndHint) {
  std::vector<Diagnostic> diags;
  StrictMap m("f.yaml", YAML::Load("rate: 2\nrate: 3\ndesign: grd\nreplicats: 4\n"), "sweep", diags);
  EXPECT_FALSE(m.real("rate", 0, 1).has_value());
  EXPECT_FALSE(m.text("design", false, {"grid", "lhs"}).has_value());
  m.integer("replicates", 1, 10);
  m.integer("points", 1, 10, true);
  m.finish();
  const std::string text = all(diags);
  EXPECT_NE(text.find("f.yaml:2:1: error: 'sweep.rate': duplicate key 'sweep.rate'"), std::string::npos) << text;
  EXPECT_NE(text.find("f.yaml:1:7: error: 'sweep.rate': value 2 is out of range"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'grid'?"), std::string::npos) << text;
  EXPECT_NE(text.find("f.yaml:4:1: error: 'sweep.replicats': unknown key 'sweep.replicats' (did you mean 'replicates'?)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("missing required key 'sweep.points'"), std::string::npos) << text;
  EXPECT_EQ(diags.size(), 5u) << text;
}

TEST(StrictMap, NonMapIsOneProblem) {
  std::vector<Diagnostic> diags;
  StrictMap m("f.yaml", YAML::Load("[1, 2]"), "x", diags);
  EXPECT_FALSE(m.valid());
  EXPECT_FALSE(m.real("a", 0, 1, true).has_value());
  m.finish();
  EXPECT_EQ(diags.size(), 1u) << all(diags);
}

}  // namespace
}  // namespace imersim
