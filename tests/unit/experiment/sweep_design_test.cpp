// Designs: grid order and size, Latin-hypercube stratification and determinism, Saltelli structure,
// CSV designs and their errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

#include "analysis/sobol.hpp"
#include "core/error.hpp"
#include "experiment/design.hpp"

namespace imersim {
namespace {

SweepParameter range(const std::string& key, double lo, double hi) { return {key, find_param(key), lo, hi, {}}; }

/// read_csv_design of a temporary file holding `text` (written byte for byte, then removed).
std::vector<std::vector<double>> read_csv_text(const std::string& text, std::vector<SweepParameter>& params,
                                               std::vector<Diagnostic>& diags) {
  const auto path = std::filesystem::temp_directory_path() / ("imersim_csv_" + std::to_string(::getpid()) + ".csv");
  std::ofstream(path, std::ios::binary) << text;
  auto rows = read_csv_design(path, params, diags);
  std::filesystem::remove(path);
  return rows;
}

TEST(SweepDesign, GridIsTheCartesianProductLastParameterFastest) {
  std::vector<SweepParameter> p = {range("testing.success_base", 0.0, 0.1),
                                   {"exit.patience", find_param("exit.patience"), 0, 0, {3, 6}}};
  Design d;
  d.kind = DesignKind::Grid;
  d.levels = 3;
  const auto rows = design_points(p, d);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], (std::vector<double>{0.0, 3}));
  EXPECT_EQ(rows[1], (std::vector<double>{0.0, 6}));
  EXPECT_DOUBLE_EQ(rows[2][0], 0.05);
  EXPECT_EQ(rows[5], (std::vector<double>{0.1, 6}));
}

TEST(SweepDesign, LatinHypercubeHitsEveryStratumOnceAndIsReproducible) {
  std::vector<SweepParameter> p = {range("testing.success_base", 0.0, 1.0), range("shocks.ad_block_prob", 0.0, 1.0),
                                   range("money.gross_margin", 0.0, 1.0)};
  Design d;
  d.kind = DesignKind::LatinHypercube;
  d.points = 50;
  d.seed = 7;
  const auto rows = design_points(p, d);
  ASSERT_EQ(rows.size(), 50u);
  for (std::size_t dim = 0; dim < p.size(); ++dim) {
    std::set<int> strata;
    for (const auto& r : rows) strata.insert(static_cast<int>(r[dim] * 50));
    EXPECT_EQ(strata.size(), 50u) << "dimension " << dim;
  }
  EXPECT_EQ(design_points(p, d), rows);  // same seed, same design (any machine: counter-based stream)
  d.seed = 8;
  EXPECT_NE(design_points(p, d), rows);
}

TEST(SweepDesign, IntegerParametersAreRounded) {
  std::vector<SweepParameter> p = {range("exit.patience", 1, 12)};
  Design d;
  d.kind = DesignKind::LatinHypercube;
  d.points = 20;
  for (const auto& r : design_points(p, d)) EXPECT_EQ(r[0], std::round(r[0]));
}

TEST(SweepDesign, SaltelliRowsFollowTheABScheme) {
  std::vector<SweepParameter> p = {range("testing.success_base", 0.0, 1.0), range("shocks.ad_block_prob", 0.0, 1.0),
                                   range("money.gross_margin", 0.0, 1.0)};
  Design d;
  d.kind = DesignKind::Saltelli;
  d.points = 16;
  const auto rows = design_points(p, d);
  const std::size_t k = 3;
  ASSERT_EQ(rows.size(), 16u * (k + 2));
  for (std::size_t j = 0; j < 16; ++j) {
    const auto& a = rows[saltelli_index(j, 0, k)];
    const auto& b = rows[saltelli_index(j, 1, k)];
    for (std::size_t i = 0; i < k; ++i) {
      const auto& ab = rows[saltelli_index(j, 2 + i, k)];
      for (std::size_t c = 0; c < k; ++c) EXPECT_EQ(ab[c], c == i ? b[c] : a[c]);
    }
    EXPECT_NE(a, b);
  }
  // A Sobol sequence fills each half of every axis equally over 16 points.
  for (std::size_t c = 0; c < k; ++c) {
    int low = 0;
    for (std::size_t j = 0; j < 16; ++j) low += rows[saltelli_index(j, 0, k)][c] < 0.5 ? 1 : 0;
    EXPECT_EQ(low, 8);
  }
}

TEST(SweepDesign, CsvDesignReadsHeaderAndRows) {
  std::vector<SweepParameter> p;
  std::vector<Diagnostic> diags;
  const auto rows = read_csv_design(std::string(IMERSIM_TEST_DATA) + "/sweeps/csv_points.csv", p, diags);
  EXPECT_TRUE(diags.empty());
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[1].key, "exit.patience");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], (std::vector<double>{2000000, 3}));
}

// A spreadsheet's "CSV UTF-8" export begins with a byte-order mark; it is not part of the first key.
TEST(SweepDesign, CsvDesignFromASpreadsheetWithAByteOrderMark) {
  std::vector<SweepParameter> p;
  std::vector<Diagnostic> diags;
  const auto rows = read_csv_text("\xEF\xBB\xBF" "exit.patience,ads.roas\r\n3,10\r\n", p, diags);
  EXPECT_TRUE(diags.empty()) << (diags.empty() ? "" : diags.front().message + " " + diags.front().key);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].key, "exit.patience");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<double>{3, 10}));
}

// A CSV design has the same limit as the generated ones: the row past 1,000,000 points is refused.
TEST(SweepDesign, CsvDesignIsLimitedLikeTheOthers) {
  std::string text = "exit.patience\n";
  for (std::int64_t r = 0; r <= kMaxDesignPoints; ++r) text += "3\n";
  std::vector<SweepParameter> p;
  std::vector<Diagnostic> diags;
  const auto rows = read_csv_text(text, p, diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].line, static_cast<int>(kMaxDesignPoints) + 2);  // the header, then the points
  EXPECT_NE(diags[0].message.find("more than 1000000 points"), std::string::npos) << diags[0].message;
  EXPECT_EQ(static_cast<std::int64_t>(rows.size()), kMaxDesignPoints);
}

TEST(SweepDesign, CsvDesignLocatesEveryProblem) {
  std::vector<SweepParameter> p;
  std::vector<Diagnostic> diags;
  const std::string file = std::string(IMERSIM_TEST_DATA) + "/invalid/sweep_files/bad_csv.csv";
  (void)read_csv_design(file, p, diags);
  ASSERT_EQ(diags.size(), 2u);
  EXPECT_EQ(diags[0].line, 1);
  EXPECT_EQ(diags[0].column, 23);
  EXPECT_NE(diags[0].hint.find("exit.patience"), std::string::npos);
  EXPECT_EQ(diags[1].line, 3);
  EXPECT_EQ(diags[1].column, 9);
  EXPECT_EQ(diags[1].message, "'three' is not a number");
}

}  // namespace
}  // namespace imersim
