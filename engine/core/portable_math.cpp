// The portable transcendental functions (core/portable_math.hpp): SLEEF's deterministic variants.
#include "core/portable_math.hpp"

#include <sleef.h>

#include "core/cpu.hpp"

namespace imersim::pmath {

#if defined(__x86_64__) && defined(__SSE2__)
// Every x86-64 CPU has SSE2; its two-lane build is about twice as fast as SLEEF's portable C build
// and returns the same bits (SLEEF's "cinz" guarantee). Both lanes get x: no lane computes an
// unusual value.
double exp(double x) { return _mm_cvtsd_f64(Sleef_cinz_expd2_u10sse2(_mm_set1_pd(x))); }
double log(double x) { return _mm_cvtsd_f64(Sleef_cinz_logd2_u10sse2(_mm_set1_pd(x))); }
double pow(double x, double y) { return _mm_cvtsd_f64(Sleef_cinz_powd2_u10sse2(_mm_set1_pd(x), _mm_set1_pd(y))); }
double sin(double x) { return _mm_cvtsd_f64(Sleef_cinz_sind2_u10sse2(_mm_set1_pd(x))); }
double pow_fast(double x, double y) {
  const __m128d log2x = Sleef_cinz_log2d2_u35sse2(_mm_set1_pd(x));
  return _mm_cvtsd_f64(Sleef_cinz_exp2d2_u35sse2(_mm_mul_pd(_mm_set1_pd(y), log2x)));
}

namespace {
__attribute__((target("avx512f"))) void exp_n_avx512(const double* x, double* y, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) _mm512_storeu_pd(y + i, Sleef_cinz_expd8_u10avx512fnofma(_mm512_loadu_pd(x + i)));
  if (i < n) {
    const auto rest = static_cast<__mmask8>((1u << (n - i)) - 1);
    // The lanes past n compute exp(0): an ordinary value, never stored.
    _mm512_mask_storeu_pd(y + i, rest, Sleef_cinz_expd8_u10avx512fnofma(_mm512_maskz_loadu_pd(rest, x + i)));
  }
}
}  // namespace

void exp_n(const double* x, double* y, std::size_t n) {
  if (cpu_has_avx512f()) {
    exp_n_avx512(x, y, n);
    return;
  }
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) _mm_storeu_pd(y + i, Sleef_cinz_expd2_u10sse2(_mm_loadu_pd(x + i)));
  if (i < n) y[i] = exp(x[i]);
}
#else
void exp_n(const double* x, double* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = exp(x[i]);
}
double exp(double x) { return Sleef_cinz_expd1_u10purec(x); }
double log(double x) { return Sleef_cinz_logd1_u10purec(x); }
double pow(double x, double y) { return Sleef_cinz_powd1_u10purec(x, y); }
double sin(double x) { return Sleef_cinz_sind1_u10purec(x); }
double pow_fast(double x, double y) { return Sleef_cinz_exp2d1_u35purec(y * Sleef_cinz_log2d1_u35purec(x)); }
#endif

}  // namespace imersim::pmath
