// The portable transcendental functions: accurate, and the AVX-512 build gives the scalar bits
// (the block kernel relies on that to match step_agent).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/portable_math.hpp"
#include "rng/stream.hpp"

namespace imersim {
namespace {

/// Inputs like the model's: uniforms of 32-bit resolution (Stream::uniform) and exponents of ads.
std::vector<double> uniforms(std::size_t n) {
  Stream rng(7, 0, 1, 2, Purpose::Testing);
  std::vector<double> u(n);
  for (auto& x : u) x = rng.uniform();
  return u;
}

std::uint64_t bits_of(double x) {
  std::uint64_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

TEST(PortableMath, AccurateAgainstLongDouble) {
  double worst_exp = 0, worst_log = 0, worst_pow = 0, worst_pow_fast = 0, worst_sin = 0;
  for (double u : uniforms(200000)) {
    const long double lu = u;
    const double x = -30.0 * u;
    worst_exp = std::max(worst_exp, static_cast<double>(std::fabs(pmath::exp(x) / std::exp(static_cast<long double>(x)) - 1)));
    worst_log = std::max(worst_log, static_cast<double>(std::fabs(pmath::log(u * 1e9) - std::log(lu * 1e9L))));
    const long double exact = std::pow(lu, -0.747L);
    worst_pow = std::max(worst_pow, static_cast<double>(std::fabs(pmath::pow(u, -0.747) / exact - 1)));
    worst_pow_fast = std::max(worst_pow_fast, static_cast<double>(std::fabs(pmath::pow_fast(u, -0.747) / exact - 1)));
    worst_sin = std::max(worst_sin, static_cast<double>(std::fabs(pmath::sin(3.0 * u) - std::sin(3.0L * lu))));
  }
  EXPECT_LT(worst_exp, 3e-16);       // 1 ulp
  EXPECT_LT(worst_log, 1e-14);       // |log| < 21: 1 ulp absolute is 3.6e-15
  EXPECT_LT(worst_pow, 3e-16);
  EXPECT_LT(worst_pow_fast, 2e-14);  // |y log2 x| < 25: error grows with it; stored as floats anyway
  EXPECT_LT(worst_sin, 3e-16);
  EXPECT_EQ(pmath::exp(0.0), 1.0);
  EXPECT_EQ(pmath::log(1.0), 0.0);
  EXPECT_EQ(pmath::pow(2.0, 10.0), 1024.0);
  EXPECT_NEAR(pmath::pow_fast(2.0, 10.0), 1024.0, 1e-12);
}

TEST(PortableMath, ExpOfAnArrayGivesTheScalarBitsAtEveryLength) {
  const std::vector<double> u = uniforms(1000);
  for (std::size_t n : {0u, 1u, 2u, 3u, 7u, 8u, 9u, 15u, 16u, 17u, 1000u}) {
    std::vector<double> x(n), y(n + 1, -1.0);
    for (std::size_t i = 0; i < n; ++i) x[i] = 12.0 - 40.0 * u[i];
    pmath::exp_n(x.data(), y.data(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(bits_of(y[i]), bits_of(pmath::exp(x[i]))) << "n=" << n << " i=" << i;
    EXPECT_EQ(y[n], -1.0) << "n=" << n << ": wrote past the end";
    pmath::exp_n(x.data(), x.data(), n);  // in place
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(bits_of(x[i]), bits_of(y[i]));
  }
}

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f"))) void exp8(const double* x, double* out) {
  _mm512_storeu_pd(out, Sleef_cinz_expd8_u10avx512fnofma(_mm512_loadu_pd(x)));
}
__attribute__((target("avx512f"))) void pow_fast8(const double* x, double y, double* out) {
  const __m512d log2x = Sleef_cinz_log2d8_u35avx512fnofma(_mm512_loadu_pd(x));
  _mm512_storeu_pd(out, Sleef_cinz_exp2d8_u35avx512fnofma(_mm512_mul_pd(_mm512_set1_pd(y), log2x)));
}

__attribute__((target("avx2"))) void exp4(const double* x, double* out) {
  _mm256_storeu_pd(out, Sleef_cinz_expd4_u10avx(_mm256_loadu_pd(x)));
}
__attribute__((target("avx2"))) void pow_fast4(const double* x, double y, double* out) {
  const __m256d log2x = Sleef_cinz_log2d4_u35avx(_mm256_loadu_pd(x));
  _mm256_storeu_pd(out, Sleef_cinz_exp2d4_u35avx(_mm256_mul_pd(_mm256_set1_pd(y), log2x)));
}

/// Results of a SIMD build of L lanes (exp and pow_fast, over 2^16 inputs) that differ from the scalar bits.
template <int L>
std::size_t simd_differs(void (*exp_l)(const double*, double*), void (*pow_fast_l)(const double*, double, double*)) {
  const std::vector<double> u = uniforms(1 << 16);
  std::size_t differ = 0;
  for (std::size_t i = 0; i + L <= u.size(); i += L) {
    double x[L], e[L], p[L];
    for (int l = 0; l < L; ++l) x[l] = -40.0 * u[i + l];
    exp_l(x, e);
    pow_fast_l(&u[i], -0.747, p);
    for (int l = 0; l < L; ++l) {
      differ += bits_of(e[l]) != bits_of(pmath::exp(x[l]));
      differ += bits_of(p[l]) != bits_of(pmath::pow_fast(u[i + l], -0.747));
    }
  }
  return differ;
}

TEST(PortableMath, AvxBuildGivesTheScalarBits) {  // the block kernel's AVX2 build
  if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "no AVX2 on this CPU";
  EXPECT_EQ(simd_differs<4>(exp4, pow_fast4), 0u);
}

TEST(PortableMath, Avx512BuildGivesTheScalarBits) {
  if (!__builtin_cpu_supports("avx512f")) GTEST_SKIP() << "no AVX-512 on this CPU";
  EXPECT_EQ(simd_differs<8>(exp8, pow_fast8), 0u);
}
#endif

}  // namespace
}  // namespace imersim
