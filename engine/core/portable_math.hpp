// Transcendental functions that give the same bits on every CPU: the model's exp, log, pow and sin.
//
// Why not std::exp and friends: glibc picks a different implementation on CPUs with and without FMA,
// and the two round differently (measured on this project's machine: about 1 in 1,500 results of
// std::pow and std::exp differ between GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-AVX2 and the default).
// imersim promises the same results for the same seed on any machine, so the model calls these
// instead. They are SLEEF's "cinz" variants (libsleef-dev, Debian 12): SLEEF computes them without
// FMA in the same order in its scalar and SIMD builds, so a lane of the AVX-512 version returns
// exactly what the scalar one returns (tests/unit/core/portable_math_test.cpp holds them to that).
// Maximum error 1 ulp (SLEEF's u10 class).
#pragma once
#include <cstddef>

namespace imersim::pmath {

[[nodiscard]] double exp(double x);
[[nodiscard]] double log(double x);
[[nodiscard]] double pow(double x, double y);
[[nodiscard]] double sin(double x);
/// x^y computed as exp2(y * log2(x)) with SLEEF's 3.5-ulp log2 and exp2: about three times faster
/// than pow in the AVX-512 build, relative error at most about |y log2 x| * 1e-15 (2e-15 measured
/// for the Pareto draws, whose results are stored as floats). For x > 0.
[[nodiscard]] double pow_fast(double x, double y);
/// y[i] = exp(x[i]) for i < n, the same bits as exp() above, eight at a time through SLEEF's
/// AVX-512 build on CPUs that have AVX-512F, two at a time otherwise. x and y may be the same array.
void exp_n(const double* x, double* y, std::size_t n);

}  // namespace imersim::pmath

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
// SLEEF's header declares its AVX and AVX-512 functions only in translation units compiled with -mavx
// or -mavx512f; the engine compiles for baseline x86-64 and calls them only from functions with an
// AVX2 or AVX-512 target attribute, after checking the CPU (model/block_step.cpp). The declarations,
// as in sleef.h 3.5:
extern "C" {
__m256d Sleef_cinz_expd4_u10avx(__m256d x);
__m256d Sleef_cinz_exp2d4_u35avx(__m256d x);
__m256d Sleef_cinz_log2d4_u35avx(__m256d x);
__m512d Sleef_cinz_expd8_u10avx512fnofma(__m512d x);
__m512d Sleef_cinz_exp2d8_u35avx512fnofma(__m512d x);
__m512d Sleef_cinz_log2d8_u35avx512fnofma(__m512d x);
}
#endif
