// core/avx2_convert.hpp against the scalar conversions it stands for, bit for bit: the block kernel's
// AVX2 build is only step_agent's bits if every lane converts as a scalar cast does. Edge values
// (the ends of the int64 range, around 2^51, 2^53 and 2^63, ties that round to even, negative
// fractions, -0) and a million random values of every magnitude, with lanes that take the vector path
// and lanes that force the lane-by-lane one mixed in the same vector.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "core/avx2_convert.hpp"

#if defined(__x86_64__) && defined(__GNUC__)
namespace imersim {
namespace {

using Limits = std::numeric_limits<std::int64_t>;

__attribute__((target("avx2"))) void to_d4(const std::int64_t* in, double* out) {
  avx2::l4 x;
  std::memcpy(&x, in, sizeof x);
  const avx2::d4 y = avx2::to_d(x);
  std::memcpy(out, &y, sizeof y);
}
__attribute__((target("avx2"))) void to_f4(const std::int64_t* in, float* out) {
  avx2::l4 x;
  std::memcpy(&x, in, sizeof x);
  const avx2::f4 y = avx2::to_f(x);
  std::memcpy(out, &y, sizeof y);
}
__attribute__((target("avx2"))) void to_l4(const double* in, std::int64_t* out) {
  avx2::d4 x;
  std::memcpy(&x, in, sizeof x);
  const avx2::l4 y = avx2::to_l(x);
  std::memcpy(out, &y, sizeof y);
}
__attribute__((target("avx2"))) void to_l4_truncated(const double* in, double* out) {
  avx2::d4 x, truncated;
  std::memcpy(&x, in, sizeof x);
  (void)avx2::to_l(x, truncated);
  std::memcpy(out, &truncated, sizeof truncated);
}
template <typename T>
__attribute__((target("avx2"))) void store_narrow4(const std::int64_t* in, T* out) {
  avx2::l4 x;
  std::memcpy(&x, in, sizeof x);
  avx2::store_narrow(out, x);
}
__attribute__((target("avx2"))) void u32_to_d4(const std::uint32_t* in, double* out) {
  avx2::u4 x;
  std::memcpy(&x, in, sizeof x);
  const avx2::d4 y = avx2::u32_to_d(x);
  std::memcpy(out, &y, sizeof y);
}
__attribute__((target("avx2"))) unsigned bits4(const std::int64_t* in) {
  avx2::l4 x;
  std::memcpy(&x, in, sizeof x);
  return avx2::bits(x);
}

class Avx2Convert : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2 on this CPU";
  }
};

/// Integers of every magnitude and sign, the edges first.
std::vector<std::int64_t> integers() {
  std::vector<std::int64_t> v = {0, 1, -1, 2, -2, Limits::max(), Limits::min(), Limits::min() + 1, Limits::max() - 1};
  for (int e = 20; e <= 62; ++e) {
    const std::int64_t p = std::int64_t{1} << e;
    for (std::int64_t d : {-3, -2, -1, 0, 1, 2, 3}) {
      v.push_back(p + d);
      v.push_back(-(p + d));
    }
  }
  // Ties between two doubles (odd multiples of half a unit in the last place) round to even.
  for (std::int64_t k : {0, 1, 2, 3, 1000001})
    for (int e = 54; e <= 62; ++e) {
      const std::int64_t half_ulp = std::int64_t{1} << (e - 53);
      v.push_back((std::int64_t{1} << e) + (2 * k + 1) * half_ulp);
      v.push_back(-((std::int64_t{1} << e) + (2 * k + 1) * half_ulp));
    }
  std::mt19937_64 gen(20261202);
  for (int i = 0; i < 1 << 20; ++i) {
    const int shift = static_cast<int>(gen() % 64);
    v.push_back(static_cast<std::int64_t>(gen()) >> shift);
  }
  return v;
}

/// Lanes where `convert4` (four at a time) and a scalar static_cast<Out> give different bits; the
/// first few are reported.
template <typename In, typename Out>
std::size_t differ_from_cast(const std::vector<In>& v, void (*convert4)(const In*, Out*)) {
  std::size_t differ = 0;
  for (std::size_t i = 0; i + 4 <= v.size(); i += 4) {
    Out out[4];
    convert4(&v[i], out);
    for (int l = 0; l < 4; ++l) {
      const Out expected = static_cast<Out>(v[i + l]);
      if (std::memcmp(&out[l], &expected, sizeof(Out)) != 0 && differ++ < 5)
        ADD_FAILURE() << v[i + l] << ": " << out[l] << " where a cast gives " << expected;
    }
  }
  return differ;
}

