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
#include <utility>
#include <vector>

#include "model/block_step.hpp"
#include "model/month_context.hpp"
#include "model/population.hpp"
#include "model_test_support.hpp"

namespace imersim {
namespace {

/// The kernel's conversions of some values (block_lane_conversions), index by index.
struct Converted {
  std::vector<double> x;  // the values, padded with zeros to whole blocks
  std::vector<std::int64_t> idr;
  std::vector<std::uint16_t> code;
  std::vector<double> value;
};

class BlockLaneConversions : public test::KernelBuildTest {
 protected:
  Converted convert(std::vector<double> x) const {
    while (x.size() % kBlockLanes != 0) x.push_back(0.0);
    Converted out{x, std::vector<std::int64_t>(x.size()), std::vector<std::uint16_t>(x.size()), std::vector<double>(x.size())};
    block_lane_conversions(GetParam(), out.x.data(), out.idr.data(), out.code.data(), out.value.data(), x.size());
    return out;
  }
};
INSTANTIATE_TEST_SUITE_P(Builds, BlockLaneConversions, test::kernel_builds(), test::kernel_build_name);

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
  return v;
}

TEST_P(BlockLaneConversions, ToIdrIsTheScalarsRoundingForEveryValueBelow2To63) {
  const Converted c = convert(hard_values());
  for (std::size_t i = 0; i < c.x.size(); ++i) {
    ASSERT_EQ(c.idr[i], to_idr(c.x[i])) << "x = " << std::hexfloat << c.x[i];
    ASSERT_EQ(c.idr[i], std::llround(c.x[i])) << "x = " << std::hexfloat << c.x[i];
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
  const Converted c = convert(std::move(x));
  for (std::size_t i = 0; i < c.x.size(); ++i) {
    ASSERT_EQ(c.code[i], demand_code(c.x[i])) << "x = " << std::hexfloat << c.x[i];
    ASSERT_EQ(c.value[i], demand_value(c.code[i])) << "x = " << std::hexfloat << c.x[i];
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
