// The block kernel's lane-wise conversions against the scalar functions step_agent uses, over the
// values where a shortcut would go wrong: to_idr's halves (the kernel adds 0.5 - 2^-54 with x's sign
// and truncates), demand_code's ties, clamps and zero. A run meets few of these values; the kernel's
// other tests compare whole months.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/block_step.hpp"
#include "model/month_context.hpp"
#include "model/population.hpp"

namespace imersim {
namespace {

class BlockLaneConversions : public ::testing::TestWithParam<BlockIsa> {
 protected:
  void SetUp() override {
    if (!block_isa_supported(GetParam())) GTEST_SKIP() << "unsupported";
  }
};
INSTANTIATE_TEST_SUITE_P(Builds, BlockLaneConversions, ::testing::Values(BlockIsa::Avx512, BlockIsa::Avx2),
                         [](const auto& build) { return std::string(block_isa_name(build.param)); });

/// Values around every half and integer of several magnitudes, both signs, and random ones.
std::vector<double> hard_values() {
  std::vector<double> v = {0.0, -0.0, 0.5, -0.5, 0x1.fffffffffffffp-2, -0x1.fffffffffffffp-2, 1.5, 2.5, -2.5,
                           1.49999, -7.7, 11111111.111, 3243720.864865315, 1e12 + 0.5, 0x1p52, 0x1p52 + 1,
                           0x1p53 + 2, 0x1p62, -0x1p62, 0x1p63 - 1024, -0x1p63 + 1024, 1e-300, 5e-324,
                           std::numeric_limits<double>::denorm_min()};
  for (int e = 0; e <= 62; ++e) {
    const double base = std::ldexp(1.0, e);
    for (double k : {base, base + 1, base - 1, 3 * base + 1})
      for (double frac : {0.0, 0.5, 0.25, 0.75})
        for (double x : {k + frac, std::nextafter(k + frac, 0.0), std::nextafter(k + frac, 1e300)})
          if (std::abs(x) < 0x1p63) {
            v.push_back(x);
            v.push_back(-x);
          }
  }
  std::uint64_t s = 0x2545F4914F6CDD1Du;
  for (int n = 0; n < 20000; ++n) {
    s = s * 6364136223846793005u + 1442695040888963407u;
    const double mag = std::pow(10.0, 18.0 * static_cast<double>(s >> 11) * 0x1p-53);  // 1 .. 1e18
    s = s * 6364136223846793005u + 1442695040888963407u;
    v.push_back((s >> 63) ? -mag : mag);
    v.push_back(std::floor(mag) + 0.5);  // exact halves where the double holds them
  }
  while (v.size() % kBlockLanes != 0) v.push_back(0.0);
  return v;
}

TEST_P(BlockLaneConversions, ToIdrIsTheScalarsRoundingForEveryValueBelow2To63) {
  const std::vector<double> x = hard_values();
  std::vector<std::int64_t> idr(x.size());
  std::vector<std::uint16_t> code(x.size());
  std::vector<double> value(x.size());
  block_lane_conversions(GetParam(), x.data(), idr.data(), code.data(), value.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(idr[i], to_idr(x[i])) << "x = " << std::hexfloat << x[i];
    ASSERT_EQ(idr[i], std::llround(x[i])) << "x = " << std::hexfloat << x[i];
  }
}

TEST_P(BlockLaneConversions, DemandCodesAreTheScalarOnes) {
  std::vector<double> x = hard_values();
  // Every code's value, the ties between neighbours, and the special values.
  for (int c = 1; c <= 65535; ++c) {
    const double v = demand_value(static_cast<std::uint16_t>(c));
    x.push_back(v);
    if (c < 65535) x.push_back(0.5 * (v + demand_value(static_cast<std::uint16_t>(c + 1))));
  }
  for (double special : {std::numeric_limits<double>::quiet_NaN(), -std::numeric_limits<double>::quiet_NaN(),
                         std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 1e300,
                         0.25, 0.5, std::nextafter(0.5, 0.0)})
    x.push_back(special);
  while (x.size() % kBlockLanes != 0) x.push_back(0.0);
  std::vector<std::int64_t> idr(x.size());
  std::vector<std::uint16_t> code(x.size());
  std::vector<double> value(x.size());
  block_lane_conversions(GetParam(), x.data(), idr.data(), code.data(), value.data(), x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    ASSERT_EQ(code[i], demand_code(x[i])) << "x = " << std::hexfloat << x[i];
    ASSERT_EQ(value[i], demand_value(code[i])) << "x = " << std::hexfloat << x[i];
  }
}

TEST(BlockLaneConversionsInput, RefusesACountThatIsNotWholeBlocks) {
  const double x[3] = {};
  std::int64_t idr[3];
  std::uint16_t code[3];
  double value[3];
  EXPECT_THROW(block_lane_conversions(BlockIsa::Avx2, x, idr, code, value, 3), std::invalid_argument);
  EXPECT_THROW(block_lane_conversions(BlockIsa::Scalar, x, idr, code, value, 0), std::invalid_argument);
}

}  // namespace
}  // namespace imersim