TEST_F(Avx2Convert, Int64ToDoubleAsAScalarCast) { EXPECT_EQ(differ_from_cast(integers(), to_d4), 0u); }

TEST_F(Avx2Convert, Int64ToFloatAsAScalarCast) {
  std::vector<std::int64_t> v = integers();
  // Around 2^53, where the vector path ends, and float ties that a double rounding would get wrong.
  for (std::int64_t d = -8; d <= 8; ++d) {
    v.push_back((std::int64_t{1} << 53) + d);
    v.push_back(-(std::int64_t{1} << 53) + d);
  }
  v.push_back((std::int64_t{1} << 54) + (std::int64_t{1} << 30) + 1);  // just above a float tie
  EXPECT_EQ(differ_from_cast(v, to_f4), 0u);
}

TEST_F(Avx2Convert, DoubleToInt64TruncatesAsAScalarCast) {
  std::vector<double> v = {0.0, -0.0, 0.5, -0.5, 0.999999999, -0.999999999, 1.0, -1.0, 1.5, -1.5, 2.5, -2.5};
  for (int e = 0; e <= 62; ++e) {
    const double p = std::ldexp(1.0, e);
    for (double x : {p, std::nextafter(p, 0.0), std::nextafter(p, 2 * p), p - 0.5, p + 0.5, p - 0.25}) {
      v.push_back(x);
      v.push_back(-x);
    }
  }
  std::mt19937_64 gen(1202);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  for (int i = 0; i < 1 << 20; ++i) v.push_back(std::ldexp(unit(gen), static_cast<int>(gen() % 63)));
  EXPECT_EQ(differ_from_cast(v, to_l4), 0u);
  for (std::size_t i = 0; i + 4 <= v.size(); i += 4) {  // the truncated values as doubles, numerically
    double truncated[4];
    to_l4_truncated(&v[i], truncated);
    for (int l = 0; l < 4; ++l)
      ASSERT_EQ(truncated[l], static_cast<double>(static_cast<std::int64_t>(v[i + l]))) << v[i + l];
  }
  std::size_t fallback = 0;  // vectors with a lane of 2^51 or more: the lane-by-lane path
  for (std::size_t i = 0; i + 4 <= v.size(); i += 4)
    fallback += std::any_of(&v[i], &v[i] + 4, [](double x) { return std::fabs(x) >= 0x1p51; });
  EXPECT_GT(fallback, 0u);  // both paths ran
  EXPECT_LT(fallback, v.size() / 4);
}

/// store_narrow<T> of every group of four of `v` against a cast, and nothing written past the four.
template <typename T>
void expect_stores_as_a_cast(const std::vector<std::int64_t>& v) {
  for (std::size_t i = 0; i + 4 <= v.size(); i += 4) {
    T out[5];
    std::memset(out, 0xA5, sizeof out);
    const T sentinel = out[4];
    store_narrow4<T>(&v[i], out);
    for (int l = 0; l < 4; ++l) ASSERT_EQ(out[l], static_cast<T>(v[i + l])) << sizeof(T) << "-byte store of " << v[i + l];
    ASSERT_EQ(out[4], sentinel) << sizeof(T) << "-byte store wrote past four lanes";
  }
}

TEST_F(Avx2Convert, NarrowingStoresKeepTheLowBytesAsACast) {
  const std::vector<std::int64_t> v = integers();
  expect_stores_as_a_cast<std::uint8_t>(v);
  expect_stores_as_a_cast<std::uint16_t>(v);
  expect_stores_as_a_cast<std::uint32_t>(v);
  expect_stores_as_a_cast<std::int64_t>(v);
}

TEST_F(Avx2Convert, Uint32ToDoubleAndMaskBits) {
  std::vector<std::uint32_t> v = {0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff};
  std::mt19937 gen(7);
  for (int i = 0; i < 1 << 16; ++i) v.push_back(static_cast<std::uint32_t>(gen()));
  EXPECT_EQ(differ_from_cast(v, u32_to_d4), 0u);
  for (unsigned m = 0; m < 16; ++m) {
    std::int64_t mask[4];
    for (int l = 0; l < 4; ++l) mask[l] = ((m >> l) & 1) != 0 ? -1 : 0;
    EXPECT_EQ(bits4(mask), m);
  }
}

}  // namespace
}  // namespace imersim
#endif
